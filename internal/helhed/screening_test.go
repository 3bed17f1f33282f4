package helhed

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScreeningAnswersValidate(t *testing.T) {
	if errs := healthy().Validate(); errs != nil {
		t.Fatalf("healthy answers: %v", errs)
	}
	a := healthy()
	a.WHO5[4] = -1
	a.MaxDrinksOneDay = 101
	a.Diet = ""
	want := map[string]string{
		"who5_5":       "Skal være et helt tal mellem 0 og 5",
		FieldDrinksDay: "Skal være et helt tal mellem 0 og 100",
		FieldDiet:      "Vælg en af mulighederne",
	}
	if diff := cmp.Diff(want, a.Validate()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestOptionLists(t *testing.T) {
	// Every code the rules look at must be offered by the form, or the
	// rule could never fire.
	for _, c := range []struct {
		opts []Option
		code string
	}{
		{DietOptions, DietPoor}, {SmokingOptions, SmokingDaily}, {SleepOptions, SleepOften},
		{WorkImpactOptions, ImpactNow}, {WorkImpactOptions, ImpactShortMedium},
		{WorkImpactOptions, ImpactLong}, {WorkImpactOptions, ImpactNone},
	} {
		if OptionLabel(c.opts, c.code) == "" {
			t.Errorf("code %q missing from its option list", c.code)
		}
	}
	if OptionLabel(WHO5Answers, "5") != "Hele tiden" || OptionLabel(WHO5Answers, "0") != "På intet tidspunkt" {
		t.Error("WHO-5 answer labels do not match the values")
	}
	if OptionLabel(DietOptions, "ukendt") != "" {
		t.Error("unknown code should have no label")
	}
}
