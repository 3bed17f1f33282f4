package helhed

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// healthy returns answers with no risk at all, which the tests then spoil
// one answer at a time.
func healthy() ScreeningAnswers {
	return ScreeningAnswers{
		Diet:                "god",
		Smoking:             "aldrig",
		DrinksPerWeek:       0,
		MaxDrinksOneDay:     0,
		ActiveMinutesPerDay: 60,
		Sleep:               "sjaeldent",
		WHO5:                [5]int{5, 5, 5, 5, 5},
		SelfHealth:          "godt",
		WorkImpact:          ImpactNone,
		HeightCm:            175,
		WeightKg:            70,
		Hash:                "aldrig",
		Drugs:               "aldrig",
	}
}

// who5Sum spreads sum over the five items, so a test can ask for an index
// of 4×sum.
func who5Sum(sum int) [5]int {
	var items [5]int
	for i := range items {
		items[i] = min(sum, 5)
		sum -= items[i]
	}
	return items
}

func TestScoreBoundaries(t *testing.T) {
	v1 := DefaultRuleSet()
	// The index moves in steps of 4, so 29 and 51 cannot occur; the
	// boundaries are tested at the nearest reachable values, and the ≤ of
	// WHO5Medium at equality with a rule set whose threshold is reachable.
	medium52 := v1
	medium52.WHO5Medium = 52

	tests := []struct {
		name  string
		rs    RuleSet
		mod   func(*ScreeningAnswers)
		group RiskGroup
		who5  int
		krams []string
	}{
		{"no risk", v1, func(a *ScreeningAnswers) {}, RiskNone, 100, nil},
		{"WHO-5 28 is høj", v1, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(7) }, RiskHigh, 28, nil},
		{"WHO-5 32 is mellem", v1, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(8) }, RiskMedium, 32, nil},
		{"WHO-5 0 is høj", v1, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(0) }, RiskHigh, 0, nil},
		{"WHO-5 48 is mellem", v1, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(12) }, RiskMedium, 48, nil},
		{"WHO-5 52 is ingen", v1, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(13) }, RiskNone, 52, nil},
		{"WHO-5 52 at threshold 52 is mellem", medium52, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(13) }, RiskMedium, 52, nil},
		{"WHO-5 56 at threshold 52 is ingen", medium52, func(a *ScreeningAnswers) { a.WHO5 = who5Sum(14) }, RiskNone, 56, nil},

		{"10 drinks a week", v1, func(a *ScreeningAnswers) { a.DrinksPerWeek = 10 }, RiskNone, 100, nil},
		{"11 drinks a week", v1, func(a *ScreeningAnswers) { a.DrinksPerWeek = 11 }, RiskLow, 100, []string{KRAMSAlcohol}},
		{"4 drinks one day", v1, func(a *ScreeningAnswers) { a.MaxDrinksOneDay = 4 }, RiskNone, 100, nil},
		{"5 drinks one day", v1, func(a *ScreeningAnswers) { a.MaxDrinksOneDay = 5 }, RiskLow, 100, []string{KRAMSAlcohol}},
		{"week and day over count once", v1, func(a *ScreeningAnswers) { a.DrinksPerWeek, a.MaxDrinksOneDay = 11, 5 }, RiskLow, 100, []string{KRAMSAlcohol}},
		{"30 active minutes", v1, func(a *ScreeningAnswers) { a.ActiveMinutesPerDay = 30 }, RiskNone, 100, nil},
		{"29 active minutes", v1, func(a *ScreeningAnswers) { a.ActiveMinutesPerDay = 29 }, RiskLow, 100, []string{KRAMSExercise}},

		{"poor diet", v1, func(a *ScreeningAnswers) { a.Diet = DietPoor }, RiskLow, 100, []string{KRAMSDiet}},
		{"medium diet", v1, func(a *ScreeningAnswers) { a.Diet = "middel" }, RiskNone, 100, nil},
		{"daily smoking", v1, func(a *ScreeningAnswers) { a.Smoking = SmokingDaily }, RiskLow, 100, []string{KRAMSSmoking}},
		{"occasional smoking", v1, func(a *ScreeningAnswers) { a.Smoking = "lejlighedsvis" }, RiskNone, 100, nil},
		{"frequent sleep problems", v1, func(a *ScreeningAnswers) { a.Sleep = SleepOften }, RiskLow, 100, []string{KRAMSSleep}},
		{"some sleep problems", v1, func(a *ScreeningAnswers) { a.Sleep = "nogle_gange" }, RiskNone, 100, nil},
		{"2 KRAMS risks", v1, func(a *ScreeningAnswers) { a.Smoking, a.Sleep = SmokingDaily, SleepOften }, RiskMedium, 100, []string{KRAMSSmoking, KRAMSSleep}},
		{"5 KRAMS risks", v1, func(a *ScreeningAnswers) {
			a.Diet, a.Smoking, a.DrinksPerWeek, a.ActiveMinutesPerDay, a.Sleep = DietPoor, SmokingDaily, 30, 0, SleepOften
		}, RiskMedium, 100, []string{KRAMSDiet, KRAMSSmoking, KRAMSAlcohol, KRAMSExercise, KRAMSSleep}},

		{"impact nu", v1, func(a *ScreeningAnswers) { a.WorkImpact = ImpactNow }, RiskHigh, 100, nil},
		{"impact kort_mellem", v1, func(a *ScreeningAnswers) { a.WorkImpact = ImpactShortMedium }, RiskMedium, 100, nil},
		{"impact lang", v1, func(a *ScreeningAnswers) { a.WorkImpact = ImpactLong }, RiskLow, 100, nil},
		{"impact ingen", v1, func(a *ScreeningAnswers) { a.WorkImpact = ImpactNone }, RiskNone, 100, nil},
		{"self-rated health is not scored", v1, func(a *ScreeningAnswers) { a.SelfHealth = "daarligt" }, RiskNone, 100, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := healthy()
			tt.mod(&a)
			res := Score(a, tt.rs)
			var krams []string
			for _, k := range res.KRAMSRisks {
				krams = append(krams, k.Code)
			}
			type view struct {
				Group RiskGroup
				WHO5  int
				KRAMS []string
			}
			want := view{tt.group, tt.who5, tt.krams}
			got := view{res.Group, res.WHO5, krams}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Score mismatch (-want +got):\n%s", diff)
			}
			if res.RuleSetVersion != tt.rs.Version {
				t.Errorf("RuleSetVersion = %d, want %d", res.RuleSetVersion, tt.rs.Version)
			}
		})
	}
}

func TestScoreExplanations(t *testing.T) {
	rs := DefaultRuleSet()
	tests := []struct {
		name string
		mod  func(*ScreeningAnswers)
		want Result
	}{
		{
			name: "no risk has no fired rules",
			mod:  func(a *ScreeningAnswers) {},
			want: Result{WHO5: 100, Group: RiskNone, RuleSetVersion: 2},
		},
		{
			name: "høj by impact and WHO-5, KRAMS listed as not decisive",
			mod: func(a *ScreeningAnswers) {
				a.WorkImpact = ImpactNow
				a.WHO5 = who5Sum(6)
				a.DrinksPerWeek = 12
				a.ActiveMinutesPerDay = 20
			},
			want: Result{
				WHO5: 24,
				KRAMSRisks: []KRAMSFactor{
					{KRAMSAlcohol, "Alkohol", "Alkohol: 12 genstande om ugen (over 10)"},
					{KRAMSExercise, "Motion", "Motion: 20 minutter om dagen (under 30)"},
				},
				Group: RiskHigh,
				Fired: []FiredRule{
					{RuleWorkImpactNow, RiskHigh, "Helbredsudfordringen er en aktuel barriere for arbejde", true},
					{RuleWHO5High, RiskHigh, "WHO-5 = 24 ≤ 28: tegn på depression", true},
					{RuleKRAMSMedium, RiskMedium, "2 KRAMS-risici (alkohol, motion)", false},
				},
				RuleSetVersion: 2,
			},
		},
		{
			name: "mellem by WHO-5, lav conditions listed",
			mod: func(a *ScreeningAnswers) {
				a.WHO5 = who5Sum(11)
				a.WorkImpact = ImpactLong
				a.MaxDrinksOneDay = 6
				a.DrinksPerWeek = 11
			},
			want: Result{
				WHO5: 44,
				KRAMSRisks: []KRAMSFactor{
					{KRAMSAlcohol, "Alkohol", "Alkohol: 11 genstande om ugen (over 10) og 6 genstande på én dag (over 4)"},
				},
				Group: RiskMedium,
				Fired: []FiredRule{
					{RuleWHO5Medium, RiskMedium, "WHO-5 = 44 ≤ 50: nedsat trivsel", true},
					{RuleWorkImpactLong, RiskLow, "Helbredsudfordringen påvirker arbejde på lang sigt", false},
					{RuleKRAMSLow, RiskLow, "1 KRAMS-risiko (alkohol)", false},
				},
				RuleSetVersion: 2,
			},
		},
		{
			name: "mellem by impact and KRAMS together",
			mod: func(a *ScreeningAnswers) {
				a.WorkImpact = ImpactShortMedium
				a.Diet = DietPoor
				a.Smoking = SmokingDaily
				a.Sleep = SleepOften
				a.ActiveMinutesPerDay = 1
			},
			want: Result{
				WHO5: 100,
				KRAMSRisks: []KRAMSFactor{
					{KRAMSDiet, "Kost", "Kost: vurderer selv sin kost som dårlig"},
					{KRAMSSmoking, "Rygning", "Rygning: ryger dagligt"},
					{KRAMSExercise, "Motion", "Motion: 1 minut om dagen (under 30)"},
					{KRAMSSleep, "Søvn", "Søvn: har ofte søvnproblemer"},
				},
				Group: RiskMedium,
				Fired: []FiredRule{
					{RuleWorkImpactShortMedium, RiskMedium, "Helbredsudfordringen påvirker arbejde på kort/mellemlang sigt", true},
					{RuleKRAMSMedium, RiskMedium, "4 KRAMS-risici (kost, rygning, motion, søvn)", true},
				},
				RuleSetVersion: 2,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := healthy()
			tt.mod(&a)
			if diff := cmp.Diff(tt.want, Score(a, rs)); diff != "" {
				t.Errorf("Score mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScoreVersioning(t *testing.T) {
	v1 := DefaultRuleSet()
	v1.Version = 1
	v2 := v1
	v2.Version = 2
	v2.WHO5High = 32

	a := healthy()
	a.WHO5 = who5Sum(8) // WHO-5 = 32, reachable; 30 is not (steps of 4)

	first := Score(a, v1)
	if first.Group != RiskMedium || first.RuleSetVersion != 1 {
		t.Fatalf("v1: group %q version %d, want mellem version 1", first.Group, first.RuleSetVersion)
	}
	second := Score(a, v2)
	if second.Group != RiskHigh || second.RuleSetVersion != 2 {
		t.Fatalf("v2: group %q version %d, want hoej version 2", second.Group, second.RuleSetVersion)
	}
	// Re-scoring the old screening with its own version after v2 exists
	// must display exactly as before.
	if diff := cmp.Diff(first, Score(a, v1)); diff != "" {
		t.Errorf("v1 re-score differs (-first +again):\n%s", diff)
	}
}

func TestRuleSetValidate(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*RuleSet)
		fields map[string]string
	}{
		{"default is valid", func(rs *RuleSet) {}, nil},
		{"version 0", func(rs *RuleSet) { rs.Version = 0 }, map[string]string{FieldRuleVersion: "Versionen skal være 1 eller højere"}},
		{"WHO-5 levels in wrong order", func(rs *RuleSet) { rs.WHO5High, rs.WHO5Medium = 50, 50 }, map[string]string{
			FieldRuleWHO5Medium: "Grænsen for mellem skal være højere end grænsen for høj",
		}},
		{"WHO-5 out of range", func(rs *RuleSet) { rs.WHO5Medium = 101 }, map[string]string{FieldRuleWHO5Medium: "Skal være et helt tal mellem 0 og 100"}},
		{"KRAMS counts in wrong order", func(rs *RuleSet) { rs.LowKRAMSCount, rs.MediumKRAMSCount = 3, 2 }, map[string]string{
			FieldRuleLowKRAMSCount: "Antallet for lav må ikke være højere end antallet for mellem",
		}},
		{"KRAMS count above number of factors", func(rs *RuleSet) { rs.MediumKRAMSCount = 6 }, map[string]string{FieldRuleMediumKRAMSCount: "Skal være et helt tal mellem 1 og 5"}},
		{"negative thresholds", func(rs *RuleSet) { rs.AlcoholWeekMax, rs.AlcoholDayMax, rs.ExerciseMinMinutes = -1, -1, -1 }, map[string]string{
			FieldRuleAlcoholWeekMax:     "Skal være et helt tal mellem 0 og 200",
			FieldRuleAlcoholDayMax:      "Skal være et helt tal mellem 0 og 100",
			FieldRuleExerciseMinMinutes: "Skal være et helt tal mellem 0 og 1440",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := DefaultRuleSet()
			tt.mod(&rs)
			err := rs.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalid {
				t.Fatalf("Validate() = %#v, want an EInvalid *Error", err)
			}
			if diff := cmp.Diff(tt.fields, e.Fields); diff != "" {
				t.Errorf("fields mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyOverride(t *testing.T) {
	const goodReason = "Borgeren er netop sygemeldt med stress"
	tests := []struct {
		name     string
		computed RiskGroup
		override RiskGroup
		reason   string
		want     RiskGroup
		fields   map[string]string
	}{
		{"no override", RiskMedium, "", "", RiskMedium, nil},
		{"same group needs no reason", RiskMedium, RiskMedium, "", RiskMedium, nil},
		{"different group with reason", RiskMedium, RiskHigh, goodReason, RiskHigh, nil},
		{"different group without reason", RiskMedium, RiskHigh, "", RiskMedium, map[string]string{
			FieldOverrideReason: "Begrundelse er påkrævet, når risikogruppen ændres",
		}},
		{"blank reason", RiskMedium, RiskLow, "   \n\t", RiskMedium, map[string]string{
			FieldOverrideReason: "Begrundelse er påkrævet, når risikogruppen ændres",
		}},
		{"9 characters is too short", RiskMedium, RiskLow, "  for korte ", RiskMedium, map[string]string{
			FieldOverrideReason: "Begrundelsen skal være på mindst 10 tegn",
		}},
		{"10 characters counted in runes", RiskMedium, RiskLow, "æøåæøåæøåæ", RiskLow, nil},
		{"unknown group", RiskMedium, "kritisk", goodReason, RiskMedium, map[string]string{
			FieldOverrideGroup: "Ukendt risikogruppe",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ApplyOverride(tt.computed, tt.override, tt.reason)
			if got != tt.want {
				t.Errorf("final = %q, want %q", got, tt.want)
			}
			var fields map[string]string
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Code != EInvalid {
					t.Fatalf("err = %#v, want an EInvalid *Error", err)
				}
				fields = e.Fields
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRiskGroup(t *testing.T) {
	type view struct {
		Label    string
		Valid    bool
		Severity int
	}
	want := []view{{"Høj", true, 3}, {"Mellem", true, 2}, {"Lav", true, 1}, {"Ingen", true, 0}, {"", false, -1}}
	var got []view
	for _, g := range append(RiskGroups, "ukendt") {
		got = append(got, view{g.Label(), g.Valid(), g.Severity()})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
