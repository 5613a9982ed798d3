-- The directory: organisations, services, locations, schedules and taxonomies,
-- shaped after Open Referral HSDS 3 (UK profile) so import and export are lossless.

CREATE TABLE organisations (
    id              uuid PRIMARY KEY,
    name            text NOT NULL CHECK (btrim(name) <> ''),
    description     text NOT NULL DEFAULT '',
    website         text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    charity_number  text NOT NULL DEFAULT '',
    company_number  text NOT NULL DEFAULT '',
    source          text NOT NULL DEFAULT '',
    source_id       text NOT NULL DEFAULT '',
    archived_at     timestamptz,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organisations_sort ON organisations (lower(name), id);
CREATE UNIQUE INDEX organisations_source ON organisations (source, source_id) WHERE source_id <> '';

CREATE TABLE services (
    id                      uuid PRIMARY KEY,
    organisation_id         uuid NOT NULL REFERENCES organisations (id),
    name                    text NOT NULL CHECK (btrim(name) <> ''),
    description             text NOT NULL DEFAULT '',
    url                     text NOT NULL DEFAULT '',
    email                   text NOT NULL DEFAULT '',
    status                  text NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    minimum_age             integer CHECK (minimum_age >= 0),
    maximum_age             integer CHECK (maximum_age >= 0),
    eligibility_description text NOT NULL DEFAULT '',
    free                    boolean NOT NULL DEFAULT false,
    cost_description        text NOT NULL DEFAULT '',
    delivery_modes          text[] NOT NULL DEFAULT '{}',
    access_routes           text[] NOT NULL DEFAULT '{}',
    accepting_referrals     boolean NOT NULL DEFAULT true,
    spaces                  integer CHECK (spaces >= 0),
    accessibility           text[] NOT NULL DEFAULT '{}',
    languages               text[] NOT NULL DEFAULT '{}',
    assured_date            date,
    assurer                 text NOT NULL DEFAULT '',
    source                  text NOT NULL DEFAULT '',
    source_id               text NOT NULL DEFAULT '',
    archived_at             timestamptz,
    version                 integer NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    search                  tsvector GENERATED ALWAYS AS (
                                setweight(to_tsvector('english', name), 'A') ||
                                setweight(to_tsvector('english', description), 'B')) STORED,
    CHECK (minimum_age IS NULL OR maximum_age IS NULL OR minimum_age <= maximum_age)
);
CREATE INDEX services_sort ON services (lower(name), id);
CREATE INDEX services_organisation ON services (organisation_id);
CREATE INDEX services_search ON services USING gin (search);
CREATE INDEX services_delivery_modes ON services USING gin (delivery_modes);
CREATE UNIQUE INDEX services_source ON services (source, source_id) WHERE source_id <> '';

CREATE TABLE locations (
    id              uuid PRIMARY KEY,
    organisation_id uuid REFERENCES organisations (id),
    name            text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    address_1       text NOT NULL DEFAULT '',
    address_2       text NOT NULL DEFAULT '',
    city            text NOT NULL DEFAULT '',
    region          text NOT NULL DEFAULT '',
    postcode        text NOT NULL DEFAULT '',
    country         text NOT NULL DEFAULT 'GB',
    latitude        double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision CHECK (longitude BETWEEN -180 AND 180),
    accessibility   text[] NOT NULL DEFAULT '{}',
    source          text NOT NULL DEFAULT '',
    source_id       text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX locations_organisation ON locations (organisation_id);
CREATE UNIQUE INDEX locations_source ON locations (source, source_id) WHERE source_id <> '';

CREATE TABLE service_at_locations (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    location_id uuid NOT NULL REFERENCES locations (id),
    description text NOT NULL DEFAULT '',
    position    integer NOT NULL DEFAULT 0,
    source_id   text NOT NULL DEFAULT '',
    UNIQUE (service_id, location_id)
);
CREATE INDEX service_at_locations_location ON service_at_locations (location_id);

-- A schedule is a recurring session in HSDS's RRULE-like shape. location_id is
-- set when the session happens at one of the service's locations.
CREATE TABLE schedules (
    id          uuid PRIMARY KEY,
    service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    location_id uuid REFERENCES locations (id),
    freq        text NOT NULL DEFAULT 'WEEKLY' CHECK (freq IN ('WEEKLY', 'MONTHLY')),
    interval    integer NOT NULL DEFAULT 1 CHECK (interval >= 1),
    byday       text[] NOT NULL DEFAULT '{}',
    opens_at    time,
    closes_at   time,
    valid_from  date,
    valid_to    date,
    description text NOT NULL DEFAULT '',
    position    integer NOT NULL DEFAULT 0,
    CHECK (opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at),
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);
CREATE INDEX schedules_service ON schedules (service_id);

CREATE TABLE cost_options (
    id                 uuid PRIMARY KEY,
    service_id         uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    option             text NOT NULL DEFAULT '',
    amount             numeric(12, 2) CHECK (amount >= 0),
    currency           text NOT NULL DEFAULT 'GBP',
    amount_description text NOT NULL DEFAULT '',
    position           integer NOT NULL DEFAULT 0
);
CREATE INDEX cost_options_service ON cost_options (service_id);

CREATE TABLE contacts (
    id              uuid PRIMARY KEY,
    service_id      uuid REFERENCES services (id) ON DELETE CASCADE,
    organisation_id uuid REFERENCES organisations (id) ON DELETE CASCADE,
    name            text NOT NULL DEFAULT '',
    title           text NOT NULL DEFAULT '',
    email           text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    position        integer NOT NULL DEFAULT 0,
    CHECK (service_id IS NOT NULL OR organisation_id IS NOT NULL)
);
CREATE INDEX contacts_service ON contacts (service_id);

CREATE TABLE taxonomies (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    uri         text NOT NULL DEFAULT '',
    version     text NOT NULL DEFAULT '',
    built_in    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE taxonomy_terms (
    id          uuid PRIMARY KEY,
    taxonomy_id uuid NOT NULL REFERENCES taxonomies (id) ON DELETE CASCADE,
    code        text NOT NULL,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    parent_id   uuid REFERENCES taxonomy_terms (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (taxonomy_id, code)
);
CREATE INDEX taxonomy_terms_sort ON taxonomy_terms (taxonomy_id, lower(name), id);

CREATE TABLE service_terms (
    service_id uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    term_id    uuid NOT NULL REFERENCES taxonomy_terms (id),
    PRIMARY KEY (service_id, term_id)
);
CREATE INDEX service_terms_term ON service_terms (term_id);

-- Every directory write adds a row here in the same transaction; the matcher
-- applies them to its index (LISTEN/NOTIFY wakes it).
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    entity      text NOT NULL,
    entity_id   uuid NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The built-in needs vocabulary. Codes are stable identifiers.
INSERT INTO taxonomies (id, name, description, built_in) VALUES
    ('5e1c7a7e-0000-4000-8000-000000000001', 'signpost-needs',
     'Signpost''s built-in vocabulary of needs that social prescribing addresses.', true);

INSERT INTO taxonomy_terms (id, taxonomy_id, code, name, description)
SELECT md5('signpost-needs/' || code)::uuid, '5e1c7a7e-0000-4000-8000-000000000001', code, name, description
FROM (VALUES
    ('loneliness', 'Loneliness and isolation', 'Feeling alone or cut off; wanting company, friendship or a social group.'),
    ('mental-wellbeing', 'Mental wellbeing', 'Low mood, anxiety, stress or wanting to feel better in oneself.'),
    ('physical-activity', 'Physical activity', 'Becoming more active: walking, exercise, sport or movement.'),
    ('money-and-benefits', 'Money and benefits', 'Income, benefit entitlement and claims, budgeting.'),
    ('debt', 'Debt', 'Arrears, creditors, bailiffs and debt solutions.'),
    ('housing', 'Housing', 'Homelessness, tenancy problems, repairs, adaptations or moving home.'),
    ('employment', 'Employment', 'Finding, keeping or returning to work.'),
    ('carers', 'Carers', 'Support for unpaid carers of family or friends.'),
    ('bereavement', 'Bereavement', 'Grief and loss after a death.'),
    ('alcohol-and-drugs', 'Alcohol and drugs', 'Drinking, drug use or gambling and recovery from them.'),
    ('food', 'Food', 'Food banks, affordable food, community meals and cooking.'),
    ('family-and-relationships', 'Family and relationships', 'Parenting, family life and relationships.'),
    ('long-term-conditions', 'Long-term conditions', 'Living well with a long-term illness, disability or pain.'),
    ('arts-and-creativity', 'Arts and creativity', 'Music, singing, art, crafts, writing and drama.'),
    ('nature-and-outdoors', 'Nature and outdoors', 'Gardening, green spaces, conservation and outdoor activity.'),
    ('learning-and-skills', 'Learning and skills', 'Courses, literacy, numeracy, English language and new skills.'),
    ('digital-inclusion', 'Digital inclusion', 'Getting online, devices, data and digital skills.'),
    ('domestic-abuse', 'Domestic abuse', 'Safety and support for people experiencing domestic abuse.'),
    ('legal-advice', 'Legal advice', 'Advice on legal problems, rights and immigration.'),
    ('volunteering', 'Volunteering', 'Giving time to help others and the community.')
) AS needs (code, name, description);
