package seed

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/helhed"
)

// citizen is one generated citizen row; its periods are in chronological order.
type citizen struct {
	id                                             int64
	cpr                                            helhed.CPR
	firstName, lastName, address, postalCode, city string
	phone, email                                   string
	caseworkerID                                   int64  // 0 = none
	visitation                                     string // "" = none
	periods                                        []period
}

// period is one benefit period; a zero end means it is still running.
type period struct {
	benefit    string
	start, end time.Time
	exit       string
}

// generator draws citizens from one PRNG, so a seed fixes the whole data set.
// It is not safe for concurrent use.
type generator struct {
	r        *rand.Rand
	today    time.Time // midnight UTC
	seen     map[helhed.CPR]struct{}
	lastName weighted[string]
	town     weighted[town]
	law      seedLaw // the benefit types with their dates (lawful) and the benefit rules
}

// PCG stream constants: Demo and Citizens draw from different streams, so
// running Citizens after Demo with the same seed does not retrace Demo's CPR
// numbers and spend its time regenerating collisions.
const (
	streamDemo  = 0x68656c6865640001
	streamScale = 0x68656c6865640002
)

// newGenerator returns a generator for seed and stream. existing holds CPR
// numbers already in the database, which it will not produce again; law is
// the benefit types of the reference data, whose dates every period obeys.
func newGenerator(seed, stream uint64, today time.Time, existing map[helhed.CPR]struct{}, law seedLaw) *generator {
	if existing == nil {
		existing = map[helhed.CPR]struct{}{}
	}
	g := &generator{
		r:     rand.New(rand.NewPCG(seed, stream)),
		today: dateOnly(today),
		seen:  existing,
		law:   law,
	}
	// The list is ordered by frequency; a linear falloff makes Jensen about
	// four times as common as the tail, close enough to reality for a demo.
	lw := make([]int, len(lastNames))
	for i := range lastNames {
		lw[i] = len(lastNames) - i + 15
	}
	g.lastName = newWeighted(lastNames, lw)
	tw := make([]int, len(towns))
	for i, t := range towns {
		tw[i] = t.weight
	}
	g.town = newWeighted(towns, tw)
	return g
}

// next generates one citizen with a fresh CPR number. It does not set id or
// caseworkerID; the caller assigns those.
func (g *generator) next() citizen {
	r := g.r
	// Ages 18–66 on the reference date: born at most 18 years ago and at
	// least 67 years ago plus a day. FictitiousCPR clamps the latest birth
	// date to 2006, which only makes the youngest a little older.
	minBirth := g.today.AddDate(-67, 0, 1)
	maxBirth := g.today.AddDate(-18, 0, 0)
	var cpr helhed.CPR
	for {
		cpr = helhed.FictitiousCPR(r, minBirth, maxBirth)
		if _, dup := g.seen[cpr]; !dup {
			break
		}
	}
	g.seen[cpr] = struct{}{}

	c := citizen{cpr: cpr}
	c.firstName = g.firstName(cpr.Female())
	c.lastName = g.lastName.pick(r)
	t := g.town.pick(r)
	c.postalCode, c.city = t.PostalCode, t.City
	c.address = g.address()
	c.phone = g.phone()
	// Not everyone has given the jobcenter an email address.
	if r.IntN(100) < 65 {
		c.email = g.email(c.firstName, c.lastName)
	}
	c.periods = g.periods(cpr.BirthDate())
	if last := c.periods[len(c.periods)-1]; last.end.IsZero() {
		c.visitation = visitationFor(r, last.benefit)
	}
	return c
}

// firstName picks a first name matching the CPR number's sex; one in ten
// gets a double first name, as many Danes do.
func (g *generator) firstName(female bool) string {
	names := maleFirstNames
	if female {
		names = femaleFirstNames
	}
	first := names[g.r.IntN(len(names))]
	if g.r.IntN(10) == 0 {
		if second := names[g.r.IntN(len(names))]; second != first {
			first += " " + second
		}
	}
	return first
}

// address returns "Street 12", sometimes with a house letter and a floor.
func (g *generator) address() string {
	r := g.r
	var b strings.Builder
	b.WriteString(streetNames[r.IntN(len(streetNames))])
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(1 + r.IntN(120)))
	if r.IntN(12) == 0 {
		b.WriteByte(byte('A' + r.IntN(3)))
	}
	b.WriteString(floors[r.IntN(len(floors))])
	return b.String()
}

// phone returns eight digits, the first 2–9 (Danish numbers never start
// with 0 or 1), grouped "12 34 56 78" as Danes write them.
func (g *generator) phone() string {
	var d [8]byte
	d[0] = byte('2' + g.r.IntN(8))
	for i := 1; i < 8; i++ {
		d[i] = byte('0' + g.r.IntN(10))
	}
	s := string(d[:])
	return s[0:2] + " " + s[2:4] + " " + s[4:6] + " " + s[6:8]
}

// email builds "first.last12@domain" from the names, folded to ASCII, on a
// reserved example domain.
func (g *generator) email(first, last string) string {
	local := fold(strings.Fields(first)[0]) + "." + fold(last)
	if g.r.IntN(2) == 0 {
		local += strconv.Itoa(1 + g.r.IntN(99))
	}
	return local + "@" + emailDomains[g.r.IntN(len(emailDomains))]
}

// fold lower-cases s and replaces æ, ø, å and accents by ASCII spellings.
func fold(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if f, ok := asciiFold[c]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// weighted picks items with probability proportional to their weights.
type weighted[T any] struct {
	items []T
	cum   []int // running sums of the weights
}

// newWeighted pairs items with weights (same length, positive).
func newWeighted[T any](items []T, weights []int) weighted[T] {
	w := weighted[T]{items: items, cum: make([]int, len(items))}
	sum := 0
	for i, x := range weights {
		sum += x
		w.cum[i] = sum
	}
	return w
}

// pick draws one item.
func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.IntN(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi { // first index whose running sum exceeds x
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.items[lo]
}

// quotas returns n caseworker ids, shuffled, in which ids[i] occurs in
// proportion to weights[i] (largest remainder), so caseload sizes are exact
// rather than subject to sampling noise: the demo caseworker gets exactly
// the caseload the demo talks about. Without ids it returns n zeros: no
// caseworker.
func quotas(r *rand.Rand, ids []int64, weights []int, n int) []int64 {
	if len(ids) == 0 {
		return make([]int64, n)
	}
	out := make([]int64, 0, n)
	total := 0
	for _, w := range weights {
		total += w
	}
	rem := make([]int, len(ids))
	for i, id := range ids {
		k := n * weights[i] / total
		rem[i] = n * weights[i] % total
		for range k {
			out = append(out, id)
		}
	}
	for len(out) < n { // hand out the remainder, biggest fractions first
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		out = append(out, ids[best])
		rem[best] = -1
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// dateOnly keeps t's calendar date (in t's location) at midnight UTC, the
// form pgx writes to a date column without shifting it.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
