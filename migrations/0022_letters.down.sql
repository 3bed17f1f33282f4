DROP TABLE IF EXISTS letters;
DELETE FROM ref_values WHERE kind = 'letter_kind';
DELETE FROM ref_kinds WHERE kind = 'letter_kind';
