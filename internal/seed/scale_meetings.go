package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// scaleMeetings gives every jobcenter team of the scale data a rehabiliteringsteam that has
// met twice a week for five years, eight cases a meeting (a large municipality holds up to
// 70 such case meetings a week), with an indstilling in every held case; and a meeting
// tomorrow at 9 with eight cases prepared, for the board's load test. The chair is leder001,
// the minute-taker rehab001; health, social and the region sit on every team. It runs inside
// PostgreSQL, so the thousands of meetings take well under a second.
func scaleMeetings(ctx context.Context, pool *pgxpool.Pool, today time.Time) (meetings, cases int, err error) {
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// A small run may have no leader or no rehabiliteringsteam user to seat: no teams then.
		var seated bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE username = 'leder001')
			AND EXISTS (SELECT 1 FROM users WHERE username = 'rehab001')`).Scan(&seated); err != nil || !seated {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO rehab_teams (name, unit_id)
			SELECT 'Rehabiliteringsteam ' || substr(u.name, 11), u.id FROM units u WHERE u.kind = 'jobcenter'`); err != nil {
			return fmt.Errorf("teams: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO rehab_team_members (team_id, user_id, area)
			SELECT t.id, u.id, m.area
			FROM rehab_teams t
			CROSS JOIN (VALUES ('leder001', 'beskaeftigelse'), ('rehab001', 'sundhedskoordinator'),
			                   ('sundhed001', 'sundhed'), ('social001', 'social')) AS m(username, area)
			JOIN users u ON u.username = m.username`); err != nil {
			return fmt.Errorf("members: %w", err)
		}
		// Tuesdays and Thursdays at 9 for five years back, and tomorrow at 9.
		tag, err := tx.Exec(ctx, `
			INSERT INTO meetings (team_id, starts_at, location, chair_id, minute_taker_id, created_by)
			SELECT t.id, d + time '09:00', 'Mødelokale 1',
			       (SELECT id FROM users WHERE username = 'leder001'), (SELECT id FROM users WHERE username = 'rehab001'),
			       (SELECT id FROM users WHERE username = 'leder001')
			FROM rehab_teams t
			CROSS JOIN (SELECT d::date AS d FROM generate_series($1::date - interval '5 years', $1::date - interval '1 day', interval '1 day') d
			            WHERE extract(isodow FROM d) IN (2, 4)
			            UNION ALL SELECT $1::date + 1) days`, today)
		if err != nil {
			return fmt.Errorf("meetings: %w", err)
		}
		meetings = int(tag.RowsAffected())
		// Eight cases a meeting: the team's own unit's citizens in turn, so one meeting never has
		// a citizen twice; held cases have their preparation and the team's indstilling.
		tag, err = tx.Exec(ctx, `
			WITH unit_citizens AS MATERIALIZED (
				SELECT c.id, c.unit_id, c.caseworker_id, row_number() OVER (PARTITION BY c.unit_id ORDER BY c.id) AS n
				FROM citizens c),
			totals AS (SELECT unit_id, count(*) AS total FROM citizens GROUP BY unit_id),
			slots AS (
				SELECT m.id AS meeting_id, m.starts_at, t.unit_id, p.pos, k,
				       1 + (k - 1) % tt.total AS n
				FROM (SELECT m.*, row_number() OVER (PARTITION BY m.team_id ORDER BY m.starts_at) AS mk FROM meetings m) m
				JOIN rehab_teams t ON t.id = m.team_id JOIN totals tt ON tt.unit_id = t.unit_id
				CROSS JOIN generate_series(1, 8) p(pos)
				CROSS JOIN LATERAL (SELECT (m.mk - 1) * 8 + p.pos AS k) kk)
			INSERT INTO meeting_cases (meeting_id, citizen_id, caseworker_id, position, question, added_by, added_at,
			                           preparation, prepared_at, prepared_by, outcome, reasons, recorded_by, recorded_at)
			SELECT s.meeting_id, c.id, c.caseworker_id, s.pos,
			       'Hvad er det rette næste skridt for borgeren?', (SELECT id FROM users WHERE username = 'leder001'),
			       s.starts_at - interval '14 days',
			       prep.doc,
			       s.starts_at - interval '2 days', c.caseworker_id,
			       CASE WHEN s.starts_at < $1::date THEN (ARRAY['jobafklaringsforloeb','ordinaer','fleksjob','ressourceforloeb','foertidspension','andet'])[1 + (s.k % 6)::int] END,
			       CASE WHEN s.starts_at < $1::date THEN 'Teamets begrundelse' ELSE '' END,
			       CASE WHEN s.starts_at < $1::date THEN (SELECT id FROM users WHERE username = 'rehab001') END,
			       CASE WHEN s.starts_at < $1::date THEN s.starts_at + interval '1 hour' END
			FROM slots s JOIN unit_citizens c ON c.unit_id = s.unit_id AND c.n = s.n
			CROSS JOIN LATERAL (`+scalePrepSQL+`) prep
			ON CONFLICT (meeting_id, citizen_id) WHERE withdrawn_at IS NULL DO NOTHING`, today)
		if err != nil {
			return fmt.Errorf("meeting cases: %w", err)
		}
		cases = int(tag.RowsAffected())
		return nil
	})
	return meetings, cases, err
}

// scalePrepSQL is a citizen's forberedende del (for c.id): each section drawn from phrases by
// the citizen's id with a different stride, so the combinations differ from citizen to
// citizen, and the forsørgelseshistorik written from the citizen's own benefit periods, so it
// matches the history and no two citizens share a text.
const scalePrepSQL = `SELECT jsonb_build_object(
	'education', (ARRAY['Folkeskolens afgangsprøve.', 'Faglært som tømrer.', 'HF-eksamen.', 'Ufaglært; kurser i rengøring.',
		'Social- og sundhedshjælper.', 'Studentereksamen; afbrudt uddannelse.', 'Faglært som kontorassistent.'])[1 + c.id % 7]
		|| ' ' || (ARRAY['Erfaring fra lager og transport.', 'Erfaring fra detailhandel.', 'Har arbejdet i ældreplejen.',
		'Erfaring fra landbrug.', 'Erfaring fra byggeriet.', 'Kortere job i kantine og køkken.'])[1 + (c.id / 7) % 6],
	'personal', (ARRAY['Godt netværk i familien.', 'Bor alene; få venner.', 'Samboende med to børn.', 'Aktiv i den lokale idrætsforening.',
		'Tæt kontakt til en søster.', 'Passer sit barnebarn om eftermiddagen.'])[1 + (c.id / 3) % 6]
		|| ' ' || (ARRAY['Går ture med hunden.', 'Interesseret i fiskeri.', 'Holder af at lave mad.', 'Spiller musik.',
		'Hjælper i haven hos naboen.'])[1 + (c.id / 11) % 5],
	'challenges', (ARRAY['Smerter i ryg og skuldre.', 'Nedsat energi og koncentration.', 'Gæld og usikker bolig.',
		'Angst i sociale sammenhænge.', 'Svært ved at læse og skrive.', 'Ustabilt fremmøde.'])[1 + (c.id / 5) % 6],
	'wishes', (ARRAY['Vil gerne tilbage i et job med kunder.', 'Ønsker et fleksibelt job med få timer.', 'Vil gerne i uddannelse.',
		'Vil gerne arbejde udendørs.', 'Ønsker at få styr på økonomien først.', 'Vil gerne prøve kræfter med kontorarbejde.'])[1 + (c.id / 13) % 6],
	'health', (ARRAY['Egen læge bekræfter lændesmerter; fysioterapi er i gang.', 'Behandles for depression; medicinen justeres.',
		'Ingen væsentlige helbredsforhold oplyst.', 'Udredes for søvnproblemer.', 'Diabetes, velreguleret.',
		'Stress; går til samtaler hos psykolog.'])[1 + (c.id / 17) % 6],
	'benefits', coalesce((SELECT string_agg(lower(coalesce(r.label, bp.benefit_code)) || ' ' || to_char(bp.start_date, 'MM.YYYY') || '–'
		|| coalesce(to_char(bp.end_date, 'MM.YYYY'), 'nu'), '; ' ORDER BY bp.start_date DESC)
		FROM benefit_periods bp LEFT JOIN ref_values r ON r.kind = 'benefit_type' AND r.code = bp.benefit_code
		WHERE bp.citizen_id = c.id), 'ingen ydelser registreret i Helhed'),
	'earlier', (ARRAY['Virksomhedspraktik stoppede efter 3 uger.', 'Mentorforløb har givet fast rytme.', 'Løntilskud i 6 måneder uden fastansættelse.',
		'Kursus i jobsøgning gennemført.', 'Ingen tidligere indsatser.', 'Forløb for stress gennemført med god effekt.'])[1 + (c.id / 19) % 6]
	) AS doc`
