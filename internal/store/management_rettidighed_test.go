package store_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// rettidighedFixture is the samtale fixture on the real clock: management_rettidighed's
// period ends on the day of the refresh, which is the database's now(), not the store's.
// Ledighedsydelse (four conversations in the first 6 months, no reform dates) is due on
// about day 46, 91, 136 and the window's last day.
type rettidighedFixture struct {
	samtaleFixture
	today time.Time
}

func newRettidighedFixture(t *testing.T) rettidighedFixture {
	t.Helper()
	f := rettidighedFixture{samtaleFixture: newSamtaleFixture(t)}
	f.st.Now = time.Now
	f.today = helhed.DanishToday(time.Now())
	return f
}

// period gives citizen a ledighedsydelse starting days before today and returns its deadlines
// by contact_due, the rule both computations share.
func (f rettidighedFixture) period(t *testing.T, citizen int64, days int) []time.Time {
	t.Helper()
	start := f.today.AddDate(0, 0, -days)
	if _, err := f.st.AddBenefitPeriod(f.ctx, f.cwWho, store.BenefitPeriod{CitizenID: citizen, BenefitCode: "ledighedsydelse", StartDate: start}); err != nil {
		t.Fatal(err)
	}
	rows, _ := f.st.Pool().Query(f.ctx, `
		SELECT contact_due((b.start_date + make_interval(months => cad.after_months))::date,
		                   (b.start_date + make_interval(months => cad.within_months))::date,
		                   cad.samtaler, k - 1, b.start_date + cad.first_within_days - 1)
		FROM benefit_periods b
		JOIN contact_cadences cad ON cad.benefit_code = b.benefit_code
		  AND cad.valid_from <= b.start_date AND (cad.valid_to IS NULL OR cad.valid_to >= b.start_date)
		CROSS JOIN generate_series(1, cad.samtaler) k
		WHERE b.citizen_id = $1 ORDER BY k`, citizen)
	dues, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	if err != nil || len(dues) != 4 {
		t.Fatalf("deadlines %v, %v; want four", dues, err)
	}
	return dues
}

// holdOn records a samtale held with citizen at 10:00 on day.
func (f rettidighedFixture) holdOn(t *testing.T, citizen int64, day time.Time) {
	t.Helper()
	start := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, danish(t))
	if _, err := f.st.BookSamtale(f.ctx, f.cwWho, citizen, store.SamtaleInput{StartsAt: start, EndsAt: start.Add(30 * time.Minute),
		Form: "fysisk", Held: true, Outcome: "Jobsamtale", OutcomeClass: "sag", OverlapOK: true}); err != nil {
		t.Fatal(err)
	}
}

// inWindow fails unless day lies in the 13 weeks before today, away from their ends (the
// test must not depend on which side of a boundary a deadline falls).
func (f rettidighedFixture) inWindow(t *testing.T, day time.Time) {
	t.Helper()
	if !day.After(f.today.AddDate(0, 0, -store.RettidighedDays+2)) || !day.Before(f.today.AddDate(0, 0, -2)) {
		t.Fatalf("deadline %s is not well inside the 13 weeks before %s", day.Format(time.DateOnly), f.today.Format(time.DateOnly))
	}
}

// refresh recomputes the management views.
func (f rettidighedFixture) refresh(t *testing.T) {
	t.Helper()
	if ran, err := f.st.RefreshManagement(f.ctx); err != nil || !ran {
		t.Fatalf("refresh: ran %v, %v", ran, err)
	}
}

// compare checks that every unit's row of management_rettidighed equals ContactRettidighed over
// the row's period, and returns the view's figures by unit.
func (f rettidighedFixture) compare(t *testing.T) map[int64]store.RettidighedFigure {
	t.Helper()
	rows, _ := f.st.Pool().Query(f.ctx, `SELECT id FROM units ORDER BY id`)
	units, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]store.RettidighedFigure{}
	for _, u := range units {
		v, err := f.st.UnitRettidighed(f.ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if want := helhed.DanishToday(v.RefreshedAt); !v.To.Equal(want) || !v.From.Equal(want.AddDate(0, 0, -store.RettidighedDays)) {
			t.Errorf("unit %d: period %s–%s; want the %d days before the refresh's day %s", u, v.From.Format(time.DateOnly),
				v.To.Format(time.DateOnly), store.RettidighedDays, want.Format(time.DateOnly))
		}
		live, err := f.st.ContactRettidighed(f.ctx, u, v.From, v.To)
		if err != nil {
			t.Fatal(err)
		}
		if v.Due != live.Due || v.OnTime != live.OnTime {
			t.Errorf("unit %d: the view has %d of %d on time; computed live %d of %d", u, v.OnTime, v.Due, live.OnTime, live.Due)
		}
		out[u] = v
	}
	return out
}

// management_rettidighed holds, per unit, what the live rettidighed statement computes for the
// last 13 weeks as of the refresh: a conversation held on time, one held late, one never held,
// one under an exemption (not counted), in two jobcenters and a unit with no citizens. Until
// the next refresh it keeps its figures; the refresh picks up a conversation held since.
func TestManagementRettidighedMatchesLive(t *testing.T) {
	t.Parallel()
	f := newRettidighedFixture(t)
	south, err := f.st.CreateUnit(f.ctx, who, "Jobcenter Syd", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}

	// The first citizen: the 1st held two days early, the 2nd three days late.
	a := f.period(t, f.citizen, 100)
	f.inWindow(t, a[0])
	f.inWindow(t, a[1])
	f.holdOn(t, f.citizen, a[0].AddDate(0, 0, -2))
	f.holdOn(t, f.citizen, a[1].AddDate(0, 0, 3))
	// The second: the 1st not held (the 2nd falls due after today).
	missing := f.citizen2(t)
	b := f.period(t, missing, 80)
	f.inWindow(t, b[0])
	// The third: exempt for the whole period, so neither deadline counts.
	exempt := f.citizen2(t)
	f.period(t, exempt, 100)
	if _, err := f.st.Pool().Exec(f.ctx, `INSERT INTO contact_exemptions (citizen_id, reason, from_date, created_by)
		VALUES ($1, 'konkret_vurdering', $2, $3)`, exempt, f.today.AddDate(0, 0, -100), f.cw); err != nil {
		t.Fatal(err)
	}
	// A citizen of Jobcenter Syd: the 1st held on its day, the 2nd not held.
	other := f.citizen2(t)
	if _, err := f.st.Pool().Exec(f.ctx, `UPDATE citizens SET unit_id = $2 WHERE id = $1`, other, south); err != nil {
		t.Fatal(err)
	}
	o := f.period(t, other, 100)
	f.holdOn(t, other, o[0])

	f.refresh(t)
	got := f.compare(t)
	if r := got[f.jobcenter]; r.Due != 3 || r.OnTime != 1 {
		t.Errorf("the jobcenter: %d of %d on time; want 1 of 3 (on time, late, missing; the exempt citizen not counted)", r.OnTime, r.Due)
	}
	if r := got[south]; r.Due != 2 || r.OnTime != 1 {
		t.Errorf("Jobcenter Syd: %d of %d on time; want 1 of 2", r.OnTime, r.Due)
	}
	if r, ok := got[f.health]; !ok || r.Due != 0 {
		t.Errorf("a unit without citizens: %+v; want 0 due", r)
	}
	before := got[f.jobcenter]

	// The missing conversation is recorded as held the day before its deadline: the view keeps
	// its figures until the next refresh, which counts it on time.
	f.holdOn(t, missing, b[0].AddDate(0, 0, -1))
	if r, err := f.st.UnitRettidighed(f.ctx, f.jobcenter); err != nil || r.OnTime != 1 || !r.RefreshedAt.Equal(before.RefreshedAt) {
		t.Errorf("before the refresh: %+v, %v; want the refreshed 1 of 3", r, err)
	}
	f.refresh(t)
	got = f.compare(t)
	if r := got[f.jobcenter]; r.Due != 3 || r.OnTime != 2 {
		t.Errorf("after the refresh: %d of %d on time; want 2 of 3", r.OnTime, r.Due)
	}
	if r := got[f.jobcenter]; !r.RefreshedAt.After(before.RefreshedAt) {
		t.Errorf("refreshed at %s, not after %s", r.RefreshedAt, before.RefreshedAt)
	}
}

// A unit created after the last refresh has no row: nothing had fallen due for it, over the
// 13 weeks before the refresh's day.
func TestUnitRettidighedNewUnit(t *testing.T) {
	t.Parallel()
	f := newRettidighedFixture(t)
	f.refresh(t)
	unit, err := f.st.CreateUnit(f.ctx, who, "Jobcenter Ny", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.st.UnitRettidighed(f.ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	if day := helhed.DanishToday(r.RefreshedAt); r.Due != 0 || !r.To.Equal(day) || !r.From.Equal(day.AddDate(0, 0, -store.RettidighedDays)) {
		t.Errorf("new unit: %+v; want 0 due over the 13 weeks before %s", r, day.Format(time.DateOnly))
	}
}
