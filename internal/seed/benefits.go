package seed

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/helhed/helhed/internal/helhed"
)

// Codes from migrations/0002_reference_data.up.sql. checkCodes verifies at
// run time that they still exist, so a change to the reference data makes
// seeding fail loudly instead of writing rows with dead codes.
const (
	kontanthjaelp        = "kontanthjaelp"
	uddannelseshjaelp    = "uddannelseshjaelp"
	sygedagpenge         = "sygedagpenge"
	integrationsydelse   = "integrationsydelse"
	dagpenge             = "dagpenge"
	ressourceforloeb     = "ressourceforloeb"
	jobafklaringsforloeb = "jobafklaringsforloeb"
	ledighedsydelse      = "ledighedsydelse"
	fleksjob             = "fleksjob"
)

// benefitMix weights the benefits like a jobcenter's caseload: mostly
// kontanthjælp, sygedagpenge and dagpenge, then the smaller groups.
var benefitMix = newWeighted(
	[]string{kontanthjaelp, sygedagpenge, dagpenge, uddannelseshjaelp, ressourceforloeb,
		fleksjob, jobafklaringsforloeb, integrationsydelse, ledighedsydelse},
	[]int{24, 23, 21, 9, 5, 5, 5, 4, 4},
)

// durations are each benefit's plausible length in days (min, max): e.g.
// dagpenge last at most two years, sygedagpenge mostly weeks to months.
var durations = map[string][2]int{
	kontanthjaelp:        {60, 1400},
	uddannelseshjaelp:    {60, 800},
	sygedagpenge:         {14, 360},
	integrationsydelse:   {180, 1400},
	dagpenge:             {30, 730},
	ressourceforloeb:     {365, 1800},
	jobafklaringsforloeb: {90, 730},
	ledighedsydelse:      {30, 540},
	fleksjob:             {365, 1800},
}

// exitMix gives, per benefit, how its periods end; a kontanthjælp period
// ends in a job far less often than a dagpenge period does.
var exitMix = map[string]weighted[string]{
	kontanthjaelp:        exits(45, 10, 5, 5, 35),
	uddannelseshjaelp:    exits(30, 50, 0, 0, 20),
	sygedagpenge:         exits(75, 2, 5, 3, 15),
	integrationsydelse:   exits(50, 20, 0, 0, 30),
	dagpenge:             exits(70, 5, 0, 0, 25),
	ressourceforloeb:     exits(5, 0, 40, 30, 25),
	jobafklaringsforloeb: exits(30, 0, 25, 15, 30),
	ledighedsydelse:      exits(0, 0, 70, 5, 25),
	fleksjob:             exits(20, 0, 0, 20, 60),
}

// exits builds an exit_reason mix in the reference data's order; zero
// weights are dropped.
func exits(job, udd, flex, pension, andet int) weighted[string] {
	var codes []string
	var ws []int
	for i, w := range []int{job, udd, flex, pension, andet} {
		if w > 0 {
			codes = append(codes, exitCodes[i])
			ws = append(ws, w)
		}
	}
	return newWeighted(codes, ws)
}

// exitCodes are the exit_reason codes, in the order exits takes weights.
var exitCodes = []string{"job", "uddannelse", "fleksjob", "foertidspension", "andet"}

// visitationCodes are the visitation_category codes visitationFor uses.
var visitationCodes = []string{"jobparat", "aktivitetsparat", "aabenlyst_uddannelsesparat",
	"uddannelsesparat", "sdp_kategori_1", "sdp_kategori_2"}

// ressourceforloebClosed is the seed's own cautious date for ressourceforløb
// closing to new cases (lov nr. 1750 af 29.12.2025 closes it from its entry
// into force, 1 February or 1 July 2026; which is unconfirmed, so the
// reference data leaves the value open): no generated period starts one on or
// after it.
var ressourceforloebClosed = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// successors are what a citizen got instead of a benefit the law ended: the
// kontanthjælp reform of 1 July 2025 (lov nr. 1655 af 30.12.2024) replaced
// uddannelseshjælp and integrationsydelse (by then overgangsydelse and
// selvforsørgelses- og hjemrejseydelse) by kontanthjælp, and lov nr. 1750
// closes ressourceforløb. Which dates apply is the reference data's (lawful);
// this is only what the demo puts in their place.
var successors = map[string]string{
	uddannelseshjaelp:  kontanthjaelp,
	integrationsydelse: kontanthjaelp,
	ressourceforloeb:   jobafklaringsforloeb,
}

// lawful returns benefit b if the law (the benefit types' dates in the
// reference data) allows it from start until last, the period's last day (or
// today while it runs): a period is made with a benefit in force on its start,
// and one that ran into a reform is the successor's, since recipients moved to
// it (the kontanthjælp reform recalculated running uddannelseshjælp as
// kontanthjælp from 1.7.2025). Otherwise b's successor, else kontanthjælp; if
// none fits, b, which the seed's validity test then reports.
func (g *generator) lawful(b string, start, last time.Time) string {
	for _, c := range []string{b, successors[b], kontanthjaelp} {
		if v, ok := g.law.Value(c); ok && v.OutOfForce(start) == "" && v.OutOfForce(last) == "" {
			return c
		}
	}
	return b
}

// periodCount weights how many benefit periods a citizen has had in the
// window (1–4); clamping at the window's start trims some.
var periodCount = newWeighted([]int{1, 2, 3, 4}, []int{20, 30, 30, 20})

// periods generates 1–4 non-overlapping benefit periods within the last five
// years (never before the 18th birthday), oldest first. It works backwards
// from the reference date: the latest period is usually still running, and
// each earlier one ended, with an exit code, before the next began.
func (g *generator) periods(birth time.Time) []period {
	r, today := g.r, g.today
	window := today.AddDate(-5, 0, 0)
	if adult := birth.AddDate(18, 0, 0); adult.After(window) {
		window = adult
	}
	want := periodCount.pick(r)
	out := make([]period, 0, want)
	next := today // start of the period after the one being made
	for i := range want {
		var p period
		if i > 0 || r.IntN(100) >= 85 {
			var end time.Time
			if i == 0 { // latest ended within the last year
				end = today.AddDate(0, 0, -1-r.IntN(365))
			} else if r.IntN(100) < 30 { // direct transition, e.g. sygedagpenge → jobafklaring
				end = next.AddDate(0, 0, -1)
			} else {
				end = next.AddDate(0, 0, -14-r.IntN(400))
			}
			if end.Before(window) {
				break
			}
			p.end = end
		}
		ref := p.end
		if ref.IsZero() {
			ref = today
		}
		p.benefit = benefitFor(benefitMix.pick(r), age(birth, ref))
		d := durations[p.benefit]
		length := d[0] + r.IntN(d[1]-d[0]+1)
		if p.end.IsZero() {
			// A running period is caught part-way: any elapsed time up to its length.
			length = r.IntN(d[1] + 1)
		}
		p.start = ref.AddDate(0, 0, -length)
		if p.start.Before(window) {
			p.start = window
		}
		if p.benefit == ressourceforloeb && !p.start.Before(ressourceforloebClosed) {
			p.benefit = jobafklaringsforloeb
		}
		p.benefit = g.lawful(p.benefit, p.start, ref)
		if !p.end.IsZero() {
			p.exit = exitMix[p.benefit].pick(r)
		}
		out = append(out, p)
		next = p.start
		if !p.start.After(window) {
			break
		}
	}
	if len(out) == 0 {
		// The latest period ended before the window (only possible for a
		// citizen who just turned 18): give them one running period instead.
		b := benefitFor(benefitMix.pick(r), age(birth, today))
		out = append(out, period{benefit: g.lawful(b, window, today), start: window})
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return g.obey(birth, out)
}

// youngest is the seed's own floor (not a rule of law) for benefits that follow years of
// attempts to develop the work capacity: a fleksjob needs a permanently and substantially
// reduced work capacity, ledighedsydelse a visitation to fleksjob, and a ressourceforløb is
// for those at risk of førtidspension. A demo with a 20-year-old in a fleksjob looks wrong to
// a caseworker, so under this age the citizen gets kontanthjælp (or uddannelseshjælp) instead.
const youngest = 25

// pensionFrom is the age from which the seed lets a period end in førtidspension: lov om
// social pension § 16, stk. 1 (from 40; under 40 only when it is documented or obvious that
// the work capacity cannot be improved, stk. 2).
const pensionFrom = 40

// obey makes a chronological history pass every benefit rule (the dated data of migration
// 0024, helhed.BenefitLaw, the same rules store.AddBenefitPeriod applies) and fit the
// citizen's age: a jobafklaringsforløb without sygedagpenge just before it begins with the
// sygedagpenge it follows (at least 22 weeks, sygedagpengeloven § 24); a ressourceforløb the
// citizen would need to wish for (LAB § 112, stk. 3) becomes kontanthjælp; a forsørgelsesydelse
// from the pension age becomes sygedagpenge (which may run past it, sygedagpengeloven § 25).
// The demo's periods need no reason: none is left for a rule to warn about.
func (g *generator) obey(birth time.Time, ps []period) []period {
	kinds := map[string]helhed.RuleKind{}
	for _, r := range g.law.rules.Rules {
		kinds[r.Code] = r.Kind
	}
	out := make([]period, 0, len(ps)+1)
	for _, p := range ps {
		last := p.end
		if last.IsZero() {
			last = g.today
		}
		if a := age(birth, p.start); a < youngest && slices.Contains([]string{fleksjob, ledighedsydelse, ressourceforloeb}, p.benefit) {
			p = g.rebenefit(p, g.lawful(benefitFor(kontanthjaelp, age(birth, last)), p.start, last))
		}
		for range 3 {
			fs := g.law.rules.Check(birth, spans(out), p.span(), g.law.Label)
			if len(fs) == 0 {
				break
			}
			switch kinds[fs[0].Rule] {
			case helhed.RuleFollows:
				weeks := 22 + g.r.IntN(15)
				sdp := period{benefit: sygedagpenge, start: p.start, end: p.start.AddDate(0, 0, 7*weeks-1), exit: "andet"}
				if sdp.end.AddDate(0, 0, 60).Before(last) {
					out = append(out, sdp)
					p.start = sdp.end.AddDate(0, 0, 1)
				} else {
					p = g.rebenefit(p, sygedagpenge)
				}
			case helhed.RulePensionDistance:
				p = g.rebenefit(p, g.lawful(kontanthjaelp, p.start, last))
			case helhed.RulePensionAge:
				p = g.rebenefit(p, sygedagpenge)
			default: // overlap: the generator never makes one; the seed's test reports it
			}
		}
		if p.exit == "foertidspension" && age(birth, last) < pensionFrom {
			p.exit = "andet"
		}
		if p.exit == "fleksjob" && age(birth, last) < youngest {
			p.exit = "andet"
		}
		out = append(out, p)
	}
	return out
}

// rebenefit gives p another benefit, with an exit drawn from that benefit's mix if it ended.
func (g *generator) rebenefit(p period, b string) period {
	if p.benefit == b {
		return p
	}
	p.benefit = b
	if !p.end.IsZero() {
		p.exit = exitMix[b].pick(g.r)
	}
	return p
}

// span is the period as the benefit rules read it.
func (p period) span() helhed.BenefitSpan {
	s := helhed.BenefitSpan{Benefit: p.benefit, Start: p.start}
	if !p.end.IsZero() {
		e := p.end
		s.End = &e
	}
	return s
}

// spans are the periods as the benefit rules read them.
func spans(ps []period) []helhed.BenefitSpan {
	out := make([]helhed.BenefitSpan, len(ps))
	for i, p := range ps {
		out[i] = p.span()
	}
	return out
}

// benefitFor adjusts a drawn benefit to the citizen's age: under 30 without
// an education one got uddannelseshjælp rather than kontanthjælp, and from
// 30 the other way round (until the reform of 1.7.2025; lawful then makes it
// kontanthjælp again).
func benefitFor(b string, age int) string {
	switch {
	case b == kontanthjaelp && age < 30:
		return uddannelseshjaelp
	case b == uddannelseshjaelp && age >= 30:
		return kontanthjaelp
	}
	return b
}

// visitationFor picks a visitation category consistent with the running
// benefit. Ressourceforløb, jobafklaring, ledighedsydelse and fleksjob are
// target groups of their own without a match category, so they get none.
func visitationFor(r *rand.Rand, benefit string) string {
	switch benefit {
	case sygedagpenge:
		if r.IntN(100) < 60 {
			return "sdp_kategori_1"
		}
		return "sdp_kategori_2"
	case uddannelseshjaelp:
		return [...]string{"aabenlyst_uddannelsesparat", "uddannelsesparat", "aktivitetsparat"}[r.IntN(3)]
	case kontanthjaelp, integrationsydelse:
		if r.IntN(100) < 45 {
			return "jobparat"
		}
		return "aktivitetsparat"
	case dagpenge:
		return "jobparat"
	}
	return ""
}

// age is the age in whole years on day.
func age(birth, day time.Time) int {
	a := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		a--
	}
	return a
}
