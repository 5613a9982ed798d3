ALTER TABLE clients
    DROP COLUMN IF EXISTS circumstances,
    DROP COLUMN IF EXISTS gender;
ALTER TABLE services
    DROP CONSTRAINT IF EXISTS services_audience_object,
    DROP COLUMN IF EXISTS audience;
