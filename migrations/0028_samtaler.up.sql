-- Samtaler: the conversations a caseworker books with a citizen (issue 17) — when, how long,
-- in what form, where and with whom — and what became of them: held (its outcome is a journal
-- note, written in the same transaction), cancelled or moved with a reason, or a no-show.
--
-- The forms of a conversation are reference data: the law names them (personligt fremmøde,
-- telefonisk, personligt digitalt fremmøde), and an administrator may retire or add one.
INSERT INTO ref_kinds (kind, label, description) VALUES
    ('samtale_form', 'Samtaleformer', 'Hvordan en samtale med borgeren holdes');

INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description, source) VALUES
    ('samtale_form', 'fysisk', 'Fysisk fremmøde', 10, '2014-01-01',
        'Samtale ved personligt fremmøde.',
        'LAB kap. 7 (kontaktforløb); sygedagpengeloven § 13 b, stk. 1 ("personligt fremmøde")'),
    ('samtale_form', 'telefon', 'Telefon', 20, '2022-01-01',
        'Samtale over telefon.',
        'Lov om ændring af LAB m.fl. (L 67, 2021-22: "samtaler over video eller telefon"); sygedagpengeloven § 13 b, stk. 1'),
    ('samtale_form', 'video', 'Video', 30, '2022-01-01',
        'Samtale ved personligt digitalt fremmøde (video).',
        'Lov om ændring af LAB m.fl. (L 67, 2021-22: "samtaler over video eller telefon"); sygedagpengeloven § 13 b, stk. 1');

-- One row per booked conversation. holder_id is the caseworker who holds it and unit_id the
-- unit it is held in (the citizen's case-holding unit when booked). A samtale is never
-- deleted by the application: a cancellation is a state with its reason, and the row goes
-- with the case (ON DELETE CASCADE from citizens) in the retention job.
--
-- status is the program's own code (store.SamtaleStatuses), held by a CHECK: booket, afholdt
-- (note_id: the journal note of its outcome), aflyst (reason required) or udeblevet (the
-- citizen did not come). reason is the last cancellation's or rebooking's reason: free text.
CREATE TABLE samtaler (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id  bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    holder_id   bigint NOT NULL REFERENCES users (id),
    unit_id     bigint NOT NULL REFERENCES units (id),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    form        text NOT NULL,
    form_kind   text GENERATED ALWAYS AS ('samtale_form') STORED,
    place       text NOT NULL DEFAULT '' CHECK (char_length(place) <= 200),
    status      text NOT NULL DEFAULT 'booket' CHECK (status IN ('booket', 'afholdt', 'aflyst', 'udeblevet')),
    reason      text CHECK (reason <> '' AND char_length(reason) <= 1000),
    -- A link to one of the citizen's own rows: SET NULL, so the order of the retention
    -- cascades cannot refuse the deletion (docs/architecture.md).
    note_id     bigint REFERENCES journal_notes (id) ON DELETE SET NULL,
    booked_by   bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     int NOT NULL DEFAULT 1,
    CONSTRAINT samtaler_form_fkey FOREIGN KEY (form_kind, form) REFERENCES ref_values (kind, code),
    CONSTRAINT samtaler_ends_after_start CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '8 hours'),
    CONSTRAINT samtaler_cancel_has_reason CHECK (status <> 'aflyst' OR reason IS NOT NULL)
);

-- The citizen's samtaler by time (also the foreign key's index, and the double-booking check
-- of the citizen); the holder's and the unit's week views; the other foreign keys.
CREATE INDEX samtaler_citizen_idx ON samtaler (citizen_id, starts_at);
CREATE INDEX samtaler_holder_idx ON samtaler (holder_id, starts_at);
CREATE INDEX samtaler_unit_idx ON samtaler (unit_id, starts_at);
CREATE INDEX samtaler_form_idx ON samtaler (form, form_kind);
CREATE INDEX samtaler_booked_by_idx ON samtaler (booked_by);
CREATE INDEX samtaler_note_idx ON samtaler (note_id) WHERE note_id IS NOT NULL;

-- Who else takes part (a mentor, a nurse from the health centre, a social worker): staff,
-- by user; the row goes with its samtale. starts_at repeats the samtale's start (moved with
-- it by store.RebookSamtale, in the same transaction) so that a participant's week is one
-- range of samtale_participants_user_idx: without it, a person who takes part in many
-- samtaler made PostgreSQL hash them all against a scan of the week's samtaler
-- (docs/queries.md).
CREATE TABLE samtale_participants (
    samtale_id bigint NOT NULL REFERENCES samtaler (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    starts_at  timestamptz NOT NULL,
    PRIMARY KEY (samtale_id, user_id)
);
-- A participant's week view and the double-booking check of a caseworker.
CREATE INDEX samtale_participants_user_idx ON samtale_participants (user_id, starts_at);
