-- Add migration script here
CREATE TABLE users (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);

INSERT INTO users (id, name, email) VALUES
    (1, 'Ada', 'ada@example.com'),
    (2, 'Grace', 'grace@example.com');
