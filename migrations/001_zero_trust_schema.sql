-- Zero-trust sample schema: every principal, device and session is keyed by a
-- random UUID (lowercase, 8-4-4-4-12 hex) supplied by the application, and every
-- security-relevant action lands in audit_log.
-- NOTE: timestamps are ISO-8601 UTC text ('YYYY-MM-DDTHH:MM:SS.SSSZ') so that plain
-- string comparison orders them correctly; the application must write the same shape.
-- NOTE: TEXT PRIMARY KEY columns are declared NOT NULL explicitly, because SQLite
-- otherwise lets a rowid table store NULL in a non-INTEGER primary key (and a NULL
-- would slip through the CHECK, which only rejects a false result).

-- migrate:up
CREATE TABLE users (
  id           TEXT NOT NULL PRIMARY KEY
               CHECK (length(id) = 36 AND id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  email        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE devices (
  id               TEXT NOT NULL PRIMARY KEY
                   CHECK (length(id) = 36 AND id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  trust_level      TEXT NOT NULL DEFAULT 'untrusted'
                   CHECK (trust_level IN ('untrusted', 'limited', 'trusted', 'revoked')),
  last_attested_at TEXT,
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX devices_user_id_idx ON devices(user_id);

CREATE TABLE sessions (
  id         TEXT NOT NULL PRIMARY KEY
             CHECK (length(id) = 36 AND id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id  TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT NOT NULL,
  revoked_at TEXT  -- NULL while the session is live
);

CREATE INDEX sessions_user_id_idx ON sessions(user_id);
CREATE INDEX sessions_device_id_idx ON sessions(device_id);

CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  actor_id TEXT REFERENCES users(id) ON DELETE SET NULL,  -- NULL: system or deleted user
  action   TEXT NOT NULL,
  subject  TEXT,
  at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  detail   TEXT  -- JSON document stored as text
           CHECK (detail IS NULL OR json_valid(detail))
);

CREATE INDEX audit_log_actor_id_idx ON audit_log(actor_id);

-- migrate:down
-- Children before parents, so no foreign key ever points at a dropped table.
DROP INDEX audit_log_actor_id_idx;
DROP TABLE audit_log;

DROP INDEX sessions_device_id_idx;
DROP INDEX sessions_user_id_idx;
DROP TABLE sessions;

DROP INDEX devices_user_id_idx;
DROP TABLE devices;

DROP TABLE users;
