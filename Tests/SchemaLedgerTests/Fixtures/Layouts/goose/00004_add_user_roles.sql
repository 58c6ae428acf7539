-- +goose Up
-- +goose ENVSUB ON
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT '${GOOSE_TEST_DEFAULT_ROLE}';
-- +goose ENVSUB OFF

CREATE VIEW user_roles AS
  SELECT username, role FROM users;

INSERT INTO users (id, username, email, role)
  VALUES (4, 'margaret', 'margaret@example.com', 'admin');

-- +goose Down
DROP VIEW user_roles;
DELETE FROM users WHERE id = 4;
ALTER TABLE users DROP COLUMN role;
