DROP TABLE IF EXISTS contact_exemptions;
DROP FUNCTION IF EXISTS contact_due(date, date, int, int, date);
DROP TABLE IF EXISTS contact_cadences;
DELETE FROM ref_values WHERE kind = 'contact_exemption';
DELETE FROM ref_kinds WHERE kind = 'contact_exemption';
