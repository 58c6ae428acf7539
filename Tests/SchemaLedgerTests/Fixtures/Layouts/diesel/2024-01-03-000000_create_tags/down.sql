-- This file should undo anything in `up.sql`
DROP TABLE post_tags;
DROP TABLE tags;
