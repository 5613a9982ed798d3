DROP INDEX IF EXISTS locations_postcode;
DROP TABLE IF EXISTS postcode_districts;
DROP TABLE IF EXISTS postcodes;
DROP INDEX IF EXISTS organisations_source_all;
DROP INDEX IF EXISTS services_source_all;
ALTER TABLE taxonomy_terms DROP COLUMN IF EXISTS source_id;
ALTER TABLE locations DROP COLUMN IF EXISTS source_hash;
ALTER TABLE services DROP COLUMN IF EXISTS source_hash;
ALTER TABLE organisations DROP COLUMN IF EXISTS source_hash;
