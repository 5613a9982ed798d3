-- Open Referral import and export: a hash of each imported record so that a
-- re-import can tell unchanged records from changed ones, and postcodes for
-- proximity searches.

ALTER TABLE organisations ADD COLUMN source_hash text NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN source_hash text NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN source_hash text NOT NULL DEFAULT '';
ALTER TABLE taxonomy_terms ADD COLUMN source_id text NOT NULL DEFAULT '';
CREATE INDEX services_source_all ON services (source);
CREATE INDEX organisations_source_all ON organisations (source);

-- Postcodes are stored without their space, upper case (NE461BG).
CREATE TABLE postcodes (
    postcode  text PRIMARY KEY,
    latitude  double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180)
);

-- Outward codes (districts, e.g. NE46) with the centre of their postcodes:
-- the fallback when a full postcode is unknown.
CREATE TABLE postcode_districts (
    outcode   text PRIMARY KEY,
    latitude  double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180)
);

CREATE INDEX locations_postcode ON locations (replace(upper(postcode), ' ', ''));
