DROP VIEW IF EXISTS user_order_totals;

DROP TABLE IF EXISTS orders;
