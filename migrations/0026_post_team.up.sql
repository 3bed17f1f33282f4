-- The post-team workflow (lov nr. 1750 af 29.12.2025, docs/law.md): the duty to put a case
-- before a rehabiliteringsteam is replaced by a samlet beskrivelse af borgerens forudsætninger
-- and obligatory sundhedsfaglig rådgivning from the region's sundhedskoordinator (klinisk
-- funktion) in cases about fleksjob and førtidspension. Both are records of the citizen's
-- case, written without a meeting; a meeting, if one is held, can use them.

-- The samlet beskrivelse: one per citizen, the seven sections of the forberedende del (the
-- same keys as meeting_cases.preparation, classified per section), edited by the case-holding
-- unit on the version it loaded (optimistic lock).
CREATE TABLE case_descriptions (
    citizen_id bigint PRIMARY KEY REFERENCES citizens (id) ON DELETE CASCADE,
    sections   jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'object'),
    created_by bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint NOT NULL REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    int NOT NULL DEFAULT 1
);
CREATE INDEX case_descriptions_created_by_idx ON case_descriptions (created_by);
CREATE INDEX case_descriptions_updated_by_idx ON case_descriptions (updated_by);

-- Sundhedsfaglig rådgivning: the case-holding unit asks the region's klinisk funktion (a unit
-- of kind 'region') a question; the sundhedskoordinator there answers it. The question and
-- the advice are health data, and the region's own rows (access.AdviceRow). The advice is
-- written once and may be corrected by the unit that gave it, on the version it loaded.
CREATE TABLE health_advice (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id   bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    unit_id      bigint NOT NULL REFERENCES units (id),
    question     text NOT NULL CHECK (question <> '' AND char_length(question) <= 2000),
    requested_by bigint NOT NULL REFERENCES users (id),
    requested_at timestamptz NOT NULL DEFAULT now(),
    advice       text CHECK (advice <> '' AND char_length(advice) <= 8000),
    given_by     bigint REFERENCES users (id),
    given_at     timestamptz,
    version      int NOT NULL DEFAULT 1,
    CHECK ((advice IS NULL) = (given_by IS NULL) AND (advice IS NULL) = (given_at IS NULL))
);
-- The citizen's requests, newest first (a handful per citizen); the relation query's test
-- "a request to the user's unit" (citizen and unit); the region's open requests.
CREATE INDEX health_advice_citizen_idx ON health_advice (citizen_id, unit_id, requested_at);
CREATE INDEX health_advice_unit_idx ON health_advice (unit_id, requested_at);
CREATE INDEX health_advice_requested_by_idx ON health_advice (requested_by);
CREATE INDEX health_advice_given_by_idx ON health_advice (given_by) WHERE given_by IS NOT NULL;

-- Which indstillinger and afgørelser need both records is the law's, so it is a dated
-- setting, not code. From when is not pinned by the sources read (lov nr. 1750 took effect on
-- 1.2.2026 and 1.7.2026; docs/law.md): Helhed dates it from the first step. An administrator
-- adds a row from another day if the commencement paragraph says otherwise.
INSERT INTO settings (key, valid_from, value, note) VALUES
    ('post_team_required_outcomes', '2026-02-01',
        '{"outcomes": ["fleksjob", "foertidspension"], "source": "lov nr. 1750 af 29.12.2025"}',
        'Indstillinger og afgørelser om disse udfald kræver en samlet beskrivelse af borgerens forudsætninger og sundhedsfaglig rådgivning fra regionens sundhedskoordinator (lov nr. 1750 af 29.12.2025). Loven trådte i kraft 1.2. og 1.7.2026; hvilken dato der gælder for denne del, er ikke bekræftet. Se docs/law.md');
