CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1
);

CREATE VIEW active_users AS SELECT id, name FROM users WHERE active = 1;

INSERT INTO users (id, name, active) VALUES (1, 'Ada', 1), (2, 'Charles', 0), (3, 'Grace', 1);
