package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// benefit inserts one benefit period of citizen ("" end: running; "" exit: none recorded).
func (m *mgmt) benefit(citizen int64, code, start, end, exit string) {
	m.t.Helper()
	var e, x any
	if end != "" {
		e = end
	}
	if exit != "" {
		x = exit
	}
	m.exec(`INSERT INTO benefit_periods (citizen_id, benefit_code, start_date, end_date, exit_code) VALUES ($1, $2, $3::date, $4::date, $5)`,
		citizen, code, start, e, x)
}

func (m *mgmt) refresh() {
	m.t.Helper()
	if _, err := m.st.RefreshManagement(context.Background()); err != nil {
		m.t.Fatal(err)
	}
}

// The effect figures count spells, not benefit periods: sygedagpenge, then a
// jobafklaringsforløb, then job is ONE spell of 450 days ending in job (selvforsørgelse),
// through the management query the dashboard uses.
func TestEffectCountsSygedagpengeJobafklaringJobAsOneSpell(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	a := m.citizen(m.unit, m.cw, "", "")
	m.benefit(a, "sygedagpenge", "2025-01-06", "2025-06-08", "andet")
	m.benefit(a, "jobafklaringsforloeb", "2025-06-09", "2026-03-31", "job")
	m.refresh()

	o, err := m.st.Outcomes(ctx, store.ManagementFilter{Period: period2026, UnitID: m.unit}, period("2024-01-01", "2024-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Total.N() != 1 || o.Total.Exits["job"] != 1 || o.Total.Exits["andet"] != 0 || !slices.Equal([]int(o.Total.Days), []int{450}) {
		t.Errorf("spells ended in 2026: n %d, exits %v, days %v; want one spell of 450 days ending in job", o.Total.N(), o.Total.Exits, o.Total.Days)
	}
	if len(o.ByBenefit) != 1 || o.ByBenefit[0].Key != "sygedagpenge" {
		t.Errorf("by benefit: %+v; want the spell under the benefit it began on, sygedagpenge", o.ByBenefit)
	}
	if got := o.Total.CategoryShare(o.ExitCategories, helhed.ExitSelfSupporting); got.Part != 1 || got.N != 1 {
		t.Errorf("selvforsørgelse: %d of %d; want 1 of 1 (job is selvforsørgelse in the reference data)", got.Part, got.N)
	}
	// 2025 saw no exit: the change of benefit on 8.6.2025 is not one.
	if o, err := m.st.Outcomes(ctx, store.ManagementFilter{Period: period("2025-01-01", "2025-12-01")}, period("2024-01-01", "2024-12-01")); err != nil || o.Total.N() != 0 {
		t.Errorf("spells ended in 2025: %d, %v; want 0", o.Total.N(), err)
	}
	spells, err := m.st.CitizenSpells(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(spells) != 1 || spells[0].Exit != "job" || !slices.Equal(spells[0].Benefits, []string{"sygedagpenge", "jobafklaringsforloeb"}) {
		t.Errorf("spells: %+v", spells)
	}
}

// A whole calendar month without support splits a spell; a shorter gap does not; fleksjob is
// employment (spell_scope 'udenfor'), so going to it ends the spell.
func TestEffectSpellsSplitOnAWholeCalendarMonth(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	split := m.citizen(m.unit, m.cw, "", "")
	m.benefit(split, "kontanthjaelp", "2026-01-01", "2026-03-31", "job")
	m.benefit(split, "kontanthjaelp", "2026-05-01", "2026-06-30", "uddannelse") // all of April off: a new spell
	joined := m.citizen(m.unit, m.cw, "", "")
	m.benefit(joined, "kontanthjaelp", "2026-01-01", "2026-03-31", "job")
	m.benefit(joined, "sygedagpenge", "2026-04-30", "2026-06-30", "andet") // back on 30 April: April not whole
	flex := m.citizen(m.unit, m.cw, "", "")
	m.benefit(flex, "ledighedsydelse", "2026-01-01", "2026-02-28", "fleksjob")
	m.benefit(flex, "fleksjob", "2026-03-01", "", "")
	m.refresh()

	count := func(id int64) int {
		s, err := m.st.CitizenSpells(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(s)
	}
	if n := count(split); n != 2 {
		t.Errorf("a whole calendar month off: %d spells; want 2", n)
	}
	if n := count(joined); n != 1 {
		t.Errorf("back inside the first whole month: %d spells; want 1", n)
	}
	if n := count(flex); n != 1 {
		t.Errorf("ledighedsydelse then fleksjob: %d spells; want 1 (fleksjob is no spell)", n)
	}
	o, err := m.st.Outcomes(ctx, store.ManagementFilter{Period: period2026, UnitID: m.unit}, period("2024-01-01", "2024-12-01"))
	if err != nil {
		t.Fatal(err)
	}
	// split: 90 and 61 days; joined: 181 days; flex: 59 days ending in fleksjob.
	days := slices.Sorted(slices.Values(o.Total.Days))
	if !slices.Equal(days, []int{59, 61, 90, 181}) || o.Total.Exits["fleksjob"] != 1 {
		t.Errorf("ended spells: %v, exits %v; want 59, 61, 90, 181 days, one to fleksjob", days, o.Total.Exits)
	}
	if got := o.Total.CategoryShare(o.ExitCategories, helhed.ExitSelfSupporting); got.Part != 2 || got.N != 4 {
		t.Errorf("selvforsørgelse: %d of %d; want 2 of 4 (job, uddannelse; not fleksjob, not andet)", got.Part, got.N)
	}
}

// The "one year shorter" goal: the baseline period is a dated setting, and the figures of
// the baseline and the current period stand side by side.
func TestEffectBaselineAgainstCurrent(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	if b, err := m.st.EffectBaseline(ctx, day("2026-06-01")); err != nil || b.Set {
		t.Fatalf("no baseline set: %+v, %v", b, err)
	}
	w := store.Who{UserID: m.cw, RequestID: "test"}
	if err := m.st.SetEffectBaseline(ctx, w, day("2026-01-01"), period("2024-01-01", "2024-12-01"), "Året før strategien"); err != nil {
		t.Fatal(err)
	}
	// A later decision moves the baseline from 2027; 2026's figures keep 2024.
	if err := m.st.SetEffectBaseline(ctx, w, day("2027-01-01"), period("2025-01-01", "2025-12-01"), "Ny strategi"); err != nil {
		t.Fatal(err)
	}
	b, err := m.st.EffectBaseline(ctx, day("2026-06-01"))
	if err != nil || !b.Set || !b.Period.From.Equal(day("2024-01-01")) || !b.Period.To.Equal(day("2024-12-01")) || b.Note != "Året før strategien" {
		t.Fatalf("baseline on 1.6.2026: %+v, %v", b, err)
	}
	if b, _ := m.st.EffectBaseline(ctx, day("2027-02-01")); !b.Period.From.Equal(day("2025-01-01")) {
		t.Errorf("baseline on 1.2.2027: %+v; want 2025", b.Period)
	}

	// Baseline (spells ended in 2024): five spells of 800 days. Current (2026): five of 400.
	for i := range 5 {
		c := m.citizen(m.unit, m.cw, "", "")
		start := day("2022-06-01").AddDate(0, 0, i)
		m.benefit(c, "kontanthjaelp", start.Format(time.DateOnly), start.AddDate(0, 0, 399).Format(time.DateOnly), "")
		m.benefit(c, "sygedagpenge", start.AddDate(0, 0, 400).Format(time.DateOnly), start.AddDate(0, 0, 799).Format(time.DateOnly), "job")
		start = day("2025-03-01").AddDate(0, 0, i)
		m.benefit(c, "dagpenge", start.Format(time.DateOnly), start.AddDate(0, 0, 399).Format(time.DateOnly), "uddannelse")
	}
	m.refresh()
	o, err := m.st.Outcomes(ctx, store.ManagementFilter{Period: period2026}, b.Period)
	if err != nil {
		t.Fatal(err)
	}
	cmp := helhed.CompareDurations(o.BaselineTotal.Days, o.Total.Days, 365)
	if cmp.Baseline.Value != 800 || cmp.Baseline.N != 5 || cmp.Current.Value != 400 || cmp.Current.N != 5 {
		t.Fatalf("baseline %v over %d, current %v over %d; want 800 over 5, 400 over 5", cmp.Baseline.Value, cmp.Baseline.N, cmp.Current.Value, cmp.Current.N)
	}
	if !cmp.HasTarget || cmp.Target.Value != 435 || cmp.Change.Value != -400 || !cmp.Met {
		t.Errorf("goal: %+v; want target 435, change -400, met", cmp)
	}
}

// "50 % experience improved function" is the citizens' own answer: each citizen counts once,
// by their latest answer in the period, and exactly half improved meets the goal of 50 %.
func TestSelfRatedImprovementShare(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	w := store.Who{UserID: m.cw, RequestID: "test"}
	rate := func(c int64, on string, r helhed.SelfRating) {
		t.Helper()
		if _, err := m.st.AddSelfRating(ctx, w, c, day(on), r); err != nil {
			t.Fatal(err)
		}
	}
	var cs []int64
	for range 10 {
		cs = append(cs, m.citizen(m.unit, m.cw, "", ""))
	}
	// Five improved: two "meget bedre", three "noget bedre" — one of them said "uændret"
	// earlier in the year, and its latest answer counts.
	rate(cs[0], "2026-02-01", helhed.RatingMuchBetter)
	rate(cs[1], "2026-03-01", helhed.RatingMuchBetter)
	rate(cs[2], "2026-04-01", helhed.RatingSomewhatBetter)
	rate(cs[3], "2026-05-01", helhed.RatingSomewhatBetter)
	rate(cs[4], "2026-01-10", helhed.RatingSame)
	rate(cs[4], "2026-06-01", helhed.RatingSomewhatBetter)
	// Five did not: "uændret" (latest, after an earlier "noget bedre"), worse, much worse.
	rate(cs[5], "2026-01-15", helhed.RatingSomewhatBetter)
	rate(cs[5], "2026-07-01", helhed.RatingSame)
	rate(cs[6], "2026-07-01", helhed.RatingSame)
	rate(cs[7], "2026-08-01", helhed.RatingSomewhatWorse)
	rate(cs[8], "2026-09-01", helhed.RatingMuchWorse)
	rate(cs[9], "2026-12-31", helhed.RatingSame) // the period's last day counts
	// Outside the period, and another unit: not counted.
	rate(cs[9], "2025-12-31", helhed.RatingMuchBetter)
	other := m.citizen(m.nabo, 0, "", "")
	rate(other, "2026-05-01", helhed.RatingMuchBetter)
	if _, err := m.st.AddSelfRating(ctx, w, cs[0], day("2026-02-01"), "bedre"); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Errorf("an answer off the scale: %v; want invalid", err)
	}

	counts, err := m.st.SelfRatingFigures(ctx, store.ManagementFilter{Period: period2026, UnitID: m.unit})
	if err != nil {
		t.Fatal(err)
	}
	share := counts.ImprovedShare()
	if counts.N() != 10 || share.Part != 5 || share.Value != 50 {
		t.Fatalf("counts %v: %d of %d improved (%v %%); want 5 of 10, 50 %%", counts, share.Part, counts.N(), share.Value)
	}
	if met, ok := helhed.MeetsShareGoal(share, 50); !met || !ok {
		t.Errorf("exactly 50 %% against a goal of 50 %%: met %v, ok %v; want met", met, ok)
	}
	if met, _ := helhed.MeetsShareGoal(share, 51); met {
		t.Error("50 % meets a goal of 51 %")
	}
	// The whole municipality adds the other unit's citizen: 6 of 11.
	all, err := m.st.SelfRatingFigures(ctx, store.ManagementFilter{Period: period2026})
	if err != nil || all.N() != 11 || all.ImprovedShare().Part != 6 {
		t.Errorf("whole municipality: %v, %v; want 6 of 11", all, err)
	}
	list, err := m.st.SelfRatings(ctx, cs[4])
	if err != nil || len(list) != 2 || list[0].Answer != helhed.RatingSomewhatBetter || list[0].By != "Case Worker" {
		t.Errorf("citizen's answers, newest first: %+v, %v", list, err)
	}
}

// The spells the database computes (benefit_spells) are the spells helhed.Spells computes,
// on random histories: overlaps, gaps around the month boundaries, running periods, equal
// ends, and fleksjob (outside the spells) mixed in.
func TestSQLSpellsAgreeWithHelhed(t *testing.T) {
	t.Parallel()
	m := newMgmt(t)
	ctx := context.Background()
	outside, err := m.st.SpellScope(ctx)
	if err != nil || !slices.Equal(outside, []string{"fleksjob"}) {
		t.Fatalf("spell scope: %v, %v; want fleksjob outside", outside, err)
	}
	r := rand.New(rand.NewPCG(2026, 15))
	benefits := []string{"kontanthjaelp", "sygedagpenge", "jobafklaringsforloeb", "dagpenge", "ledighedsydelse", "fleksjob"}
	exits := []string{"", "job", "uddannelse", "fleksjob", "foertidspension", "andet"}
	histories := map[int64][]helhed.SpellPeriod{}
	const citizens = 400
	for range citizens {
		c := m.citizen(m.unit, m.cw, "", "")
		at := day("2019-01-01").AddDate(0, 0, r.IntN(400))
		var hist []helhed.SpellPeriod
		for range 1 + r.IntN(7) {
			// Steps that land on and around the month boundaries: back, overlapping, next day,
			// within a month, one or two months on.
			at = at.AddDate(0, 0, []int{-30, -1, 0, 1, 1, 20, 29, 31, 33, 45, 61, 62, 95}[r.IntN(13)])
			if r.IntN(4) == 0 { // snap to a month's first or last day
				at = time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, r.IntN(2), -r.IntN(2))
			}
			p := helhed.SpellPeriod{Benefit: benefits[r.IntN(len(benefits))], Start: at}
			if r.IntN(10) > 0 {
				end := at.AddDate(0, 0, []int{0, 10, 27, 30, 58, 90, 200}[r.IntN(7)])
				p.End, p.Exit = &end, exits[r.IntN(len(exits))]
				if r.IntN(3) > 0 {
					at = end
				}
			}
			hist = append(hist, p)
		}
		for _, p := range hist {
			end, exit := "", p.Exit
			if p.End != nil {
				end = p.End.Format(time.DateOnly)
			}
			m.benefit(c, p.Benefit, p.Start.Format(time.DateOnly), end, exit)
		}
		histories[c] = hist
	}
	checked := 0
	for c, hist := range histories {
		var in []helhed.SpellPeriod
		for _, p := range hist { // the caller's choice of periods: public support only
			if !slices.Contains(outside, p.Benefit) {
				in = append(in, p)
			}
		}
		want := helhed.Spells(in)
		got, err := m.st.CitizenSpells(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if spellsText(got) != spellsText(want) {
			t.Errorf("citizen %d, history %s:\n SQL    %s\n helhed %s", c, periodsText(hist), spellsText(got), spellsText(want))
		}
		checked += len(want)
	}
	if checked < citizens {
		t.Errorf("only %d spells checked", checked)
	}
}

func spellsText(ss []helhed.Spell) string {
	out := ""
	for _, s := range ss {
		end := "…"
		if s.End != nil {
			end = s.End.Format(time.DateOnly)
		}
		out += fmt.Sprintf("[%s–%s %v %q] ", s.Start.Format(time.DateOnly), end, s.Benefits, s.Exit)
	}
	return out
}

func periodsText(ps []helhed.SpellPeriod) string {
	var ss []helhed.Spell
	for _, p := range ps {
		ss = append(ss, helhed.Spell{Start: p.Start, End: p.End, Benefits: []string{p.Benefit}, Exit: p.Exit})
	}
	return spellsText(ss)
}
