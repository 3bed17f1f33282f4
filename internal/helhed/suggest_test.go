package helhed

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// BMI in tenths from height and weight, and WHO's classes at their boundaries.
func TestBMIBands(t *testing.T) {
	tests := []struct {
		name     string
		cm, kg   int
		bmi10    int
		class    BMIClass
		dietRisk bool // under the default rule set: under 18,5 or 30 and over
	}{
		{"missing height (screening from before BMI was asked)", 0, 70, 0, "", false},
		{"18,5 is normalvægt", 180, 60, 185, BMINormal, false},         // 60/3,24 = 18,52 → 18,5
		{"18,4 is undervægt and a risk", 160, 47, 184, BMIUnder, true}, // 47/2,56 = 18,36 → 18,4
		{"18,2 is undervægt and a risk", 180, 59, 182, BMIUnder, true},
		{"24,9 is normalvægt", 170, 72, 249, BMINormal, false},
		{"25,0 is overvægt", 200, 100, 250, BMIOver, false},
		{"29,9 is overvægt, not a risk", 170, 86, 298, BMIOver, false},
		{"30,0 is svær overvægt and a risk", 200, 120, 300, BMIObese, true},
		{"31,1", 175, 95, 310, BMIObese, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := healthy()
			a.HeightCm, a.WeightKg = tt.cm, tt.kg
			bmi, ok := a.BMI10()
			if ok != (tt.bmi10 > 0) || bmi != tt.bmi10 {
				t.Fatalf("BMI10() = %d, %v; want %d", bmi, ok, tt.bmi10)
			}
			if ok && ClassifyBMI(bmi) != tt.class {
				t.Errorf("ClassifyBMI(%d) = %q; want %q", bmi, ClassifyBMI(bmi), tt.class)
			}
			res := Score(a, DefaultRuleSet())
			got := len(res.KRAMSRisks) == 1 && res.KRAMSRisks[0].Code == KRAMSDiet
			if got != tt.dietRisk {
				t.Errorf("diet risk = %v (%v); want %v", got, res.KRAMSRisks, tt.dietRisk)
			}
		})
	}
	// Version 1 of the rules has no BMI limits: an old rule set scores no BMI risk.
	v1 := DefaultRuleSet()
	v1.BMILow10, v1.BMIHigh10 = 0, 0
	a := healthy()
	a.HeightCm, a.WeightKg = 170, 120
	if res := Score(a, v1); len(res.KRAMSRisks) != 0 {
		t.Errorf("rule set without BMI limits scored %v", res.KRAMSRisks)
	}
	if got := ClassifyBMI(249).Label() + "/" + ClassifyBMI(250).Label() + "/" + FormatTenths(312); got != "Normalvægt/Overvægt/31,2" {
		t.Errorf("labels %q", got)
	}
}

func TestDrugUseIsARiskForMellem(t *testing.T) {
	for _, tt := range []struct {
		hash, drugs string
		group       RiskGroup
		explanation string
	}{
		{"aldrig", "aldrig", RiskNone, ""},
		{"seneste_aar", "over_et_aar", RiskNone, ""},
		{DrugRecent, "aldrig", RiskMedium, "Har brugt hash inden for den seneste måned"},
		{DrugRecent, DrugRecent, RiskMedium, "Har brugt hash og andre stoffer inden for den seneste måned"},
		{"aldrig", DrugRecent, RiskMedium, "Har brugt andre stoffer inden for den seneste måned"},
	} {
		a := healthy()
		a.Hash, a.Drugs = tt.hash, tt.drugs
		res := Score(a, DefaultRuleSet())
		var expl string
		if len(res.Fired) > 0 {
			expl = res.Fired[0].Explanation
		}
		if res.Group != tt.group || expl != tt.explanation {
			t.Errorf("hash %s, drugs %s: %s %q; want %s %q", tt.hash, tt.drugs, res.Group, expl, tt.group, tt.explanation)
		}
	}
}

// The offers of the demo catalogue that matter here, by what they work on.
var (
	alcoholTalk = Candidate{Areas: []string{KRAMSAlcohol}, FreeSeats: 20, Name: "Den korte rådgivende samtale om alkohol"}
	angst       = Candidate{Areas: []string{KRAMSSleep, FocusMental}, FreeSeats: 12, Name: "Forløb for lettere angst, stress og depression"}
	ips         = Candidate{FreeSeats: 20, Name: "IPS"}
	lifestyle   = Candidate{Areas: []string{KRAMSDiet, KRAMSExercise, KRAMSSleep}, FreeSeats: 16, Name: "Livsstilsforløb"}
	motion      = Candidate{Areas: []string{KRAMSExercise}, FreeSeats: 20, Name: "Motionsvejledning"}
	smokeStop   = Candidate{Areas: []string{KRAMSSmoking}, FreeSeats: 15, Name: "Rygestopforløb"}
	hashGroup   = Candidate{Areas: []string{FocusDrugs}, FreeSeats: 8, Name: "Hashgruppe"}
	catalogue   = []Candidate{alcoholTalk, angst, ips, lifestyle, motion, smokeStop, hashGroup}
	// targets are the risk groups each offer is aimed at, as in the demo catalogue.
	targets = [][]RiskGroup{{RiskHigh, RiskMedium, RiskLow}, {RiskHigh, RiskMedium}, {RiskHigh},
		{RiskMedium, RiskLow}, {RiskMedium, RiskLow}, {RiskMedium, RiskLow}, {RiskHigh, RiskMedium}}
)

// forGroup sets TargetsGroup as the store does for the citizen's group.
func forGroup(g RiskGroup) []Candidate {
	out := slices.Clone(catalogue)
	for i := range out {
		out[i].TargetsGroup = slices.Contains(targets[i], g)
	}
	return out
}

func TestRankOffers(t *testing.T) {
	type row struct{ Name, Because string }
	tests := []struct {
		name string
		mod  func(*ScreeningAnswers)
		want []row
	}{
		{"non-drinker with WHO-5 20: mental health first, no alcohol offer", func(a *ScreeningAnswers) {
			a.WHO5 = who5Sum(5)
		}, []row{
			{angst.Name, "Foreslået fordi: WHO-5 = 20 (≤ 28)"},
			{ips.Name, "Foreslået fordi: risikogruppe høj"},
		}},
		{"WHO-5 44 also puts mental health first", func(a *ScreeningAnswers) {
			a.WHO5 = who5Sum(11)
			a.ActiveMinutesPerDay = 10
		}, []row{
			{angst.Name, "Foreslået fordi: WHO-5 = 44 (≤ 50)"},
			{lifestyle.Name, "Foreslået fordi: Motion: 10 minutter om dagen (under 30)"},
			{motion.Name, "Foreslået fordi: Motion: 10 minutter om dagen (under 30)"},
		}},
		{"høj by work impact alone: only offers for the group with no particular area", func(a *ScreeningAnswers) {
			a.WorkImpact = ImpactNow
		}, []row{
			{ips.Name, "Foreslået fordi: risikogruppe høj"},
		}},
		{"alcohol offer when alcohol is a risk, after mental health", func(a *ScreeningAnswers) {
			a.WHO5 = who5Sum(5)
			a.DrinksPerWeek = 20
		}, []row{
			{angst.Name, "Foreslået fordi: WHO-5 = 20 (≤ 28)"},
			{alcoholTalk.Name, "Foreslået fordi: Alkohol: 20 genstande om ugen (over 10)"},
			{ips.Name, "Foreslået fordi: risikogruppe høj"},
		}},
		{"smoker: rygestop only", func(a *ScreeningAnswers) { a.Smoking = SmokingDaily }, []row{
			{smokeStop.Name, "Foreslået fordi: Rygning: ryger dagligt"},
		}},
		{"BMI 33: diet and exercise offers, the one working on both first", func(a *ScreeningAnswers) {
			a.HeightCm, a.WeightKg = 170, 95
		}, []row{
			{lifestyle.Name, "Foreslået fordi: BMI 32,9 (30,0 eller derover)"},
			{motion.Name, "Foreslået fordi: BMI 32,9 (30,0 eller derover)"},
		}},
		{"hash: misbrug offer first", func(a *ScreeningAnswers) {
			a.Hash = DrugRecent
			a.Sleep = SleepOften
		}, []row{
			{hashGroup.Name, "Foreslået fordi: Har brugt hash inden for den seneste måned"},
			{angst.Name, "Foreslået fordi: Søvn: har ofte søvnproblemer"},
			{lifestyle.Name, "Foreslået fordi: Søvn: har ofte søvnproblemer"},
		}},
		{"nothing found: nothing suggested", func(a *ScreeningAnswers) {}, nil},
	}
	rs := DefaultRuleSet()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := healthy()
			tt.mod(&a)
			res := Score(a, rs)
			var got []row
			for _, r := range RankOffers(Findings(a, res, rs), res.Group, forGroup(res.Group), 5) {
				got = append(got, row{catalogue[r.Index].Name, r.Explanation()})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ranking mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if got := RankOffers(nil, RiskHigh, catalogue, 0); len(got) != 0 {
		t.Errorf("limit 0 gave %d", len(got))
	}
}
