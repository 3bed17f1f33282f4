DROP TABLE IF EXISTS document_chunks;
DROP TABLE IF EXISTS documents;
DELETE FROM ref_values WHERE kind = 'document_type';
DELETE FROM ref_kinds WHERE kind = 'document_type';
