-- Tværfaglig funktionsevneanalyse (TFA), indsatsplan, opfølgning and the settings they need.
--
-- The TFA's health tracks, the resource profile's elements, effort areas and effort statuses
-- are reference data with validity dates: a new law or method renames or retires a value by
-- an UPDATE/INSERT, and records keep the codes they were made with.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('health_track', 'Helbredsspor (TFA)', 'De otte overordnede indsatsspor i den tværfaglige funktionsevneanalyse'),
    ('resource_element', 'Ressourceprofilens elementer', 'Elementerne i ressourceprofilen, hver med ressourcer og barrierer'),
    ('effort_area', 'Indsatsområder', 'Området en indsats i indsatsplanen hører til'),
    ('effort_status', 'Indsatsstatus', 'Status for en indsats i indsatsplanen');

INSERT INTO ref_values (kind, code, label, sort_order) VALUES
    ('health_track', 'fysiske_lidelser', 'Fysiske lidelser', 10),
    ('health_track', 'lettere_psykiske', 'Lettere psykiske lidelser', 20),
    ('health_track', 'psykisk_sygdom', 'Psykisk sygdom', 30),
    ('health_track', 'udvikling_kognitiv', 'Udviklingsforstyrrelse/kognitive vanskeligheder', 40),
    ('health_track', 'sociale_problemer', 'Sociale problemer', 50),
    ('health_track', 'misbrug', 'Misbrug', 60),
    ('health_track', 'livsstil', 'Livsstil', 70),
    ('health_track', 'diffuse_uafklarede', 'Diffuse/uafklarede lidelser', 80),

    ('resource_element', 'uddannelse', 'Uddannelse', 10),
    ('resource_element', 'arbejdsmarkedserfaring', 'Arbejdsmarkedserfaring', 20),
    ('resource_element', 'interesser', 'Interesser', 30),
    ('resource_element', 'sociale_kompetencer', 'Sociale kompetencer', 40),
    ('resource_element', 'omstillingsevne', 'Omstillingsevne', 50),
    ('resource_element', 'indlaeringsevne', 'Indlæringsevne', 60),
    ('resource_element', 'arbejdsrelevante_oensker', 'Arbejdsrelevante ønsker', 70),
    ('resource_element', 'praestationsforventninger', 'Præstationsforventninger', 80),
    ('resource_element', 'arbejdsidentitet', 'Arbejdsidentitet', 90),
    ('resource_element', 'bolig_oekonomi', 'Bolig og økonomi', 100),
    ('resource_element', 'sociale_netvaerk', 'Sociale netværk', 110),
    ('resource_element', 'helbred', 'Helbred', 120),

    ('effort_area', 'beskaeftigelse', 'Beskæftigelse', 10),
    ('effort_area', 'sundhed', 'Sundhed', 20),
    ('effort_area', 'social', 'Social', 30),
    ('effort_area', 'uddannelse', 'Uddannelse', 40),

    ('effort_status', 'planlagt', 'Planlagt', 10),
    ('effort_status', 'henvist', 'Henvist', 20),
    ('effort_status', 'i_gang', 'I gang', 30),
    ('effort_status', 'afsluttet', 'Afsluttet', 40),
    ('effort_status', 'afbrudt', 'Afbrudt', 50);

-- Settings are parameters (legal or local) that change by date: the row in force on a day is
-- the one with the latest valid_from on or before it, so history keeps what applied then.
CREATE TABLE settings (
    key        text NOT NULL CHECK (key ~ '^[a-z0-9_]{1,60}$'),
    valid_from date NOT NULL,
    value      jsonb NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_by bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key, valid_from)
);
INSERT INTO settings (key, valid_from, value, note) VALUES
    ('mentor_rules', '2019-05-07',
        '{"MaxPeriodMonths":6,"DischargeBeforeMonths":3,"DischargeMinTotalMonths":6,"WarnDaysBefore":30}',
        'LAB § 167 (lov nr. 548 af 7. maj 2019): højst 6 måneder ad gangen; udslusningsmentor fra 3 måneder før udskrivning og mindst 6 måneder i alt'),
    ('follow_up_interval_months', '1900-01-01', '3', 'Opfølgning på indsatsplanen mindst hver 3. måned');

-- One row per TFA version. tracks and resources are documents keyed by reference codes (see
-- docs/architecture.md): they are read and written whole, copied whole into a new version,
-- and never queried across citizens. tracks is health data and kept in its own column so a
-- reader without health access never loads it.
CREATE TABLE assessments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id     bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    number         int NOT NULL CHECK (number > 0), -- "version 2" of the citizen's TFA
    concluded_at   timestamptz,                     -- NULL = draft; set = locked
    concluded_by   bigint REFERENCES users (id),
    tracks         jsonb NOT NULL DEFAULT '{}',
    resources      jsonb NOT NULL DEFAULT '{}',
    citizen_goals  text NOT NULL DEFAULT '',
    conclusion     text NOT NULL DEFAULT '',
    version        int NOT NULL DEFAULT 1,           -- optimistic lock on the draft
    created_by     bigint NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     bigint NOT NULL REFERENCES users (id),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (citizen_id, number)
);
-- At most one draft per citizen: "Ny version" and "Ny TFA" cannot race into two.
CREATE UNIQUE INDEX assessments_one_draft_idx ON assessments (citizen_id) WHERE concluded_at IS NULL;

-- The professionals who wrote the TFA. unit_id and unit_kind are copied when added, so a
-- concluded TFA keeps who took part as what, even after someone changes unit.
CREATE TABLE assessment_participants (
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL REFERENCES users (id),
    unit_id       bigint NOT NULL REFERENCES units (id),
    unit_kind     text NOT NULL,
    profession    text NOT NULL CHECK (profession <> ''),
    added_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, user_id)
);

-- The citizen's one indsatsplan. version is the optimistic lock and the number of the
-- latest plan_versions row.
CREATE TABLE plans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id    bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    assessment_id bigint REFERENCES assessments (id),
    citizen_goal  text NOT NULL DEFAULT '',
    version       int NOT NULL DEFAULT 1,
    created_by    bigint NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    bigint NOT NULL REFERENCES users (id),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX plans_citizen_idx ON plans (citizen_id);

-- Sub-goals. A goal removed from the plan keeps its row (removed_at) so its progression
-- history stays readable.
CREATE TABLE plan_goals (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id    bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    text       text NOT NULL CHECK (text <> ''),
    sort_order int NOT NULL DEFAULT 0,
    removed_at timestamptz
);
CREATE INDEX plan_goals_plan_idx ON plan_goals (plan_id, sort_order, id);

CREATE TABLE plan_efforts (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id            bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    offer_id           bigint REFERENCES offers (id), -- the catalogue offer, NULL for free text
    referral_id        bigint REFERENCES referrals (id), -- the referral sent with it, if any
    title              text NOT NULL CHECK (title <> ''),
    area               text NOT NULL, -- ref_values kind 'effort_area'
    status             text NOT NULL, -- ref_values kind 'effort_status'
    responsible_unit_id bigint NOT NULL REFERENCES units (id),
    responsible_person text NOT NULL DEFAULT '',
    contact            text NOT NULL DEFAULT '',
    start_date         date NOT NULL,
    end_date           date,
    mentor             boolean NOT NULL DEFAULT false, -- mentorstøtte, LAB § 167
    mentor_discharge   date,    -- discharge from psychiatric admission (udslusningsmentor)
    mentor_renewed     boolean NOT NULL DEFAULT false, -- renewed after a new assessment
    removed_at         timestamptz,
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (NOT mentor OR end_date IS NOT NULL)
);
CREATE INDEX plan_efforts_plan_idx ON plan_efforts (plan_id, start_date, id);

-- Every saved state of a plan: who, when, a one-line summary and a snapshot of goals and
-- efforts (helhed.PlanSnapshot as JSON), so any two versions can be compared.
CREATE TABLE plan_versions (
    plan_id  bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    version  int NOT NULL,
    snapshot jsonb NOT NULL,
    summary  text NOT NULL DEFAULT '',
    saved_by bigint NOT NULL REFERENCES users (id),
    saved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, version)
);

CREATE TABLE follow_ups (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id    bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    held_on    date NOT NULL,
    note       text NOT NULL DEFAULT '',
    created_by bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_ups_plan_idx ON follow_ups (plan_id, held_on, id);

-- Progression on one goal at one follow-up, on the 1–10 scale (a method, not law).
CREATE TABLE follow_up_scores (
    follow_up_id bigint NOT NULL REFERENCES follow_ups (id) ON DELETE CASCADE,
    goal_id      bigint NOT NULL REFERENCES plan_goals (id) ON DELETE CASCADE,
    score        int NOT NULL CHECK (score BETWEEN 1 AND 10),
    PRIMARY KEY (follow_up_id, goal_id)
);
CREATE INDEX follow_up_scores_goal_idx ON follow_up_scores (goal_id);

-- When the next follow-up is due, kept on the citizen in the same transaction as every plan
-- change and follow-up, so the caseload shows and filters "Opfølgning overskredet" in its one
-- query through an index.
ALTER TABLE citizens ADD COLUMN next_follow_up date;
CREATE INDEX citizens_unit_follow_up_idx ON citizens (unit_id, next_follow_up) WHERE next_follow_up IS NOT NULL;
