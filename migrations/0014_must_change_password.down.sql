ALTER TABLE users DROP COLUMN IF EXISTS must_change_password;
