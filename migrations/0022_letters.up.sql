-- Letters to the citizen: the indkaldelse til samtale, the partshøring, the afgørelse with its
-- klagevejledning, and the rehabiliteringsteam's indstilling. A letter is printed to PDF from
-- a template in the code (web/pages/letters), kept as a document on the case (type
-- brev_til_borger) with a journal note saying it was sent, and waits here, in the outbox,
-- until the municipality's Digital Post integration collects it and says whether it was
-- delivered (`helhed outbox`, docs/operations.md). Helhed never calls a letter sent on its own.

-- The kinds of letter are reference data, each with its source ("Kilde: …": ref_values has no
-- source column). A kind is offered only while Helhed has a template for it.
INSERT INTO ref_kinds (kind, label, description) VALUES
    ('letter_kind', 'Brevtyper', 'Hvilke breve Helhed skriver til borgeren; en brevtype uden skabelon i Helhed tilbydes ikke');

INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description) VALUES
    ('letter_kind', 'indkaldelse', 'Indkaldelse til samtale', 10, '1900-01-01',
        'Kilde: lov om en aktiv beskæftigelsesindsats (samtaler i kontaktforløbet) og forvaltningsloven § 7 (vejledning); borgeren kan tage en bisidder med (forvaltningsloven § 8).'),
    ('letter_kind', 'partshoering', 'Partshøring', 20, '1900-01-01',
        'Kilde: forvaltningsloven § 19 (partshøring før afgørelse) og § 21 (borgerens ret til at udtale sig).'),
    ('letter_kind', 'afgoerelse', 'Afgørelse med klagevejledning', 30, '1900-01-01',
        'Kilde: forvaltningsloven §§ 22–24 (skriftlig afgørelse med begrundelse) og § 25 (klagevejledning).'),
    ('letter_kind', 'indstilling', 'Rehabiliteringsteamets indstilling', 40, '1900-01-01',
        'Kilde: lov om organisering og understøttelse af beskæftigelsesindsatsen m.v. § 9 (rehabiliteringsteamets indstilling, som borgeren får).');

-- One row per letter. The letter IS the outbox entry: state 'udbakke' waits for the
-- integration; 'afsendt' is the integration's confirmation with its reference; 'fejlet' its
-- report of a failure with its message. A letter that failed may still be confirmed sent
-- later (the integration retried), and keeps the failure it had; nothing leaves 'afsendt'.
-- The states are the program's own codes (store.LetterStates), held by a CHECK.
--
-- The letter's class (who beyond the case-holding unit may see it) is its document's:
-- documents.class, not repeated here.
CREATE TABLE letters (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id      bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    kind            text NOT NULL,
    kind_kind       text GENERATED ALWAYS AS ('letter_kind') STORED,
    subject         text NOT NULL CHECK (subject <> '' AND char_length(subject) <= 200),
    -- The document and the journal note the letter became, in the same transaction; the
    -- letter goes with them (and they with the citizen).
    document_id     bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    journal_note_id bigint NOT NULL REFERENCES journal_notes (id) ON DELETE CASCADE,
    -- What the letter was made from, when it was: links between the citizen's own rows, SET
    -- NULL so no order of the retention's cascades can refuse the delete.
    hearing_id      bigint REFERENCES hearings (id) ON DELETE SET NULL,
    decision_id     bigint REFERENCES decisions (id) ON DELETE SET NULL,
    meeting_case_id bigint REFERENCES meeting_cases (id) ON DELETE SET NULL,
    created_by      bigint NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    state           text NOT NULL DEFAULT 'udbakke' CHECK (state IN ('udbakke', 'afsendt', 'fejlet')),
    sent_at         timestamptz,
    failed_at       timestamptz,
    delivery_ref    text CHECK (delivery_ref <> '' AND char_length(delivery_ref) <= 200),
    delivery_error  text CHECK (delivery_error <> '' AND char_length(delivery_error) <= 2000),
    CONSTRAINT letters_kind_fkey FOREIGN KEY (kind_kind, kind) REFERENCES ref_values (kind, code),
    -- Sent is the integration's confirmation, with its reference; a failure has its message;
    -- a letter still in the outbox has neither.
    CHECK ((state = 'afsendt') = (sent_at IS NOT NULL)),
    CHECK ((sent_at IS NULL) = (delivery_ref IS NULL)),
    CHECK ((failed_at IS NULL) = (delivery_error IS NULL)),
    CHECK (state <> 'fejlet' OR failed_at IS NOT NULL),
    CHECK (state <> 'udbakke' OR failed_at IS NULL)
);

-- The citizen's letters, newest first (also the foreign key's index).
CREATE INDEX letters_citizen_idx ON letters (citizen_id, created_at DESC, id DESC);
-- The outbox the integration reads, oldest first: only the waiting letters.
CREATE INDEX letters_outbox_idx ON letters (created_at, id) WHERE state = 'udbakke';
-- A document and a note become at most one letter.
CREATE UNIQUE INDEX letters_document_idx ON letters (document_id);
CREATE UNIQUE INDEX letters_journal_note_idx ON letters (journal_note_id);
CREATE INDEX letters_kind_idx ON letters (kind, kind_kind);
CREATE INDEX letters_hearing_idx ON letters (hearing_id) WHERE hearing_id IS NOT NULL;
CREATE INDEX letters_decision_idx ON letters (decision_id) WHERE decision_id IS NOT NULL;
CREATE INDEX letters_meeting_case_idx ON letters (meeting_case_id) WHERE meeting_case_id IS NOT NULL;
CREATE INDEX letters_created_by_idx ON letters (created_by);

-- The application writes a letter and records its delivery, nothing else: no DELETE, and
-- UPDATE only of the delivery columns. The retention job's DELETE FROM citizens still removes
-- the letters, because PostgreSQL runs a foreign key's cascade as the table's owner.
REVOKE UPDATE, DELETE, TRUNCATE ON letters FROM helhed_app;
GRANT UPDATE (state, sent_at, failed_at, delivery_ref, delivery_error) ON letters TO helhed_app;
