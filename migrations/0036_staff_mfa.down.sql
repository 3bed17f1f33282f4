ALTER TABLE users DROP CONSTRAINT IF EXISTS users_totp_pair,
    DROP COLUMN IF EXISTS totp_secret, DROP COLUMN IF EXISTS totp_enabled_at, DROP COLUMN IF EXISTS totp_last_step;
DROP TABLE IF EXISTS saml_assertions;
