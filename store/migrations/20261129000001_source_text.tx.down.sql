ALTER TABLE locations DROP COLUMN IF EXISTS description_source;
ALTER TABLE organisations DROP COLUMN IF EXISTS description_source;
ALTER TABLE services
    DROP COLUMN IF EXISTS eligibility_description_source,
    DROP COLUMN IF EXISTS description_source;
