-- Your SQL goes here
CREATE TABLE posts (
  id INTEGER PRIMARY KEY NOT NULL,
  title VARCHAR NOT NULL,
  body TEXT NOT NULL,
  published BOOLEAN NOT NULL DEFAULT 0
);

INSERT INTO posts (id, title, body, published) VALUES
  (1, 'Getting started with Diesel', 'Diesel is a safe, extensible ORM.', 1),
  (2, 'Migrations', 'Each migration is a folder with up.sql and down.sql.', 0);
