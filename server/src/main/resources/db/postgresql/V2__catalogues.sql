-- fleetlog PostgreSQL schema, version 2 (issue 13): signal catalogues. See docs/server.md.

-- Each catalogue a vehicle used, once, by its SHA-256 (Catalogue.hash()): the canonical text, so the
-- server reads a vehicle's frames after a restart without the user's catalogue file.
CREATE TABLE catalogues (
    hash text PRIMARY KEY,   -- 64 lower-case hex digits
    text text NOT NULL       -- Catalogue.toText()
);

-- The vehicle's current catalogue; NULL = the built-in one.
ALTER TABLE vehicles ADD COLUMN catalogue_hash text REFERENCES catalogues (hash);
