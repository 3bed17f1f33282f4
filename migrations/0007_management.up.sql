-- Management (ledelse): strategy initiatives with their status history, the goals the
-- dashboards draw, and the indexes behind the dashboards' aggregate queries.
--
-- The strategy's themes and the status scale (😊 / 😐 / 😞) are reference data with validity
-- dates like every other vocabulary: a municipality renames a theme or adds a status by an
-- UPDATE/INSERT, never a migration. The goals are dated settings, so a new target (say a
-- caseload of 35) applies from its date and history keeps the old one.

INSERT INTO ref_kinds (kind, label, description) VALUES
    ('initiative_theme', 'Strategiens temaer', 'Temaer, som strategiens initiativer grupperes under i statusrapporten'),
    ('initiative_status', 'Initiativstatus', 'Status for et strategisk initiativ, vist som smiley i statusrapporten');

INSERT INTO ref_values (kind, code, label, sort_order, description) VALUES
    ('initiative_status', 'fremdrift', 'I planmæssig fremdrift', 10,
        'Indsatsen er i planmæssig fremdrift eller i drift.'),
    ('initiative_status', 'mindre_udfordringer', 'Mindre udfordringer', 20,
        'Der er mindre udfordringer med at få gennemført indsatsen planmæssigt, for eksempel på grund af forsinkelser eller justeringer i indsatsens indhold.'),
    ('initiative_status', 'reelle_udfordringer', 'Reelle udfordringer', 30,
        'Der er reelle udfordringer med at få indsatsen gennemført, for eksempel fordi der endnu ikke er bevilget midler.'),

    ('initiative_theme', 'tidlig_indsats', 'Tidlig opsporing og screening', 10,
        'Screening af nye borgere på kontanthjælp og sygedagpenge; rette indsats på rette tidspunkt'),
    ('initiative_theme', 'sundhed_beskaeftigelse', 'Sundhed og beskæftigelse', 20,
        'Sundhedstilbud som en del af beskæftigelsesforløbet'),
    ('initiative_theme', 'psykiske_lidelser', 'Borgere med psykiske lidelser', 30,
        'IPS, mestringsforløb og samarbejde med psykiatrien'),
    ('initiative_theme', 'unge', 'Unge uden uddannelse', 40, ''),
    ('initiative_theme', 'sammenhaeng', 'Sammenhængende forløb på tværs', 50,
        'Tværfaglig funktionsevneanalyse, koordinering og datadeling på tværs af forvaltninger');

-- The management goals (from the municipal sources): a caseload of 40 per caseworker against
-- the up to 80 before; half the citizens experience improved functional capacity; one year
-- off the average time on public support.
INSERT INTO settings (key, valid_from, value, note) VALUES
    ('management_goals', '1900-01-01',
        '{"CaseloadTarget":40,"CaseloadFormer":80,"ImprovedSharePercent":50,"DurationReductionDays":365}',
        'Sagsstamme 40 pr. sagsbehandler (fra op til 80); 50 % oplever forbedret funktionsevne; 1 år kortere gennemsnitlig varighed på offentlig forsørgelse');

-- An initiative of the strategy. version is the optimistic lock: two leaders editing at once
-- never silently overwrite each other. counts_from is the day from which referrals to the
-- linked offers count ("pr. <dato> er der henvist N borgere").
CREATE TABLE initiatives (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    theme       text NOT NULL, -- ref_values kind 'initiative_theme'
    title       text NOT NULL CHECK (title <> ''),
    description text NOT NULL DEFAULT '',
    status      text NOT NULL, -- ref_values kind 'initiative_status'
    note        text NOT NULL DEFAULT '',
    counts_from date NOT NULL,
    version     int NOT NULL DEFAULT 1,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  bigint REFERENCES users (id),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX initiatives_theme_idx ON initiatives (theme, title, id);

-- The catalogue offers an initiative works through; their referrals are its live counts.
CREATE TABLE initiative_offers (
    initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    offer_id      bigint NOT NULL REFERENCES offers (id),
    PRIMARY KEY (initiative_id, offer_id)
);
CREATE INDEX initiative_offers_offer_idx ON initiative_offers (offer_id);

-- Every status (and note) an initiative has had, newest first on its page: the history the
-- committee reads.
CREATE TABLE initiative_status_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id bigint NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    status        text NOT NULL,
    note          text NOT NULL DEFAULT '',
    changed_by    bigint REFERENCES users (id),
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX initiative_status_changes_idx ON initiative_status_changes (initiative_id, changed_at DESC, id DESC);

-- The management figures (internal/store/management.go). Aggregating the case tables at
-- query time took 240–750 ms per figure at 100 000 citizens with five years of history
-- (docs/queries.md), over the 300 ms a whole dashboard may take. These views hold the same
-- figures per month, unit and category, a few thousand rows each; the app refreshes them
-- CONCURRENTLY (readers never wait) every few minutes, and after an initiative is saved.
-- Caseloads, seats and waiting lists stay live: they are cheap to count.
--
-- Months are calendar months in Danish time. Durations are kept as arrays of days per cell,
-- so means and exact medians can be computed over any combination of cells. No view holds a
-- citizen's id; small cells are suppressed where the figures are shown (helhed.Figure).

-- Benefit periods that have ended, by month of exit, unit, benefit, exit reason, the risk
-- group of the citizen's latest screening on or before the exit, and whether the citizen had
-- an indsatsplan by then.
CREATE MATERIALIZED VIEW management_outcomes AS
SELECT date_trunc('month', b.end_date)::date AS month, c.unit_id, b.benefit_code,
       coalesce(b.exit_code, '') AS exit_code, coalesce(s.final_group, '') AS risk_group,
       coalesce(p.created_at <= b.end_date + 1, false) AS with_plan,
       array_agg(b.end_date - b.start_date + 1 ORDER BY b.id) AS days
FROM benefit_periods b
JOIN citizens c ON c.id = b.citizen_id
LEFT JOIN plans p ON p.citizen_id = b.citizen_id
LEFT JOIN LATERAL (
    SELECT s.final_group FROM screenings s
    WHERE s.citizen_id = b.citizen_id AND s.screened_on <= b.end_date
    ORDER BY s.screened_on DESC, s.id DESC LIMIT 1) s ON true
WHERE b.end_date IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE UNIQUE INDEX management_outcomes_key ON management_outcomes (month, unit_id, benefit_code, exit_code, risk_group, with_plan);

-- Referrals by the month they were sent and the state they are in now.
CREATE MATERIALIZED VIEW management_referrals AS
SELECT date_trunc('month', r.created_at AT TIME ZONE 'Europe/Copenhagen')::date AS month, r.offer_id, r.to_unit_id,
       r.from_unit_id, r.state, count(*)::int AS n
FROM referrals r
GROUP BY 1, 2, 3, 4, 5;
CREATE UNIQUE INDEX management_referrals_key ON management_referrals (month, offer_id, to_unit_id, from_unit_id, state);

-- Started referrals by the month they started, with the days from referral to start.
CREATE MATERIALIZED VIEW management_referral_starts AS
SELECT date_trunc('month', e.at AT TIME ZONE 'Europe/Copenhagen')::date AS month, r.offer_id, r.to_unit_id, r.from_unit_id,
       array_agg((e.at AT TIME ZONE 'Europe/Copenhagen')::date - (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date
                 ORDER BY e.id) AS days
FROM referral_events e JOIN referrals r ON r.id = e.referral_id
WHERE e.to_state = 'startet'
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX management_referral_starts_key ON management_referral_starts (month, offer_id, to_unit_id, from_unit_id);

-- The reasons given when referrals were rejected, discontinued or not attended (every
-- transition that requires a reason), by month, in the words used (trimmed, lower case).
CREATE MATERIALIZED VIEW management_referral_reasons AS
SELECT date_trunc('month', e.at AT TIME ZONE 'Europe/Copenhagen')::date AS month, r.offer_id, r.to_unit_id, r.from_unit_id,
       e.to_state AS state, lower(btrim(e.reason)) AS reason, count(*)::int AS n
FROM referral_events e JOIN referrals r ON r.id = e.referral_id
WHERE btrim(e.reason) <> ''
GROUP BY 1, 2, 3, 4, 5, 6;
CREATE UNIQUE INDEX management_referral_reasons_key ON management_referral_reasons (month, offer_id, to_unit_id, from_unit_id, state, reason);

-- Screenings by month, unit and resulting risk group: how the screened population's risk
-- changes over time.
CREATE MATERIALIZED VIEW management_screenings AS
SELECT date_trunc('month', s.screened_on)::date AS month, c.unit_id, s.final_group, count(*)::int AS n
FROM screenings s JOIN citizens c ON c.id = s.citizen_id
GROUP BY 1, 2, 3;
CREATE UNIQUE INDEX management_screenings_key ON management_screenings (month, unit_id, final_group);

-- WHO-5 from each citizen's first to latest screening (citizens screened at least twice), by
-- the month of the latest screening: sums for the means, and how many changed by 10 points
-- or more either way (a clinically meaningful change).
CREATE MATERIALIZED VIEW management_who5 AS
WITH s AS (
    SELECT citizen_id, who5, screened_on,
           row_number() OVER (PARTITION BY citizen_id ORDER BY screened_on, id) AS k,
           count(*) OVER (PARTITION BY citizen_id) AS n
    FROM screenings
), x AS (
    SELECT f.citizen_id, f.who5 AS first, l.who5 AS latest, l.screened_on
    FROM s f JOIN s l ON l.citizen_id = f.citizen_id AND l.k = l.n
    WHERE f.k = 1 AND f.n >= 2
)
SELECT date_trunc('month', x.screened_on)::date AS month, c.unit_id, count(*)::int AS n,
       sum(x.first)::int AS first_sum, sum(x.latest)::int AS latest_sum,
       count(*) FILTER (WHERE x.latest - x.first >= 10)::int AS improved,
       count(*) FILTER (WHERE x.latest - x.first <= -10)::int AS worsened
FROM x JOIN citizens c ON c.id = x.citizen_id
GROUP BY 1, 2;
CREATE UNIQUE INDEX management_who5_key ON management_who5 (month, unit_id);

-- Progression on the plan's goals (1–10 at each follow-up): for every goal scored at least
-- twice, latest minus first score; a citizen's progression improved when the mean over their
-- goals is above zero. By the month of the citizen's latest follow-up.
CREATE MATERIALIZED VIEW management_progression AS
WITH g AS (
    SELECT f.plan_id, s.goal_id,
           (array_agg(s.score ORDER BY f.held_on DESC, f.id DESC))[1] - (array_agg(s.score ORDER BY f.held_on, f.id))[1] AS change,
           max(f.held_on) AS last_on
    FROM follow_up_scores s JOIN follow_ups f ON f.id = s.follow_up_id
    GROUP BY f.plan_id, s.goal_id
    HAVING count(*) >= 2
), p AS (
    SELECT plan_id, avg(change) AS change, max(last_on) AS last_on FROM g GROUP BY plan_id
)
SELECT date_trunc('month', p.last_on)::date AS month, c.unit_id, count(*)::int AS n,
       count(*) FILTER (WHERE p.change > 0)::int AS improved, sum(p.change)::float8 AS change_sum
FROM p JOIN plans pl ON pl.id = p.plan_id JOIN citizens c ON c.id = pl.citizen_id
GROUP BY 1, 2;
CREATE UNIQUE INDEX management_progression_key ON management_progression (month, unit_id);

-- The strategy's live counts: citizens referred to an initiative's offers since it began
-- counting (cancelled referrals do not count), and those in a course right now.
CREATE MATERIALIZED VIEW management_initiative_counts AS
SELECT i.id AS initiative_id,
       count(DISTINCT r.citizen_id) FILTER (WHERE r.state <> 'annulleret')::int AS referred,
       count(DISTINCT r.citizen_id) FILTER (WHERE r.state IN ('accepteret', 'startet'))::int AS in_progress
FROM initiatives i
JOIN initiative_offers io ON io.initiative_id = i.id
JOIN referrals r ON r.offer_id = io.offer_id AND r.created_at >= i.counts_from
GROUP BY i.id;
CREATE UNIQUE INDEX management_initiative_counts_key ON management_initiative_counts (initiative_id);

-- When the views were last refreshed, shown beside the figures ("opdateret kl. …").
CREATE TABLE management_refreshes (
    view_name    text PRIMARY KEY,
    refreshed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO management_refreshes (view_name)
SELECT matviewname FROM pg_matviews WHERE matviewname LIKE 'management\_%';
