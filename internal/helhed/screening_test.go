package helhed

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// healthyForm is the form submission of healthy().
func healthyForm() url.Values {
	return url.Values{
		FieldDiet:          {"god"},
		FieldSmoking:       {"aldrig"},
		FieldDrinksWeek:    {"0"},
		FieldDrinksDay:     {"0"},
		FieldActiveMinutes: {"60"},
		FieldSleep:         {"sjaeldent"},
		"who5_1":           {"5"},
		"who5_2":           {"5"},
		"who5_3":           {"5"},
		"who5_4":           {"5"},
		"who5_5":           {"5"},
		FieldSelfHealth:    {"godt"},
		FieldWorkImpact:    {"ingen"},
	}
}

func TestDecodeScreeningForm(t *testing.T) {
	tests := []struct {
		name string
		mod  func(url.Values)
		want map[string]string
	}{
		{"valid", func(v url.Values) {}, nil},
		{"spaces around numbers", func(v url.Values) { v.Set(FieldDrinksWeek, " 12 ") }, nil},
		{"all upper bounds", func(v url.Values) {
			v.Set(FieldDrinksWeek, "200")
			v.Set(FieldDrinksDay, "100")
			v.Set(FieldActiveMinutes, "1440")
		}, nil},
		{"everything missing", func(v url.Values) {
			for k := range v {
				delete(v, k)
			}
		}, map[string]string{
			FieldDiet: "Vælg en af mulighederne", FieldSmoking: "Vælg en af mulighederne",
			FieldSleep: "Vælg en af mulighederne", FieldSelfHealth: "Vælg en af mulighederne",
			FieldWorkImpact: "Vælg en af mulighederne",
			FieldDrinksWeek: "Skal udfyldes", FieldDrinksDay: "Skal udfyldes", FieldActiveMinutes: "Skal udfyldes",
			"who5_1": "Skal udfyldes", "who5_2": "Skal udfyldes", "who5_3": "Skal udfyldes",
			"who5_4": "Skal udfyldes", "who5_5": "Skal udfyldes",
		}},
		{"out of range", func(v url.Values) {
			v.Set(FieldDrinksWeek, "201")
			v.Set(FieldDrinksDay, "-1")
			v.Set(FieldActiveMinutes, "1441")
			v.Set("who5_3", "6")
		}, map[string]string{
			FieldDrinksWeek:    "Skal være et helt tal mellem 0 og 200",
			FieldDrinksDay:     "Skal være et helt tal mellem 0 og 100",
			FieldActiveMinutes: "Skal være et helt tal mellem 0 og 1440",
			"who5_3":           "Skal være et helt tal mellem 0 og 5",
		}},
		{"not whole numbers", func(v url.Values) {
			v.Set(FieldDrinksWeek, "2,5")
			v.Set(FieldActiveMinutes, "en time")
			v.Set("who5_1", "99999999999999999999999")
		}, map[string]string{
			FieldDrinksWeek:    "Skal være et helt tal mellem 0 og 200",
			FieldActiveMinutes: "Skal være et helt tal mellem 0 og 1440",
			"who5_1":           "Skal være et helt tal mellem 0 og 5",
		}},
		{"unknown codes", func(v url.Values) {
			v.Set(FieldDiet, "fremragende")
			v.Set(FieldSmoking, "Dagligt") // labels are not codes
			v.Set(FieldSleep, "aldrig")
			v.Set(FieldSelfHealth, "daarlig")
			v.Set(FieldWorkImpact, "snart")
		}, map[string]string{
			FieldDiet:       "Ugyldigt valg – vælg en af mulighederne",
			FieldSmoking:    "Ugyldigt valg – vælg en af mulighederne",
			FieldSleep:      "Ugyldigt valg – vælg en af mulighederne",
			FieldSelfHealth: "Ugyldigt valg – vælg en af mulighederne",
			FieldWorkImpact: "Ugyldigt valg – vælg en af mulighederne",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := healthyForm()
			tt.mod(v)
			a, errs := DecodeScreeningForm(v)
			if diff := cmp.Diff(tt.want, errs); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			for _, f := range append([]string{FieldDiet, FieldSmoking, FieldDrinksWeek, FieldDrinksDay, FieldActiveMinutes,
				FieldSleep, FieldSelfHealth, FieldWorkImpact}, FieldWHO5[:]...) {
				if a.Raw[f] != v.Get(f) {
					t.Errorf("Raw[%q] = %q, want what was typed: %q", f, a.Raw[f], v.Get(f))
				}
			}
		})
	}
}

func TestDecodeScreeningFormValues(t *testing.T) {
	v := healthyForm()
	v.Set(FieldDrinksWeek, " 12")
	v.Set("who5_2", "3")
	v.Set(FieldWorkImpact, ImpactLong)
	got, errs := DecodeScreeningForm(v)
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	want := healthy()
	want.DrinksPerWeek = 12
	want.WHO5[1] = 3
	want.WorkImpact = ImpactLong
	got.Raw = nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers mismatch (-want +got):\n%s", diff)
	}
}

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

// screeningFormFields is the fuzz target's argument order.
var screeningFormFields = []string{
	FieldDiet, FieldSmoking, FieldDrinksWeek, FieldDrinksDay, FieldActiveMinutes, FieldSleep,
	"who5_1", "who5_2", "who5_3", "who5_4", "who5_5", FieldSelfHealth, FieldWorkImpact,
}

func FuzzDecodeScreeningForm(f *testing.F) {
	f.Add("god", "aldrig", "0", "0", "60", "sjaeldent", "5", "5", "5", "5", "5", "godt", "ingen")
	f.Add("daarlig", "dagligt", "11", "5", "29", "ofte", "1", "2", "1", "2", "1", "daarligt", "nu")
	f.Add("middel", "lejlighedsvis", "200", "100", "1440", "nogle_gange", "0", "0", "0", "0", "0", "nogenlunde", "kort_mellem")
	f.Add("", "", "", "", "", "", "", "", "", "", "", "", "")
	f.Add("God", "x", "-1", "101", "1441", "ofte ", "6", "-0", "+3", " 4", "5\x00", "virkelig_godt", "lang")
	f.Add("god", "aldrig", "1e2", "0x10", "9223372036854775808", "sjaeldent", "٣", "5", "5", "5", "5", "godt", "ingen")

	choices := map[string][]Option{
		FieldDiet: DietOptions, FieldSmoking: SmokingOptions, FieldSleep: SleepOptions,
		FieldSelfHealth: SelfHealthOptions, FieldWorkImpact: WorkImpactOptions,
	}
	bounds := map[string]int{
		FieldDrinksWeek: MaxDrinksPerWeek, FieldDrinksDay: MaxDrinksOneDay, FieldActiveMinutes: MaxActiveMinutesPerDay,
		"who5_1": 5, "who5_2": 5, "who5_3": 5, "who5_4": 5, "who5_5": 5,
	}

	f.Fuzz(func(t *testing.T, diet, smoking, week, day, minutes, sleep, w1, w2, w3, w4, w5, health, impact string) {
		args := []string{diet, smoking, week, day, minutes, sleep, w1, w2, w3, w4, w5, health, impact}
		v := url.Values{}
		for i, name := range screeningFormFields {
			v.Set(name, args[i])
		}
		a, errs := DecodeScreeningForm(v)

		for i, name := range screeningFormFields {
			if a.Raw[name] != args[i] {
				t.Fatalf("Raw[%q] = %q, want %q", name, a.Raw[name], args[i])
			}
			// An independent oracle: anything not a known code, or not a
			// whole number in range, must be rejected.
			if opts, ok := choices[name]; ok {
				if !hasOption(opts, strings.TrimSpace(args[i])) && errs[name] == "" {
					t.Fatalf("%s = %q accepted", name, args[i])
				}
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(args[i]))
			if (err != nil || n < 0 || n > bounds[name]) && errs[name] == "" {
				t.Fatalf("%s = %q accepted", name, args[i])
			}
		}
		if len(errs) > 0 {
			return
		}
		if errs != nil {
			t.Fatal("no errors must be reported as a nil map")
		}
		if again := a.Validate(); again != nil {
			t.Fatalf("decoded answers fail Validate: %v", again)
		}
		res := Score(a, DefaultRuleSet())
		if res.WHO5 < 0 || res.WHO5 > 100 {
			t.Fatalf("WHO5 = %d", res.WHO5)
		}
		if !res.Group.Valid() {
			t.Fatalf("group %q is not valid", res.Group)
		}
	})
}
