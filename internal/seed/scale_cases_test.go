package seed

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// smallScale seeds a small municipality: every generator runs, in seconds.
func smallScale(t *testing.T, seed uint64) (*pgxpool.Pool, ScaleReport) {
	t.Helper()
	pool, _ := testdb.New(t)
	rep, err := Scale(context.Background(), pool, ScaleOptions{Citizens: 2000, Staff: 60, Password: "skala-adgangskode-1",
		Seed: seed, Today: testToday, AuditRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return pool, rep
}

// The generated case history obeys the same rules the app enforces: referral states agree
// with their event history and the workflow, nothing happens after today, no offer is
// over-booked, TFAs and plans are one draft / one plan per citizen, and the caseload's
// follow-up date is the one the app would have set.
func TestScaleCasesInvariants(t *testing.T) {
	t.Parallel()
	pool, rep := smallScale(t, 11)
	ctx := context.Background()
	c := rep.Cases
	t.Logf("%+v", c)
	if c.Offers != len(demoOffers) {
		t.Errorf("%d offers, want the demo catalogue's %d", c.Offers, len(demoOffers))
	}
	perCitizen := float64(c.Referrals) / float64(rep.Citizens)
	if perCitizen < 3 || perCitizen > 5 {
		t.Errorf("%.2f referrals per citizen, want about 4 (400 000 at 100 000 citizens)", perCitizen)
	}
	if per := float64(c.ReferralEvents) / float64(c.Referrals); per < 3 || per > 6 {
		t.Errorf("%.2f events per referral", per)
	}
	if per := float64(c.Assessments) / float64(rep.Citizens); per < 0.7 || per > 1.3 {
		t.Errorf("%.2f TFAs per citizen, want about 1", per)
	}
	if per := float64(c.Efforts) / float64(rep.Citizens); per < 3.5 || per > 6.5 {
		t.Errorf("%.2f efforts per citizen, want about 5", per)
	}
	if c.Plans == 0 || c.FollowUps == 0 || c.Scores == 0 || c.Goals == 0 {
		t.Errorf("empty case tables: %+v", c)
	}
	// The historic audit rows joined the audit chain, oldest first.
	if ac, err := store.New(pool).VerifyAudit(ctx); err != nil || ac.Broken != nil || ac.Rows < 1000 {
		t.Errorf("audit chain after the seed: %+v, %v", ac, err)
	}
	var outOfOrder int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events a JOIN audit_events b ON b.seq = a.seq + 1
		WHERE b.at < a.at AND a.request_id = 'seed' AND b.request_id = 'seed'`).Scan(&outOfOrder); err != nil || outOfOrder > 0 {
		t.Errorf("%d historic audit rows out of time order in the chain (%v)", outOfOrder, err)
	}

	// Every event chain starts with sendt, follows the workflow, ends in the referral's state
	// at its state_changed_at, and its length is the referral's version.
	type event struct {
		Referral int64     `db:"referral_id"`
		From     *string   `db:"from_state"`
		To       string    `db:"to_state"`
		Reason   string    `db:"reason"`
		At       time.Time `db:"at"`
	}
	type referral struct {
		ID      int64     `db:"id"`
		State   string    `db:"state"`
		Changed time.Time `db:"state_changed_at"`
		Created time.Time `db:"created_at"`
		Version int       `db:"version"`
		Reason  string    `db:"reason"`
	}
	rows, _ := pool.Query(ctx, `SELECT id, state, state_changed_at, created_at, version, reason FROM referrals`)
	refs, err := pgx.CollectRows(rows, pgx.RowToStructByName[referral])
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = pool.Query(ctx, `SELECT referral_id, from_state, to_state, reason, at FROM referral_events ORDER BY referral_id, at, id`)
	events, err := pgx.CollectRows(rows, pgx.RowToStructByName[event])
	if err != nil {
		t.Fatal(err)
	}
	chains := map[int64][]event{}
	for _, e := range events {
		chains[e.Referral] = append(chains[e.Referral], e)
	}
	states := map[string]int{}
	bad := 0
	for _, r := range refs {
		states[r.State]++
		ch := chains[r.ID]
		fail := func(format string, args ...any) {
			if bad < 10 {
				t.Errorf("referral %d: "+format, append([]any{r.ID}, args...)...)
			}
			bad++
		}
		if len(ch) == 0 || ch[0].From != nil || ch[0].To != string(helhed.ReferralSent) || !ch[0].At.Equal(r.Created) {
			fail("does not start with its creation as sendt")
			continue
		}
		for i := 1; i < len(ch); i++ {
			from, to := helhed.ReferralState(*ch[i].From), helhed.ReferralState(ch[i].To)
			if string(from) != ch[i-1].To || !helhed.CanTransition(from, to) || !ch[i].At.After(ch[i-1].At) {
				fail("step %d %s → %s after %s is not a workflow move", i, from, to, ch[i-1].To)
			}
			if to.RequiresReason() && ch[i].Reason == "" {
				fail("move to %s without a reason", to)
			}
		}
		last := ch[len(ch)-1]
		if last.To != r.State || !last.At.Equal(r.Changed) || len(ch) != r.Version {
			fail("state %s at %v v%d, but history ends %s at %v after %d steps", r.State, r.Changed, r.Version, last.To, last.At, len(ch))
		}
		if !last.At.Before(testToday) {
			fail("an event on or after today: %v", last.At)
		}
		if helhed.ReferralState(r.State).RequiresReason() != (r.Reason != "") {
			fail("state %s with reason %q", r.State, r.Reason)
		}
	}
	t.Logf("referral states: %v", states)
	for _, st := range helhed.ReferralStates {
		if states[string(st)] == 0 {
			t.Errorf("no referral in state %s: the dashboards need every state", st)
		}
	}

	checks := []struct{ what, sql string }{
		{"offers over-booked", `SELECT count(*) FROM offers o WHERE o.capacity < (SELECT count(*) FROM referrals r
			WHERE r.offer_id = o.id AND r.state IN ('accepteret', 'startet'))`},
		{"referrals from a caseworker outside the citizen's unit", `SELECT count(*) FROM referrals r JOIN citizens c ON c.id = r.citizen_id
			JOIN users u ON u.id = r.from_user_id WHERE r.from_unit_id <> c.unit_id OR u.unit_id <> c.unit_id`},
		{"referrals not to the offer's provider", `SELECT count(*) FROM referrals r JOIN offers o ON o.id = r.offer_id WHERE r.to_unit_id <> o.provider_unit_id`},
		{"citizens with two TFA drafts", `SELECT count(*) FROM (SELECT citizen_id FROM assessments WHERE concluded_at IS NULL
			GROUP BY citizen_id HAVING count(*) > 1) x`},
		{"TFA versions out of order", `SELECT count(*) FROM assessments a JOIN assessments b ON b.citizen_id = a.citizen_id
			AND b.number = a.number + 1 WHERE a.concluded_at IS NULL OR b.created_at < a.concluded_at`},
		{"concluded TFAs without a jobcenter and a health participant", `SELECT count(*) FROM assessments a WHERE a.concluded_at IS NOT NULL
			AND NOT (EXISTS (SELECT 1 FROM assessment_participants p WHERE p.assessment_id = a.id AND p.unit_kind = 'jobcenter')
			     AND EXISTS (SELECT 1 FROM assessment_participants p WHERE p.assessment_id = a.id AND p.unit_kind = 'sundhedscenter'))`},
		{"plans not from a concluded first TFA", `SELECT count(*) FROM plans p JOIN assessments a ON a.id = p.assessment_id
			WHERE a.citizen_id <> p.citizen_id OR a.concluded_at IS NULL OR a.number <> 1 OR p.created_at <> a.concluded_at`},
		{"plans without goals or a version", `SELECT count(*) FROM plans p WHERE NOT EXISTS (SELECT 1 FROM plan_goals g WHERE g.plan_id = p.id)
			OR NOT EXISTS (SELECT 1 FROM plan_versions v WHERE v.plan_id = p.id AND v.version = p.version)`},
		{"efforts linked to another citizen's referral", `SELECT count(*) FROM plan_efforts e JOIN plans p ON p.id = e.plan_id
			JOIN referrals r ON r.id = e.referral_id WHERE r.citizen_id <> p.citizen_id OR r.offer_id <> e.offer_id`},
		{"efforts with codes not in the reference data", `SELECT count(*) FROM plan_efforts e WHERE NOT EXISTS (SELECT 1 FROM ref_values v
			WHERE v.kind = 'effort_area' AND v.code = e.area) OR NOT EXISTS (SELECT 1 FROM ref_values v WHERE v.kind = 'effort_status' AND v.code = e.status)`},
		{"follow-ups before the plan or after today", `SELECT count(*) FROM follow_ups f JOIN plans p ON p.id = f.plan_id
			WHERE f.held_on < p.created_at::date OR f.held_on >= $1::date`},
		{"scores on another plan's goal", `SELECT count(*) FROM follow_up_scores s JOIN follow_ups f ON f.id = s.follow_up_id
			JOIN plan_goals g ON g.id = s.goal_id WHERE g.plan_id <> f.plan_id`},
		{"next follow-up not three months after the last", `SELECT count(*) FROM citizens c JOIN plans p ON p.citizen_id = c.id
			WHERE c.next_follow_up IS DISTINCT FROM (coalesce((SELECT max(held_on) FROM follow_ups f WHERE f.plan_id = p.id),
			p.created_at::date) + interval '3 months')::date`},
		{"next follow-up without a plan", `SELECT count(*) FROM citizens c WHERE c.next_follow_up IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.citizen_id = c.id)`},
	}
	for _, ch := range checks {
		var n int
		args := []any{}
		if ch.what == "follow-ups before the plan or after today" {
			args = append(args, testToday)
		}
		if err := pool.QueryRow(ctx, ch.sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", ch.what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d", ch.what, n)
		}
	}
	// No day gathers a pile of screenings (they used to be clamped to today).
	var busiest float64
	if err := pool.QueryRow(ctx, `SELECT max(n)::float8 / sum(n) FROM (SELECT count(*) AS n FROM screenings GROUP BY screened_on) d`).
		Scan(&busiest); err != nil {
		t.Fatal(err)
	}
	if busiest > 0.01 {
		t.Errorf("one day holds %.1f %% of all screenings", 100*busiest)
	}
	// The demo strategy links every offer it names.
	links := 0
	for _, in := range demoInitiatives {
		links += len(in.offers)
	}
	var initiatives, linked int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM initiatives), (SELECT count(*) FROM initiative_offers)`).
		Scan(&initiatives, &linked); err != nil {
		t.Fatal(err)
	}
	if initiatives != len(demoInitiatives) || linked != links {
		t.Errorf("%d initiatives with %d offers; want %d with %d", initiatives, linked, len(demoInitiatives), links)
	}
	var overdue, withPlan int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE next_follow_up < $1), count(next_follow_up) FROM citizens`, testToday).
		Scan(&overdue, &withPlan); err != nil {
		t.Fatal(err)
	}
	if share := float64(overdue) / float64(withPlan); share < 0.05 || share > 0.5 {
		t.Errorf("%.0f %% of plans overdue: the caseload's overdue filter needs some, not most", 100*share)
	}
}

// Scale drops the secondary indexes and foreign keys for the load and restores every one.
func TestScaleRestoresIndexes(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	ctx := context.Background()
	const q = `SELECT (SELECT string_agg(indexdef, E'\n' ORDER BY indexdef) FROM pg_indexes WHERE schemaname = current_schema())
		|| E'\n' || (SELECT string_agg(d, E'\n' ORDER BY d) FROM (
		                SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d
		                FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND convalidated) c)`
	var before, after string
	if err := pool.QueryRow(ctx, q).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := Scale(ctx, pool, ScaleOptions{Citizens: 200, Staff: 30, Password: "skala-adgangskode-1", Seed: 1,
		Today: testToday, AuditRows: 100}); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, q).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("indexes and constraints after Scale differ from the migrated schema:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// The same seed on a fresh database gives the same case history.
func TestScaleCasesDeterministic(t *testing.T) {
	t.Parallel()
	const digest = `SELECT md5(string_agg(concat_ws(',', r.id, r.citizen_id, r.offer_id, r.state, r.created_at, r.version), ';' ORDER BY r.id))
		|| md5((SELECT string_agg(concat_ws(',', s.follow_up_id, s.goal_id, s.score), ';' ORDER BY s.follow_up_id, s.goal_id) FROM follow_up_scores s))
		|| md5((SELECT string_agg(concat_ws(',', e.plan_id, e.title, e.status, e.start_date), ';' ORDER BY e.id) FROM plan_efforts e))
		FROM referrals r`
	var sums [2]string
	for i := range sums {
		pool, _ := testdb.New(t)
		if _, err := Scale(context.Background(), pool, ScaleOptions{Citizens: 300, Staff: 30, Password: "skala-adgangskode-1",
			Seed: 4, Today: testToday, AuditRows: 10}); err != nil {
			t.Fatal(err)
		}
		if err := pool.QueryRow(context.Background(), digest).Scan(&sums[i]); err != nil {
			t.Fatal(err)
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two runs with seed 4 differ: %s / %s", sums[0], sums[1])
	}
}
