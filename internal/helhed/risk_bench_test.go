package helhed

import "testing"

func BenchmarkScore(b *testing.B) {
	a := ScreeningAnswers{Diet: DietPoor, Smoking: SmokingDaily, DrinksPerWeek: 12, MaxDrinksOneDay: 5,
		ActiveMinutesPerDay: 20, Sleep: SleepOften, WHO5: [5]int{1, 2, 1, 2, 1}, SelfHealth: "nogenlunde", WorkImpact: ImpactShortMedium}
	rs := DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		if r := Score(a, rs); r.Group != RiskHigh {
			b.Fatal(r.Group)
		}
	}
}
