package helhed

import (
	"slices"
	"time"
)

// Durations are numbers of days for a group of citizens: time on benefits, or days from a
// referral to the start of the course.
type Durations []int

// Mean is the average, over len(d) citizens.
func (d Durations) Mean() Figure {
	if len(d) == 0 {
		return Stat(FigureDays, 0, 0)
	}
	sum := 0
	for _, v := range d {
		sum += v
	}
	return Stat(FigureDays, float64(sum)/float64(len(d)), len(d))
}

// Median is the middle value (the mean of the two middle values for an even count), over
// len(d) citizens. d is not modified. Durations are small whole numbers (days), so when
// their range is no wider than a few times their count it counts them instead of sorting: a
// dashboard takes medians over hundreds of thousands of them.
func (d Durations) Median() Figure {
	n := len(d)
	if n == 0 {
		return Stat(FigureDays, 0, 0)
	}
	lo, hi := d[0], d[0]
	for _, v := range d {
		lo, hi = min(lo, v), max(hi, v)
	}
	var at func(k int) int // the k-th smallest value, 0-based
	if span := hi - lo; span <= 4*n+1024 {
		counts := make([]int, span+1)
		for _, v := range d {
			counts[v-lo]++
		}
		at = func(k int) int {
			for i, c := range counts {
				if k < c {
					return lo + i
				}
				k -= c
			}
			return hi
		}
	} else {
		s := slices.Clone(d)
		slices.Sort(s)
		at = func(k int) int { return s[k] }
	}
	m := float64(at(n / 2))
	if n%2 == 0 {
		m = (float64(at(n/2-1)) + m) / 2
	}
	return Stat(FigureDays, m, n)
}

// Month is the first day of t's calendar month, as a date.
func Month(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }

// Quarter is the first day of t's calendar quarter, as a date.
func Quarter(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month()-(t.Month()-1)%3, 1, 0, 0, 0, 0, time.UTC)
}

// QuarterLabel names a quarter the Danish way: "2026 K1".
func QuarterLabel(q time.Time) string {
	return q.Format("2006") + " K" + string(rune('1'+(q.Month()-1)/3))
}

// Period is a span of whole calendar months, both ends included: From and To are the first
// days of the first and the last month.
type Period struct{ From, To time.Time }

// Contains reports whether month m (a first day) lies in the period.
func (p Period) Contains(m time.Time) bool { return !m.Before(p.From) && !m.After(p.To) }

// Months is the number of months in the period.
func (p Period) Months() int {
	return (p.To.Year()-p.From.Year())*12 + int(p.To.Month()-p.From.Month()) + 1
}

// OutcomeCell is the ended spells on public support (Spells) of one month and one combination
// of benefit (the one the spell began on), exit reason, risk group at exit and whether the
// citizen had a plan by then, with the duration of each in days.
type OutcomeCell struct {
	Month    time.Time
	Benefit  string
	Exit     string // exit_reason code, "" when none was recorded
	Risk     string // risk group of the latest screening before the exit, "" when none
	WithPlan bool
	Days     Durations
}

// OutcomeGroup is the outcome figures of one group of ended spells: how long the citizens were
// on public support, and how the spells ended.
type OutcomeGroup struct {
	Key   string // what the group is: a benefit code, a risk group, "med"/"uden", a quarter
	Days  Durations
	Exits map[string]int // exit code → number of periods
}

// N is the number of ended spells in the group.
func (g OutcomeGroup) N() int { return len(g.Days) }

// ExitShare is the share of the group's periods that ended with exit code.
func (g OutcomeGroup) ExitShare(exit string) Figure { return Share(g.Exits[exit], g.N()) }

// ExitCategories map exit reason codes to what they count as in the effect figures (reference
// data, kind exit_category): job and uddannelse to selvforsørgelse. A code without a category,
// and "" (no reason recorded), counts as ExitOther.
type ExitCategories map[string]string

// The exit categories Helhed's figures name (reference data, migration 0027).
const (
	ExitSelfSupporting = "selvforsoergelse"
	ExitOther          = "andet"
)

// Of is code's category.
func (c ExitCategories) Of(code string) string {
	if cat, ok := c[code]; ok && cat != "" {
		return cat
	}
	return ExitOther
}

// CategoryShare is the share of the group's spells that ended with an exit in category.
func (g OutcomeGroup) CategoryShare(cats ExitCategories, category string) Figure {
	n := 0
	for code, k := range g.Exits {
		if cats.Of(code) == category {
			n += k
		}
	}
	return Share(n, g.N())
}

func (g *OutcomeGroup) add(c OutcomeCell) {
	g.Days = append(g.Days, c.Days...)
	if g.Exits == nil {
		g.Exits = map[string]int{}
	}
	g.Exits[c.Exit] += len(c.Days)
}

// Outcomes are the outcome figures of a period, broken down several ways, and the quarterly
// trend from the start of the baseline (or the period, whichever is earlier) to its end.
type Outcomes struct {
	Period, Baseline Period
	Total            OutcomeGroup
	BaselineTotal    OutcomeGroup
	ByBenefit        []OutcomeGroup // in order of first appearance of codes in benefitOrder
	ByRisk           []OutcomeGroup // hoej, mellem, lav, ingen, "" (not screened)
	ByPlan           []OutcomeGroup // "med", "uden"
	Quarters         []OutcomeGroup // Key is the quarter's first day, YYYY-MM-DD
}

// SummariseOutcomes computes the outcome figures from cells. benefitOrder is the order of the
// benefit types (the reference data's); types not in it come last.
func SummariseOutcomes(cells []OutcomeCell, period, baseline Period, benefitOrder []string) Outcomes {
	o := Outcomes{Period: period, Baseline: baseline}
	byBenefit := map[string]*OutcomeGroup{}
	byRisk := map[string]*OutcomeGroup{}
	byPlan := map[string]*OutcomeGroup{}
	byQuarter := map[time.Time]*OutcomeGroup{}
	group := func(m map[string]*OutcomeGroup, key string) *OutcomeGroup {
		g, ok := m[key]
		if !ok {
			g = &OutcomeGroup{Key: key}
			m[key] = g
		}
		return g
	}
	trendFrom := period.From
	if baseline.From.Before(trendFrom) {
		trendFrom = baseline.From
	}
	for _, c := range cells {
		if baseline.Contains(c.Month) {
			o.BaselineTotal.add(c)
		}
		if !c.Month.Before(trendFrom) && !c.Month.After(period.To) {
			q := Quarter(c.Month)
			g, ok := byQuarter[q]
			if !ok {
				g = &OutcomeGroup{Key: q.Format(time.DateOnly)}
				byQuarter[q] = g
			}
			g.add(c)
		}
		if !period.Contains(c.Month) {
			continue
		}
		o.Total.add(c)
		group(byBenefit, c.Benefit).add(c)
		group(byRisk, c.Risk).add(c)
		plan := "uden"
		if c.WithPlan {
			plan = "med"
		}
		group(byPlan, plan).add(c)
	}
	ordered := func(m map[string]*OutcomeGroup, order []string) []OutcomeGroup {
		var out []OutcomeGroup
		for _, k := range order {
			if g, ok := m[k]; ok {
				out = append(out, *g)
				delete(m, k)
			}
		}
		rest := make([]string, 0, len(m))
		for k := range m {
			rest = append(rest, k)
		}
		slices.Sort(rest)
		for _, k := range rest {
			out = append(out, *m[k])
		}
		return out
	}
	o.ByBenefit = ordered(byBenefit, benefitOrder)
	o.ByRisk = ordered(byRisk, []string{string(RiskHigh), string(RiskMedium), string(RiskLow), string(RiskNone), ""})
	o.ByPlan = ordered(byPlan, []string{"med", "uden"})
	for q := Quarter(trendFrom); !q.After(period.To); q = q.AddDate(0, 3, 0) {
		g, ok := byQuarter[q]
		if !ok {
			g = &OutcomeGroup{Key: q.Format(time.DateOnly)}
		}
		o.Quarters = append(o.Quarters, *g)
	}
	return o
}

// AcceptanceRate is the share of decided referrals that the provider accepted: every
// referral that got past the provider's decision (waiting list, accepted, started, and all
// that ended after that) of those plus the rejected. Referrals not yet decided and those
// cancelled before a decision do not count. counts may hold any states.
func AcceptanceRate(counts map[ReferralState]int) Figure {
	accepted, decided := 0, 0
	for st, n := range counts {
		switch st {
		case ReferralSent, ReferralReceived, ReferralCancelled:
			continue
		case ReferralRejected:
		default:
			accepted += n
		}
		decided += n
	}
	return Share(accepted, decided)
}
