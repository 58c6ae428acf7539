-- Account status for users, plus last_seen_at backfilled from existing sessions.

-- migrate:up
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'suspended', 'deleted'));

ALTER TABLE users ADD COLUMN last_seen_at TEXT;

-- Backfill: a user was last seen when their newest session was created
-- (users without sessions stay NULL).
UPDATE users
   SET last_seen_at = (SELECT max(s.created_at) FROM sessions AS s WHERE s.user_id = users.id);

-- migrate:down
-- NOTE: ALTER TABLE ... DROP COLUMN (SQLite 3.35+) accepts a column whose CHECK
-- constraint is its own column constraint (checked against sqlite3 3.40.1), so no
-- table rebuild is needed here. DROP COLUMN rewrites users in place and deletes no rows,
-- so it does not cascade into devices/sessions whether or not foreign keys are enforced.
-- NOTE: DROP COLUMN refuses a column that an index, view, trigger or table CHECK uses;
-- keep later migrations from indexing status/last_seen_at, or drop such objects first.
ALTER TABLE users DROP COLUMN last_seen_at;
ALTER TABLE users DROP COLUMN status;
