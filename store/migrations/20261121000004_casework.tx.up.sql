-- Casework: clients, their needs and goals, sessions with the link worker,
-- referrals (social prescriptions) with every transition, and wellbeing
-- outcome measures. Personal data is confined to clients (and referral
-- messages), so erasure can blank it and keep counts.

CREATE TABLE clients (
    id                uuid PRIMARY KEY,
    team_id           uuid NOT NULL REFERENCES teams (id),
    link_worker_id    uuid REFERENCES accounts (id),
    first_name        text NOT NULL DEFAULT '',
    last_name         text NOT NULL DEFAULT '',
    date_of_birth     date,
    postcode          text NOT NULL DEFAULT '',
    latitude          double precision,
    longitude         double precision,
    nhs_number        text NOT NULL DEFAULT '',
    email             text NOT NULL DEFAULT '',
    phone             text NOT NULL DEFAULT '',
    preferred_contact text NOT NULL DEFAULT 'PHONE' CHECK (preferred_contact IN ('PHONE', 'EMAIL', 'TEXT', 'POST')),
    referral_source   text NOT NULL CHECK (referral_source IN ('GP_PRACTICE', 'SELF', 'OTHER')),
    referral_detail   text NOT NULL DEFAULT '',
    consent_hold      boolean NOT NULL,
    consent_share     boolean NOT NULL DEFAULT false,
    status            text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ON_HOLD', 'CLOSED')),
    closed_reason     text NOT NULL DEFAULT '',
    availability      jsonb NOT NULL DEFAULT '[]',
    max_distance_km   double precision,
    remote_ok         boolean NOT NULL DEFAULT true,
    free_only         boolean NOT NULL DEFAULT false,
    languages         text[] NOT NULL DEFAULT '{}',
    accessibility     text[] NOT NULL DEFAULT '{}',
    interests         text[] NOT NULL DEFAULT '{}',
    -- An episode runs from opening to closing; reopening starts the next,
    -- with a fresh allowance of sessions.
    episode           integer NOT NULL DEFAULT 1,
    session_limit_reason text NOT NULL DEFAULT '',
    erased_at         timestamptz,
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clients_team ON clients (team_id, created_at);

CREATE TABLE client_needs (
    client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    need      text NOT NULL,
    priority  integer NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
    PRIMARY KEY (client_id, need)
);

CREATE TABLE goals (
    id         uuid PRIMARY KEY,
    client_id  uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    text       text NOT NULL,
    needs      text[] NOT NULL DEFAULT '{}',
    status     text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ACHIEVED', 'DROPPED')),
    progress   integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 10),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goals_client ON goals (client_id);

CREATE TABLE client_sessions (
    id               uuid PRIMARY KEY,
    client_id        uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    episode          integer NOT NULL DEFAULT 1,
    number           integer NOT NULL,
    date             date NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('FACE_TO_FACE', 'TELEPHONE', 'VIDEO', 'HOME_VISIT')),
    duration_minutes integer CHECK (duration_minutes BETWEEN 1 AND 600),
    notes            text NOT NULL DEFAULT '',
    attended         boolean,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (client_id, episode, number)
);

CREATE TABLE referrals (
    id              uuid PRIMARY KEY,
    client_id       uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    service_id      uuid NOT NULL REFERENCES services (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    message         text NOT NULL DEFAULT '',
    share_details   boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'DECLINED',
                        'ATTENDED', 'DID_NOT_ATTEND', 'COMPLETED', 'WITHDRAWN')),
    created_by      uuid REFERENCES accounts (id),
    sent_at         timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referrals_client ON referrals (client_id);
CREATE INDEX referrals_service ON referrals (service_id);
CREATE INDEX referrals_organisation ON referrals (organisation_id, status);
-- One open referral per client and service, even when two are made at once.
CREATE UNIQUE INDEX referrals_one_open ON referrals (client_id, service_id)
    WHERE status IN ('DRAFT', 'SENT', 'ACCEPTED', 'ATTENDED');

CREATE TABLE referral_events (
    id          bigserial PRIMARY KEY,
    referral_id uuid NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    actor_id    uuid,
    actor       text NOT NULL DEFAULT '',
    reason      text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);

CREATE TABLE outcome_measures (
    id         uuid PRIMARY KEY,
    client_id  uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    instrument text NOT NULL CHECK (instrument IN ('ONS4', 'SWEMWBS')),
    kind       text NOT NULL CHECK (kind IN ('BASELINE', 'REVIEW', 'FINAL')),
    date       date NOT NULL,
    scores     integer[] NOT NULL,
    total      integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcome_measures_client ON outcome_measures (client_id, instrument, date);
