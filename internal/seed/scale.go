package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/password"
)

// ScaleOptions size a municipal-scale data set for load tests.
type ScaleOptions struct {
	Citizens int    // default 100 000
	Staff    int    // default 500
	Password string // every scale user's password (load generators log in with it)
	Seed     uint64
	Today    time.Time
	// AuditRows is the number of historic audit rows (default 1 000 000).
	AuditRows int
}

// ScaleReport says what Scale made and how long each part took.
type ScaleReport struct {
	Units, Staff, Citizens, Screenings, AuditRows int
	Cases                                         CaseCounts
	Meetings, MeetingCases                        int
	Samtaler                                      int
	Took                                          map[string]time.Duration
}

// ScaleSteps are the steps of Scale in order, the keys of ScaleReport.Took. Some overlap:
// the audit rows are written beside the screenings and cases, the referrals beside the TFAs
// and plans.
var ScaleSteps = []string{"units+staff", "drop indexes", "citizens", "screenings", "offers", "referrals", "tfa+plans",
	"follow-ups", "efforts", "audit", "create indexes", "meetings", "samtaler", "analyze", "views"}

// scaleTeams are the jobcenter teams the citizens are spread over; the largest municipality
// runs several.
var scaleTeams = []string{"Jobcenter Nord", "Jobcenter Syd", "Jobcenter Øst", "Jobcenter Vest"}

// Scale fills an empty database with a municipality the size of the largest in Denmark:
// units, staff in every role (usernames like sagsbehandler001, all with opts.Password),
// citizens with five years of benefit periods, a skewed number of screenings per citizen
// (most 1–3, a few many) scored with the default rules, the demo catalogue with five years
// of referrals, TFAs, plans, efforts and follow-ups (scaleCases), and historic audit rows.
// Everything is generated in Go and streamed with COPY, or generated inside PostgreSQL, with
// the tables' secondary indexes dropped during the load and built once at the end, so
// 100 000 citizens take well under a minute.
func Scale(ctx context.Context, pool *pgxpool.Pool, opts ScaleOptions) (ScaleReport, error) {
	if opts.Citizens == 0 {
		opts.Citizens = 100_000
	}
	if opts.Staff == 0 {
		opts.Staff = 500
	}
	if opts.AuditRows == 0 {
		opts.AuditRows = 1_000_000
	}
	if len(opts.Password) < 12 {
		return ScaleReport{}, fmt.Errorf("seed: scale users need a password of at least 12 characters")
	}
	if has, err := HasData(ctx, pool); err != nil {
		return ScaleReport{}, err
	} else if has {
		return ScaleReport{}, ErrNotEmpty
	}
	today := Options{Today: opts.Today}.today()
	rep := ScaleReport{Took: map[string]time.Duration{}}
	var mu sync.Mutex // steps may run on two connections at once
	step := func(name string, fn func() error) error {
		start := time.Now()
		err := fn()
		mu.Lock()
		rep.Took[name] = time.Since(start)
		mu.Unlock()
		return err
	}
	hash, err := password.Hash(opts.Password, password.Default)
	if err != nil {
		return rep, err
	}

	var teamIDs []int64
	var teamCaseworkers [][]int64
	providers := map[string]int64{} // unit kind → the unit that provides the catalogue's offers of that kind
	var allUsers []int64
	err = step("units+staff", func() error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			units := map[string]int64{}
			add := func(name, kind string) error {
				var id int64
				err := tx.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ($1, $2) RETURNING id`, name, kind).Scan(&id)
				units[name] = id
				return err
			}
			for _, t := range scaleTeams {
				if err := add(t, "jobcenter"); err != nil {
					return err
				}
				teamIDs = append(teamIDs, units[t])
			}
			providers["jobcenter"] = teamIDs[0]
			for _, u := range demoUnits[2:] { // sundhed, social, region, UU, IT
				if err := add(u.name, u.kind); err != nil {
					return err
				}
				providers[u.kind] = units[u.name]
			}
			rep.Units = len(units)
			// 80 % caseworkers spread over the teams; the rest in the other roles.
			type staff struct {
				role, prefix string
				unit         int64
				n            int
			}
			cw := opts.Staff * 80 / 100
			rest := opts.Staff - cw
			plan := []staff{
				{"sundhedsmedarbejder", "sundhed", units[unitSundhed], rest * 40 / 100},
				{"socialmedarbejder", "social", units[unitSocial], rest * 25 / 100},
				{"rehabteam", "rehab", units[unitRegion], rest * 15 / 100},
				{"leder", "leder", teamIDs[0], rest * 15 / 100},
			}
			used := cw
			for _, p := range plan {
				used += p.n
			}
			plan = append(plan, staff{"admin", "admin", units[unitIT], opts.Staff - used})
			teamCaseworkers = make([][]int64, len(teamIDs))
			rows := make([][]any, 0, opts.Staff)
			for i := range cw {
				rows = append(rows, []any{fmt.Sprintf("sagsbehandler%03d", i+1), fmt.Sprintf("Sagsbehandler %03d", i+1),
					teamIDs[i%len(teamIDs)], "sagsbehandler", hash})
			}
			for _, p := range plan {
				for i := range p.n {
					rows = append(rows, []any{fmt.Sprintf("%s%03d", p.prefix, i+1), fmt.Sprintf("%s %03d", p.role, i+1), p.unit, p.role, hash})
				}
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"users"}, []string{"username", "name", "unit_id", "role", "password_hash"},
				pgx.CopyFromRows(rows)); err != nil {
				return fmt.Errorf("seed: copy users: %w", err)
			}
			r2, _ := tx.Query(ctx, `SELECT id, unit_id FROM users WHERE role = 'sagsbehandler' ORDER BY id`)
			var id, unit int64
			if _, err := pgx.ForEachRow(r2, []any{&id, &unit}, func() error {
				for i, t := range teamIDs {
					if t == unit {
						teamCaseworkers[i] = append(teamCaseworkers[i], id)
					}
				}
				allUsers = append(allUsers, id)
				return nil
			}); err != nil {
				return err
			}
			rep.Staff = len(rows)
			return nil
		})
	})
	if err != nil {
		return rep, err
	}

	var bulk bulkLoad
	err = step("drop indexes", func() error {
		bulk, err = prepareBulkLoad(ctx, pool, scaleTables)
		return err
	})
	if err != nil {
		return rep, err
	}

	err = step("citizens", func() error {
		per := opts.Citizens / len(teamIDs)
		for i, t := range teamIDs {
			n := per
			if i == len(teamIDs)-1 {
				n = opts.Citizens - per*(len(teamIDs)-1)
			}
			if err := Citizens(ctx, pool, t, teamCaseworkers[i], n, Options{Seed: opts.Seed + uint64(i), Today: today}); err != nil {
				return err
			}
		}
		rep.Citizens = opts.Citizens
		return nil
	})
	if err != nil {
		return rep, err
	}

	// The historic audit rows need nothing but the users and citizens, so they are written on
	// a second connection while the first generates screenings and cases: two cores, two
	// streams. They join the audit chain (its trigger stays on) oldest first, as rows written
	// on their day would, so the retention purge can remove the oldest part of the chain.
	audit := make(chan error, 1)
	go func() {
		audit <- step("audit", func() error {
			_, err := pool.Exec(ctx, `
				INSERT INTO audit_events (at, user_id, citizen_id, action, detail, request_id)
				SELECT * FROM (
					SELECT now() - random() * interval '180 days' AS at,
					       (SELECT min(id) FROM users) + (random() * ($2 - 1))::bigint,
					       (SELECT min(id) FROM citizens) + (random() * ($3 - 1))::bigint,
					       (ARRAY['citizen.view','citizen.view','citizen.view','caseload.view','citizen.search','screening.view','citizen.update'])[1 + (random() * 6)::int],
					       'skaladata', 'seed'
					FROM generate_series(1, $1)) g
				ORDER BY at`, opts.AuditRows, rep.Staff, rep.Citizens)
			return err
		})
	}()
	err = step("screenings", func() error {
		n, err := scaleScreenings(ctx, pool, opts.Seed, today, allUsers)
		rep.Screenings = n
		return err
	})
	if err == nil {
		rep.Cases, err = scaleCases(ctx, pool, opts.Seed, today, providers, step)
	}
	if aerr := <-audit; err == nil && aerr != nil {
		err = fmt.Errorf("seed: audit rows: %w", aerr)
	}
	if err != nil {
		return rep, err
	}
	rep.AuditRows = opts.AuditRows

	err = step("create indexes", func() error { return bulk.finish(ctx, pool) })
	if err != nil {
		return rep, err
	}
	err = step("meetings", func() error {
		var err error
		rep.Meetings, rep.MeetingCases, err = scaleMeetings(ctx, pool, today)
		return err
	})
	if err != nil {
		return rep, err
	}
	err = step("samtaler", func() error {
		var err error
		rep.Samtaler, err = scaleSamtaler(ctx, pool, today)
		return err
	})
	if err != nil {
		return rep, err
	}
	err = step("analyze", func() error {
		// Index-only scans (the live counts, the inbox, the TFA invitations, the caseload
		// count) skip the table only where the visibility map is set; vacuum every table now
		// rather than wait for autovacuum, so a benchmark right after the seed measures what
		// production sees.
		_, err := pool.Exec(ctx, `VACUUM (ANALYZE)`)
		return err
	})
	if err != nil {
		return rep, err
	}
	err = step("views", func() error { return refreshViews(ctx, pool) })
	return rep, err
}

// scaleScreenings gives most citizens 1–3 screenings over the last years and a few many,
// with plausible answers scored by the default rules, and sets each citizen's current group.
func scaleScreenings(ctx context.Context, pool *pgxpool.Pool, seed uint64, today time.Time, users []int64) (int, error) {
	r := rand.New(rand.NewPCG(seed, 0x68656c6865640003))
	var count int
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// Score with the newest published rule set and record its version, so a screening
		// re-displays exactly as generated.
		var params []byte
		if err := tx.QueryRow(ctx, `SELECT params FROM rule_sets ORDER BY version DESC LIMIT 1`).Scan(&params); err != nil {
			return fmt.Errorf("seed: rule set: %w", err)
		}
		var rules helhed.RuleSet
		if err := json.Unmarshal(params, &rules); err != nil {
			return fmt.Errorf("seed: rule set: %w", err)
		}
		shRows, _ := tx.Query(ctx, `SELECT code FROM ref_values WHERE kind = $1 AND valid_to IS NULL ORDER BY sort_order`, helhed.SelfHealthKind)
		selfHealth, err := pgx.CollectRows(shRows, pgx.RowTo[string])
		if err != nil || len(selfHealth) == 0 {
			return fmt.Errorf("seed: self-rated health answers: %v", err)
		}
		rows, _ := tx.Query(ctx, `SELECT id FROM citizens ORDER BY id`)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		var k int64
		i, left := 0, 0
		var day time.Time
		first := false
		src := pgx.CopyFromFunc(func() ([]any, error) {
			for {
				for left == 0 {
					if i == len(ids) {
						return nil, nil
					}
					k = ids[i]
					i++
					// Most citizens 1–4 screenings; one in fifty has 6–15.
					left = 1 + r.IntN(4)
					if r.IntN(50) == 0 {
						left = 6 + r.IntN(10)
					}
					day = today.AddDate(0, 0, -r.IntN(1500))
					first = true
				}
				left--
				day = day.AddDate(0, 0, 30+r.IntN(150))
				if !day.After(today) {
					break
				}
				// Screenings that would lie in the future are not made (piling them up on today
				// would show as a surge in the management figures); every citizen keeps one.
				if first {
					day = today.AddDate(0, 0, -r.IntN(60))
					break
				}
				left = 0
			}
			first = false
			a := randomAnswers(r, selfHealth)
			res := helhed.Score(a, rules)
			answers, _ := json.Marshal(a)
			risks := make([]string, len(res.KRAMSRisks))
			for j, f := range res.KRAMSRisks {
				risks[j] = f.Code
			}
			count++
			return []any{k, day, answers, []byte(`{}`), rules.Version, res.WHO5, risks,
				string(res.Group), string(res.Group), users[r.IntN(len(users))], a.SelfHealth}, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"screenings"}, []string{"citizen_id", "screened_on", "answers", "conditions",
			"rule_set_version", "who5", "krams_risks", "computed_group", "final_group", "created_by", "self_rated_health"}, src); err != nil {
			return fmt.Errorf("seed: copy screenings: %w", err)
		}
		_, err = tx.Exec(ctx, `
			UPDATE citizens c SET risk_group = l.final_group
			FROM (SELECT DISTINCT ON (citizen_id) citizen_id, final_group FROM screenings
			      ORDER BY citizen_id, screened_on DESC, id DESC) l
			WHERE l.citizen_id = c.id`)
		return err
	})
	return count, err
}

// randomAnswers draws plausible screening answers: citizens on benefits have lower
// well-being and more lifestyle risks than the population at large.
func randomAnswers(r *rand.Rand, selfHealth []string) helhed.ScreeningAnswers {
	pick := func(os []helhed.Option) string { return os[r.IntN(len(os))].Code }
	var a helhed.ScreeningAnswers
	a.Diet, a.Smoking, a.Sleep = pick(helhed.DietOptions), pick(helhed.SmokingOptions), pick(helhed.SleepOptions)
	a.SelfHealth, a.WorkImpact = selfHealth[r.IntN(len(selfHealth))], pick(helhed.WorkImpactOptions)
	// Height 155–199 cm; BMI mostly 19–35, so about one in four is 30 or over, a few under
	// 18,5 — roughly the spread among people on public support.
	a.HeightCm = 155 + r.IntN(45)
	bmi := 17 + r.IntN(19)
	a.WeightKg = min(helhed.MaxWeightKg, max(helhed.MinWeightKg, bmi*a.HeightCm*a.HeightCm/10000))
	// Most have never used hash or other drugs; about one in ten used hash in the last month,
	// one in forty other drugs.
	a.Hash, a.Drugs = "aldrig", "aldrig"
	switch n := r.IntN(20); {
	case n < 2:
		a.Hash = helhed.DrugRecent
	case n < 5:
		a.Hash = "seneste_aar"
	case n < 8:
		a.Hash = "over_et_aar"
	}
	if r.IntN(40) == 0 {
		a.Drugs = helhed.DrugRecent
	} else if r.IntN(10) == 0 {
		a.Drugs = "over_et_aar"
	}
	a.DrinksPerWeek = r.IntN(20)
	a.MaxDrinksOneDay = min(a.DrinksPerWeek, r.IntN(8))
	a.ActiveMinutesPerDay = r.IntN(90)
	base := r.IntN(6)
	for j := range a.WHO5 {
		a.WHO5[j] = min(5, max(0, base+r.IntN(3)-1))
	}
	return a
}
