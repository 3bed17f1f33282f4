DROP INDEX citizens_unit_name_trgm_idx;
DROP INDEX citizens_unit_idx;
ALTER TABLE citizens DROP COLUMN search_name;
CREATE INDEX citizens_unit_idx ON citizens (unit_id, last_name, first_name, id);
CREATE INDEX citizens_unit_name_trgm_idx ON citizens
    USING gin (unit_id, (lower(first_name || ' ' || last_name)) gin_trgm_ops);
ANALYZE citizens;
