DROP VIEW IF EXISTS user_names;

CREATE VIEW user_names AS
    SELECT id, name, role FROM users ORDER BY name;
