-- +goose Up
CREATE TABLE user_audit (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  action TEXT NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER users_audit_insert AFTER INSERT ON users
BEGIN
  INSERT INTO user_audit (user_id, action) VALUES (NEW.id, 'insert');
  UPDATE users SET email = lower(NEW.email) WHERE id = NEW.id;
END;
-- +goose StatementEnd

INSERT INTO users (id, username, email) VALUES (3, 'linus', 'Linus@Example.COM');

-- +goose Down
-- +goose StatementBegin
DROP TRIGGER users_audit_insert;
-- +goose StatementEnd
DELETE FROM users WHERE id = 3;
DROP TABLE user_audit;
