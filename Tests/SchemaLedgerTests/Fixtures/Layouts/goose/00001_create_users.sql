-- +goose Up
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL
);

INSERT INTO users (id, username, email) VALUES
  (1, 'ada', 'ada@example.com'),
  (2, 'grace', 'grace@example.com');

-- +goose Down
DROP TABLE users;
