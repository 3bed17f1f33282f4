-- Effect as the municipal strategy means it (issue 15, item 6): time on public support is a
-- person's continuous spell across benefit types, not one benefit period; a spell ends in
-- selvforsørgelse (job, education) or otherwise; and "50 % experience improved function" is
-- the citizen's own answer, not a caseworker's score.
--
-- 1. Two categorisations of reference values, as data (each code and category a foreign key
--    to ref_values, as in migration 0017): what an exit reason counts as in the effect
--    figures (exit_reason_categories, vocabulary exit_category), and whether a benefit type
--    counts as public support in a spell (benefit_spell_scopes, vocabulary spell_scope). An
--    administrator adds a row when the law adds a value; a value without a row counts as
--    "andet" (exit) and as public support (benefit).
-- 2. benefit_spells: the spells of every citizen, computed in SQL (gap and island over
--    benefit_periods with the calendar-month rule of helhed.Spells).
-- 3. management_spells replaces management_outcomes: ended spells by month of exit.
-- 4. function_self_ratings: "borgerens egen vurdering" of their functional capacity.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('exit_category', 'Afgangskategorier', 'Hvad en afgangsårsag tæller som i effektmålingen: selvforsørgelse eller ej'),
    ('spell_scope', 'Ydelser i forløbsmålingen', 'Om en ydelsestype tæller som offentlig forsørgelse, når forløb på tværs af ydelser lægges sammen');

INSERT INTO ref_values (kind, code, label, sort_order, description, source) VALUES
    ('exit_category', 'selvforsoergelse', 'Selvforsørgelse (job eller uddannelse)', 10,
        'Afgang til lønmodtagerbeskæftigelse eller uddannelse, som Jobindsats opgør status efter et afsluttet forløb.',
        'Jobindsats: arbejdsmarkedsstatus efter afsluttet forløb (beskæftigelse, uddannelse, forsørgelsesydelse, selvforsørgelse)'),
    ('exit_category', 'varig_stoette', 'Fleksjob eller førtidspension', 20,
        'Varig offentligt støttet beskæftigelse eller pension: Jobindsats tæller begge som offentlig forsørgelse, så de er ikke selvforsørgelse i effektmålingen.',
        'Helheds valg efter Jobindsats'),
    ('exit_category', 'andet', 'Anden afgang', 90,
        'Andet (fx død, udrejse, orlov, folkepension) og afgange uden oplyst årsag.', 'Helheds valg'),
    ('spell_scope', 'forsoergelse', 'Offentlig forsørgelse', 10,
        'Ydelsen tæller med i et forløb på offentlig forsørgelse; skift til en anden sådan ydelse er ikke en afgang.', 'Helheds valg'),
    ('spell_scope', 'udenfor', 'Tæller ikke i forløbet', 20,
        'Ansættelse, ikke en forsørgelsesydelse (fleksjob): en overgang hertil afslutter forløbet.',
        'Fleksjob er ansættelse med løntilskud (lov om en aktiv beskæftigelsesindsats); Jobindsats tæller det dog med');

CREATE TABLE exit_reason_categories (
    exit_code      text PRIMARY KEY,
    exit_code_kind text GENERATED ALWAYS AS ('exit_reason') STORED,
    category       text NOT NULL,
    category_kind  text GENERATED ALWAYS AS ('exit_category') STORED,
    FOREIGN KEY (exit_code_kind, exit_code) REFERENCES ref_values (kind, code),
    FOREIGN KEY (category_kind, category) REFERENCES ref_values (kind, code)
);
CREATE INDEX exit_reason_categories_code_idx ON exit_reason_categories (exit_code, exit_code_kind);
CREATE INDEX exit_reason_categories_category_idx ON exit_reason_categories (category, category_kind);

CREATE TABLE benefit_spell_scopes (
    benefit_code      text PRIMARY KEY,
    benefit_code_kind text GENERATED ALWAYS AS ('benefit_type') STORED,
    scope             text NOT NULL,
    scope_kind        text GENERATED ALWAYS AS ('spell_scope') STORED,
    FOREIGN KEY (benefit_code_kind, benefit_code) REFERENCES ref_values (kind, code),
    FOREIGN KEY (scope_kind, scope) REFERENCES ref_values (kind, code)
);
CREATE INDEX benefit_spell_scopes_code_idx ON benefit_spell_scopes (benefit_code, benefit_code_kind);
CREATE INDEX benefit_spell_scopes_scope_idx ON benefit_spell_scopes (scope, scope_kind);

INSERT INTO exit_reason_categories (exit_code, category)
SELECT v.code, c.category
FROM (VALUES ('job', 'selvforsoergelse'), ('uddannelse', 'selvforsoergelse'), ('fleksjob', 'varig_stoette'),
             ('foertidspension', 'varig_stoette'), ('andet', 'andet')) AS c (code, category)
JOIN ref_values v ON v.kind = 'exit_reason' AND v.code = c.code;

INSERT INTO benefit_spell_scopes (benefit_code, scope)
SELECT v.code, CASE WHEN v.code = 'fleksjob' THEN 'udenfor' ELSE 'forsoergelse' END
FROM ref_values v WHERE v.kind = 'benefit_type';

-- The spells: each citizen's benefit periods in public support (scope not 'udenfor'),
-- in order of start (then id), joined into islands. A period starts a new spell when no
-- earlier period runs and a whole calendar month lies between the latest end so far and its
-- start: it starts on or after the first day of the month after the first whole month after
-- that end, i.e. start >= date_trunc('month', end + 1 month) + 1 month. This is
-- helhed.Spells' rule, and TestSQLSpellsAgreeWithHelhed checks the two on random histories.
-- A spell's exit is the exit reason of the period that ended last (the earliest of those
-- that end on that day); a spell with a running period has not ended. Filtering on
-- citizen_id is pushed below the window functions (they partition by it).
CREATE VIEW benefit_spells AS
WITH p AS (
    SELECT b.id, b.citizen_id, b.benefit_code, b.start_date, b.end_date, b.exit_code,
           max(coalesce(b.end_date, 'infinity'::date)) OVER (PARTITION BY b.citizen_id ORDER BY b.start_date, b.id
                                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM benefit_periods b
    WHERE NOT EXISTS (SELECT 1 FROM benefit_spell_scopes k WHERE k.benefit_code = b.benefit_code AND k.scope = 'udenfor')
), i AS (
    SELECT p.*, sum(CASE WHEN p.prev_end IS NULL THEN 1
                         WHEN p.prev_end = 'infinity'::date THEN 0
                         WHEN p.start_date >= (date_trunc('month', p.prev_end + interval '1 month') + interval '1 month')::date THEN 1
                         ELSE 0 END) OVER (PARTITION BY p.citizen_id ORDER BY p.start_date, p.id) AS spell_no
    FROM p
)
SELECT citizen_id, spell_no::int AS spell_no, min(start_date) AS start_date,
       CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date) END AS end_date,
       CASE WHEN bool_or(end_date IS NULL) THEN NULL
            ELSE (array_agg(exit_code ORDER BY end_date DESC, start_date, id))[1] END AS exit_code,
       (array_agg(benefit_code ORDER BY start_date, id))[1] AS first_benefit,
       array_agg(benefit_code ORDER BY start_date, id) AS benefits,
       count(*)::int AS periods
FROM i
GROUP BY citizen_id, spell_no;

-- Ended spells by month of exit, unit, the benefit the spell began on, exit reason, the risk
-- group of the citizen's latest screening on or before the exit, and whether the citizen had
-- an indsatsplan by then, with each spell's length in days (both ends counted). It replaces
-- management_outcomes (one row per benefit period), whose figures counted a change of benefit
-- as an exit.
DROP MATERIALIZED VIEW management_outcomes;
DELETE FROM management_refreshes WHERE view_name = 'management_outcomes';

CREATE MATERIALIZED VIEW management_spells AS
SELECT date_trunc('month', s.end_date)::date AS month, c.unit_id, s.first_benefit AS benefit_code,
       coalesce(s.exit_code, '') AS exit_code, coalesce(sc.final_group, '') AS risk_group,
       coalesce(p.created_at <= s.end_date + 1, false) AS with_plan,
       array_agg(s.end_date - s.start_date + 1 ORDER BY s.citizen_id, s.spell_no) AS days
FROM benefit_spells s
JOIN citizens c ON c.id = s.citizen_id
LEFT JOIN plans p ON p.citizen_id = s.citizen_id
LEFT JOIN LATERAL (
    SELECT x.final_group FROM screenings x
    WHERE x.citizen_id = s.citizen_id AND x.screened_on <= s.end_date
    ORDER BY x.screened_on DESC, x.id DESC LIMIT 1) sc ON true
WHERE s.end_date IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE UNIQUE INDEX management_spells_key ON management_spells (month, unit_id, benefit_code, exit_code, risk_group, with_plan);
INSERT INTO management_refreshes (view_name) VALUES ('management_spells');

-- Borgerens egen vurdering: at a follow-up the caseworker asks the citizen, and records the
-- answer on the five-point scale of a transition item: "Sammenlignet med sidste opfølgning –
-- hvordan oplever du din evne til at klare et arbejde eller en uddannelse nu?" (wording and
-- scale: docs/law.md, "Effekt"). Health data: the citizen's own account of how their
-- functional capacity develops (docs/security.md).
CREATE TABLE function_self_ratings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    citizen_id  bigint NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    answered_on date NOT NULL,
    answer      text NOT NULL CHECK (answer IN ('meget_bedre', 'noget_bedre', 'uaendret', 'noget_daarligere', 'meget_daarligere')),
    created_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX function_self_ratings_citizen_idx ON function_self_ratings (citizen_id, answered_on DESC, id DESC);
-- The management figure reads a period's answers: an index-only range scan.
CREATE INDEX function_self_ratings_answered_idx ON function_self_ratings (answered_on) INCLUDE (citizen_id, answer, id);
CREATE INDEX function_self_ratings_created_by_idx ON function_self_ratings (created_by);
