-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX users_email_idx ON users (email);

-- +goose Down
DROP INDEX users_email_idx;
