CREATE INDEX citizens_name_trgm_idx ON citizens
    USING gin ((lower(first_name || ' ' || last_name)) gin_trgm_ops);

DROP INDEX citizens_unit_name_trgm_idx;

DROP EXTENSION IF EXISTS btree_gin;
