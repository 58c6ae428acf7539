-- Partial index for looking up a user's live sessions by expiry; revoked sessions
-- (the majority over time) are left out of it.

-- migrate:up
CREATE INDEX sessions_active_user_expires_idx
  ON sessions(user_id, expires_at)
  WHERE revoked_at IS NULL;

-- migrate:down
DROP INDEX sessions_active_user_expires_idx;
