CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  title TEXT NOT NULL
);

CREATE TRIGGER posts_touch_user AFTER INSERT ON posts
BEGIN
  UPDATE users SET updated_at = updated_at + 1 WHERE id = NEW.user_id;
END;

INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'First'), (2, 1, 'Second'), (3, 2, 'Third');
