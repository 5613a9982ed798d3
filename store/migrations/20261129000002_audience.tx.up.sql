-- Audiences: whom a service is for, as its organisation confirms or
-- corrects it (NULL while only the derived audience applies), and a
-- client's gender and circumstances for matching.

-- audience is {"minimumAge": int|null, "maximumAge": int|null,
-- "gender": "women"|"men"|"", "groups": [circumstance codes]}; the
-- directory package validates it against the circumstance vocabulary, which
-- lives in code, so the database checks only its shape.
ALTER TABLE services
    ADD COLUMN audience jsonb,
    ADD CONSTRAINT services_audience_object CHECK (audience IS NULL OR jsonb_typeof(audience) = 'object');

ALTER TABLE clients
    ADD COLUMN gender        text NOT NULL DEFAULT '' CHECK (gender IN ('', 'WOMAN', 'MAN', 'NON_BINARY')),
    ADD COLUMN circumstances text[] NOT NULL DEFAULT '{}';
