package helhed

import (
	"fmt"
)

// Danish field messages of the screening form.
const (
	msgChooseOption = "Vælg en af mulighederne"
	msgUnknownCode  = "Ugyldigt valg – vælg en af mulighederne"
)

// msgIntRange is the message for a number that is not a whole number in
// 0..hi.
func msgIntRange(hi int) string { return msgIntBetween(0, hi) }

// msgIntBetween is the message for a whole number outside lo..hi.
func msgIntBetween(lo, hi int) string {
	return fmt.Sprintf("Skal være et helt tal mellem %d og %d", lo, hi)
}

// choiceField ties a closed-list answer to its form field and options.
type choiceField struct {
	name string
	opts []Option
	val  *string
}

// intField ties a numeric answer to its form field and upper bound.
type intField struct {
	name string
	hi   int
	val  *int
}

// choiceFields lists the closed-list answers in form order.
func (a *ScreeningAnswers) choiceFields() []choiceField {
	return []choiceField{
		{FieldDiet, DietOptions, &a.Diet},
		{FieldSmoking, SmokingOptions, &a.Smoking},
		{FieldSleep, SleepOptions, &a.Sleep},
		{FieldSelfHealth, SelfHealthOptions, &a.SelfHealth},
		{FieldWorkImpact, WorkImpactOptions, &a.WorkImpact},
	}
}

// intFields lists the numeric answers in form order.
func (a *ScreeningAnswers) intFields() []intField {
	out := []intField{
		{FieldDrinksWeek, MaxDrinksPerWeek, &a.DrinksPerWeek},
		{FieldDrinksDay, MaxDrinksOneDay, &a.MaxDrinksOneDay},
		{FieldActiveMinutes, MaxActiveMinutesPerDay, &a.ActiveMinutesPerDay},
	}
	for i := range a.WHO5 {
		out = append(out, intField{FieldWHO5[i], MaxWHO5Item, &a.WHO5[i]})
	}
	return out
}

// Validate checks the answers and returns Danish messages keyed by form
// field name, or nil if the answers may be scored and stored: every choice
// answered with a known code, every number within its range.
func (a ScreeningAnswers) Validate() map[string]string {
	var errs map[string]string
	add := func(field, msg string) {
		if errs == nil {
			errs = make(map[string]string)
		}
		errs[field] = msg
	}
	for _, f := range a.choiceFields() {
		switch {
		case *f.val == "":
			add(f.name, msgChooseOption)
		case !hasOption(f.opts, *f.val):
			add(f.name, msgUnknownCode)
		}
	}
	for _, f := range a.intFields() {
		if *f.val < 0 || *f.val > f.hi {
			add(f.name, msgIntRange(f.hi))
		}
	}
	return errs
}
