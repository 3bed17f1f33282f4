package seed

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// migratedLaw is the benefit types as the migrations leave them, with the law's dates, and
// the benefit rules.
func migratedLaw(t *testing.T) seedLaw {
	t.Helper()
	pool, _ := testdb.New(t)
	law, err := benefitLaw(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	return law
}

// TestGeneratorInvariants checks the rules of the generated data on many
// citizens in memory, where they are cheap to check in bulk (the law's dates
// are read once from a migrated database).
func TestGeneratorInvariants(t *testing.T) {
	t.Parallel()
	law := migratedLaw(t)
	g := newGenerator(1, streamScale, testToday, nil, law)
	window := testToday.AddDate(-5, 0, 0)
	benefits := map[string]int{}
	total := 0
	const n = 30000
	for range n {
		c := g.next()
		birth := c.cpr.BirthDate()
		total += len(c.periods)
		for i, p := range c.periods {
			benefits[p.benefit]++
			ref := p.end
			if ref.IsZero() {
				ref = testToday
			}
			switch a := age(birth, ref); {
			case p.start.Before(window) || p.start.After(ref):
				t.Fatalf("%s: period %+v outside the window or reversed", c.cpr.Formatted(), p)
			case p.start.Before(birth.AddDate(18, 0, 0)):
				t.Fatalf("%s: period %+v starts before the 18th birthday", c.cpr.Formatted(), p)
			case p.benefit == uddannelseshjaelp && a >= 30,
				// Under 30 without an education: uddannelseshjælp while it existed.
				p.benefit == kontanthjaelp && a < 30 && g.lawful(uddannelseshjaelp, p.start, ref) == uddannelseshjaelp:
				t.Fatalf("%s: %s at age %d", c.cpr.Formatted(), p.benefit, a)
			case lawless(law.RefSet, p.benefit, p.start, ref) != "":
				t.Fatalf("%s: period %+v: %s", c.cpr.Formatted(), p, lawless(law.RefSet, p.benefit, p.start, ref))
			case p.benefit == ressourceforloeb && !p.start.Before(ressourceforloebClosed):
				t.Fatalf("%s: ressourceforløb started %s, after it closed", c.cpr.Formatted(), p.start.Format(time.DateOnly))
			case p.end.IsZero() != (p.exit == ""):
				t.Fatalf("%s: period %+v: exit code without end or end without exit code", c.cpr.Formatted(), p)
			case p.end.IsZero() && i != len(c.periods)-1:
				t.Fatalf("%s: running period is not the latest", c.cpr.Formatted())
			case i > 0 && !c.periods[i-1].end.Before(p.start):
				t.Fatalf("%s: periods %+v and %+v overlap", c.cpr.Formatted(), c.periods[i-1], p)
			case age(birth, p.start) < youngest && (p.benefit == fleksjob || p.benefit == ledighedsydelse || p.benefit == ressourceforloeb):
				t.Fatalf("%s: %s at %d", c.cpr.Formatted(), p.benefit, age(birth, p.start))
			case p.exit == "foertidspension" && a < pensionFrom:
				t.Fatalf("%s: førtidspension at %d (lov om social pension § 16)", c.cpr.Formatted(), a)
			}
			// Every benefit rule (migration 0024), against the rest of the history.
			others := spans(slices.Delete(slices.Clone(c.periods), i, i+1))
			if fs := law.rules.Check(birth, others, p.span(), law.Label); len(fs) > 0 {
				t.Fatalf("%s: period %+v breaks %s: %s", c.cpr.Formatted(), p, fs[0].Rule, fs[0].Message)
			}
		}
	}
	per := float64(total) / n
	t.Logf("%.2f periods per citizen; mix %v", per, benefits)
	if per < 2 || per > 3 {
		t.Errorf("%.2f periods per citizen, want about 2.5", per)
	}
	// The big three dominate, as in a real jobcenter.
	big := benefits[kontanthjaelp] + benefits[uddannelseshjaelp] + benefits[sygedagpenge] + benefits[dagpenge]
	if big*100/total < 60 {
		t.Errorf("kontanthjælp/uddannelseshjælp, sygedagpenge and dagpenge are %d%% of periods, want most", big*100/total)
	}
}

func TestGeneratorUniqueAndDeterministic(t *testing.T) {
	t.Parallel()
	law := migratedLaw(t)
	a := newGenerator(9, streamDemo, testToday, nil, law)
	b := newGenerator(9, streamDemo, testToday, nil, law)
	seen := map[string]bool{}
	for range 5000 {
		ca, cb := a.next(), b.next()
		if ca.cpr != cb.cpr || ca.address != cb.address || ca.email != cb.email || len(ca.periods) != len(cb.periods) {
			t.Fatalf("same seed, different citizens: %+v vs %+v", ca, cb)
		}
		if seen[string(ca.cpr)] {
			t.Fatalf("CPR %s generated twice", ca.cpr.Formatted())
		}
		seen[string(ca.cpr)] = true
	}
}

// lawless says why the law does not allow benefit from start to last, or "".
func lawless(law store.RefSet, benefit string, start, last time.Time) string {
	v, ok := law.Value(benefit)
	if !ok {
		return "unknown benefit " + benefit
	}
	if why := v.OutOfForce(start); why != "" {
		return why
	}
	return v.OutOfForce(last)
}

func TestQuotas(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	ids := []int64{1, 2, 3, 4, 5, 6, 7}
	shares := []int{40, 62, 55, 48, 42, 30, 23}
	for _, n := range []int{0, 1, 6, 50, 300, 1001} {
		got := quotas(r, ids, shares, n)
		if len(got) != n {
			t.Fatalf("quotas(n=%d) gave %d ids", n, len(got))
		}
		count := map[int64]int{}
		for _, id := range got {
			count[id]++
		}
		for i, id := range ids {
			exact := float64(n*shares[i]) / 300
			if d := float64(count[id]) - exact; d <= -1 || d >= 1 {
				t.Errorf("n=%d: id %d got %d, want about %.1f", n, id, count[id], exact)
			}
		}
	}
	if got := quotas(r, nil, nil, 3); len(got) != 3 || got[0] != 0 || got[1] != 0 || got[2] != 0 {
		t.Errorf("quotas without caseworkers = %v, want three zeros (no caseworker)", got)
	}
}
