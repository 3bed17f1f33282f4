package seed

// The case history of the scale data set is generated inside PostgreSQL (INSERT … SELECT),
// which writes millions of rows without sending them over the wire. Its randomness is
// pg_temp.rnd(key, salt): a hash of a row's own key, so the data does not depend on the
// order in which PostgreSQL happens to visit rows or on parallel workers, and the same seed
// on a fresh database gives the same rows. Ids are drawn from each table's identity
// sequence up front (as insertCitizens does), so children can reference their parents
// without reading anything back.
//
// Every simulated referral gets its whole life at once — sent, received, decided (rejected,
// waitlisted, accepted or cancelled), started or not shown, then completed, discontinued or
// not shown — with plausible delays; the events up to today are kept and the referral's
// state is the last of them. So a referral sent last week is still in the inbox, one from
// three years ago has ended, and the state always agrees with the event history.
const createRnd = `
	CREATE OR REPLACE FUNCTION pg_temp.rnd(k bigint, salt bigint) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS 'SELECT (hashint8extended(k, salt) & 9007199254740991)::float8 / 9007199254740992'`

// simReferrals draws every referral's life. $1 is the salt base, $2 today (midnight):
// nothing happens on or after it. High-risk citizens are referred most (0–9 referrals, mean
// 4.5); more recent years have more referrals (the programme grows). About two in five
// offers are in demand and keep a waiting list.
const simReferrals = `
	CREATE TEMP TABLE sim_referrals AS
	WITH o AS (
		SELECT x.g, array_agg(x.id ORDER BY x.id) AS ids
		FROM (SELECT o.id, unnest(CASE WHEN cardinality(o.target_risk) = 0 THEN ARRAY['hoej', 'mellem', 'lav']
		                               ELSE o.target_risk END) AS g
		      FROM offers o WHERE o.retired_at IS NULL) x
		GROUP BY x.g
	), staff AS (
		SELECT unit_id, array_agg(id ORDER BY id) AS ids FROM users WHERE role <> 'admin' GROUP BY unit_id
	), c AS (
		SELECT c.id, c.unit_id, c.caseworker_id,
		       CASE WHEN c.risk_group IN ('hoej', 'mellem') THEN c.risk_group ELSE 'lav' END AS g,
		       floor(pg_temp.rnd(c.id, $1) * CASE c.risk_group WHEN 'hoej' THEN 10 WHEN 'mellem' THEN 9 ELSE 5 END)::int AS n
		FROM citizens c WHERE c.caseworker_id IS NOT NULL
	), d AS (
		SELECT c.id * 16 + k AS key, c.id AS citizen_id, c.unit_id, c.caseworker_id,
		       o.ids[1 + floor(pg_temp.rnd(c.id * 16 + k, $1 + 1) * cardinality(o.ids))::int] AS offer_id
		FROM c JOIN o ON o.g = c.g CROSS JOIN LATERAL generate_series(1, c.n) k
	), s AS (
		-- OFFSET 0 keeps each draw computed once per row: without it the planner would
		-- inline the subquery and repeat the expressions wherever a column is used.
		SELECT d.*, f.provider_unit_id, coalesce(f.duration_weeks, 12) * 7 AS days,
		       $2::timestamptz - (1 + floor(1825 * (1 - sqrt(pg_temp.rnd(d.key, $1 + 3)))))::int * interval '1 day'
		                       + (480 + floor(pg_temp.rnd(d.key, $1 + 4) * 480))::int * interval '1 minute' AS created,
		       CASE WHEN x.u_decide < 0.04 THEN 'annulleret' WHEN x.u_decide < 0.16 THEN 'afvist'
		            WHEN x.u_decide < 0.32 AND pg_temp.rnd(f.id, $1 + 2) < 0.4 THEN 'venteliste' ELSE 'accepteret' END AS decision,
		       pg_temp.rnd(d.key, $1 + 6) < 0.07 AS no_show,
		       CASE WHEN x.u_end < 0.80 THEN 'afsluttet' WHEN x.u_end < 0.95 THEN 'afbrudt' ELSE 'udeblevet' END AS end_state,
		       pg_temp.rnd(d.key, $1 + 8) AS u_len, pg_temp.rnd(d.key, $1 + 9) AS u_reason,
		       pg_temp.rnd(d.key, $1 + 10) AS u_seen, pg_temp.rnd(d.key, $1 + 11) AS u_staff,
		       (2 + floor(pg_temp.rnd(d.key, $1 + 12) * 70))::int AS recv_hours,
		       (1 + floor(pg_temp.rnd(d.key, $1 + 13) * 13))::int AS decide_days,
		       (7 + floor(pg_temp.rnd(d.key, $1 + 14) * 53))::int AS wait_days,
		       (3 + floor(pg_temp.rnd(d.key, $1 + 15) * 18))::int AS start_days
		FROM d JOIN offers f ON f.id = d.offer_id
		CROSS JOIN LATERAL (SELECT pg_temp.rnd(d.key, $1 + 5) AS u_decide, pg_temp.rnd(d.key, $1 + 7) AS u_end OFFSET 0) x
		OFFSET 0
	), v AS (
		SELECT s.*, s.created + s.recv_hours * interval '1 hour' AS t_recv,
		       s.created + s.recv_hours * interval '1 hour' + s.decide_days * interval '1 day' AS t_dec,
		       s.created + s.recv_hours * interval '1 hour' + (s.decide_days + w.days) * interval '1 day' AS t_acc,
		       s.created + s.recv_hours * interval '1 hour' + (s.decide_days + w.days + s.start_days) * interval '1 day' AS t_start,
		       s.created + s.recv_hours * interval '1 hour' + (s.decide_days + w.days + s.start_days
		           + greatest(1, CASE WHEN s.end_state = 'afsluttet' THEN s.days ELSE floor(s.u_len * s.days)::int END)) * interval '1 day' AS t_end
		FROM s CROSS JOIN LATERAL (SELECT CASE WHEN s.decision = 'venteliste' THEN s.wait_days ELSE 0 END AS days) w
	)
	SELECT nextval(pg_get_serial_sequence('referrals', 'id')) AS id, v.citizen_id, v.offer_id,
	       v.caseworker_id AS from_user_id, v.unit_id AS from_unit_id, v.provider_unit_id AS to_unit_id,
	       p.ids[1 + floor(v.u_staff * cardinality(p.ids))::int] AS provider_user_id,
	       v.created, v.t_recv, v.t_dec, v.t_acc, v.t_start, v.t_end, v.decision, v.no_show, v.end_state, v.u_seen,
	       CASE WHEN v.decision = 'afvist' THEN (ARRAY['Borgeren er ikke i tilbuddets målgruppe', 'Borgeren ønsker ikke at deltage',
	                 'Helbredet tillader ikke deltagelse nu', 'Tilbuddet passer ikke til borgerens mål',
	                 'Borgeren deltager allerede i et lignende forløb'])[1 + floor(v.u_reason * 5)::int]
	            WHEN v.no_show OR v.end_state = 'udeblevet' THEN (ARRAY['Mødte ikke op', 'Mødte ikke op trods påmindelse',
	                 'Ingen kontakt til borgeren'])[1 + floor(v.u_reason * 3)::int]
	            WHEN v.end_state = 'afbrudt' THEN (ARRAY['Borgeren er kommet i job', 'Borgeren er blevet syg',
	                 'Borgeren ønsker ikke at fortsætte', 'Forløbet hjalp ikke', 'Borgeren er flyttet'])[1 + floor(v.u_reason * 5)::int]
	            ELSE '' END AS reason
	FROM v LEFT JOIN staff p ON p.unit_id = v.provider_unit_id`

// insertReferrals writes the referrals as they stand on $1 (today): the state is the last
// step of the simulated life that has happened, version counts the steps taken (every
// transition bumps it), and a few recent changes are still unseen by the referrer.
const insertReferrals = `
	INSERT INTO referrals (id, citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, reason,
	                       citizen_accepted, created_at, state_changed_at, referrer_seen_at, version)
	OVERRIDING SYSTEM VALUE
	SELECT x.id, x.citizen_id, x.offer_id, x.from_user_id, x.from_unit_id, x.to_unit_id, x.state,
	       CASE WHEN x.state IN ('afvist', 'afbrudt', 'udeblevet') THEN x.reason ELSE '' END,
	       true, x.created, x.changed,
	       CASE WHEN x.changed > $1::timestamptz - interval '14 days' AND x.u_seen < 0.5 THEN x.created ELSE x.changed END,
	       x.steps
	FROM (
		SELECT s.*,
		       CASE WHEN s.t_recv > $1 THEN 'sendt'
		            WHEN s.t_dec > $1 THEN 'modtaget'
		            WHEN s.decision IN ('annulleret', 'afvist') THEN s.decision
		            WHEN s.t_acc > $1 THEN 'venteliste'
		            WHEN s.t_start > $1 THEN 'accepteret'
		            WHEN s.no_show THEN 'udeblevet'
		            WHEN s.t_end > $1 THEN 'startet'
		            ELSE s.end_state END AS state,
		       CASE WHEN s.t_recv > $1 THEN s.created
		            WHEN s.t_dec > $1 THEN s.t_recv
		            WHEN s.decision IN ('annulleret', 'afvist') OR s.t_acc > $1 THEN s.t_dec
		            WHEN s.t_start > $1 THEN s.t_acc
		            WHEN s.no_show OR s.t_end > $1 THEN s.t_start
		            ELSE s.t_end END AS changed,
		       1 + (s.t_recv <= $1)::int + (s.t_dec <= $1)::int
		         + (s.decision = 'venteliste' AND s.t_acc <= $1)::int
		         + (s.decision IN ('venteliste', 'accepteret') AND s.t_start <= $1)::int
		         + (s.decision IN ('venteliste', 'accepteret') AND NOT s.no_show AND s.t_end <= $1)::int AS steps
		FROM sim_referrals s) x`

// insertReferralEvents writes the history of every referral: each step of its simulated life
// that has happened by $1. The caseworker sends and cancels; the provider's staff do the rest.
// One plain scan per kind of step: a VALUES list per referral costs several times more.
const insertReferralEvents = `
	INSERT INTO referral_events (referral_id, from_state, to_state, reason, by_user_id, at)
	SELECT id, NULL, 'sendt', '', from_user_id, created FROM sim_referrals
	UNION ALL
	SELECT id, 'sendt', 'modtaget', '', provider_user_id, t_recv FROM sim_referrals WHERE t_recv <= $1
	UNION ALL
	SELECT id, 'modtaget', decision, CASE WHEN decision = 'afvist' THEN reason ELSE '' END,
	       CASE WHEN decision = 'annulleret' THEN from_user_id ELSE provider_user_id END, t_dec
	FROM sim_referrals WHERE t_dec <= $1
	UNION ALL
	SELECT id, 'venteliste', 'accepteret', '', provider_user_id, t_acc FROM sim_referrals
	WHERE decision = 'venteliste' AND t_acc <= $1
	UNION ALL
	SELECT id, 'accepteret', CASE WHEN no_show THEN 'udeblevet' ELSE 'startet' END, CASE WHEN no_show THEN reason ELSE '' END,
	       provider_user_id, t_start
	FROM sim_referrals WHERE decision IN ('venteliste', 'accepteret') AND t_start <= $1
	UNION ALL
	SELECT id, 'startet', end_state, CASE WHEN end_state = 'afsluttet' THEN '' ELSE reason END, provider_user_id, t_end
	FROM sim_referrals WHERE decision IN ('venteliste', 'accepteret') AND NOT no_show AND t_end <= $1`

// fitCapacity gives every offer room for the seats its referrals hold today: an offer in
// demand is exactly full (its waiting list waits for a seat), the others have some seats
// free. So no offer is over-booked, as the accept transaction guarantees in the app. It also
// sets the seat counts the referrals_seat_counts trigger keeps, which is off during the load.
const fitCapacity = `
	UPDATE offers o SET capacity = greatest(1, CASE WHEN h.waiting > 0 THEN h.held
	       ELSE h.held + 2 + floor(pg_temp.rnd(o.id, $1 + 16) * (h.held * 0.4 + 4))::int END),
	       seats_taken = h.held, waiting = h.waiting
	FROM (SELECT offer_id, count(*) FILTER (WHERE state IN ('accepteret', 'startet')) AS held,
	             count(*) FILTER (WHERE state = 'venteliste') AS waiting
	      FROM referrals GROUP BY offer_id) h
	WHERE h.offer_id = o.id`

// simAssessments draws the TFAs: most high-risk citizens have one, fewer in the lower
// groups; two in five of those concluded get a second version 6–18 months later. A TFA
// takes 1–6 weeks from start to conclusion; one not finished by $2 is still a draft.
const simAssessments = `
	CREATE TEMP TABLE sim_assessments AS
	WITH c AS (
		SELECT c.id AS citizen_id, c.unit_id, c.caseworker_id,
		       $2::timestamptz - make_interval(days => 20 + floor(1700 * (1 - sqrt(pg_temp.rnd(c.id, $1 + 21))))::int)
		                       + make_interval(mins => 540 + floor(pg_temp.rnd(c.id, $1 + 22) * 420)::int) AS created1,
		       make_interval(days => 7 + floor(pg_temp.rnd(c.id, $1 + 23) * 38)::int) AS takes1,
		       make_interval(days => 180 + floor(pg_temp.rnd(c.id, $1 + 24) * 365)::int) AS gap,
		       make_interval(days => 7 + floor(pg_temp.rnd(c.id, $1 + 25) * 38)::int) AS takes2,
		       pg_temp.rnd(c.id, $1 + 26) < 0.4 AS again,
		       pg_temp.rnd(c.id, $1 + 27) AS u_text
		FROM citizens c
		WHERE c.caseworker_id IS NOT NULL
		  AND pg_temp.rnd(c.id, $1 + 20) < CASE c.risk_group WHEN 'hoej' THEN 0.85 WHEN 'mellem' THEN 0.6
		                                     WHEN 'lav' THEN 0.3 ELSE 0.2 END
	), v AS (
		SELECT c.*, 1 AS number, c.created1 AS created, c.created1 + c.takes1 AS concluded FROM c
		UNION ALL
		SELECT c.*, 2, c.created1 + c.takes1 + c.gap, c.created1 + c.takes1 + c.gap + c.takes2 FROM c
		WHERE c.again AND c.created1 + c.takes1 + c.gap < $2
	)
	SELECT nextval(pg_get_serial_sequence('assessments', 'id')) AS id, v.citizen_id, v.unit_id, v.caseworker_id,
	       v.number, v.created, CASE WHEN v.concluded < $2 THEN v.concluded END AS concluded,
	       (ARRAY['Jeg vil gerne i arbejde igen, gerne noget med mine hænder.' || chr(10) || 'Jeg vil have det bedre med mig selv.',
	              'Jeg vil tage en uddannelse.' || chr(10) || 'Jeg vil kunne klare en hel arbejdsdag.',
	              'Jeg vil have et job på nedsat tid.' || chr(10) || 'Jeg vil sove bedre.' || chr(10) || 'Jeg vil ud blandt andre mennesker.',
	              'Jeg vil tilbage til mit gamle fag.' || chr(10) || 'Jeg vil have mindre ondt i ryggen.',
	              'Jeg vil have styr på min økonomi.' || chr(10) || 'Jeg vil i praktik.'])[1 + floor(v.u_text * 5)::int] AS goals,
	       v.u_text
	FROM v`

// insertAssessments writes the TFAs, and their participants: the caseworker for the
// jobcenter and a health-centre colleague, as concluding requires.
const insertAssessments = `
	INSERT INTO assessments (id, citizen_id, number, concluded_at, concluded_by, citizen_goals, conclusion, version,
	                         created_by, created_at, updated_by, updated_at)
	OVERRIDING SYSTEM VALUE
	SELECT a.id, a.citizen_id, a.number, a.concluded, CASE WHEN a.concluded IS NOT NULL THEN a.caseworker_id END, a.goals,
	       CASE WHEN a.concluded IS NULL THEN ''
	            ELSE (ARRAY['Borgeren har ressourcer i sin arbejdsmarkedserfaring; helbredet er den største barriere. Parallelle indsatser anbefales.',
	                        'Psykiske udfordringer står i vejen for job nu; behandling og et mestringsforløb før virksomhedspraktik.',
	                        'Borgeren er motiveret og kan arbejde på nedsat tid; sundhedsindsats sideløbende med praktik.',
	                        'Sociale forhold skal afklares først; støtte i hverdagen og mentor.'])[1 + floor(a.u_text * 4)::int] END,
	       CASE WHEN a.concluded IS NULL THEN 1 ELSE 2 END,
	       a.caseworker_id, a.created, a.caseworker_id, coalesce(a.concluded, a.created)
	FROM sim_assessments a`

const insertParticipants = `
	INSERT INTO assessment_participants (assessment_id, user_id, unit_id, unit_kind, profession, added_at)
	SELECT a.id, a.caseworker_id, a.unit_id, 'jobcenter', 'Sagsbehandler', a.created FROM sim_assessments a
	UNION ALL
	SELECT a.id, h.ids[1 + floor(pg_temp.rnd(a.id, $1 + 28) * cardinality(h.ids))::int], h.unit_id, 'sundhedscenter',
	       (ARRAY['Sygeplejerske', 'Fysioterapeut', 'Psykolog', 'Ergoterapeut'])[1 + floor(pg_temp.rnd(a.id, $1 + 29) * 4)::int],
	       a.created + interval '1 hour'
	FROM sim_assessments a
	CROSS JOIN (SELECT min(u.unit_id) AS unit_id, array_agg(u.id ORDER BY u.id) AS ids
	            FROM users u JOIN units n ON n.id = u.unit_id
	            WHERE n.kind = 'sundhedscenter' AND u.role = 'sundhedsmedarbejder'
	            HAVING count(*) > 0) h`

// simPlans opens a plan when a citizen's first TFA is concluded, with 1–4 goals.
const simPlans = `
	CREATE TEMP TABLE sim_plans AS
	SELECT nextval(pg_get_serial_sequence('plans', 'id')) AS id, a.citizen_id, a.id AS assessment_id, a.caseworker_id,
	       a.goals, a.concluded AS created
	FROM sim_assessments a WHERE a.number = 1 AND a.concluded IS NOT NULL`

const insertPlans = `
	INSERT INTO plans (id, citizen_id, assessment_id, citizen_goal, version, created_by, created_at, updated_by, updated_at)
	OVERRIDING SYSTEM VALUE
	SELECT p.id, p.citizen_id, p.assessment_id, p.goals, 1, p.caseworker_id, p.created, p.caseworker_id, p.created
	FROM sim_plans p`

const simGoals = `
	CREATE TEMP TABLE sim_goals AS
	SELECT nextval(pg_get_serial_sequence('plan_goals', 'id')) AS id, p.id AS plan_id, k AS sort_order,
	       (ARRAY['Komme i virksomhedspraktik', 'Kunne arbejde 15 timer om ugen', 'Sove bedre', 'Have styr på økonomien',
	              'Gå til træning to gange om ugen', 'Begynde på en uddannelse', 'Have mindre ondt', 'Møde andre mennesker',
	              'Klare transport til og fra arbejde', 'Tage kontakt til egen læge'])[1 + floor(pg_temp.rnd(p.id * 8 + k, $1 + 30) * 10)::int] AS text,
	       3 + floor(pg_temp.rnd(p.id * 8 + k, $1 + 31) * 4)::int AS base,
	       pg_temp.rnd(p.id * 8 + k, $1 + 32) * 1.3 - 0.4 AS slope
	FROM sim_plans p CROSS JOIN LATERAL generate_series(1, 1 + floor(pg_temp.rnd(p.id, $1 + 33) * 4)::int) k`

const insertGoals = `
	INSERT INTO plan_goals (id, plan_id, text, sort_order) OVERRIDING SYSTEM VALUE
	SELECT g.id, g.plan_id, g.text, g.sort_order FROM sim_goals g`

const insertPlanVersions = `
	INSERT INTO plan_versions (plan_id, version, snapshot, summary, saved_by, saved_at)
	SELECT p.id, 1, jsonb_build_object('citizen_goal', p.goals, 'efforts', '[]'::jsonb, 'goals', g.goals),
	       'Planen er oprettet fra den afsluttede TFA', p.caseworker_id, p.created
	FROM sim_plans p
	JOIN (SELECT plan_id, jsonb_agg(jsonb_build_object('id', id, 'text', text) ORDER BY sort_order) AS goals
	      FROM sim_goals GROUP BY plan_id) g ON g.plan_id = p.id`

// simFollowUps draws the follow-ups: most plans are followed up every three months or so,
// the last one within the last 100 days; about one in seven has fallen behind (the last was
// 100–400 days ago), which the caseload shows as overdue. A plan has at most six on record
// here, the most recent ones.
const simFollowUps = `
	CREATE TEMP TABLE sim_follow_ups AS
	WITH p AS (
		SELECT p.*, ($2::timestamptz - make_interval(days => CASE WHEN pg_temp.rnd(p.id, $1 + 34) < 0.15
		                  THEN 100 + floor(pg_temp.rnd(p.id, $1 + 35) * 300)::int
		                  ELSE 1 + floor(pg_temp.rnd(p.id, $1 + 35) * 99)::int END))::date AS last,
		       1 + floor(pg_temp.rnd(p.id, $1 + 36) * 6)::int AS want
		FROM sim_plans p
	), n AS (
		SELECT p.*, least(p.want, floor((p.last - p.created::date) / 100.0)::int + 1) AS n FROM p WHERE p.last > p.created::date
	)
	SELECT nextval(pg_get_serial_sequence('follow_ups', 'id')) AS id, n.id AS plan_id, n.caseworker_id,
	       n.n - k + 1 AS idx, n.last - (k - 1) * (80 + floor(pg_temp.rnd(n.id * 8 + k, $1 + 37) * 20)::int) AS held_on
	FROM n CROSS JOIN LATERAL generate_series(1, n.n) k`

const insertFollowUps = `
	INSERT INTO follow_ups (id, plan_id, held_on, note, created_by, created_at) OVERRIDING SYSTEM VALUE
	SELECT f.id, f.plan_id, f.held_on, '', f.caseworker_id, f.held_on + time '10:00' FROM sim_follow_ups f`

// insertScores scores every goal at every follow-up: each goal has its own starting point
// and trend (most improve, some stand still or slip), plus noise.
const insertScores = `
	INSERT INTO follow_up_scores (follow_up_id, goal_id, score)
	SELECT f.id, g.id, least(10, greatest(1, round(g.base + g.slope * (f.idx - 1)
	       + (pg_temp.rnd(f.id * 8 + g.sort_order, $1 + 38) * 2 - 1))::int))
	FROM sim_follow_ups f JOIN sim_goals g ON g.plan_id = f.plan_id`

// insertLinkedEfforts turns the referrals made while a citizen had a plan into the plan's
// efforts, with the status that follows from the referral's state.
const insertLinkedEfforts = `
	INSERT INTO plan_efforts (plan_id, offer_id, referral_id, title, area, status, responsible_unit_id, start_date, end_date)
	SELECT p.id, r.offer_id, r.id, o.name,
	       CASE n.kind WHEN 'sundhedscenter' THEN 'sundhed' WHEN 'region' THEN 'sundhed' WHEN 'socialforvaltning' THEN 'social'
	                   WHEN 'uddannelse' THEN 'uddannelse' ELSE 'beskaeftigelse' END,
	       CASE WHEN r.state IN ('sendt', 'modtaget', 'venteliste', 'accepteret') THEN 'henvist'
	            WHEN r.state = 'startet' THEN 'i_gang' WHEN r.state = 'afsluttet' THEN 'afsluttet' ELSE 'afbrudt' END,
	       r.to_unit_id, r.created_at::date,
	       CASE WHEN r.state IN ('afsluttet', 'afvist', 'annulleret', 'udeblevet', 'afbrudt') THEN r.state_changed_at::date END
	FROM referrals r
	JOIN sim_plans p ON p.citizen_id = r.citizen_id AND r.created_at >= p.created - interval '30 days'
	JOIN offers o ON o.id = r.offer_id
	JOIN units n ON n.id = r.to_unit_id`

// insertFreeEfforts adds the efforts that are not catalogue offers: practice placements,
// job search, mentor support (always with an end date, LAB § 167) and the like.
const insertFreeEfforts = `
	INSERT INTO plan_efforts (plan_id, title, area, status, responsible_unit_id, responsible_person, start_date, end_date, mentor)
	SELECT x.plan_id, x.title, x.area,
	       CASE WHEN x.start_date > $2::date THEN 'planlagt' WHEN x.end_date IS NULL OR x.end_date > $2::date THEN 'i_gang'
	            WHEN x.u_status < 0.8 THEN 'afsluttet' ELSE 'afbrudt' END,
	       x.unit_id, x.person, x.start_date, x.end_date, x.mentor
	FROM (
		SELECT p.id AS plan_id, c.unit_id, w.name AS person, e.title, e.area, e.mentor,
		       pg_temp.rnd(p.id * 8 + k, $1 + 42) AS u_status,
		       s.start_date,
		       CASE WHEN e.mentor THEN s.start_date + 182
		            WHEN pg_temp.rnd(p.id * 8 + k, $1 + 41) < 0.6 THEN s.start_date + 30 + floor(pg_temp.rnd(p.id * 8 + k, $1 + 43) * 150)::int
		       END AS end_date
		FROM sim_plans p
		JOIN citizens c ON c.id = p.citizen_id
		LEFT JOIN users w ON w.id = p.caseworker_id
		CROSS JOIN LATERAL generate_series(1, 2 + floor(pg_temp.rnd(p.id, $1 + 39) * 6)::int) k
		CROSS JOIN LATERAL (SELECT (p.created::date + floor(pg_temp.rnd(p.id * 8 + k, $1 + 40) * ($2::date - p.created::date + 30))::int)
		                           AS start_date) s
		CROSS JOIN LATERAL (SELECT * FROM (VALUES
			(0, 'Virksomhedspraktik', 'beskaeftigelse', false), (1, 'Jobsøgning med jobkonsulent', 'beskaeftigelse', false),
			(2, 'Samtaleforløb hos psykolog', 'sundhed', false), (3, 'Mentorstøtte', 'beskaeftigelse', true),
			(4, 'Afklaring af økonomi og bolig', 'social', false), (5, 'Brobygning til uddannelse', 'uddannelse', false),
			(6, 'Træning i motionscenter', 'sundhed', false)) v (i, title, area, mentor)
			WHERE v.i = floor(pg_temp.rnd(p.id * 8 + k, $1 + 44) * 7)::int) e
	) x`

// setNextFollowUp keeps citizens.next_follow_up as the app does: three months after the
// latest follow-up, or after the plan was made when there has been none.
const setNextFollowUp = `
	UPDATE citizens c SET next_follow_up = (x.last + interval '3 months')::date
	FROM (SELECT p.citizen_id, coalesce(max(f.held_on), p.created::date) AS last
	      FROM sim_plans p LEFT JOIN sim_follow_ups f ON f.plan_id = p.id
	      GROUP BY p.citizen_id, p.created) x
	WHERE x.citizen_id = c.id`
