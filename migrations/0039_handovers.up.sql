-- Handover (sagsoverdragelse, issue 17): a citizen's case moves to another caseworker or
-- another unit with a handover note. The move itself is citizens.caseworker_id and
-- citizens.unit_id, from which the access relation is computed on every request
-- (store.Relation), so access follows at once. This table is the case's record of each move:
-- from whom to whom, by whom and when, and the note, which is a journal note of its own kind
-- (class sag) written in the same transaction, as the case record a new holder reads first.
--
-- A leader who hands over all of a departing caseworker's citizens in one step makes one row
-- per citizen (bulk = true), all in one transaction.
INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description) VALUES
    ('note_kind', 'overdragelse', 'Overdragelse', 60, '2014-01-01',
        'Kilde: offentlighedsloven § 13 (notatpligt for sagens ekspeditioner): sagen er overdraget til en anden sagsbehandler eller enhed, med et overdragelsesnotat.');

CREATE TABLE handovers (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id         bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    from_unit_id       bigint NOT NULL REFERENCES units (id),
    from_caseworker_id bigint REFERENCES users (id),
    to_unit_id         bigint NOT NULL REFERENCES units (id),
    to_caseworker_id   bigint REFERENCES users (id),
    -- The handover note in the journal: SET NULL, so the order of the retention cascades
    -- cannot refuse the deletion (docs/architecture.md).
    note_id            bigint REFERENCES journal_notes (id) ON DELETE SET NULL,
    bulk               boolean NOT NULL DEFAULT false,
    handed_by          bigint NOT NULL REFERENCES users (id),
    handed_at          timestamptz NOT NULL DEFAULT now(),
    -- A handover moves the case somewhere: to another unit, or to another person.
    CONSTRAINT handovers_moves CHECK (from_unit_id <> to_unit_id OR from_caseworker_id IS DISTINCT FROM to_caseworker_id)
);
-- The citizen's handovers by time (also the foreign key's index), and the other foreign keys.
CREATE INDEX handovers_citizen_idx ON handovers (citizen_id, handed_at);
CREATE INDEX handovers_from_unit_idx ON handovers (from_unit_id);
CREATE INDEX handovers_to_unit_idx ON handovers (to_unit_id);
CREATE INDEX handovers_from_caseworker_idx ON handovers (from_caseworker_id) WHERE from_caseworker_id IS NOT NULL;
CREATE INDEX handovers_to_caseworker_idx ON handovers (to_caseworker_id) WHERE to_caseworker_id IS NOT NULL;
CREATE INDEX handovers_note_idx ON handovers (note_id) WHERE note_id IS NOT NULL;
CREATE INDEX handovers_handed_by_idx ON handovers (handed_by);
