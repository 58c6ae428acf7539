ALTER TABLE users ADD COLUMN email TEXT;

UPDATE users SET email = lower(substr(name, 1, instr(name, ' ') - 1)) || '@example.com';
