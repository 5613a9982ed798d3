-- The publisher's own text of an imported description, kept beside the
-- cleaned plain text when cleaning removed markup (HTML from ORUK feeds),
-- so that an export gives it back unchanged. Empty when the description
-- was plain text or has been edited in Signpost since: an edit is the new
-- truth. Signpost indexes, shows and matches the cleaned column only.
ALTER TABLE services
    ADD COLUMN description_source text NOT NULL DEFAULT '',
    ADD COLUMN eligibility_description_source text NOT NULL DEFAULT '';
ALTER TABLE organisations
    ADD COLUMN description_source text NOT NULL DEFAULT '';
ALTER TABLE locations
    ADD COLUMN description_source text NOT NULL DEFAULT '';
