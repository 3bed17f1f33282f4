DROP INDEX IF EXISTS citizens_unit_risk_idx;
ALTER TABLE citizens DROP COLUMN IF EXISTS risk_group;
DROP TABLE IF EXISTS screenings;
DROP TABLE IF EXISTS rule_sets;
DROP TABLE IF EXISTS consents;
DELETE FROM ref_values WHERE kind = 'consent_information';
DELETE FROM ref_kinds WHERE kind = 'consent_information';
