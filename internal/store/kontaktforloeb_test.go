package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/store"
)

// contactFixture is a citizen on a benefit from start, with the store's clock movable.
type contactFixture struct {
	samtaleFixture
}

func newContactFixture(t *testing.T, benefit string, start time.Time) contactFixture {
	t.Helper()
	f := contactFixture{newSamtaleFixture(t)}
	if _, err := f.st.AddBenefitPeriod(f.ctx, f.cwWho, store.BenefitPeriod{CitizenID: f.citizen, BenefitCode: benefit, StartDate: start}); err != nil {
		t.Fatal(err)
	}
	return f
}

// on sets the store's clock to 09:00 on the Danish day "2006-01-02".
func (f contactFixture) on(t *testing.T, day string) {
	t.Helper()
	d := date(day)
	f.st.Now = func() time.Time { return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, danish(t)) }
}

// hold records a samtale held at 10:00 on day.
func (f contactFixture) hold(t *testing.T, day string) {
	t.Helper()
	d := date(day)
	start := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, danish(t))
	saved := f.st.Now
	f.st.Now = func() time.Time { return start.Add(time.Hour) }
	defer func() { f.st.Now = saved }()
	if _, err := f.st.BookSamtale(f.ctx, f.cwWho, f.citizen, store.SamtaleInput{StartsAt: start, EndsAt: start.Add(30 * time.Minute),
		Form: "fysisk", Held: true, Outcome: "Jobsamtale", OutcomeClass: "sag", OverlapOK: true}); err != nil {
		t.Fatal(err)
	}
}

// expect checks the next conversation's day (want "" for none) and whether it is overdue.
func (f contactFixture) expect(t *testing.T, what, want string, overdue bool) store.ContactDue {
	t.Helper()
	d, err := f.st.NextContact(f.ctx, f.citizen)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	if d.Due != nil {
		got = d.Due.Format(time.DateOnly)
	}
	today := date(f.st.Now().In(danish(t)).Format(time.DateOnly))
	if got != want || d.Overdue(today) != overdue {
		t.Errorf("%s (on %s): due %q overdue %v; want %q overdue %v (rule %v, held %d)", what, today.Format(time.DateOnly),
			got, d.Overdue(today), want, overdue, deref(d.Rule), d.Held)
	}
	return d
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// Kontanthjælp before 1.7.2026: four jobsamtaler in the first 6 months (LAB, lov nr. 548 af
// 7.5.2019, kap. 7; STAR, "Kontaktforløbet": "fire samtaler i jobcentret de første 6
// måneder"). A period from 5.1.2026 has the window 5.1.–4.7.2026 (181 days); Helhed spreads
// the four over it: the 1st by day 46 (19.2.), the 2nd by day 91 (5.4.), the 4th on the last
// day (4.7.).
func TestContactCadenceKontanthjaelpBefore2026Reform(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "kontanthjaelp", date("2026-01-05"))
	f.on(t, "2026-02-19")
	d := f.expect(t, "no samtale held, the last day of the first", "2026-02-19", false)
	if deref(d.Rule) != "Fire jobsamtaler de første 6 måneder" || d.Required == nil || *d.Required != 4 {
		t.Errorf("rule %q, required %v", deref(d.Rule), d.Required)
	}
	f.on(t, "2026-02-20")
	f.expect(t, "the day after", "2026-02-19", true)
	f.hold(t, "2026-02-20")
	f.expect(t, "one held (late)", "2026-04-05", false)
	f.hold(t, "2026-03-01")
	f.hold(t, "2026-04-01")
	f.on(t, "2026-07-04")
	f.expect(t, "three held, the window's last day", "2026-07-04", false)
	f.on(t, "2026-07-05")
	d = f.expect(t, "the window is past with one missing", "2026-07-04", false)
	if !d.Missed(date("2026-07-05")) {
		t.Error("a missed fourth samtale is not Missed")
	}
	f.hold(t, "2026-07-03") // recorded afterwards, held inside the window
	f.expect(t, "all four held", "", false)
}

// Sygedagpenge before lov nr. 1750: at least four follow-ups in the first half-year from the
// first day of absence, the first by the end of the 8th week (sygedagpengeloven § 13 b, stk.
// 1). From 2.3.2026 the 8th week ends 26.4., but spreading four over 184 days puts the first
// on 16.4. already; a rule of one samtale with an 8-week limit would be due 26.4.
func TestContactCadenceSygedagpengeFollowUp(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "sygedagpenge", date("2026-03-02"))
	f.on(t, "2026-04-16")
	f.expect(t, "first follow-up, spread", "2026-04-16", false)
	f.on(t, "2026-04-17")
	f.expect(t, "first follow-up, a day late", "2026-04-16", true)
	// The 8-week limit binds when it comes first: the same rule with one follow-up.
	if _, err := f.st.Pool().Exec(f.ctx, `UPDATE contact_cadences SET samtaler = 1 WHERE benefit_code = 'sygedagpenge' AND valid_from = '2014-07-01'`); err != nil {
		t.Fatal(err)
	}
	f.on(t, "2026-04-26")
	f.expect(t, "one follow-up: the end of the 8th week", "2026-04-26", false)
	f.on(t, "2026-04-27")
	f.expect(t, "one follow-up: the day after the 8th week", "2026-04-26", true)
}

// Sygedagpenge from 1.7.2026 (lov nr. 1750 af 29.12.2025 § 3; "mindst én samtale det første
// halve år", opkurser.dk — a secondary source, docs/law.md): a period from 1.7.2026 needs one
// samtale by 31.12.2026. The employee expected back within 26 weeks is exempt (lov nr. 1750,
// the minister's answer: "sygemeldte med et job som udgangspunkt ikke længere til samtale og
// opfølgning i kommunen, hvis både den sygemeldte og arbejdsgiver forventer et sygefravær på
// mindre end 26 uger"): no conversation is due while the exemption lasts.
func TestContactCadenceSygedagpengeAfterLov1750(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "sygedagpenge", date("2026-07-01"))
	f.on(t, "2026-12-31")
	d := f.expect(t, "one samtale, the window's last day", "2026-12-31", false)
	if deref(d.Rule) != "Mindst én samtale det første halve år" {
		t.Errorf("rule %q; want the rule of lov 1750", deref(d.Rule))
	}
	f.on(t, "2027-01-01")
	if d := f.expect(t, "missed", "2026-12-31", false); !d.Missed(date("2027-01-01")) {
		t.Error("not Missed")
	}
	to := date("2027-01-31")
	if err := f.st.ExemptFromContact(f.ctx, f.cwWho, f.citizen, store.ContactExemption{Reason: "sygemeldt_under_26_uger",
		From: date("2026-07-01"), To: &to}); err != nil {
		t.Fatal(err)
	}
	d = f.expect(t, "exempt: employee back within 26 weeks", "", false)
	if deref(d.Exemption) != "sygemeldt_under_26_uger" {
		t.Errorf("exemption %q", deref(d.Exemption))
	}
	f.on(t, "2027-02-01")
	f.expect(t, "the exemption has ended", "2026-12-31", false)
}

// A period that began on 30.6.2026 follows the rule in force that day, one from 1.7.2026 the
// new one (the transition is Helhed's reading, docs/law.md): sygedagpenge 4 follow-ups before,
// 1 after.
func TestContactCadenceFollowsTheRuleInForceAtStart(t *testing.T) {
	t.Parallel()
	before := newContactFixture(t, "sygedagpenge", date("2026-06-30"))
	before.on(t, "2026-07-02")
	if d := before.expect(t, "started 30.6.2026", "2026-08-14", false); d.Required == nil || *d.Required != 4 {
		t.Errorf("started 30.6.2026: %v required; want 4", d.Required)
	}
	after := newContactFixture(t, "sygedagpenge", date("2026-07-01"))
	after.on(t, "2026-07-02")
	if d := after.expect(t, "started 1.7.2026", "2026-12-31", false); d.Required == nil || *d.Required != 1 {
		t.Errorf("started 1.7.2026: %v required; want 1", d.Required)
	}
}

// Dagpenge: the a-kasse holds the first three samtaler, the jobcenter three in the 4th to 6th
// month (forenklet kontaktforløb, in force 1.1.2024; STAR, "Kontaktforløbet"). From 4.1.2027
// the jobcenter's window is 4.4.–3.7.2027 (91 days): its first samtale by day 31 (4.5.).
// Nothing is due from the jobcenter in the first three months.
func TestContactCadenceDagpengeJobcenterMonths4To6(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "dagpenge", date("2027-01-04"))
	f.on(t, "2027-01-05")
	f.expect(t, "a-kassen's months", "2027-05-04", false)
	f.hold(t, "2027-02-01") // a samtale before the window does not count
	f.on(t, "2027-05-05")
	d := f.expect(t, "a day late", "2027-05-04", true)
	if d.Held != 0 {
		t.Errorf("held %d; the samtale in the a-kasse's months counted", d.Held)
	}
}

// No rule for the benefit (fleksjob), no open benefit: no conversation is due.
func TestContactWithoutRule(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "fleksjob", date("2026-01-05"))
	f.on(t, "2026-03-01")
	if d := f.expect(t, "fleksjob", "", false); d.Rule != nil {
		t.Errorf("rule %q for fleksjob", *d.Rule)
	}
}

// The overdue lists: a caseworker's and a unit's citizens whose next conversation is overdue,
// the longest overdue first; a missed window stays OverdueGrace days; an exempt citizen and a
// closed case are not listed.
func TestOverdueContacts(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "kontanthjaelp", date("2026-01-05"))
	second := f.citizen2(t)
	if _, err := f.st.AddBenefitPeriod(f.ctx, f.cwWho, store.BenefitPeriod{CitizenID: second, BenefitCode: "kontanthjaelp", StartDate: date("2026-01-12")}); err != nil {
		t.Fatal(err)
	}
	list := func(fl store.OverdueFilter) []int64 {
		t.Helper()
		rows, total, err := f.st.OverdueContacts(f.ctx, fl, store.Page{Number: 1, PerPage: 50})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range rows {
			ids = append(ids, r.CitizenID)
		}
		if total != len(ids) {
			t.Errorf("total %d, %d rows", total, len(ids))
		}
		return ids
	}
	f.on(t, "2026-02-19")
	if got := list(store.OverdueFilter{CaseworkerID: f.cw}); len(got) != 0 {
		t.Errorf("on the due day: %v", got)
	}
	f.on(t, "2026-03-01")
	if got := list(store.OverdueFilter{CaseworkerID: f.cw}); len(got) != 2 || got[0] != f.citizen {
		t.Errorf("both overdue, the oldest first: %v", got)
	}
	if got := list(store.OverdueFilter{UnitID: f.jobcenter}); len(got) != 2 {
		t.Errorf("the unit's list: %v", got)
	}
	if got := list(store.OverdueFilter{UnitID: f.health}); len(got) != 0 {
		t.Errorf("another unit's list: %v", got)
	}
	if err := f.st.ExemptFromContact(f.ctx, f.cwWho, second, store.ContactExemption{Reason: "konkret_vurdering", From: date("2026-02-01")}); err != nil {
		t.Fatal(err)
	}
	if got := list(store.OverdueFilter{CaseworkerID: f.cw}); len(got) != 1 || got[0] != f.citizen {
		t.Errorf("after the exemption: %v", got)
	}
	// Missed on 5.7.2026: listed 30 days, to 3.8.; not on 4.8.
	f.on(t, "2026-08-03")
	if got := list(store.OverdueFilter{CaseworkerID: f.cw}); len(got) != 1 {
		t.Errorf("missed 29 days ago: %v", got)
	}
	f.on(t, "2026-08-04")
	if got := list(store.OverdueFilter{CaseworkerID: f.cw}); len(got) != 0 {
		t.Errorf("missed 30 days ago: %v", got)
	}
	f.on(t, "2026-03-01")
	if err := f.st.CloseCase(f.ctx, f.cwWho, f.citizen, "I job"); err != nil {
		t.Fatal(err)
	}
	if got := list(store.OverdueFilter{CaseworkerID: f.cw}); len(got) != 0 {
		t.Errorf("a closed case is listed: %v", got)
	}
	// A bad exemption is refused by field.
	to := date("2026-01-01")
	err := f.st.ExemptFromContact(f.ctx, f.cwWho, f.citizen, store.ContactExemption{Reason: "konkret_vurdering", From: date("2026-02-01"), To: &to})
	if fieldsOf(t, err, "invalid")["to"] == "" {
		t.Errorf("an exemption ending before it begins: %v", err)
	}
}

// Each benefit has one rule on any day: no two periods of a benefit overlap.
func TestContactCadencesDoNotOverlap(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	var n int
	if err := f.st.Pool().QueryRow(f.ctx, `
		SELECT count(*) FROM contact_cadences a JOIN contact_cadences b ON a.benefit_code = b.benefit_code AND a.id < b.id
		WHERE daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d overlapping rules", n)
	}
}

// Kontanthjælp from 1.7.2026 (jobparate): still four jobsamtaler in the first 6 months (lov nr.
// 1750 af 29.12.2025, mere fleksible kontaktforløb; STAR, spørgsmål og svar). A period from
// 1.7.2026 has the window 1.7.–31.12.2026 (184 days): the 1st is due by day 46 (15.8.), the
// 2nd by day 92 (30.9.). At the boundary: on 15.8. it is due, not overdue; on 16.8. overdue;
// held late on 16.8., the next is the 2nd's day.
func TestContactCadenceKontanthjaelpAfterLov1750(t *testing.T) {
	t.Parallel()
	f := newContactFixture(t, "kontanthjaelp", date("2026-07-01"))
	f.on(t, "2026-08-15")
	if d := f.expect(t, "the 1st's last day", "2026-08-15", false); d.Source == nil || !strings.Contains(*d.Source, "1750") {
		t.Errorf("rule from %v; want lov nr. 1750's", deref(d.Source))
	}
	f.on(t, "2026-08-16")
	f.expect(t, "a day late", "2026-08-15", true)
	f.hold(t, "2026-08-16")
	f.on(t, "2026-08-16")
	f.expect(t, "held late", "2026-09-30", false)
}
