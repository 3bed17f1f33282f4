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

-- The trigram index (migration 0042) over the same value, now the column. Without the
-- pending list (fastupdate): an update of a citizen is not HOT (the risk group and the next
-- follow-up are indexed), so every screening queued the name's trigrams again, and every
-- search read the whole queue until a vacuum or the 4 MB limit emptied it — 283 queued pages
-- made a search 2 ms slower. Inserted directly, each update pays a little and no search
-- or screening pays for a thousand.
DROP INDEX citizens_unit_name_trgm_idx;
CREATE INDEX citizens_unit_name_trgm_idx ON citizens USING gin (unit_id, search_name gin_trgm_ops)
    WITH (fastupdate = off);

ANALYZE citizens;
