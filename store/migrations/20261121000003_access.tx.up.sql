-- Who may do what: accounts and roles, teams, browser sessions, partner API
-- tokens, and an append-only audit trail.

CREATE TABLE teams (
    id         uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    name            text NOT NULL DEFAULT '',
    role            text NOT NULL CHECK (role IN ('ADMIN', 'LINK_WORKER', 'PARTNER')),
    organisation_id uuid REFERENCES organisations (id),
    password_hash   text NOT NULL,
    demo            boolean NOT NULL DEFAULT false,
    disabled_at     timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((role = 'PARTNER') = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email));

CREATE TABLE team_members (
    team_id    uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, account_id)
);
CREATE INDEX team_members_account ON team_members (account_id);

-- Sessions are found by a hash of the cookie's secret; the secret itself is
-- never stored.
CREATE TABLE sessions (
    token_hash   text PRIMARY KEY,
    account_id   uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    address      text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (btrim(name) <> ''),
    token_hash      text NOT NULL UNIQUE,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    scope           text NOT NULL DEFAULT 'directory:write',
    created_by      uuid REFERENCES accounts (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
CREATE INDEX api_tokens_organisation ON api_tokens (organisation_id);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_kind  text NOT NULL CHECK (actor_kind IN ('anonymous', 'account', 'token')),
    actor_id    uuid,
    actor       text NOT NULL DEFAULT '',
    action      text NOT NULL,
    object_type text NOT NULL DEFAULT '',
    object_id   text NOT NULL DEFAULT '',
    outcome     text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
    reason      text NOT NULL DEFAULT '',
    address     text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);

-- The audit trail is append-only.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
