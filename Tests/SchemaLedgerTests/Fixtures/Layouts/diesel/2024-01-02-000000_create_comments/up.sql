-- Your SQL goes here
CREATE TABLE comments (
  id INTEGER PRIMARY KEY NOT NULL,
  post_id INTEGER NOT NULL REFERENCES posts (id),
  body TEXT NOT NULL
);

CREATE INDEX comments_post_id ON comments (post_id);

CREATE VIEW published_posts AS
  SELECT id, title FROM posts WHERE published = 1;

INSERT INTO comments (id, post_id, body) VALUES
  (1, 1, 'Thanks, this helped.'),
  (2, 1, 'What about SQLite?');
