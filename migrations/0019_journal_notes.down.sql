-- Reverses 0019: the notes go with their table, then the vocabulary.
DROP TABLE IF EXISTS journal_notes;
DELETE FROM ref_values WHERE kind = 'note_kind';
DELETE FROM ref_kinds WHERE kind = 'note_kind';
