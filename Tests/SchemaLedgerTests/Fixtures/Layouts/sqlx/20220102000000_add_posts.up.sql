-- Add up migration script here
CREATE TABLE posts (
    id INTEGER PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    published INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX posts_user_id ON posts (user_id);

CREATE TRIGGER posts_title_not_blank BEFORE INSERT ON posts
WHEN trim(NEW.title) = ''
BEGIN
    SELECT RAISE(ABORT, 'title must not be blank');
END;

INSERT INTO posts (id, user_id, title, published) VALUES
    (1, 1, 'Hello, sqlx', 1),
    (2, 2, 'Draft', 0);
