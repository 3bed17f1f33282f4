DROP INDEX IF EXISTS citizens_caseworker_idx;
CREATE INDEX citizens_caseworker_idx ON citizens (caseworker_id, last_name, first_name, id);
