-- Consents and risk-group screenings.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('consent_information', 'Samtykke: oplysningstyper', 'Hvilke oplysninger et samtykke dækker');
INSERT INTO ref_values (kind, code, label, sort_order, description) VALUES
    ('consent_information', 'helbred', 'Helbredsoplysninger', 10,
        'Screening, helbredsspor i TFA og helbredsoplysninger i henvisninger'),
    ('consent_information', 'sociale_forhold', 'Sociale forhold', 20, 'Oplysninger om sociale forhold og indsatser');

-- A consent lets one kind of information about a citizen reach one unit for a stated purpose
-- (forvaltningsloven § 28, retssikkerhedsloven § 11 a). Withdrawal is a timestamp, not a
-- delete, so history shows what was allowed when.
CREATE TABLE consents (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id        bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    information       text NOT NULL, -- ref_values kind 'consent_information'
    recipient_unit_id bigint NOT NULL REFERENCES units (id),
    purpose           text NOT NULL CHECK (purpose <> ''),
    given_on          date NOT NULL,
    expires_on        date,
    withdrawn_at      timestamptz,
    recorded_by       bigint NOT NULL REFERENCES users (id),
    withdrawn_by      bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (expires_on IS NULL OR expires_on >= given_on)
);
CREATE INDEX consents_citizen_idx ON consents (citizen_id, recipient_unit_id, information);

-- Published versions of the screening rules. params holds helhed.RuleSet as JSON; a
-- screening stores the version it was scored with and re-displays with it forever.
CREATE TABLE rule_sets (
    version      int PRIMARY KEY CHECK (version > 0),
    params       jsonb NOT NULL,
    valid_from   date NOT NULL,
    note         text NOT NULL DEFAULT '',
    published_by bigint REFERENCES users (id),
    published_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO rule_sets (version, params, valid_from, note) VALUES (1,
    '{"Version":1,"WHO5High":28,"WHO5Medium":50,"MediumKRAMSCount":2,"LowKRAMSCount":1,"AlcoholWeekMax":10,"AlcoholDayMax":4,"ExerciseMinMinutes":30}',
    '2020-01-01', 'Standardregler: Sundhedsstyrelsens KRAMS-grænser og WHO-5');

CREATE TABLE screenings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id       bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    screened_on      date NOT NULL,
    answers          jsonb NOT NULL, -- helhed.ScreeningAnswers: health data
    conditions       jsonb NOT NULL DEFAULT '{}', -- known conditions: flags and free text
    rule_set_version int NOT NULL REFERENCES rule_sets (version),
    who5             int NOT NULL CHECK (who5 BETWEEN 0 AND 100),
    krams_risks      text[] NOT NULL DEFAULT '{}',
    computed_group   text NOT NULL,
    final_group      text NOT NULL,
    override_reason  text NOT NULL DEFAULT '',
    overridden_by    bigint REFERENCES users (id),
    overridden_at    timestamptz,
    created_by       bigint NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (final_group = computed_group OR override_reason <> '')
);
CREATE INDEX screenings_citizen_idx ON screenings (citizen_id, screened_on DESC, id DESC);

-- The current risk group is kept on the citizen (set in the same transaction as the
-- screening) so caseloads can show and filter it through an index instead of a per-row
-- lookup of the latest screening.
ALTER TABLE citizens ADD COLUMN risk_group text;
CREATE INDEX citizens_unit_risk_idx ON citizens (unit_id, risk_group);
