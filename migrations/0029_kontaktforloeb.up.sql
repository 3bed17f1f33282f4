-- Kontaktforløbet as dated data (issue 17): how many conversations the law requires of the
-- municipality with a citizen on a benefit, within how long, from when to when, and on what
-- source — so that a change of the law (lov nr. 1750 of 29.12.2025 from 1.7.2026; the main
-- law announced for 1.1.2027) is a new row with its dates, not a change of the program. An
-- administrator keeps the rows; docs/law.md lists every fact with its source and what stays
-- uncertain.
--
-- A rule applies to a benefit period that began while it was in force (valid_from <= start
-- <= valid_to): it requires `samtaler` conversations held in the window from `after_months`
-- to `within_months` months after the period's start, the first of them within
-- `first_within_days` days of the start when that is set (sygedagpenge: by the end of the
-- 8th week). Helhed spreads the conversations evenly over the window to say when the next
-- one is due (contact_due below); the law's own deadline is the window's end.
CREATE TABLE contact_cadences (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    benefit_code      text NOT NULL,
    benefit_code_kind text GENERATED ALWAYS AS ('benefit_type') STORED,
    label             text NOT NULL CHECK (label <> '' AND char_length(label) <= 200),
    samtaler          int NOT NULL CHECK (samtaler BETWEEN 1 AND 52),
    after_months      int NOT NULL DEFAULT 0 CHECK (after_months >= 0),
    within_months     int NOT NULL CHECK (within_months BETWEEN 1 AND 60),
    first_within_days int CHECK (first_within_days BETWEEN 1 AND 366),
    valid_from        date NOT NULL,
    valid_to          date,
    source            text NOT NULL CHECK (source <> '' AND char_length(source) <= 300),
    -- What the sources leave open about the rule, shown beside it.
    uncertainty       text NOT NULL DEFAULT '' CHECK (char_length(uncertainty) <= 1000),
    CONSTRAINT contact_cadences_benefit_fkey FOREIGN KEY (benefit_code_kind, benefit_code) REFERENCES ref_values (kind, code),
    CONSTRAINT contact_cadences_window CHECK (after_months < within_months),
    CONSTRAINT contact_cadences_dates CHECK (valid_to IS NULL OR valid_to >= valid_from),
    -- One rule per benefit on any day: a unique start here, and no overlap of periods
    -- (store TestContactCadencesDoNotOverlap).
    CONSTRAINT contact_cadences_start_key UNIQUE (benefit_code, valid_from)
);
CREATE INDEX contact_cadences_benefit_idx ON contact_cadences (benefit_code_kind, benefit_code);

-- The reasons a citizen is exempt from the kontaktforløb, as reference data with their
-- sources (lov nr. 1750, from 1.7.2026).
INSERT INTO ref_kinds (kind, label, description) VALUES
    ('contact_exemption', 'Undtagelser fra kontaktforløbet', 'Hvorfor kommunen ikke holder de lovpligtige samtaler med en borger');
INSERT INTO ref_values (kind, code, label, sort_order, valid_from, description, source) VALUES
    ('contact_exemption', 'sygemeldt_under_26_uger', 'Sygemeldt i job, forventet fravær under 26 uger', 10, '2026-07-01',
        'Sygemeldte med et job, hvor både den sygemeldte og arbejdsgiveren forventer et sygefravær på under 26 uger, skal som udgangspunkt ikke til samtale og opfølgning i kommunen. Gælder kun sygedagpenge. Ikrafttrædelsesdatoen er ikke bekræftet (1.2. eller 1.7.2026); se docs/law.md.',
        'Lov nr. 1750 af 29.12.2025 § 3 (sygedagpengeloven)'),
    ('contact_exemption', 'konkret_vurdering', 'Undtaget efter konkret vurdering (højst 25 %)', 20, '2026-07-01',
        'Kommunen kan ud fra en konkret vurdering undtage op til 25 % af dagpengemodtagerne og de job- og uddannelsesparate kontanthjælpsmodtagere, som den vurderer selv kan komme i job, fra jobsamtaler og tilbud. Personer under arbejdspligt er ikke omfattet.',
        'Lov nr. 1750 af 29.12.2025 (LAB, mere fleksible kontaktforløb), i kraft 1.7.2026');

-- The rules as the sources give them (docs/law.md, "Kontaktforløbet").
INSERT INTO contact_cadences (benefit_code, label, samtaler, after_months, within_months, first_within_days, valid_from, valid_to, source, uncertainty) VALUES
    ('kontanthjaelp', 'Fire jobsamtaler de første 6 måneder', 4, 0, 6, NULL, '2020-01-01', '2026-06-30',
        'LAB (lov nr. 548 af 7.5.2019) kap. 7; STAR: "fire samtaler i jobcentret de første 6 måneder"',
        'Den første samtale skal holdes senest en uge efter første henvendelse; Helhed kender ikke henvendelsesdagen og regner fra ydelsens start.'),
    ('kontanthjaelp', 'Fire jobsamtaler de første 6 måneder (jobparate)', 4, 0, 6, NULL, '2026-07-01', NULL,
        'Lov nr. 1750 af 29.12.2025 (mere fleksible kontaktforløb, i kraft 1.7.2026); STAR spørgsmål og svar',
        'Kravet om fire samtaler for jobparate stammer fra STARs spørgsmål og svar fra før lovens vedtagelse. Kravet til aktivitetsparate efter 1.7.2026 er ikke fundet; Helhed bruger samme regel.'),
    ('uddannelseshjaelp', 'Fire jobsamtaler de første 6 måneder', 4, 0, 6, NULL, '2020-01-01', '2025-06-30',
        'LAB (lov nr. 548 af 7.5.2019) kap. 7; STAR: "fire samtaler i jobcentret de første 6 måneder"', ''),
    ('integrationsydelse', 'Fire jobsamtaler de første 6 måneder', 4, 0, 6, NULL, '2020-01-01', '2025-06-30',
        'LAB (lov nr. 548 af 7.5.2019) kap. 7; STAR: "fire samtaler i jobcentret de første 6 måneder"', ''),
    ('ledighedsydelse', 'Fire jobsamtaler de første 6 måneder', 4, 0, 6, NULL, '2020-01-01', NULL,
        'LAB (lov nr. 548 af 7.5.2019) kap. 7; fra 1.7.2026 lov nr. 1750 af 29.12.2025 (STAR spørgsmål og svar)',
        'At kravet er uændret fire samtaler efter 1.7.2026 bygger på STARs spørgsmål og svar fra før lovens vedtagelse.'),
    ('ressourceforloeb', 'Fire samtaler de første 6 måneder', 4, 0, 6, NULL, '2020-01-01', NULL,
        'LAB (lov nr. 548 af 7.5.2019) kap. 7; STAR: "Ved ydelsesskift, fx fra kontanthjælp til ressourceforløb, skal der igen afholdes fire samtaler"',
        'Ressourceforløb er afskaffet for nye borgere ved lov nr. 1750; reglen for igangværende forløb er den hidtidige.'),
    ('jobafklaringsforloeb', 'Fire samtaler de første 6 måneder', 4, 0, 6, NULL, '2020-01-01', NULL,
        'LAB (lov nr. 548 af 7.5.2019) kap. 7; STAR: "fire samtaler i jobcentret de første 6 måneder"', ''),
    ('dagpenge', 'Tre jobsamtaler i jobcentret i 4.–6. måned', 3, 3, 6, NULL, '2024-01-01', NULL,
        'Forenklet kontaktforløb (anden delaftale om nytænkning af beskæftigelsesindsatsen, juni 2022), i kraft 1.1.2024; STAR: a-kassen holder de første tre samtaler, jobcentret de sidste tre i de næste tre måneder',
        'A-kassen har ansvaret de første tre måneder (410 dagpengetimer), ikke præcist tre kalendermåneder. Om antallet ændres af 75 %-reglen fra 1.7.2026, er ikke fundet; reglen gælder uændret, indtil en administrator ændrer den.'),
    ('sygedagpenge', 'Fire opfølgninger det første halve år, den første inden udgangen af 8. uge', 4, 0, 6, 56, '2014-07-01', '2026-06-30',
        'Sygedagpengeloven § 13 b, stk. 1 (sager i kategori 2 og 3; sygedagpengereformen, i kraft 1.7.2014)',
        'Gælder kategori 2 og 3; kategori 1 har en lettere opfølgning, som Helhed ikke skelner. Slutdatoen forudsætter, at lov nr. 1750s sygedagpengeregler gælder fra 1.7.2026; datoen er ikke bekræftet.'),
    ('sygedagpenge', 'Mindst én samtale det første halve år', 1, 0, 6, NULL, '2026-07-01', NULL,
        'Lov nr. 1750 af 29.12.2025 § 3 (sygedagpengeloven)',
        'Kilden til "mindst én samtale det første halve år" er sekundær (opkurser.dk), og ikrafttrædelsesdatoen er ikke bekræftet (1.2. eller 1.7.2026).');

-- contact_due is when the next required conversation is due, by Helhed's even spread: with
-- `held` of `n` conversations held in the window [from_day, end_day), the (held + 1)-th is
-- due by the day that lies (held + 1)/n of the way through the window (the last one on the
-- window's last day), and the first no later than first_due when that is set. NULL when all
-- are held. It is the one place the rule is computed: the citizen page, the overdue lists
-- and the tasks all ask it.
CREATE FUNCTION contact_due(from_day date, end_day date, n int, held int, first_due date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN held >= n THEN NULL
        WHEN held = 0 AND first_due IS NOT NULL
            THEN least(first_due, from_day + ceil((end_day - from_day)::numeric / n)::int - 1)
        ELSE from_day + ceil((held + 1) * (end_day - from_day)::numeric / n)::int - 1
    END
$$;

-- Exemptions from the kontaktforløb, per citizen and period: the reason (reference data
-- contact_exemption), from and to (inclusive; open while it lasts), a note, and who recorded
-- it. A current exemption means no conversation is due.
CREATE TABLE contact_exemptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id  bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    reason      text NOT NULL,
    reason_kind text GENERATED ALWAYS AS ('contact_exemption') STORED,
    from_date   date NOT NULL,
    to_date     date,
    note        text NOT NULL DEFAULT '' CHECK (char_length(note) <= 1000),
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contact_exemptions_reason_fkey FOREIGN KEY (reason_kind, reason) REFERENCES ref_values (kind, code),
    CONSTRAINT contact_exemptions_dates CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX contact_exemptions_citizen_idx ON contact_exemptions (citizen_id, from_date);
CREATE INDEX contact_exemptions_reason_idx ON contact_exemptions (reason, reason_kind);
CREATE INDEX contact_exemptions_created_by_idx ON contact_exemptions (created_by);

-- The overdue lists read held samtaler by citizen and time (samtaler_citizen_idx) and the
-- caseworker's citizens (citizens_caseworker index, migration 0010).
