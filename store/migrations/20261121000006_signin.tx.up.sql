-- Sign-in hardening: throttling state shared by every replica, and TOTP
-- two-factor sign-in.

-- Failed sign-in attempts per key: an e-mail address, a network address,
-- or the pair. Keys are SHA-256 hashes, so the table holds no e-mail
-- addresses. An attempt is counted before the password is checked (and
-- released when it succeeds), in one INSERT ... ON CONFLICT statement per
-- key, so concurrent requests on any replica cannot both pass.
CREATE TABLE login_throttle (
    kind     text NOT NULL CHECK (kind IN ('email', 'address', 'pair')),
    key      text NOT NULL,
    failures integer NOT NULL CHECK (failures >= 0),
    last_at  timestamptz NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX login_throttle_last_at ON login_throttle (last_at);

-- TOTP (RFC 6238): the shared secret, set on enrolment and in force once a
-- code confirms it (totp_enabled_at); totp_last_step is the last time step
-- whose code was accepted, so that a code cannot be used twice.
ALTER TABLE accounts
    ADD COLUMN totp_secret     bytea,
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step  bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT accounts_totp_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);
