-- Documents on a citizen's case: a lægeattest, the sundhedskoordinator's statement, a
-- provider's status report, a letter from or to the citizen. The metadata is one row in
-- documents; the file's bytes are rows of document_chunks (see docs/architecture.md, "Documents").

-- The document types are reference data: the municipality names its own, and the forms in
-- use change. ref_values has no column for a value's source, so each description begins
-- with it ("Kilde: …").
INSERT INTO ref_kinds (kind, label, description) VALUES
    ('document_type', 'Dokumenttyper', 'Hvilken slags dokument der er lagt på en borgers sag');

INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description) VALUES
    ('document_type', 'laegeattest', 'Lægeattest', 10, '1900-01-01',
        'Kilde: lægens attest til kommunen i en beskæftigelsessag, fx LÆ 265. Helbredsoplysninger.'),
    ('document_type', 'statusrapport', 'Statusrapport', 20, '1900-01-01',
        'Kilde: udbyderens status på en indsats, som borgeren er henvist til. Oftest helbredsoplysninger.'),
    ('document_type', 'udtalelse', 'Udtalelse', 30, '1900-01-01',
        'Kilde: fx regionens sundhedskoordinator til rehabiliteringsteamet. Oftest helbredsoplysninger.'),
    ('document_type', 'brev_fra_borger', 'Brev fra borger', 40, '1900-01-01',
        'Kilde: borgerens henvendelser på sagen. Sagsoplysninger, medmindre brevet handler om helbred eller sociale forhold.'),
    ('document_type', 'brev_til_borger', 'Brev til borger', 50, '1900-01-01',
        'Kilde: kommunens breve til borgeren, fx afgørelser og indkaldelser. Sagsoplysninger, medmindre brevet handler om helbred eller sociale forhold.'),
    ('document_type', 'andet', 'Andet', 90, '1900-01-01',
        'Kilde: Helhed, til det der ikke passer i de andre typer. Behandles som helbredsoplysninger, medmindre der vælges andet.');

-- class: who may see the document beyond the case-holding unit (access.DocumentRow): "sag"
-- whoever may see the citizen, "helbred" and "social" only under a current consent of that
-- kind. The classes are the program's own codes, fixed by a CHECK.
CREATE TABLE documents (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id         bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    title              text NOT NULL CHECK (title <> '' AND char_length(title) <= 200),
    document_type      text NOT NULL,
    document_type_kind text GENERATED ALWAYS AS ('document_type') STORED,
    class              text NOT NULL CHECK (class IN ('sag', 'helbred', 'social')),
    filename           text NOT NULL CHECK (filename <> '' AND char_length(filename) <= 255 AND filename !~ '[/\\[:cntrl:]]'),
    content_type       text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
    size               bigint NOT NULL CHECK (size > 0),
    sha256             bytea NOT NULL CHECK (octet_length(sha256) = 32),
    uploaded_by        bigint REFERENCES users (id), -- NULL: made by Helhed itself (a generated letter)
    uploaded_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT documents_document_type_fkey
        FOREIGN KEY (document_type_kind, document_type) REFERENCES ref_values (kind, code)
);

-- The list (newest first) and the retention's cascade from citizens; with the class in the
-- index the list's counts of shown and withheld documents read the index only
-- (docs/queries.md).
CREATE INDEX documents_citizen_idx ON documents (citizen_id, uploaded_at DESC, id DESC) INCLUDE (class);
CREATE INDEX documents_document_type_idx ON documents (document_type, document_type_kind);
CREATE INDEX documents_uploaded_by_idx ON documents (uploaded_by) WHERE uploaded_by IS NOT NULL;

-- A document's bytes in pieces of 256 kB, numbered from 0. Written in the transaction that
-- inserts the document, so a refused or failed upload keeps nothing; deleted with the document
-- (and so with the citizen) by the cascade, so no piece can outlive its document.
CREATE TABLE document_chunks (
    document_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         int NOT NULL CHECK (seq >= 0),
    data        bytea NOT NULL CHECK (octet_length(data) BETWEEN 1 AND 262144),
    PRIMARY KEY (document_id, seq)
);
-- PDFs, images and office files are compressed already: store the pieces out of line without
-- trying to compress them again.
ALTER TABLE document_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
