DROP TABLE IF EXISTS handovers;
DELETE FROM ref_values WHERE kind = 'note_kind' AND code = 'overdragelse'
    AND NOT EXISTS (SELECT 1 FROM journal_notes WHERE kind = 'overdragelse');
