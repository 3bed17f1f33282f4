package helhed

import (
	"fmt"
	"strings"
)

// KRAMS factor codes: Kost, Rygning, Alkohol, Motion, Søvn — the lifestyle
// factors the screening looks at, in that order.
const (
	KRAMSDiet     = "kost"
	KRAMSSmoking  = "rygning"
	KRAMSAlcohol  = "alkohol"
	KRAMSExercise = "motion"
	KRAMSSleep    = "soevn"
)

// kramsLabels names the factors; its length is the number of factors.
var kramsLabels = map[string]string{
	KRAMSDiet:     "Kost",
	KRAMSSmoking:  "Rygning",
	KRAMSAlcohol:  "Alkohol",
	KRAMSExercise: "Motion",
	KRAMSSleep:    "Søvn",
}

// KRAMSFactor is one lifestyle factor the answers show as a risk, with the
// reason in Danish so the caseworker sees why, not just that.
type KRAMSFactor struct {
	// Code is one of the KRAMS* codes.
	Code string
	// Label is the Danish name, e.g. "Alkohol".
	Label string
	// Reason explains it, e.g. "Alkohol: 12 genstande om ugen (over 10)".
	Reason string
}

// RuleCode identifies a scoring rule, so a stored result can be filtered
// and counted by rule and not only read.
type RuleCode string

// The scoring rules, in the order they are listed in a Result.
const (
	RuleWorkImpactNow         RuleCode = "arbejde_nu"
	RuleWHO5High              RuleCode = "who5_hoej"
	RuleWorkImpactShortMedium RuleCode = "arbejde_kort_mellem"
	RuleWHO5Medium            RuleCode = "who5_mellem"
	RuleDrugs                 RuleCode = "rusmidler"
	RuleKRAMSMedium           RuleCode = "krams_mellem"
	RuleWorkImpactLong        RuleCode = "arbejde_lang"
	RuleKRAMSLow              RuleCode = "krams_lav"
)

// FiredRule is a rule whose condition held for the answers.
type FiredRule struct {
	// Rule identifies the rule.
	Rule RuleCode
	// Group is the group the rule points to on its own.
	Group RiskGroup
	// Explanation says in plain Danish what held, with the numbers, e.g.
	// "WHO-5 = 24 ≤ 28: tegn på depression".
	Explanation string
	// Decisive marks the rules that decided the group: those pointing to
	// the group the citizen ended in. Each of them alone would have given
	// that group, so none is singled out.
	Decisive bool
}

// Result is the outcome of scoring one screening.
type Result struct {
	// WHO5 is the WHO-5 well-being index, 0–100.
	WHO5 int
	// KRAMSRisks are the lifestyle risks found, in K-R-A-M-S order; nil if
	// none.
	KRAMSRisks []KRAMSFactor
	// Group is the computed risk group.
	Group RiskGroup
	// Fired lists the rules that held, most severe group first: the
	// decisive ones, then the other conditions that were true. Within a
	// dimension (work impact, WHO-5, KRAMS) only its most severe rule is
	// listed, since "WHO-5 ≤ 50" adds nothing once "WHO-5 ≤ 28" is shown.
	// Nil when the group is ingen.
	Fired []FiredRule
	// RuleSetVersion is the version of the rule set used.
	RuleSetVersion int
}

// Score places a citizen in a risk group from the screening answers and a
// rule set. The rules:
//
//   - høj: the work impact is "nu", or WHO-5 ≤ WHO5High;
//   - else mellem: the work impact is "kort_mellem", or WHO-5 ≤ WHO5Medium,
//     or hash or other drugs within the last month, or at least
//     MediumKRAMSCount KRAMS risks;
//   - else lav: the work impact is "lang", or at least LowKRAMSCount KRAMS
//     risks;
//   - else ingen.
//
// Score is a pure function of its arguments, so re-scoring an old
// screening with the rule set version it was scored with reproduces the
// result exactly. It does not validate: unknown codes count as no risk and
// WHO-5 items are clamped to 0–5, so callers should Validate first.
func Score(a ScreeningAnswers, rs RuleSet) Result {
	res := Result{
		WHO5:           WHO5Score(a.WHO5),
		KRAMSRisks:     kramsRisks(a, rs),
		RuleSetVersion: rs.Version,
	}
	n := len(res.KRAMSRisks)

	add := func(rule RuleCode, g RiskGroup, explanation string) {
		res.Fired = append(res.Fired, FiredRule{Rule: rule, Group: g, Explanation: explanation})
	}
	// Each dimension adds at most one rule, its most severe; adding them
	// group by group keeps Fired ordered most severe first.
	if a.WorkImpact == ImpactNow {
		add(RuleWorkImpactNow, RiskHigh, "Helbredsudfordringen er en aktuel barriere for arbejde")
	}
	if res.WHO5 <= rs.WHO5High {
		add(RuleWHO5High, RiskHigh, fmt.Sprintf("WHO-5 = %d ≤ %d: tegn på depression", res.WHO5, rs.WHO5High))
	}
	if a.WorkImpact == ImpactShortMedium {
		add(RuleWorkImpactShortMedium, RiskMedium, "Helbredsudfordringen påvirker arbejde på kort/mellemlang sigt")
	}
	if res.WHO5 > rs.WHO5High && res.WHO5 <= rs.WHO5Medium {
		add(RuleWHO5Medium, RiskMedium, fmt.Sprintf("WHO-5 = %d ≤ %d: nedsat trivsel", res.WHO5, rs.WHO5Medium))
	}
	if drugs := drugUse(a); drugs != "" {
		add(RuleDrugs, RiskMedium, "Har brugt "+drugs+" inden for den seneste måned")
	}
	if n > 0 && n >= rs.MediumKRAMSCount {
		add(RuleKRAMSMedium, RiskMedium, kramsExplanation(res.KRAMSRisks))
	}
	if a.WorkImpact == ImpactLong {
		add(RuleWorkImpactLong, RiskLow, "Helbredsudfordringen påvirker arbejde på lang sigt")
	}
	if n > 0 && n >= rs.LowKRAMSCount && n < rs.MediumKRAMSCount {
		add(RuleKRAMSLow, RiskLow, kramsExplanation(res.KRAMSRisks))
	}

	res.Group = RiskNone
	if len(res.Fired) > 0 {
		res.Group = res.Fired[0].Group
	}
	for i := range res.Fired {
		res.Fired[i].Decisive = res.Fired[i].Group == res.Group
	}
	return res
}

// kramsRisks finds the lifestyle risks in K-R-A-M-S order.
func kramsRisks(a ScreeningAnswers, rs RuleSet) []KRAMSFactor {
	var out []KRAMSFactor
	add := func(code, reason string) {
		out = append(out, KRAMSFactor{Code: code, Label: kramsLabels[code], Reason: kramsLabels[code] + ": " + reason})
	}
	var diet []string
	if a.Diet == DietPoor {
		diet = append(diet, "vurderer selv sin kost som dårlig")
	}
	if bmi, ok := bmiRisk(a, rs); ok {
		diet = append(diet, bmi)
	}
	if len(diet) > 0 {
		add(KRAMSDiet, strings.Join(diet, " og "))
	}
	if a.Smoking == SmokingDaily {
		add(KRAMSSmoking, "ryger dagligt")
	}
	var alcohol []string
	if a.DrinksPerWeek > rs.AlcoholWeekMax {
		alcohol = append(alcohol, fmt.Sprintf("%s om ugen (over %d)", units(a.DrinksPerWeek), rs.AlcoholWeekMax))
	}
	if a.MaxDrinksOneDay > rs.AlcoholDayMax {
		alcohol = append(alcohol, fmt.Sprintf("%s på én dag (over %d)", units(a.MaxDrinksOneDay), rs.AlcoholDayMax))
	}
	if len(alcohol) > 0 {
		add(KRAMSAlcohol, strings.Join(alcohol, " og "))
	}
	if a.ActiveMinutesPerDay < rs.ExerciseMinMinutes {
		add(KRAMSExercise, fmt.Sprintf("%s om dagen (under %d)", plural(a.ActiveMinutesPerDay, "minut", "minutter"), rs.ExerciseMinMinutes))
	}
	if a.Sleep == SleepOften {
		add(KRAMSSleep, "har ofte søvnproblemer")
	}
	return out
}

// bmiRisk returns the reason when the BMI is outside the rule set's limits,
// e.g. "BMI 31,2 (30,0 eller derover)".
func bmiRisk(a ScreeningAnswers, rs RuleSet) (string, bool) {
	bmi, ok := a.BMI10()
	if !ok {
		return "", false
	}
	switch {
	case rs.BMIHigh10 > 0 && bmi >= rs.BMIHigh10:
		return fmt.Sprintf("BMI %s (%s eller derover)", FormatTenths(bmi), FormatTenths(rs.BMIHigh10)), true
	case rs.BMILow10 > 0 && bmi < rs.BMILow10:
		return fmt.Sprintf("BMI %s (under %s)", FormatTenths(bmi), FormatTenths(rs.BMILow10)), true
	}
	return "", false
}

// drugUse names the drugs used within the last month ("hash", "andre stoffer" or both), or
// "".
func drugUse(a ScreeningAnswers) string {
	var out []string
	if a.Hash == DrugRecent {
		out = append(out, "hash")
	}
	if a.Drugs == DrugRecent {
		out = append(out, "andre stoffer")
	}
	return strings.Join(out, " og ")
}

// kramsExplanation reads e.g. "2 KRAMS-risici (alkohol, motion)".
func kramsExplanation(risks []KRAMSFactor) string {
	names := make([]string, len(risks))
	for i, r := range risks {
		names[i] = strings.ToLower(r.Label)
	}
	return fmt.Sprintf("%s (%s)", plural(len(risks), "KRAMS-risiko", "KRAMS-risici"), strings.Join(names, ", "))
}

// units reads "1 genstand" or "12 genstande".
func units(n int) string { return plural(n, "genstand", "genstande") }

// plural prefixes the count to the Danish singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
