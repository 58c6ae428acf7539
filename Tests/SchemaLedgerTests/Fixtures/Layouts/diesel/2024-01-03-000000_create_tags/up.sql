-- Your SQL goes here
CREATE TABLE tags (
  id INTEGER PRIMARY KEY NOT NULL,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE post_tags (
  post_id INTEGER NOT NULL REFERENCES posts (id),
  tag_id INTEGER NOT NULL REFERENCES tags (id),
  PRIMARY KEY (post_id, tag_id)
);

CREATE TRIGGER tags_lowercase AFTER INSERT ON tags
BEGIN
  UPDATE tags SET name = lower(NEW.name) WHERE id = NEW.id;
END;

INSERT INTO tags (id, name) VALUES (1, 'Rust'), (2, 'SQLite');
INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (2, 1);
