ALTER TABLE users ADD COLUMN email TEXT;

UPDATE users SET email = lower(name) || '@example.com';

CREATE UNIQUE INDEX IF NOT EXISTS users_email_idx ON users (email);
