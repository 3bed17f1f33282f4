-- Search by name within a unit (store.SearchCitizens): one GIN index over the unit and the
-- name's trigrams, so a search of one unit reads only that unit's matches instead of
-- intersecting every unit's trigram matches with a bitmap of the unit's 25 000 rows.
-- btree_gin gives GIN the bigint operator class; it is a trusted extension (no superuser).
-- The composite index also serves a name condition without a unit, so the old name-only
-- trigram index goes.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX citizens_unit_name_trgm_idx ON citizens
    USING gin (unit_id, (lower(first_name || ' ' || last_name)) gin_trgm_ops);

DROP INDEX citizens_name_trgm_idx;

-- The planner's estimate of how many citizens a name matches comes from the statistics of
-- the index's expression, which only ANALYZE gathers; without them a rare name is planned
-- as a common one.
ANALYZE citizens;
