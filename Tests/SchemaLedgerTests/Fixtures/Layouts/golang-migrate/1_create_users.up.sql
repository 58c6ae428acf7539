CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL
);

INSERT INTO users (id, name) VALUES (1, 'Ada'), (2, 'Grace');
