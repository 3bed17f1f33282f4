-- Rule checks on benefit histories as dated data (issue 15). A new benefit period is checked
-- against the citizen's history and age by the rules in force on its start date; each rule is
-- a row with the period it is in force and its source, so a change of the law is a new row,
-- not a release. The program knows only the shapes a rule can have (kind, helhed.RuleKinds):
--   overlap           a period of `benefits` may not overlap a period of `others`
--   pension_age       a period of `benefits` may not start on or after folkepensionsalderen
--   follows           a period of `benefits` follows one of `others` that ended at most
--                     `window_days` days before it
--   pension_distance  a period of `benefits` starting less than `years` years before
--                     folkepensionsalderen
-- A rule either refuses the period or warns; a warning needs the caseworker's reason, which
-- is kept with the period (benefit_periods.rule_reason). docs/law.md gives every source and
-- what the sources leave uncertain.

CREATE TABLE benefit_rules (
    code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,60}$'),
    valid_from  date NOT NULL,
    valid_to    date CHECK (valid_to IS NULL OR valid_to >= valid_from),
    kind        text NOT NULL CHECK (kind IN ('overlap', 'pension_age', 'follows', 'pension_distance')),
    severity    text NOT NULL CHECK (severity IN ('refuse', 'warn')),
    benefits    text[] NOT NULL CHECK (cardinality(benefits) > 0),
    others      text[] NOT NULL DEFAULT '{}',
    window_days int NOT NULL DEFAULT 0 CHECK (window_days BETWEEN 0 AND 3650),
    years       int NOT NULL DEFAULT 0 CHECK (years BETWEEN 0 AND 50),
    source      text NOT NULL CHECK (source <> '' AND char_length(source) <= 300),
    note        text NOT NULL DEFAULT '',
    PRIMARY KEY (code, valid_from),
    CHECK (kind NOT IN ('overlap', 'follows') OR cardinality(others) > 0),
    CHECK (kind <> 'pension_distance' OR years > 0)
);

INSERT INTO benefit_rules (code, valid_from, kind, severity, benefits, others, window_days, years, source, note) VALUES
    ('forsoergelse_overlap', '1900-01-01', 'overlap', 'refuse',
        '{kontanthjaelp,uddannelseshjaelp,sygedagpenge,integrationsydelse,dagpenge,ressourceforloeb,jobafklaringsforloeb,ledighedsydelse}',
        '{kontanthjaelp,uddannelseshjaelp,sygedagpenge,integrationsydelse,dagpenge,ressourceforloeb,jobafklaringsforloeb,ledighedsydelse}',
        0, 0,
        'Helheds regel: én forsørgelsesydelse ad gangen; en ny ydelse afløser den hidtidige (fx sygedagpengeloven § 24, LAS kap. 6 b)',
        'Forsørgelsesydelserne. Fleksjob er ansættelse med løntilskud (LAB kap. 20), ikke en forsørgelsesydelse, og er ikke med. Supplerende hjælp registreres ikke som et eget forløb.'),
    ('fleksjob_ledighedsydelse', '1900-01-01', 'overlap', 'warn', '{fleksjob}', '{ledighedsydelse}', 0, 0,
        'LAS § 74, stk. 1, nr. 4 og 5',
        'Ledighedsydelse er forsørgelse for visiterede, der er ledige; under et fleksjob kun ved ferie uden optjent feriegodtgørelse og ved midlertidige afbrydelser.'),
    ('ledighedsydelse_fleksjob', '1900-01-01', 'overlap', 'warn', '{ledighedsydelse}', '{fleksjob}', 0, 0,
        'LAS § 74, stk. 1, nr. 4 og 5',
        'Som fleksjob_ledighedsydelse, set fra ledighedsydelsen.'),
    ('folkepensionsalder', '1900-01-01', 'pension_age', 'refuse',
        '{kontanthjaelp,uddannelseshjaelp,integrationsydelse,dagpenge,ressourceforloeb,jobafklaringsforloeb,ledighedsydelse}',
        '{}', 0, 0,
        'Folkepension fra folkepensionsalderen, lov om social pension § 1 a',
        'Sygedagpenge er ikke med: de kan gives efter folkepensionsalderen, højst 26 uger på 12 måneder (sygedagpengeloven § 25, stk. 1, nr. 3). Fleksjob er ansættelse.'),
    ('jobafklaring_efter_sygedagpenge', '2014-07-01', 'follows', 'warn', '{jobafklaringsforloeb}', '{sygedagpenge}', 31, 0,
        'Sygedagpengeloven §§ 24 og 24 a (lov nr. 720 af 25.6.2014)',
        'Vinduet på 31 dage er Helheds valg: loven lader jobafklaringsforløbet følge direkte efter sygedagpengene; sygedagpengene kan ligge før Helheds registreringer, derfor en advarsel.'),
    ('ressourceforloeb_6_aar', '2022-01-01', 'pension_distance', 'warn', '{ressourceforloeb}', '{}', 0, 6,
        'LAB § 112, stk. 3 (lovforslag L 209, 2020-21, i kraft 1.1.2022)',
        'Mindre end 6 år til folkepensionsalderen: intet ressourceforløb, medmindre borgeren selv ønsker det.');

-- Folkepensionsalderen by birth date, lov om social pension § 1 a, by the version of the law
-- in force (valid_from/valid_to). Bands of LBK nr. 527 af 25.4.2022 that no later change
-- touched are not dated (1900-01-01): the earlier versions (2006, 2011) concern people who
-- reached folkepensionsalderen before the rules that use it matter.
CREATE TABLE pension_ages (
    born_from  date NOT NULL,
    born_to    date CHECK (born_to IS NULL OR born_to >= born_from),
    months     int NOT NULL CHECK (months BETWEEN 720 AND 960),
    valid_from date NOT NULL,
    valid_to   date CHECK (valid_to IS NULL OR valid_to >= valid_from),
    source     text NOT NULL CHECK (source <> '' AND char_length(source) <= 300),
    PRIMARY KEY (born_from, valid_from)
);

INSERT INTO pension_ages (born_from, born_to, months, valid_from, valid_to, source) VALUES
    ('1800-01-01', '1953-12-31', 780, '1900-01-01', NULL, 'lov om social pension § 1 a, nr. 1 (LBK nr. 527 af 25.4.2022)'),
    ('1954-01-01', '1954-06-30', 786, '1900-01-01', NULL, 'lov om social pension § 1 a, nr. 2 (LBK nr. 527 af 25.4.2022)'),
    ('1954-07-01', '1954-12-31', 792, '1900-01-01', NULL, 'lov om social pension § 1 a, nr. 3 (LBK nr. 527 af 25.4.2022)'),
    ('1955-01-01', '1955-06-30', 798, '1900-01-01', NULL, 'lov om social pension § 1 a, nr. 4 (LBK nr. 527 af 25.4.2022)'),
    ('1955-07-01', '1962-12-31', 804, '1900-01-01', NULL, 'lov om social pension § 1 a, nr. 5 (LBK nr. 527 af 25.4.2022)'),
    -- Until the change in force 31.12.2020, 68 for everyone born after 31.12.1962.
    ('1963-01-01', NULL, 816, '1900-01-01', '2020-12-30', 'lov om social pension § 1 a før ændringen i kraft 31.12.2020'),
    ('1963-01-01', '1966-12-31', 816, '2020-12-31', NULL, 'lov om social pension § 1 a, nr. 6 (i kraft 31.12.2020)'),
    ('1967-01-01', NULL, 828, '2020-12-31', '2025-12-30', 'lov om social pension § 1 a, nr. 7 (i kraft 31.12.2020)'),
    -- L 149 (2024-25): 70 for people born 1.1.1971 or later.
    ('1967-01-01', '1970-12-31', 828, '2025-12-31', NULL, 'lov om social pension § 1 a som ændret efter lovforslag L 149 (2024-25)'),
    ('1971-01-01', NULL, 840, '2025-12-31', NULL, 'lov om social pension § 1 a som ændret efter lovforslag L 149 (2024-25)');

-- The caseworker's reason for recording a period a rule warned about (e.g. "borgeren ønsker
-- det selv", LAB § 112, stk. 3). Case data (internal/access/classify.go).
ALTER TABLE benefit_periods ADD COLUMN rule_reason text NOT NULL DEFAULT ''
    CHECK (char_length(rule_reason) <= 1000);
