package helhed

import "slices"

// Borgerens egen vurdering: the citizen's own answer to one question about their functional
// capacity, asked by the caseworker at a follow-up. The strategy's goal is that half of the
// citizens "oplever en forbedring af deres funktionsevne i forhold til job og uddannelse" —
// what the citizen experiences, so the figure is the citizen's answer, not a caseworker's
// score on the plan's goals. The item is a transition question with the five answers of
// SF-36's health-transition item ("Meget bedre … Meget dårligere"), asked about function
// towards work and education instead of health in general, and against the last follow-up
// instead of a year ago. The wording is Helhed's (docs/law.md, "Effekt").

// SelfRatingQuestion is the question as the caseworker reads it aloud.
const SelfRatingQuestion = "Sammenlignet med sidste opfølgning – hvordan oplever du din evne til at klare et arbejde eller en uddannelse nu?"

// SelfRating is one answer on the five-point scale (the codes the database's CHECK allows).
type SelfRating string

// The answers, best first.
const (
	RatingMuchBetter     SelfRating = "meget_bedre"
	RatingSomewhatBetter SelfRating = "noget_bedre"
	RatingSame           SelfRating = "uaendret"
	RatingSomewhatWorse  SelfRating = "noget_daarligere"
	RatingMuchWorse      SelfRating = "meget_daarligere"
)

// SelfRatings are the answers in the order the form offers them.
var SelfRatings = []SelfRating{RatingMuchBetter, RatingSomewhatBetter, RatingSame, RatingSomewhatWorse, RatingMuchWorse}

// Label is the answer as the citizen hears it.
func (r SelfRating) Label() string {
	switch r {
	case RatingMuchBetter:
		return "Meget bedre"
	case RatingSomewhatBetter:
		return "Noget bedre"
	case RatingSame:
		return "Nogenlunde det samme"
	case RatingSomewhatWorse:
		return "Noget dårligere"
	case RatingMuchWorse:
		return "Meget dårligere"
	}
	return string(r)
}

// Valid reports whether r is one of the answers.
func (r SelfRating) Valid() bool { return slices.Contains(SelfRatings, r) }

// Improved reports whether the answer is an experienced improvement: "meget" or "noget
// bedre". "Nogenlunde det samme" is not.
func (r SelfRating) Improved() bool { return r == RatingMuchBetter || r == RatingSomewhatBetter }

// SelfRatingCounts are citizens by their answer: each citizen once, by their latest answer in
// the period.
type SelfRatingCounts map[SelfRating]int

// N is the number of citizens who answered.
func (c SelfRatingCounts) N() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// ImprovedShare is the share of the citizens who answered that report an improvement, over
// N citizens (shown beside it).
func (c SelfRatingCounts) ImprovedShare() Figure {
	part := 0
	for r, v := range c {
		if r.Improved() {
			part += v
		}
	}
	return Share(part, c.N())
}

// MeetsShareGoal reports whether a share reaches goalPercent (at least, so exactly 50 % meets
// a goal of 50 %). ok is false when the share may not be shown or has nothing behind it.
func MeetsShareGoal(f Figure, goalPercent int) (met, ok bool) {
	if f.Hidden() || f.Empty() {
		return false, false
	}
	// Compare in whole citizens, not in floating percent: part/n >= goal/100.
	return 100*f.Part >= goalPercent*f.N, true
}

// DurationComparison is the "one year shorter" goal: the mean spell length of the baseline
// period and of the current period, the target (baseline less the reduction) and the change.
type DurationComparison struct {
	Baseline, Current, Target Figure
	Change                    Figure // current − baseline, in days (negative: shorter)
	HasTarget                 bool   // the baseline may be shown, so the target may
	Met                       bool   // the current mean is at or below the target (both shown)
}

// CompareDurations compares the current period's spells with the baseline's against a
// reduction of reductionDays.
func CompareDurations(baseline, current Durations, reductionDays int) DurationComparison {
	c := DurationComparison{Baseline: baseline.Mean(), Current: current.Mean()}
	c.Target, c.HasTarget = DurationGoal(c.Baseline, reductionDays)
	c.Change = Stat(FigureDays, c.Current.Value-c.Baseline.Value, min(c.Baseline.N, c.Current.N))
	if c.Baseline.Empty() || c.Current.Empty() {
		c.Change = Stat(FigureDays, 0, 0)
	}
	if v, ok := c.Current.Plot(); ok && c.HasTarget {
		c.Met = v <= c.Target.Value
	}
	return c
}
