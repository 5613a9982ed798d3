ALTER TABLE accounts
    DROP CONSTRAINT IF EXISTS accounts_totp_has_secret,
    DROP COLUMN IF EXISTS totp_last_step,
    DROP COLUMN IF EXISTS totp_enabled_at,
    DROP COLUMN IF EXISTS totp_secret;
DROP TABLE IF EXISTS login_throttle;
