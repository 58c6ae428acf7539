ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'guest';

UPDATE users SET role = '${default_role}';

INSERT INTO users (id, name, email, role)
    VALUES (3, 'Linus Torvalds', 'linus@example.com', '${default_role}');

UPDATE users SET email = 'grace.hopper@example.com' WHERE id = 2;
