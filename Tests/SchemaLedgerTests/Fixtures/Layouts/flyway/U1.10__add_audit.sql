DROP TRIGGER users_audit_email;

DROP TABLE audit_log;
