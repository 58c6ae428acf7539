-- Live sessions with their user and device: not revoked and not yet expired.
-- NOTE: expires_at is compared as text against the current time in the same
-- ISO-8601 UTC shape used by the column defaults in 001.
-- NOTE: user status and device trust are exposed rather than filtered, so callers
-- decide how a suspended user or an untrusted device is treated.
-- NOTE: the view reads users.status (added in 002), so 002's down cannot run while
-- this view exists; rolling back in reverse order drops the view first.

-- migrate:up
CREATE VIEW active_sessions AS
SELECT s.id               AS session_id,
       s.user_id          AS user_id,
       u.email            AS email,
       u.display_name     AS display_name,
       u.status           AS user_status,
       s.device_id        AS device_id,
       d.name             AS device_name,
       d.trust_level      AS device_trust_level,
       d.last_attested_at AS device_last_attested_at,
       s.created_at       AS created_at,
       s.expires_at       AS expires_at
  FROM sessions AS s
  JOIN users    AS u ON u.id = s.user_id
  JOIN devices  AS d ON d.id = s.device_id
 WHERE s.revoked_at IS NULL
   AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now');

-- migrate:down
DROP VIEW active_sessions;
