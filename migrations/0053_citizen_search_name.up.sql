-- Search by name (store.SearchCitizens) compares a lower-case "first last" with the words
-- typed. For a common name PostgreSQL walks the unit's citizens in name order
-- (citizens_unit_idx) until it has SearchCap+1 matches: for "Nielsen" 17 000 entries, each
-- with lower(first_name || ' ' || last_name) computed again, and a table read for every
-- entry on a page changed since the last vacuum. The lower-case name is now a stored,
-- generated column, carried in citizens_unit_idx, so the walk compares what the index holds
-- (docs/benchmarks.md, "The search plan"). It derives from the name alone and is classified
-- as identity data like the name (internal/access/classify.go).
ALTER TABLE citizens ADD COLUMN search_name text NOT NULL
    GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED;

DROP INDEX citizens_unit_idx;
CREATE INDEX citizens_unit_idx ON citizens (unit_id, last_name, first_name, id) INCLUDE (search_name);

-- The trigram index (migration 0042) over the same value, now the column.
DROP INDEX citizens_unit_name_trgm_idx;
CREATE INDEX citizens_unit_name_trgm_idx ON citizens USING gin (unit_id, search_name gin_trgm_ops);

ANALYZE citizens;
