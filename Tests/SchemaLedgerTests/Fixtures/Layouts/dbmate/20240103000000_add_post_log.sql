-- migrate:up transaction:false
CREATE TABLE post_log (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL,
  title TEXT NOT NULL
);

CREATE TRIGGER posts_log_insert AFTER INSERT ON posts
BEGIN
  INSERT INTO post_log (post_id, title) VALUES (NEW.id, NEW.title);
END;

INSERT INTO posts (id, user_id, title) VALUES (3, 1, 'Sketch of the Analytical Engine');

-- migrate:down
DROP TRIGGER posts_log_insert;
DELETE FROM posts WHERE id = 3;
DROP TABLE post_log;
