package web

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
)

// healthyForm is a complete, valid screening submission.
func healthyForm() url.Values {
	return url.Values{
		"screened_on":             {"2026-03-29"},
		helhed.FieldDiet:          {"god"},
		helhed.FieldSmoking:       {"aldrig"},
		helhed.FieldDrinksWeek:    {"0"},
		helhed.FieldDrinksDay:     {"0"},
		helhed.FieldActiveMinutes: {"60"},
		helhed.FieldSleep:         {"sjaeldent"},
		"who5_1":                  {"5"},
		"who5_2":                  {"5"},
		"who5_3":                  {"5"},
		"who5_4":                  {"5"},
		"who5_5":                  {"5"},
		helhed.FieldSelfHealth:    {"godt"},
		helhed.FieldWorkImpact:    {"ingen"},
		helhed.FieldHeight:        {"175"},
		helhed.FieldWeight:        {"70"},
		helhed.FieldHash:          {"aldrig"},
		helhed.FieldDrugs:         {"aldrig"},
	}
}

// testSelfHealth are the self-rated health answers of migration 0025, as the handler loads
// them from the reference data.
var testSelfHealth = []helhed.Option{{Code: "fremragende", Label: "Fremragende"}, {Code: "vaeldig_godt", Label: "Vældig godt"},
	{Code: "godt", Label: "Godt"}, {Code: "mindre_godt", Label: "Mindre godt"}, {Code: "daarligt", Label: "Dårligt"}}

// screeningToday is a day after the daylight-saving change, so the form's dates are
// Copenhagen dates on both sides of it.
var screeningToday, _ = form.ParseDate("2026-03-30")

func TestDecodeScreeningForm(t *testing.T) {
	choose, whole := "Vælg et svar", func(hi int) string { return form.MsgRange(0, hi) }
	tests := []struct {
		name    string
		mod     func(url.Values)
		want    map[string]string
		summary []string // the error summary, in form order
	}{
		{"valid", func(v url.Values) {}, map[string]string{}, nil},
		{"spaces around numbers", func(v url.Values) { v.Set(helhed.FieldDrinksWeek, " 12 ") }, map[string]string{}, nil},
		{"all upper bounds", func(v url.Values) {
			v.Set(helhed.FieldDrinksWeek, "200")
			v.Set(helhed.FieldDrinksDay, "100")
			v.Set(helhed.FieldActiveMinutes, "1440")
		}, map[string]string{}, nil},
		{"everything missing", func(v url.Values) {
			for k := range v {
				delete(v, k)
			}
		}, map[string]string{
			helhed.FieldDiet: choose, helhed.FieldSmoking: choose, helhed.FieldSleep: choose,
			helhed.FieldSelfHealth: choose, helhed.FieldWorkImpact: choose,
			helhed.FieldDrinksWeek: form.MsgRequired, helhed.FieldDrinksDay: form.MsgRequired,
			helhed.FieldActiveMinutes: form.MsgRequired,
			"who5_1":                  choose, "who5_2": choose, "who5_3": choose, "who5_4": choose, "who5_5": choose,
			helhed.FieldHeight: form.MsgRequired, helhed.FieldWeight: form.MsgRequired,
			helhed.FieldHash: choose, helhed.FieldDrugs: choose,
		}, []string{
			"Kost: Vælg et svar", "Rygning: Vælg et svar", "Alkohol, genstande på en uge: Skal udfyldes",
			"Alkohol, flest genstande på én dag: Skal udfyldes", "Motion, minutter om dagen: Skal udfyldes",
			"Søvn: Vælg et svar", "Højde i cm: Skal udfyldes", "Vægt i kg: Skal udfyldes", "Hash: Vælg et svar",
			"Andre stoffer: Vælg et svar", "WHO-5, spørgsmål 1: Vælg et svar", "WHO-5, spørgsmål 2: Vælg et svar",
			"WHO-5, spørgsmål 3: Vælg et svar", "WHO-5, spørgsmål 4: Vælg et svar", "WHO-5, spørgsmål 5: Vælg et svar",
			"Selvvurderet helbred: Vælg et svar", "Helbredets betydning for arbejde: Vælg et svar",
		}},
		{"out of range", func(v url.Values) {
			v.Set(helhed.FieldDrinksWeek, "201")
			v.Set(helhed.FieldDrinksDay, "-1")
			v.Set(helhed.FieldActiveMinutes, "1441")
			v.Set("who5_3", "6")
		}, map[string]string{
			helhed.FieldDrinksWeek: whole(200), helhed.FieldDrinksDay: whole(100),
			helhed.FieldActiveMinutes: whole(1440), "who5_3": whole(5),
		}, nil},
		{"height and weight at their bounds", func(v url.Values) {
			v.Set(helhed.FieldHeight, "100")
			v.Set(helhed.FieldWeight, "300")
		}, map[string]string{}, nil},
		{"height and weight out of range", func(v url.Values) {
			v.Set(helhed.FieldHeight, "1750") // mm typed as cm
			v.Set(helhed.FieldWeight, "29")
		}, map[string]string{
			helhed.FieldHeight: form.MsgRange(100, 250), helhed.FieldWeight: form.MsgRange(30, 300),
		}, []string{"Højde i cm: " + form.MsgRange(100, 250), "Vægt i kg: " + form.MsgRange(30, 300)}},
		{"not whole numbers", func(v url.Values) {
			v.Set(helhed.FieldDrinksWeek, "2,5")
			v.Set(helhed.FieldActiveMinutes, "en time")
			v.Set("who5_1", "99999999999999999999999")
		}, map[string]string{
			helhed.FieldDrinksWeek: whole(200), helhed.FieldActiveMinutes: whole(1440), "who5_1": whole(5),
		}, nil},
		{"unknown codes", func(v url.Values) {
			v.Set(helhed.FieldDiet, "fremragende")
			v.Set(helhed.FieldSmoking, "Dagligt") // labels are not codes
			v.Set(helhed.FieldSleep, "aldrig")
			v.Set(helhed.FieldSelfHealth, "daarlig")
			v.Set(helhed.FieldWorkImpact, "snart")
			v.Set(helhed.FieldHash, "ugentligt")
			v.Set(helhed.FieldSelfHealth, "nogenlunde") // the ended four-point answer
		}, map[string]string{
			helhed.FieldDiet: form.MsgChoose, helhed.FieldSmoking: form.MsgChoose, helhed.FieldSleep: form.MsgChoose,
			helhed.FieldSelfHealth: form.MsgChoose, helhed.FieldWorkImpact: form.MsgChoose, helhed.FieldHash: form.MsgChoose,
		}, nil},
		{"date in the future", func(v url.Values) { v.Set("screened_on", "2026-03-31") },
			map[string]string{"screened_on": "Screeningsdatoen kan ikke ligge i fremtiden"}, nil},
		{"date over a year back", func(v url.Values) { v.Set("screened_on", "2025-03-29") },
			map[string]string{"screened_on": "Screeningsdatoen må højst ligge et år tilbage"}, nil},
		{"date a year back to the day", func(v url.Values) { v.Set("screened_on", "2025-03-30") }, map[string]string{}, nil},
		{"date malformed", func(v url.Values) { v.Set("screened_on", "29.3.2026") },
			map[string]string{"screened_on": form.MsgDate}, []string{"Dato for samtalen: " + form.MsgDate}},
		{"condition notes over the limit", func(v url.Values) { v.Set("cond_notes", strings.Repeat("ø", maxConditionNotes+1)) },
			map[string]string{"cond_notes": form.MsgMaxLength(maxConditionNotes)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := healthyForm()
			tt.mod(v)
			f := decodeScreeningForm(v, screeningToday, testSelfHealth)
			if diff := cmp.Diff(tt.want, f.Errors); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
			if tt.summary != nil {
				var got []string
				for _, p := range f.Summary() {
					got = append(got, p.Text())
				}
				if diff := cmp.Diff(tt.summary, got); diff != "" {
					t.Errorf("summary mismatch (-want +got):\n%s", diff)
				}
			}
			for k := range v {
				if f.Values[k] != strings.TrimSpace(v.Get(k)) {
					t.Errorf("Values[%q] = %q, want what was typed: %q", k, f.Values[k], v.Get(k))
				}
			}
		})
	}
}

func TestDecodeScreeningFormValues(t *testing.T) {
	v := healthyForm()
	v.Set(helhed.FieldDrinksWeek, " 12")
	v.Set("who5_2", "3")
	v.Set(helhed.FieldWorkImpact, helhed.ImpactLong)
	v.Set("cond_pain", "true")
	f := decodeScreeningForm(v, screeningToday, testSelfHealth)
	if !f.OK() {
		t.Fatalf("errors: %v", f.Errors)
	}
	want := helhed.ScreeningAnswers{Diet: "god", Smoking: "aldrig", DrinksPerWeek: 12, ActiveMinutesPerDay: 60,
		Sleep: "sjaeldent", WHO5: [5]int{5, 3, 5, 5, 5}, SelfHealth: "godt", WorkImpact: helhed.ImpactLong,
		HeightCm: 175, WeightKg: 70, Hash: "aldrig", Drugs: "aldrig"}
	if diff := cmp.Diff(want, f.answers); diff != "" {
		t.Errorf("answers mismatch (-want +got):\n%s", diff)
	}
	if !f.cond.Pain || f.cond.Chronic {
		t.Errorf("conditions %+v", f.cond)
	}
	if f.on.Format(time.DateOnly) != "2026-03-29" || f.on.Location() != form.Zone {
		t.Errorf("screened on %v, want 2026-03-29 in Europe/Copenhagen", f.on)
	}
	delete(v, "screened_on")
	if f := decodeScreeningForm(v, screeningToday, testSelfHealth); !f.on.Equal(screeningToday) {
		t.Errorf("no date given: screened on %v, want today %v", f.on, screeningToday)
	}
}

// screeningFormFields is the fuzz target's argument order.
var screeningFormFields = []string{
	helhed.FieldDiet, helhed.FieldSmoking, helhed.FieldDrinksWeek, helhed.FieldDrinksDay, helhed.FieldActiveMinutes,
	helhed.FieldSleep, "who5_1", "who5_2", "who5_3", "who5_4", "who5_5", helhed.FieldSelfHealth, helhed.FieldWorkImpact,
}

func FuzzDecodeScreeningForm(f *testing.F) {
	f.Add("god", "aldrig", "0", "0", "60", "sjaeldent", "5", "5", "5", "5", "5", "godt", "ingen")
	f.Add("daarlig", "dagligt", "11", "5", "29", "ofte", "1", "2", "1", "2", "1", "daarligt", "nu")
	f.Add("middel", "lejlighedsvis", "200", "100", "1440", "nogle_gange", "0", "0", "0", "0", "0", "nogenlunde", "kort_mellem")
	f.Add("", "", "", "", "", "", "", "", "", "", "", "", "")
	f.Add("God", "x", "-1", "101", "1441", "ofte ", "6", "-0", "+3", " 4", "5\x00", "virkelig_godt", "lang")
	f.Add("god", "aldrig", "1e2", "0x10", "9223372036854775808", "sjaeldent", "٣", "5", "5", "5", "5", "godt", "ingen")

	choices := map[string][]helhed.Option{
		helhed.FieldDiet: helhed.DietOptions, helhed.FieldSmoking: helhed.SmokingOptions, helhed.FieldSleep: helhed.SleepOptions,
		helhed.FieldSelfHealth: testSelfHealth, helhed.FieldWorkImpact: helhed.WorkImpactOptions,
	}
	bounds := map[string]int{
		helhed.FieldDrinksWeek: helhed.MaxDrinksPerWeek, helhed.FieldDrinksDay: helhed.MaxDrinksOneDay,
		helhed.FieldActiveMinutes: helhed.MaxActiveMinutesPerDay,
		"who5_1":                  5, "who5_2": 5, "who5_3": 5, "who5_4": 5, "who5_5": 5,
	}

	f.Fuzz(func(t *testing.T, diet, smoking, week, day, minutes, sleep, w1, w2, w3, w4, w5, health, impact string) {
		args := []string{diet, smoking, week, day, minutes, sleep, w1, w2, w3, w4, w5, health, impact}
		v := url.Values{helhed.FieldHeight: {"175"}, helhed.FieldWeight: {"70"}, helhed.FieldHash: {"aldrig"}, helhed.FieldDrugs: {"aldrig"}}
		for i, name := range screeningFormFields {
			v.Set(name, args[i])
		}
		fm := decodeScreeningForm(v, screeningToday, testSelfHealth)
		for i, name := range screeningFormFields {
			if fm.Values[name] != strings.TrimSpace(args[i]) {
				t.Fatalf("Values[%q] = %q, want %q", name, fm.Values[name], args[i])
			}
			// An independent oracle: anything not a known code, or not a whole number in
			// range, must be rejected.
			if opts, ok := choices[name]; ok {
				if helhed.OptionLabel(opts, strings.TrimSpace(args[i])) == "" && fm.Errors[name] == "" {
					t.Fatalf("%s = %q accepted", name, args[i])
				}
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(args[i]))
			if (err != nil || n < 0 || n > bounds[name]) && fm.Errors[name] == "" {
				t.Fatalf("%s = %q accepted", name, args[i])
			}
		}
		if !fm.OK() {
			return
		}
		if again := fm.answers.Validate(); again != nil {
			t.Fatalf("decoded answers fail Validate: %v", again)
		}
		res := helhed.Score(fm.answers, helhed.DefaultRuleSet())
		if res.WHO5 < 0 || res.WHO5 > 100 {
			t.Fatalf("WHO5 = %d", res.WHO5)
		}
		if !res.Group.Valid() {
			t.Fatalf("group %q is not valid", res.Group)
		}
	})
}
