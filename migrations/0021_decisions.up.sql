-- The municipality's afgørelse after the rehabiliteringsteam's indstilling, and the
-- partshøring before it. The team only recommends (LOB § 9); the caseworker decides on the
-- municipality's behalf, after hearing the citizen where forvaltningsloven § 19 asks it.
-- docs/law.md names the sources and what stays uncertain; the rules that may change with the
-- law are dated settings here, not code.

INSERT INTO settings (key, valid_from, value, note) VALUES
    ('hearing_deadline_days', '1900-01-01', '14',
        'Kommunens standardfrist for svar på en partshøring, i dage. Forvaltningsloven § 19 fastsætter ingen bestemt frist, kun rimelig tid (vejledning om forvaltningsloven pkt. 106); hver partshøring kan få sin egen frist'),
    ('decision_revurdering_required', '1900-01-01', 'true',
        'Fraviger kommunen rehabiliteringsteamets indstilling, genforelægges sagen teamet (Ankestyrelsens praksisundersøgelse Kommunernes anvendelse af rehabiliteringsteams, oktober 2014). Se docs/law.md'),
    -- Indstillinger from before this migration were decided outside Helhed: only those
    -- recorded from the day it ran show as awaiting a decision.
    ('decision_tasks_from', '1900-01-01', to_jsonb(current_date::text),
        'Indstillinger registreret fra denne dag, der endnu ikke har en afgørelse, vises som opgave hos sagsbehandleren'),
    ('complaint_guidance', '1900-01-01',
        '{"body": "Ankestyrelsen", "weeks": 4, "lodge_with": "kommunen", "source": "Retssikkerhedsloven §§ 66-67 og forvaltningsloven § 25: klage inden 4 uger efter modtagelsen af afgørelsen; kommunen genvurderer og sender klagen videre til Ankestyrelsen"}',
        'Klagevejledning til afgørelser efter rehabiliteringsteamets indstilling (ast.dk, Klagevejledning og tidsfrister)');

-- A partshøring on a case: what the citizen is heard on, when it was sent, the deadline, and
-- then the reply (its date and a summary) or that none came by the deadline. result is the
-- program's own code (helhed.HearingResults).
CREATE TABLE hearings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_case_id  bigint NOT NULL REFERENCES meeting_cases (id) ON DELETE CASCADE,
    citizen_id       bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    subject          text NOT NULL CHECK (subject <> ''),
    sent_on          date NOT NULL,
    deadline         date NOT NULL,
    result           text CHECK (result IN ('svar', 'intet_svar')),
    response_on      date,
    response_summary text NOT NULL DEFAULT '',
    started_by       bigint NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    result_by        bigint REFERENCES users (id),
    result_at        timestamptz,
    version          int NOT NULL DEFAULT 1,
    CHECK (deadline > sent_on),
    CHECK ((result IS NULL) = (result_at IS NULL) AND (result IS NULL) = (result_by IS NULL)),
    -- A reply has its date and summary; nothing else has either.
    CHECK ((coalesce(result, '') = 'svar') = (response_on IS NOT NULL)),
    CHECK ((coalesce(result, '') = 'svar') = (response_summary <> ''))
);
-- The case's partshøringer, and the citizen's (the caseload's task: an open one past its
-- deadline; a citizen has a handful).
CREATE INDEX hearings_meeting_case_idx ON hearings (meeting_case_id);
CREATE INDEX hearings_citizen_idx ON hearings (citizen_id, deadline);
CREATE INDEX hearings_started_by_idx ON hearings (started_by);
CREATE INDEX hearings_result_by_idx ON hearings (result_by) WHERE result_by IS NOT NULL;

-- The municipality's afgørelse in a case with an indstilling. follows_indstilling is stored
-- with the indstilling's outcome at that moment, so a later change of the indstilling does
-- not rewrite what the decision followed. Departing needs its own reasons. A later decision
-- in the same case supersedes the current one, which is kept: one current decision per case.
CREATE TABLE decisions (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_case_id          bigint NOT NULL REFERENCES meeting_cases (id) ON DELETE CASCADE,
    citizen_id               bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    outcome                  text NOT NULL,
    outcome_kind             text GENERATED ALWAYS AS ('indstilling') STORED,
    indstilling_outcome      text NOT NULL,
    indstilling_outcome_kind text GENERATED ALWAYS AS ('indstilling') STORED,
    follows_indstilling      boolean NOT NULL,
    reasons                  text NOT NULL CHECK (reasons <> ''),
    departure_reasons        text NOT NULL DEFAULT '',
    revurdering_on           date,
    hearing_omitted_reason   text NOT NULL DEFAULT '',
    decided_on               date NOT NULL,
    decided_by               bigint NOT NULL REFERENCES users (id),
    unit_id                  bigint NOT NULL REFERENCES units (id),
    created_at               timestamptz NOT NULL DEFAULT now(),
    superseded_at            timestamptz,
    superseded_by            bigint REFERENCES users (id),
    CONSTRAINT decisions_outcome_fkey FOREIGN KEY (outcome_kind, outcome) REFERENCES ref_values (kind, code),
    CONSTRAINT decisions_indstilling_outcome_fkey FOREIGN KEY (indstilling_outcome_kind, indstilling_outcome) REFERENCES ref_values (kind, code),
    CHECK (follows_indstilling = (outcome = indstilling_outcome)),
    CHECK (follows_indstilling OR departure_reasons <> ''),
    CHECK (NOT follows_indstilling OR (departure_reasons = '' AND revurdering_on IS NULL)),
    CHECK ((superseded_at IS NULL) = (superseded_by IS NULL))
);
CREATE UNIQUE INDEX decisions_current_idx ON decisions (meeting_case_id) WHERE superseded_at IS NULL;
CREATE INDEX decisions_meeting_case_idx ON decisions (meeting_case_id);
CREATE INDEX decisions_citizen_idx ON decisions (citizen_id);
CREATE INDEX decisions_outcome_idx ON decisions (outcome, outcome_kind);
CREATE INDEX decisions_indstilling_outcome_idx ON decisions (indstilling_outcome, indstilling_outcome_kind);
CREATE INDEX decisions_decided_by_idx ON decisions (decided_by);
CREATE INDEX decisions_unit_idx ON decisions (unit_id);
CREATE INDEX decisions_superseded_by_idx ON decisions (superseded_by) WHERE superseded_by IS NOT NULL;

-- The caseload's task "indstilling without a decision" needs no index of its own: a citizen
-- has a handful of cases, found by meeting_cases_citizen_idx (docs/queries.md).
