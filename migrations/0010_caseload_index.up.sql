-- "Mine borgere" filters on the caseworker and the unit together; with the unit in the index
-- the count is an index-only scan of the caseworker's few hundred entries instead of an AND
-- of two bitmaps, one of them the whole unit's 25 000 citizens (docs/queries.md).
DROP INDEX IF EXISTS citizens_caseworker_idx;
CREATE INDEX citizens_caseworker_idx ON citizens (caseworker_id, unit_id, last_name, first_name, id);
