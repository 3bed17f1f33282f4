DROP TABLE IF EXISTS samtale_participants;
DROP TABLE IF EXISTS samtaler;
DELETE FROM ref_values WHERE kind = 'samtale_form';
DELETE FROM ref_kinds WHERE kind = 'samtale_form';
