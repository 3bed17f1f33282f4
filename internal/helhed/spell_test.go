package helhed_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dayPtr(s string) *time.Time { t := day(s); return &t }

// The spell rule: a change of benefit is not an exit; a gap joins a spell unless a whole
// calendar month lies in it (Jobindsats' rule for one benefit, "afsluttet efter en
// kalendermåneds fravær", applied across benefits — Helhed's choice, docs/law.md).
func TestSpells(t *testing.T) {
	t.Parallel()
	type want struct {
		start, end string // end "": running
		benefits   []string
		exit       string
	}
	for _, tc := range []struct {
		name    string
		periods []helhed.SpellPeriod
		want    []want
	}{
		{"sygedagpenge, then jobafklaringsforløb, then job: one spell ending in job", []helhed.SpellPeriod{
			{Benefit: "sygedagpenge", Start: day("2025-01-06"), End: dayPtr("2025-06-08"), Exit: "andet"},
			{Benefit: "jobafklaringsforloeb", Start: day("2025-06-09"), End: dayPtr("2026-03-31"), Exit: "job"},
		}, []want{{"2025-01-06", "2026-03-31", []string{"sygedagpenge", "jobafklaringsforloeb"}, "job"}}},
		{"given in any order", []helhed.SpellPeriod{
			{Benefit: "jobafklaringsforloeb", Start: day("2025-06-09"), End: dayPtr("2026-03-31"), Exit: "job"},
			{Benefit: "sygedagpenge", Start: day("2025-01-06"), End: dayPtr("2025-06-08")},
		}, []want{{"2025-01-06", "2026-03-31", []string{"sygedagpenge", "jobafklaringsforloeb"}, "job"}}},
		{"a gap inside one month joins", []helhed.SpellPeriod{
			{Benefit: "kontanthjaelp", Start: day("2025-01-01"), End: dayPtr("2025-03-10"), Exit: "job"},
			{Benefit: "dagpenge", Start: day("2025-04-05"), End: nil},
		}, []want{{"2025-01-01", "", []string{"kontanthjaelp", "dagpenge"}, ""}}},
		{"a whole calendar month in the gap splits", []helhed.SpellPeriod{
			{Benefit: "kontanthjaelp", Start: day("2025-01-01"), End: dayPtr("2025-03-10"), Exit: "job"},
			{Benefit: "kontanthjaelp", Start: day("2025-05-01"), End: dayPtr("2025-08-31"), Exit: "uddannelse"},
		}, []want{{"2025-01-01", "2025-03-10", []string{"kontanthjaelp"}, "job"}, {"2025-05-01", "2025-08-31", []string{"kontanthjaelp"}, "uddannelse"}}},
		{"boundary: ends on a month's last day, April whole before 1 May: splits", []helhed.SpellPeriod{
			{Benefit: "kontanthjaelp", Start: day("2025-01-01"), End: dayPtr("2025-03-31"), Exit: "job"},
			{Benefit: "kontanthjaelp", Start: day("2025-05-01"), End: nil},
		}, []want{{"2025-01-01", "2025-03-31", []string{"kontanthjaelp"}, "job"}, {"2025-05-01", "", []string{"kontanthjaelp"}, ""}}},
		{"boundary: back on 30 April, April not whole: joins", []helhed.SpellPeriod{
			{Benefit: "kontanthjaelp", Start: day("2025-01-01"), End: dayPtr("2025-03-31"), Exit: "job"},
			{Benefit: "sygedagpenge", Start: day("2025-04-30"), End: dayPtr("2025-06-30"), Exit: "andet"},
		}, []want{{"2025-01-01", "2025-06-30", []string{"kontanthjaelp", "sygedagpenge"}, "andet"}}},
		{"boundary across a year: December whole splits", []helhed.SpellPeriod{
			{Benefit: "sygedagpenge", Start: day("2025-09-01"), End: dayPtr("2025-11-30")},
			{Benefit: "sygedagpenge", Start: day("2026-01-01"), End: nil},
		}, []want{{"2025-09-01", "2025-11-30", []string{"sygedagpenge"}, ""}, {"2026-01-01", "", []string{"sygedagpenge"}, ""}}},
		{"overlapping periods and one inside another", []helhed.SpellPeriod{
			{Benefit: "ressourceforloeb", Start: day("2024-01-01"), End: dayPtr("2025-12-31"), Exit: "fleksjob"},
			{Benefit: "kontanthjaelp", Start: day("2024-03-01"), End: dayPtr("2024-04-30"), Exit: "job"},
		}, []want{{"2024-01-01", "2025-12-31", []string{"ressourceforloeb", "kontanthjaelp"}, "fleksjob"}}},
		{"a running period keeps the spell open", []helhed.SpellPeriod{
			{Benefit: "ressourceforloeb", Start: day("2024-01-01"), End: nil},
			{Benefit: "kontanthjaelp", Start: day("2024-03-01"), End: dayPtr("2024-04-30"), Exit: "job"},
		}, []want{{"2024-01-01", "", []string{"ressourceforloeb", "kontanthjaelp"}, ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := helhed.Spells(tc.periods)
			if len(got) != len(tc.want) {
				t.Fatalf("spells = %+v; want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				end := ""
				if g.End != nil {
					end = g.End.Format(time.DateOnly)
				}
				if g.Start.Format(time.DateOnly) != w.start || end != w.end || !slices.Equal(g.Benefits, w.benefits) || g.Exit != w.exit {
					t.Errorf("spell %d = %s–%s %v exit %q; want %s–%s %v exit %q", i, g.Start.Format(time.DateOnly), end, g.Benefits, g.Exit,
						w.start, w.end, w.benefits, w.exit)
				}
			}
		})
	}
}

// The effect figure: the spell above ended in selvforsørgelse (job), after 450 days; a
// running spell has not ended, and one ending in førtidspension is no selvforsørgelse.
func TestSpellOutcome(t *testing.T) {
	t.Parallel()
	s := helhed.Spells([]helhed.SpellPeriod{
		{Benefit: "sygedagpenge", Start: day("2025-01-06"), End: dayPtr("2025-06-08")},
		{Benefit: "jobafklaringsforloeb", Start: day("2025-06-09"), End: dayPtr("2026-03-31"), Exit: "job"},
	})[0]
	if !s.SelfSupporting("job", "uddannelse") || s.Days(day("2030-01-01")) != 450 {
		t.Errorf("spell %+v: self-supporting %v, %d days; want true, 450", s, s.SelfSupporting("job", "uddannelse"), s.Days(day("2030-01-01")))
	}
	running := helhed.Spells([]helhed.SpellPeriod{{Benefit: "kontanthjaelp", Start: day("2026-01-01")}})[0]
	if running.SelfSupporting("job") || running.Days(day("2026-01-31")) != 31 {
		t.Errorf("running spell: self-supporting %v, %d days", running.SelfSupporting("job"), running.Days(day("2026-01-31")))
	}
	pension := helhed.Spells([]helhed.SpellPeriod{{Benefit: "ressourceforloeb", Start: day("2023-01-01"), End: dayPtr("2025-01-01"), Exit: "foertidspension"}})[0]
	if pension.SelfSupporting("job", "uddannelse") {
		t.Error("førtidspension counted as selvforsørgelse")
	}
}

// Properties over random histories: spells are in order, never overlap or touch within the
// gap rule, and every period lies inside exactly one spell.
func TestSpellsCoverEveryPeriod(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 11))
	benefits := []string{"kontanthjaelp", "sygedagpenge", "jobafklaringsforloeb", "dagpenge"}
	for range 2000 {
		var ps []helhed.SpellPeriod
		at := day("2020-01-01")
		for range 1 + r.IntN(6) {
			at = at.AddDate(0, 0, r.IntN(120)-20)
			p := helhed.SpellPeriod{Benefit: benefits[r.IntN(len(benefits))], Start: at}
			if r.IntN(8) > 0 {
				end := at.AddDate(0, 0, r.IntN(400))
				p.End = &end
				at = end
			}
			ps = append(ps, p)
		}
		spells := helhed.Spells(ps)
		for i := 1; i < len(spells); i++ {
			prev := spells[i-1]
			if prev.End == nil || !spells[i].Start.After(prev.End.AddDate(0, 0, 28)) {
				t.Fatalf("spells %d and %d are not apart by a whole month: %+v from %+v", i-1, i, spells, ps)
			}
		}
		for _, p := range ps {
			in := 0
			for _, s := range spells {
				if !p.Start.Before(s.Start) && (s.End == nil || (p.End != nil && !p.End.After(*s.End))) {
					in++
				}
			}
			if in != 1 {
				t.Fatalf("period %+v lies in %d spells: %+v", p, in, spells)
			}
		}
	}
}
