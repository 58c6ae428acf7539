CREATE TABLE IF NOT EXISTS orders (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0)
);

CREATE INDEX IF NOT EXISTS orders_user_id_idx ON orders (user_id);

CREATE VIEW IF NOT EXISTS user_order_totals AS
  SELECT users.id AS user_id, users.name, sum(orders.total_cents) AS total_cents
  FROM users
  LEFT JOIN orders ON orders.user_id = users.id
  GROUP BY users.id;

INSERT INTO orders (id, user_id, total_cents) VALUES
  (1, 1, 1250),
  (2, 1, 399),
  (3, 2, 4200);
