-- no-transaction
CREATE TABLE post_stats (
    post_id INTEGER PRIMARY KEY NOT NULL REFERENCES posts (id),
    views INTEGER NOT NULL DEFAULT 0
);

INSERT INTO post_stats (post_id, views) SELECT id, 10 * id FROM posts;

-- VACUUM cannot run inside a transaction, hence the directive on the first line.
VACUUM;
