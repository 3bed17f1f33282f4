package store_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// mgmt is a small hand-built municipality for the management figures: two jobcenters, a
// health centre, caseworkers, and helpers that insert exactly the rows a test describes.
type mgmt struct {
	t          *testing.T
	st         *store.Store
	unit, nabo int64 // jobcenter A (the leader's) and B
	health     int64
	cw, cw2    int64 // caseworkers in A
	cpr        int
}

func newMgmt(t *testing.T) *mgmt {
	t.Helper()
	st, unit, cw := fixture(t)
	m := &mgmt{t: t, st: st, unit: unit, cw: cw}
	m.nabo = m.id(`INSERT INTO units (name, kind) VALUES ('Jobcenter Nabo', 'jobcenter') RETURNING id`)
	m.health = m.id(`INSERT INTO units (name, kind) VALUES ('Sundhedscenter', 'sundhedscenter') RETURNING id`)
	m.cw2 = m.id(`INSERT INTO users (username, name, unit_id, role, password_hash) VALUES ('cw2', 'Bente Berg', $1, 'sagsbehandler', 'x') RETURNING id`, unit)
	return m
}

func (m *mgmt) exec(q string, args ...any) {
	m.t.Helper()
	if _, err := m.st.Pool().Exec(context.Background(), q, args...); err != nil {
		m.t.Fatalf("%s: %v", q, err)
	}
}

func (m *mgmt) id(q string, args ...any) int64 {
	m.t.Helper()
	var id int64
	if err := m.st.Pool().QueryRow(context.Background(), q, args...).Scan(&id); err != nil {
		m.t.Fatalf("%s: %v", q, err)
	}
	return id
}

// citizen inserts a citizen of unit with caseworker (0 = none), current risk group ("" =
// not screened) and next follow-up ("" = none).
func (m *mgmt) citizen(unit, caseworker int64, risk, nextFollowUp string) int64 {
	m.t.Helper()
	m.cpr++
	var cw, rg, nf any
	if caseworker != 0 {
		cw = caseworker
	}
	if risk != "" {
		rg = risk
	}
	if nextFollowUp != "" {
		nf = nextFollowUp
	}
	return m.id(`INSERT INTO citizens (cpr, first_name, last_name, unit_id, caseworker_id, risk_group, next_follow_up)
		VALUES (lpad($1::int::text, 10, '0'), 'Test', 'Borger', $2, $3, $4, $5::date) RETURNING id`, m.cpr, unit, cw, rg, nf)
}

// screen inserts a screening of citizen on day with its resulting group and WHO-5.
func (m *mgmt) screen(citizen int64, on, group string, who5 int) {
	m.t.Helper()
	m.exec(`INSERT INTO screenings (citizen_id, screened_on, answers, rule_set_version, who5, computed_group, final_group, created_by)
		VALUES ($1, $2, '{}', 1, $3, $4, $4, $5)`, citizen, on, who5, group, m.cw)
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func period(from, to string) helhed.Period { return helhed.Period{From: day(from), To: day(to)} }

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestCaseloadBalance(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	idle := m.id(`INSERT INTO users (username, name, unit_id, role, password_hash) VALUES ('cw3', 'Ane Ager', $1, 'sagsbehandler', 'x') RETURNING id`, m.unit)
	m.id(`INSERT INTO users (username, name, unit_id, role, password_hash, disabled_at) VALUES ('cw4', 'Gone', $1, 'sagsbehandler', 'x', now()) RETURNING id`, m.unit)
	other := m.id(`INSERT INTO users (username, name, unit_id, role, password_hash) VALUES ('cw5', 'Nabo', $1, 'sagsbehandler', 'x') RETURNING id`, m.nabo)
	// cw: three citizens, one of each kind, one overdue (due yesterday), one due today.
	m.citizen(m.unit, m.cw, "hoej", "2026-03-14")
	m.citizen(m.unit, m.cw, "mellem", "2026-03-15")
	m.citizen(m.unit, m.cw, "", "")
	m.citizen(m.unit, m.cw2, "lav", "2026-01-01")
	m.citizen(m.unit, 0, "ingen", "")
	m.citizen(m.nabo, other, "hoej", "2020-01-01") // another unit: not counted

	b, err := m.st.CaseloadBalance(ctx, m.unit, day("2026-03-15"), nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Name                                                string
		Citizens, High, Medium, Low, None, Unscreened, Over int
	}
	var got []row
	for _, r := range b.Rows {
		name := "(ingen)"
		if r.Name != nil {
			name = *r.Name
		}
		got = append(got, row{name, r.Citizens, r.High, r.Medium, r.Low, r.NoRisk, r.Unscreened, r.Overdue})
	}
	want := []row{
		{"Case Worker", 3, 1, 1, 0, 0, 1, 1},
		{"Bente Berg", 1, 0, 0, 1, 0, 0, 1},
		{"Ane Ager", 0, 0, 0, 0, 0, 0, 0}, // an active caseworker with no citizens still shows
		{"(ingen)", 1, 0, 0, 0, 1, 0, 0},  // citizens without a caseworker come last
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("caseloads (-want +got):\n%s", diff)
	}
	if b.RowCount != 4 || b.Caseworkers != 3 || b.Total.Citizens != 5 || b.Total.Overdue != 2 || b.Total.High != 1 || b.Total.Unscreened != 1 {
		t.Errorf("totals: %d rows, %+v", b.Caseworkers, b.Total)
	}
	// A page holds its rows; the totals are the unit's.
	page, err := m.st.CaseloadBalance(ctx, m.unit, day("2026-03-15"), &store.Page{Number: 2, PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 2 || *page.Rows[0].CaseworkerID != idle || page.Total.Citizens != 5 || page.RowCount != 4 {
		t.Errorf("page 2: %+v", page)
	}
}

func TestOutcomes(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	a := m.citizen(m.unit, m.cw, "hoej", "")
	b := m.citizen(m.unit, m.cw, "", "")
	c := m.citizen(m.unit, m.cw2, "lav", "")
	n := m.citizen(m.nabo, 0, "", "")
	period := func(citizen int64, benefit, start string, days int, exit string) {
		var ex any
		if exit != "" {
			ex = exit
		}
		m.exec(`INSERT INTO benefit_periods (citizen_id, benefit_code, start_date, end_date, exit_code)
			VALUES ($1, $2, $3::date, $3::date + $4::int - 1, $5)`, citizen, benefit, start, days, ex)
	}
	// Each period below is a spell of its own: a whole calendar month lies between any two of
	// a citizen's (the effect tests in effect_test.go join and split spells). In the period
	// (2026): 100, 200 and 400 days on kontanthjælp.
	period(a, "kontanthjaelp", "2025-12-01", 100, "job")                                                                       // ends 2026-03-10
	period(b, "kontanthjaelp", "2025-09-01", 200, "uddannelse")                                                                // ends 2026-03-19
	period(c, "kontanthjaelp", "2025-01-01", 400, "job")                                                                       // ends 2026-02-04
	period(c, "sygedagpenge", "2026-04-01", 30, "")                                                                            // ends 2026-04-30, no exit reason recorded; March off: a spell of its own
	period(a, "kontanthjaelp", "2023-01-01", 500, "andet")                                                                     // baseline (2024): 500
	period(b, "dagpenge", "2022-10-01", 700, "job")                                                                            // baseline: 700
	period(n, "kontanthjaelp", "2025-12-01", 50, "job")                                                                        // another unit
	m.exec(`INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'kontanthjaelp', '2026-05-01')`, a) // still running; April off: a new spell
	// a's risk group at exit is the latest screening before it (mellem), not today's (hoej);
	// a had a plan from 2026-01-05, before the exit; c got one on 2026-03-01, after leaving
	// kontanthjælp but before leaving sygedagpenge.
	m.screen(a, "2025-11-01", "mellem", 40)
	m.screen(a, "2026-03-11", "hoej", 20)
	m.screen(c, "2024-06-01", "lav", 70)
	m.exec(`INSERT INTO plans (citizen_id, created_by, updated_by, created_at) VALUES ($1, $2, $2, '2026-01-05 10:00+01')`, a, m.cw)
	m.exec(`INSERT INTO plans (citizen_id, created_by, updated_by, created_at) VALUES ($1, $2, $2, '2026-03-01 10:00+01')`, c, m.cw)
	if _, err := m.st.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}

	f := store.ManagementFilter{Period: period2026, UnitID: m.unit}
	o, err := m.st.Outcomes(ctx, f, helhed.Period{From: day("2024-01-01"), To: day("2024-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	var kth helhed.OutcomeGroup
	for _, g := range o.ByBenefit {
		if g.Key == "kontanthjaelp" {
			kth = g
		}
	}
	if mean, med := kth.Days.Mean(), kth.Days.Median(); kth.N() != 3 || !near(mean.Value, 233.33) || med.Value != 200 {
		t.Errorf("kontanthjælp 2026: n %d, mean %v, median %v; want 3, 233.3, 200", kth.N(), mean.Value, med.Value)
	}
	if kth.Exits["job"] != 2 || kth.Exits["uddannelse"] != 1 {
		t.Errorf("kontanthjælp exits: %v", kth.Exits)
	}
	// Three citizens: every figure about them is suppressed where it is shown.
	if kth.Days.Mean().Text() != helhed.Suppressed || kth.ExitShare("job").Text() != helhed.Suppressed {
		t.Errorf("figures about 3 citizens show as %q and %q", kth.Days.Mean().Text(), kth.ExitShare("job").Text())
	}
	if o.Total.N() != 4 || o.Total.Exits[""] != 1 {
		t.Errorf("total 2026: n %d, exits %v", o.Total.N(), o.Total.Exits)
	}
	if o.BaselineTotal.N() != 2 || o.BaselineTotal.Days.Mean().Value != 600 {
		t.Errorf("baseline 2024: %v", o.BaselineTotal.Days)
	}
	risk := map[string]int{}
	for _, g := range o.ByRisk {
		risk[g.Key] = g.N()
	}
	if diff := cmp.Diff(map[string]int{"mellem": 1, "lav": 2, "": 1}, risk); diff != "" {
		t.Errorf("risk group at exit (-want +got):\n%s", diff)
	}
	plan := map[string]int{}
	for _, g := range o.ByPlan {
		plan[g.Key] = g.N()
	}
	if diff := cmp.Diff(map[string]int{"med": 2, "uden": 2}, plan); diff != "" {
		t.Errorf("with and without a plan at exit (-want +got):\n%s", diff)
	}
	// The trend runs from 2024 K1 to 2026 K4; the baseline exits fell in 2024 K2 and K3, three
	// 2026 exits in 2026 K1 and one in K2.
	if len(o.Quarters) != 12 || o.Quarters[8].Key != "2026-01-01" || o.Quarters[8].N() != 3 || o.Quarters[9].N() != 1 ||
		o.Quarters[1].N() != 1 || o.Quarters[2].N() != 1 || o.Quarters[0].N() != 0 {
		t.Errorf("quarters: %d, 2026 K1 %s with %d", len(o.Quarters), o.Quarters[8].Key, o.Quarters[8].N())
	}
	// One benefit type only; the whole municipality includes the other unit.
	f.Benefit = "sygedagpenge"
	if o, err := m.st.Outcomes(ctx, f, helhed.Period{From: day("2024-01-01"), To: day("2024-12-01")}); err != nil || o.Total.N() != 1 {
		t.Errorf("sygedagpenge only: %d, %v", o.Total.N(), err)
	}
	f = store.ManagementFilter{Period: period2026}
	if o, err := m.st.Outcomes(ctx, f, helhed.Period{From: day("2024-01-01"), To: day("2024-12-01")}); err != nil || o.Total.N() != 5 {
		t.Errorf("whole municipality: %d, %v", o.Total.N(), err)
	}
}

var period2026 = period("2026-01-01", "2026-12-01")

// referral inserts a referral with its history: created on sent, then each step days later.
func (m *mgmt) referral(citizen, offer int64, sent string, steps ...struct {
	to     string
	after  int
	reason string
}) int64 {
	m.t.Helper()
	state, at, reason := "sendt", sent, ""
	id := m.id(`INSERT INTO referrals (citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, citizen_accepted, created_at)
		SELECT $1, $2, $3, c.unit_id, o.provider_unit_id, 'sendt', true, $4::timestamptz
		FROM citizens c, offers o WHERE c.id = $1 AND o.id = $2 RETURNING id`, citizen, offer, m.cw, sent+" 10:00+01")
	m.exec(`INSERT INTO referral_events (referral_id, to_state, by_user_id, at) VALUES ($1, 'sendt', $2, $3::timestamptz)`, id, m.cw, sent+" 10:00+01")
	t := day(sent)
	for _, s := range steps {
		t = t.AddDate(0, 0, s.after)
		at = t.Format(time.DateOnly)
		m.exec(`INSERT INTO referral_events (referral_id, from_state, to_state, reason, at) VALUES ($1, $2, $3, $4, $5::timestamptz)`,
			id, state, s.to, s.reason, at+" 12:00+01")
		state = s.to
		if s.reason != "" {
			reason = s.reason
		}
	}
	m.exec(`UPDATE referrals SET state = $2, reason = $3, state_changed_at = $4::timestamptz WHERE id = $1`, id, state, reason, at+" 12:00+01")
	return id
}

type step = struct {
	to     string
	after  int
	reason string
}

func TestReferralFlow(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	ips := m.id(`INSERT INTO offers (name, opgavetype, provider_unit_id, capacity) VALUES ('IPS', 'ot08', $1, 3) RETURNING id`, m.unit)
	gym := m.id(`INSERT INTO offers (name, opgavetype, provider_unit_id, capacity) VALUES ('Motion', 'ot06', $1, 10) RETURNING id`, m.health)
	cs := make([]int64, 12)
	for i := range cs {
		cs[i] = m.citizen(m.unit, m.cw, "hoej", "")
	}
	other := m.citizen(m.nabo, 0, "", "")
	// Three started in 10, 20 and 40 days: mean 23.3, median 20. One of them is finished.
	m.referral(cs[0], ips, "2026-01-05", step{"modtaget", 1, ""}, step{"accepteret", 2, ""}, step{"startet", 7, ""})
	m.referral(cs[1], ips, "2026-01-05", step{"modtaget", 1, ""}, step{"accepteret", 2, ""}, step{"startet", 17, ""})
	m.referral(cs[2], ips, "2026-02-01", step{"modtaget", 5, ""}, step{"venteliste", 5, ""}, step{"accepteret", 20, ""},
		step{"startet", 10, ""}, step{"afsluttet", 50, ""})
	m.referral(cs[3], ips, "2026-02-10", step{"modtaget", 1, ""}, step{"venteliste", 1, ""}) // waiting now
	m.referral(cs[4], ips, "2026-02-11")                                                     // not yet opened
	// Six rejections with the same reason and one with a reason nobody else gave.
	for i := 5; i < 11; i++ {
		m.referral(cs[i], gym, "2026-03-02", step{"modtaget", 1, ""}, step{"afvist", 1, " Ikke i målgruppen "})
	}
	m.referral(cs[11], gym, "2026-03-02", step{"modtaget", 1, ""}, step{"afvist", 1, "Har netop mistet sin mand"})
	m.referral(other, gym, "2026-03-03", step{"modtaget", 1, ""}, step{"afvist", 1, "Ikke i målgruppen"}) // another unit
	m.referral(cs[0], gym, "2025-12-20", step{"annulleret", 1, ""})                                       // before the period
	if _, err := m.st.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}

	fl, err := m.st.ReferralFlow(ctx, store.ManagementFilter{Period: period2026, UnitID: m.unit})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Offers) != 2 || fl.Offers[0].Name != "IPS" {
		t.Fatalf("offers: %+v", fl.Offers)
	}
	ipsFlow, gymFlow := fl.Offers[0], fl.Offers[1]
	if ipsFlow.Provider != "Jobcenter Test" || ipsFlow.Capacity != 3 || ipsFlow.Held != 2 || ipsFlow.Waiting != 1 || ipsFlow.Sent() != 5 {
		t.Errorf("IPS: %+v", ipsFlow)
	}
	wantStates := map[helhed.ReferralState]int{"startet": 2, "afsluttet": 1, "venteliste": 1, "sendt": 1}
	if diff := cmp.Diff(wantStates, ipsFlow.States); diff != "" {
		t.Errorf("IPS states (-want +got):\n%s", diff)
	}
	if mean, med := ipsFlow.StartDays.Mean(), ipsFlow.StartDays.Median(); !near(mean.Value, 23.33) || med.Value != 20 || mean.N != 3 {
		t.Errorf("days to start: mean %v, median %v over %d; want 23.3, 20 over 3", mean.Value, med.Value, mean.N)
	}
	if gymFlow.States["afvist"] != 7 || gymFlow.Sent() != 7 {
		t.Errorf("Motion: %+v", gymFlow.States)
	}
	if acc := helhed.AcceptanceRate(fl.States); acc.Part != 4 || acc.N != 11 {
		t.Errorf("acceptance: %d of %d; want 4 of 11 decided", acc.Part, acc.N)
	}
	if len(fl.Months) != 12 || fl.Months[0].States["startet"] != 2 || fl.Months[2].States["afvist"] != 7 || fl.Months[11].States != nil {
		t.Errorf("months: %+v", fl.Months)
	}
	var rejected []helhed.ReasonCount
	for _, r := range fl.Reasons {
		if r.State == helhed.ReferralRejected {
			rejected = r.Reasons
		}
	}
	top, other2 := helhed.CommonReasons(rejected, 10)
	if len(top) != 1 || top[0] != (helhed.ReasonCount{Reason: "ikke i målgruppen", N: 6}) || other2 != 1 {
		t.Errorf("rejection reasons shown: %v, others %d", top, other2)
	}
	// The provider filter keeps the health centre's offer; the whole municipality counts the
	// other unit's referral too.
	fl, err = m.st.ReferralFlow(ctx, store.ManagementFilter{Period: period2026, ProviderUnitID: m.health})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Offers) != 1 || fl.Offers[0].States["afvist"] != 8 || fl.States["startet"] != 0 {
		t.Errorf("health centre, whole municipality: %+v", fl.Offers)
	}
}

func TestRiskProgression(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	x := m.citizen(m.unit, m.cw, "lav", "")
	y := m.citizen(m.unit, m.cw, "mellem", "")
	z := m.citizen(m.unit, m.cw, "hoej", "")
	m.citizen(m.unit, m.cw, "", "")
	m.citizen(m.nabo, 0, "hoej", "")
	m.screen(x, "2025-11-10", "mellem", 40)
	m.screen(x, "2026-02-10", "lav", 60) // +20: improved
	m.screen(y, "2025-06-01", "lav", 70)
	m.screen(y, "2026-01-15", "mellem", 50)
	m.screen(y, "2026-04-20", "mellem", 55) // -15: worsened
	m.screen(z, "2026-05-01", "hoej", 20)   // once only: no change to measure

	// Progression: x's goals move +3 and -1 (mean +1, improved); y's goal stays at 5; z has
	// been followed up once.
	goals := func(citizen int64, n int) []int64 {
		plan := m.id(`INSERT INTO plans (citizen_id, created_by, updated_by) VALUES ($1, $2, $2) RETURNING id`, citizen, m.cw)
		var ids []int64
		for i := range n {
			ids = append(ids, m.id(`INSERT INTO plan_goals (plan_id, text, sort_order) VALUES ($1, 'Mål', $2) RETURNING id`, plan, i))
		}
		return ids
	}
	followUp := func(goal []int64, on string, scores ...int) {
		var plan int64
		plan = m.id(`SELECT plan_id FROM plan_goals WHERE id = $1`, goal[0])
		fu := m.id(`INSERT INTO follow_ups (plan_id, held_on, created_by) VALUES ($1, $2, $3) RETURNING id`, plan, on, m.cw)
		for i, s := range scores {
			m.exec(`INSERT INTO follow_up_scores (follow_up_id, goal_id, score) VALUES ($1, $2, $3)`, fu, goal[i], s)
		}
	}
	gx, gy, gz := goals(x, 2), goals(y, 1), goals(z, 1)
	followUp(gx, "2025-12-01", 3, 5)
	followUp(gx, "2026-03-01", 6, 4)
	followUp(gy, "2026-01-10", 5)
	followUp(gy, "2026-04-10", 5)
	followUp(gz, "2026-04-10", 2)
	if _, err := m.st.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}

	rf, err := m.st.RiskProgression(ctx, store.ManagementFilter{Period: period2026, UnitID: m.unit})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"lav": 1, "mellem": 1, "hoej": 1, "": 1}, rf.Current); diff != "" {
		t.Errorf("risk groups now (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(store.WHO5Change{N: 2, FirstSum: 110, LatestSum: 115, Improved: 1, Worsened: 1}, rf.WHO5); diff != "" {
		t.Errorf("WHO-5 change (-want +got):\n%s", diff)
	}
	if rf.Progression.N != 2 || rf.Progression.Improved != 1 || rf.Progression.ChangeSum != 1 {
		t.Errorf("progression: %+v; want 2 citizens, 1 improved, change sum 1", rf.Progression)
	}
	if share := helhed.Share(rf.Progression.Improved, rf.Progression.N); share.Value != 50 {
		t.Errorf("share improved: %v", share.Value)
	}
	if len(rf.Quarters) != 4 || rf.Quarters[0].Groups["lav"] != 1 || rf.Quarters[0].Groups["mellem"] != 1 ||
		rf.Quarters[1].Groups["mellem"] != 1 || rf.Quarters[1].Groups["hoej"] != 1 {
		t.Errorf("quarters: %+v", rf.Quarters)
	}
	// Before the period, nothing of 2026 counts.
	rf, err = m.st.RiskProgression(ctx, store.ManagementFilter{Period: period("2025-01-01", "2025-12-01"), UnitID: m.unit})
	if err != nil {
		t.Fatal(err)
	}
	if rf.WHO5.N != 0 || rf.Progression.N != 0 {
		t.Errorf("2025: %+v %+v", rf.WHO5, rf.Progression)
	}
}

func TestInitiatives(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	who := store.Who{UserID: m.cw, RequestID: "test"}
	gym := m.id(`INSERT INTO offers (name, opgavetype, provider_unit_id, capacity) VALUES ('Motion', 'ot06', $1, 10) RETURNING id`, m.health)
	smoke := m.id(`INSERT INTO offers (name, opgavetype, provider_unit_id, capacity) VALUES ('Rygestop', 'ot06', $1, 10) RETURNING id`, m.health)
	a, b := m.citizen(m.unit, m.cw, "", ""), m.citizen(m.unit, m.cw, "", "")
	m.referral(a, gym, "2026-02-01", step{"modtaget", 1, ""}, step{"accepteret", 1, ""})
	m.referral(a, smoke, "2026-02-01") // the same citizen twice: one citizen
	m.referral(b, gym, "2026-02-01", step{"annulleret", 1, ""})
	m.referral(b, gym, "2025-01-01") // before the initiative began counting

	in := store.InitiativeInput{Theme: "sundhed_beskaeftigelse", Title: "Sundhed i jobcentret", Status: "fremdrift",
		Note: "Godt i gang", CountsFrom: day("2026-01-01"), OfferIDs: []int64{gym, smoke}}
	id, err := m.st.CreateInitiative(ctx, who, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.st.RefreshInitiativeCounts(ctx); err != nil {
		t.Fatal(err)
	}
	got, hist, err := m.st.InitiativeByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ThemeLabel != "Sundhed og beskæftigelse" || got.StatusLabel != "I planmæssig fremdrift" || len(got.Offers) != 2 ||
		got.Referred != 1 || got.InProgress != 1 || got.Version != 1 || len(hist) != 1 {
		t.Errorf("created: %+v, history %v", got, hist)
	}
	// A change of status goes into the history; a stale version changes nothing.
	in.Status, in.Note, in.OfferIDs = "mindre_udfordringer", "Forsinket", []int64{gym}
	if err := m.st.UpdateInitiative(ctx, who, id, 1, in); err != nil {
		t.Fatal(err)
	}
	if err := m.st.RefreshInitiativeCounts(ctx); err != nil {
		t.Fatal(err)
	}
	in.Title = "Overskrevet"
	if err := m.st.UpdateInitiative(ctx, who, id, 1, in); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("stale save: %v; want a conflict", err)
	}
	got, hist, err = m.st.InitiativeByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Sundhed i jobcentret" || got.Version != 2 || len(got.Offers) != 1 || len(hist) != 2 ||
		hist[0].Status != "mindre_udfordringer" || hist[0].Note != "Forsinket" || hist[1].Status != "fremdrift" {
		t.Errorf("after edit: %+v, history %+v", got, hist)
	}
	if got.Referred != 1 {
		t.Errorf("counts after unlinking Rygestop: %d referred", got.Referred)
	}
	// An edit that keeps status and note adds no history.
	in.Title = "Sundhed i jobcentret 2026"
	in.Status, in.Note = "mindre_udfordringer", "Forsinket"
	if err := m.st.UpdateInitiative(ctx, who, id, 2, in); err != nil {
		t.Fatal(err)
	}
	if _, hist, _ = m.st.InitiativeByID(ctx, id); len(hist) != 2 {
		t.Errorf("history after a title edit: %d entries", len(hist))
	}
	in.OfferIDs = []int64{gym, 999999}
	if err := m.st.UpdateInitiative(ctx, who, id, 3, in); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Errorf("unknown offer: %v", err)
	}
	list, total, err := m.st.ListInitiatives(ctx, &store.Page{Number: 1, PerPage: 10})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != id {
		t.Errorf("list: %v %d %v", list, total, err)
	}
	var audits int
	if err := m.st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action LIKE 'initiative.%'`).Scan(&audits); err != nil || audits != 3 {
		t.Errorf("%d audit rows for 1 create and 2 saves (%v)", audits, err)
	}
}
