package helhed

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// MinCell is the fewest citizens a published figure may describe. A count of 1–4, or a
// mean, median or share computed over fewer than 5 citizens, is shown as "<5": a figure about
// so few people can point at who they are. Zero is shown: it describes nobody.
const MinCell = 5

// Suppressed is what a suppressed figure reads, on the page and in exports alike.
const Suppressed = "<5"

// FigureKind says what a figure measures and so how it is written.
type FigureKind int

// The kinds of figure.
const (
	// FigureCount is a number of citizens (or of referrals, each about one citizen).
	FigureCount FigureKind = iota
	// FigureDays is a duration in days, e.g. a mean or median time on benefits.
	FigureDays
	// FigurePercent is a share: Part of N, in percent.
	FigurePercent
	// FigurePoints is a score or a change of score (WHO-5 points, 1–10 progression).
	FigurePoints
	// FigureAmount is a number of things that are not people (seats, offers): it describes
	// nobody and is never suppressed.
	FigureAmount
)

// Figure is one number of a management table, chart or export: a count, or a statistic
// computed over N citizens. Small-cell suppression is decided here and only here (Hidden), so
// the page, the chart and the CSV export cannot disagree about what may be shown.
type Figure struct {
	Kind  FigureKind
	Value float64 // the count, the mean or median, or the share in percent
	N     int     // the citizens behind the figure (a share's denominator)
	Part  int     // a share's numerator
}

// Count is a figure of n citizens.
func Count(n int) Figure { return Figure{Kind: FigureCount, Value: float64(n), N: n} }

// Amount is a figure of n things that are not people.
func Amount(n int) Figure { return Figure{Kind: FigureAmount, Value: float64(n), N: n} }

// Stat is a statistic (mean or median) of kind over n citizens.
func Stat(kind FigureKind, v float64, n int) Figure { return Figure{Kind: kind, Value: v, N: n} }

// Share is part of n, in percent.
func Share(part, n int) Figure {
	f := Figure{Kind: FigurePercent, N: n, Part: part}
	if n > 0 {
		f.Value = 100 * float64(part) / float64(n)
	}
	return f
}

// Hidden reports whether the figure describes so few citizens that it must not be shown: a
// count of 1–4, a statistic over 1–4 citizens, or a share whose numerator is 1–4 (the share
// and the denominator together would give the small count away).
func (f Figure) Hidden() bool {
	small := func(n int) bool { return n > 0 && n < MinCell }
	switch f.Kind {
	case FigureAmount:
		return false
	case FigureCount:
		return small(f.N)
	case FigurePercent:
		return small(f.N) || small(f.Part)
	}
	return small(f.N)
}

// Empty reports whether there is nothing to compute the figure from: a mean, median or share
// over no citizens. A count of zero is not empty; it is 0.
func (f Figure) Empty() bool { return f.Kind != FigureCount && f.Kind != FigureAmount && f.N == 0 }

// Text is the figure as a Danish reader sees it: "1.234", "233,3 dage" written as "233,3",
// "42 %", "<5" when suppressed and "–" when empty.
func (f Figure) Text() string {
	switch {
	case f.Hidden():
		return Suppressed
	case f.Empty():
		return "–"
	}
	switch f.Kind {
	case FigureCount, FigureAmount:
		return groupThousands(strconv.Itoa(f.N))
	case FigurePercent:
		return decimal(f.Value, 0) + " %"
	}
	return decimal(f.Value, 1)
}

// Plot returns the value a chart may draw, and false when the figure is suppressed or empty
// (the chart then draws nothing and says "<5" or "–" instead).
func (f Figure) Plot() (float64, bool) {
	if f.Hidden() || f.Empty() {
		return 0, false
	}
	return f.Value, true
}

// decimal writes v with the given number of decimals, a decimal comma and thousands points.
func decimal(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	out := groupThousands(whole)
	if frac != "" {
		out += "," + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// DurationGoal is the goal line of "one year off the average time on public support": the
// mean of a baseline period less the reduction, never below zero. ok is false when the
// baseline has too few citizens to publish (the goal would reveal its mean).
func DurationGoal(baseline Figure, reductionDays int) (Figure, bool) {
	v, ok := baseline.Plot()
	if !ok {
		return Figure{}, false
	}
	return Stat(FigureDays, math.Max(0, v-float64(reductionDays)), baseline.N), true
}

// ReasonCount is how many times one reason was given.
type ReasonCount struct {
	Reason string
	N      int
}

// CommonReasons keeps the k reasons given most often among those given at least MinCell
// times, and returns the count of all the others. Reasons are free text: one written for a
// single referral may describe the person ("har netop mistet sin mand"); a wording shared by
// five or more is a standard phrase. rs need not be sorted.
func CommonReasons(rs []ReasonCount, k int) (top []ReasonCount, other int) {
	sorted := slices.Clone(rs)
	slices.SortStableFunc(sorted, func(a, b ReasonCount) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	for _, r := range sorted {
		if r.N >= MinCell && len(top) < k && strings.TrimSpace(r.Reason) != "" {
			top = append(top, r)
		} else {
			other += r.N
		}
	}
	return top, other
}
