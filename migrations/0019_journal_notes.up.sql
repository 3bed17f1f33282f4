-- Journal notes (journalnotater): the case record of what happened in a citizen's case — a
-- conversation, a phone call, a follow-up, a hearing of the party, a decision — written down
-- as it happened (notatpligt, offentlighedsloven § 13).
--
-- The kinds of note are reference data: the law names some (partshøring, afgørelse), the
-- municipality may add its own, and an administrator retires a kind with valid_to. Each value
-- says where it comes from.
INSERT INTO ref_kinds (kind, label, description) VALUES
    ('note_kind', 'Notattyper', 'Hvad et journalnotat handler om');

INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description) VALUES
    ('note_kind', 'samtale', 'Samtale', 10, '2014-01-01',
        'Kilde: offentlighedsloven § 13 (notatpligt for mundtlige oplysninger af betydning for sagen).'),
    ('note_kind', 'telefonsamtale', 'Telefonsamtale', 20, '2014-01-01',
        'Kilde: offentlighedsloven § 13 (notatpligt for mundtlige oplysninger af betydning for sagen).'),
    ('note_kind', 'opfoelgning', 'Opfølgning', 30, '2014-01-01',
        'Kilde: offentlighedsloven § 13 (notatpligt for sagens ekspeditioner); opfølgning efter beskæftigelseslovgivningen.'),
    ('note_kind', 'partshoering', 'Partshøring', 40, '2014-01-01',
        'Kilde: forvaltningsloven § 19 (partshøring før afgørelse).'),
    ('note_kind', 'afgoerelse', 'Afgørelse', 50, '2014-01-01',
        'Kilde: forvaltningsloven §§ 22–24 (afgørelse og begrundelse).'),
    ('note_kind', 'andet', 'Andet', 90, '2014-01-01',
        'Kilde: offentlighedsloven § 13 (notatpligt); andet af betydning for sagen.');

-- One row per note. A note is never deleted by the application (it goes with the case, by
-- ON DELETE CASCADE from citizens, in the retention job) and changes only while it is open:
-- its author may amend the text until the lock period (a server setting, 24 hours) has passed,
-- and afterwards a correction is a new note that refers to the old one (corrects_id).
--
-- class is the author's own marking of what the note holds: case data (sag), health data
-- (helbred) or social circumstances (social) — the classes of internal/access, by their
-- Danish names. A health note crosses to another administration only under a consent, as
-- any health data; unit_id is the unit the note was written in, which always sees its own
-- notes (access.NoteRow). The codes are the program's own (access.NoteClasses), so a CHECK
-- holds them; store TestFixedCodesFollowTheDomain checks the two lists agree.
--
-- search is the note's text as a Danish tsvector (stemmed: "samtaler" finds "samtale"),
-- generated so no code path can forget it, with a GIN index for the full-text search.
CREATE TABLE journal_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id  bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    kind_kind   text GENERATED ALWAYS AS ('note_kind') STORED,
    class       text NOT NULL DEFAULT 'sag' CHECK (class IN ('sag', 'helbred', 'social')),
    event_date  date NOT NULL,
    text        text NOT NULL CHECK (text <> '' AND char_length(text) <= 20000),
    author_id   bigint NOT NULL REFERENCES users (id),
    unit_id     bigint NOT NULL REFERENCES units (id),
    -- A link between two of the citizen's own rows: SET NULL, never NO ACTION, so deleting
    -- the citizen cannot be refused by the order of the cascades (docs/architecture.md).
    corrects_id bigint REFERENCES journal_notes (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    amended_at  timestamptz,
    version     int NOT NULL DEFAULT 1,
    search      tsvector GENERATED ALWAYS AS (to_tsvector('danish', text)) STORED,
    CONSTRAINT journal_notes_kind_fkey FOREIGN KEY (kind_kind, kind) REFERENCES ref_values (kind, code),
    CONSTRAINT journal_notes_not_self CHECK (corrects_id <> id)
);

-- The timeline: one citizen's notes, newest event first (also the foreign key's index).
CREATE INDEX journal_notes_citizen_idx ON journal_notes (citizen_id, event_date DESC, id DESC);
CREATE INDEX journal_notes_search_idx ON journal_notes USING gin (search);
CREATE INDEX journal_notes_kind_idx ON journal_notes (kind, kind_kind);
CREATE INDEX journal_notes_author_idx ON journal_notes (author_id);
CREATE INDEX journal_notes_unit_idx ON journal_notes (unit_id);
CREATE INDEX journal_notes_corrects_idx ON journal_notes (corrects_id) WHERE corrects_id IS NOT NULL;

-- The application may write a note and amend its text, nothing else: no DELETE, and UPDATE
-- only of the columns an amendment changes. The retention job's DELETE FROM citizens still
-- removes the notes, because PostgreSQL runs a foreign key's cascade as the table's owner.
REVOKE UPDATE, DELETE, TRUNCATE ON journal_notes FROM helhed_app;
GRANT UPDATE (text, amended_at, version) ON journal_notes TO helhed_app;
