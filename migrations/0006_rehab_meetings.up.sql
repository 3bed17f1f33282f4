-- Rehabiliteringsteam: teams, members, meetings with an agenda of cases, the caseworker's
-- forberedende del and the team's indstilling.
--
-- The indstilling's outcomes and the members' fields are reference data with validity dates:
-- the 2026 reform closed ressourceforløb to new cases and a new main law is due on
-- 1 January 2027, so an administrator retires or adds a value without a release, and old
-- indstillinger keep the codes they were made with.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('indstilling', 'Rehabiliteringsteamets indstilling', 'Hvad rehabiliteringsteamet indstiller til i en sag'),
    ('team_area', 'Fagområder i rehabiliteringsteamet', 'Det område et medlem af rehabiliteringsteamet repræsenterer');

INSERT INTO ref_values (kind, code, label, sort_order, description) VALUES
    ('indstilling', 'ressourceforloeb', 'Ressourceforløb', 10,
        'Lukket for nye sager fra 2026 (lov nr. 1750 af 29.12.2025); en administrator sætter slutdato, når det træder i kraft'),
    ('indstilling', 'jobafklaringsforloeb', 'Jobafklaringsforløb', 20, ''),
    ('indstilling', 'fleksjob', 'Fleksjob', 30, ''),
    ('indstilling', 'foertidspension', 'Førtidspension', 40, ''),
    ('indstilling', 'ordinaer', 'Ordinær beskæftigelsesindsats', 50, ''),
    ('indstilling', 'andet', 'Andet', 60, 'Beskriv indstillingen i begrundelsen'),

    ('team_area', 'beskaeftigelse', 'Beskæftigelse', 10, 'Jobcentret'),
    ('team_area', 'sundhed', 'Sundhed', 20, 'Kommunens sundhedsområde'),
    ('team_area', 'social', 'Socialområdet', 30, 'Socialforvaltningen'),
    ('team_area', 'sundhedskoordinator', 'Regionens sundhedskoordinator', 40, 'Regionens kliniske funktion'),
    ('team_area', 'uddannelse', 'Uddannelse', 50, 'Deltager i sager om borgere under 30 år uden erhvervsuddannelse');

-- How long a member may still open a case after the meeting (need to know: the indstilling is
-- written up and sent in the days after). Dated like every setting.
INSERT INTO settings (key, valid_from, value, note) VALUES
    ('agenda_access_days', '1900-01-01', '7',
        'Teamets medlemmer ser en sag fra den sættes på dagsordenen til 7 dage efter mødet');

-- A team belongs to a unit (its secretariat, normally the jobcenter), whose leader plans its
-- meetings.
CREATE TABLE rehab_teams (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name <> ''),
    unit_id    bigint NOT NULL REFERENCES units (id),
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rehab_team_members (
    team_id  bigint NOT NULL REFERENCES rehab_teams (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id),
    area     text NOT NULL, -- ref_values kind 'team_area'
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id)
);
-- "Which teams do I sit on?" runs for every meeting list and every access check.
CREATE INDEX rehab_team_members_user_idx ON rehab_team_members (user_id, team_id);

-- focus_case_id is the case on the shared screen; the chair moves it. It has no foreign key on
-- purpose: a meeting is not data about a citizen, and a key to meeting_cases would tie every
-- meeting into the citizen's data (export, deletion). SetFocus checks the case; a case taken
-- off the agenda or deleted with its citizen simply is no longer in focus. version is the
-- optimistic lock on the meeting's own fields.
CREATE TABLE meetings (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id         bigint NOT NULL REFERENCES rehab_teams (id),
    starts_at       timestamptz NOT NULL,
    slot_minutes    int NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 10 AND 120),
    location        text NOT NULL DEFAULT '',
    chair_id        bigint REFERENCES users (id),
    minute_taker_id bigint REFERENCES users (id),
    focus_case_id   bigint,
    created_by      bigint NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    version         int NOT NULL DEFAULT 1
);
CREATE INDEX meetings_team_start_idx ON meetings (team_id, starts_at);

-- One row per case on an agenda: the question to the team, the caseworker's forberedende del
-- (a document of the seven sections, read and written whole) and the team's indstilling.
CREATE TABLE meeting_cases (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id          bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    citizen_id          bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    caseworker_id       bigint REFERENCES users (id),
    position            int NOT NULL CHECK (position > 0),
    question            text NOT NULL CHECK (question <> ''),
    added_by            bigint NOT NULL REFERENCES users (id),
    added_at            timestamptz NOT NULL DEFAULT now(),
    preparation         jsonb NOT NULL DEFAULT '{}',
    prepared_at         timestamptz, -- the caseworker marked the forberedende del complete
    prepared_by         bigint REFERENCES users (id),
    outcome             text,        -- ref_values kind 'indstilling'; NULL until recorded
    reasons             text NOT NULL DEFAULT '',
    recommended_efforts text NOT NULL DEFAULT '',
    recorded_by         bigint REFERENCES users (id),
    recorded_at         timestamptz,
    version             int NOT NULL DEFAULT 1,
    CHECK (outcome IS NULL OR reasons <> '')
);
-- A citizen is on a meeting's agenda once.
CREATE UNIQUE INDEX meeting_cases_meeting_citizen_idx ON meeting_cases (meeting_id, citizen_id);
-- The access check ("is this citizen on an agenda I sit on?") and the citizen's meetings.
CREATE INDEX meeting_cases_citizen_idx ON meeting_cases (citizen_id, meeting_id);
