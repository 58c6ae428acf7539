CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  title TEXT NOT NULL
);

CREATE INDEX posts_user_id_idx ON posts (user_id);

INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'On numbers'), (2, 3, 'On bugs');
