package helhed

import (
	"fmt"
)

// Danish field messages of the screening form.
const (
	msgChooseOption = "Vælg en af mulighederne"
	msgUnknownCode  = "Ugyldigt valg – vælg en af mulighederne"
)

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

// intField ties a numeric answer to its form field and bounds.
type intField struct {
	name   string
	lo, hi int
	val    *int
}

// choiceFields lists the closed-list answers in form order.
func (a *ScreeningAnswers) choiceFields() []choiceField {
	return []choiceField{
		{FieldDiet, DietOptions, &a.Diet},
		{FieldSmoking, SmokingOptions, &a.Smoking},
		{FieldSleep, SleepOptions, &a.Sleep},
		{FieldWorkImpact, WorkImpactOptions, &a.WorkImpact},
		{FieldHash, DrugUseOptions, &a.Hash},
		{FieldDrugs, DrugUseOptions, &a.Drugs},
	}
}

// intFields lists the numeric answers in form order.
func (a *ScreeningAnswers) intFields() []intField {
	out := []intField{
		{FieldDrinksWeek, 0, MaxDrinksPerWeek, &a.DrinksPerWeek},
		{FieldDrinksDay, 0, MaxDrinksOneDay, &a.MaxDrinksOneDay},
		{FieldActiveMinutes, 0, MaxActiveMinutesPerDay, &a.ActiveMinutesPerDay},
		{FieldHeight, MinHeightCm, MaxHeightCm, &a.HeightCm},
		{FieldWeight, MinWeightKg, MaxWeightKg, &a.WeightKg},
	}
	for i := range a.WHO5 {
		out = append(out, intField{FieldWHO5[i], 0, MaxWHO5Item, &a.WHO5[i]})
	}
	return out
}

// Validate checks the answers and returns Danish messages keyed by form
// field name, or nil if the answers may be scored and stored: every choice
// answered with a known code, every number within its range. The self-rated
// health answer is reference data: Validate only requires one; the form checks
// it against the values in force.
func (a ScreeningAnswers) Validate() map[string]string {
	var errs map[string]string
	add := func(field, msg string) {
		if errs == nil {
			errs = make(map[string]string)
		}
		errs[field] = msg
	}
	if a.SelfHealth == "" {
		add(FieldSelfHealth, msgChooseOption)
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
		if *f.val < f.lo || *f.val > f.hi {
			add(f.name, msgIntBetween(f.lo, f.hi))
		}
	}
	return errs
}
