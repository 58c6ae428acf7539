-- migrate:up
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT ''
);

CREATE INDEX posts_user_id_idx ON posts (user_id);

CREATE VIEW post_authors AS
  SELECT posts.id AS post_id, posts.title, users.name AS author
  FROM posts
  JOIN users ON users.id = posts.user_id;

INSERT INTO posts (id, user_id, title) VALUES
  (1, 1, 'Notes on the Analytical Engine'),
  (2, 2, 'Compiling for the A-0 System');

-- migrate:down
DROP VIEW post_authors;
DROP TABLE posts;
