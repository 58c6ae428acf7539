-- Version 1.10 comes after 1.2: versions compare part by part, as numbers.
-- The baseline rows below read users through the index 1.2 created, so this
-- migration fails if it runs before 1.2 (or before 1.1 added the column).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    email TEXT NOT NULL,
    action TEXT NOT NULL
);

CREATE TRIGGER users_audit_email AFTER UPDATE OF email ON users
BEGIN
    INSERT INTO audit_log (user_id, email, action) VALUES (NEW.id, NEW.email, 'email changed');
END;

INSERT INTO audit_log (user_id, email, action)
    SELECT id, email, 'baseline' FROM users INDEXED BY users_email_idx
    WHERE email > '' ORDER BY email;
