package helhed

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// RiskGroup is the group a screening places a citizen in; it decides how
// urgently the citizen is offered health and social support.
type RiskGroup string

// The risk groups, most severe first. The codes are stored; the labels are
// shown.
const (
	RiskHigh   RiskGroup = "hoej"
	RiskMedium RiskGroup = "mellem"
	RiskLow    RiskGroup = "lav"
	RiskNone   RiskGroup = "ingen"
)

// RiskGroups lists the groups most severe first, for drop-downs and
// legends.
var RiskGroups = []RiskGroup{RiskHigh, RiskMedium, RiskLow, RiskNone}

// Label returns the Danish name of the group, or "" for an unknown code.
func (g RiskGroup) Label() string {
	switch g {
	case RiskHigh:
		return "Høj"
	case RiskMedium:
		return "Mellem"
	case RiskLow:
		return "Lav"
	case RiskNone:
		return "Ingen"
	}
	return ""
}

// Valid reports whether g is one of RiskGroups.
func (g RiskGroup) Valid() bool { return g.Label() != "" }

// Severity orders the groups for sorting case lists: 3 for høj down to 0
// for ingen, and -1 for an unknown code so it sorts last.
func (g RiskGroup) Severity() int {
	switch g {
	case RiskHigh:
		return 3
	case RiskMedium:
		return 2
	case RiskLow:
		return 1
	case RiskNone:
		return 0
	}
	return -1
}

// RuleSet is one published version of the screening thresholds. It is
// reference data, loaded by the store, because the thresholds follow
// professional guidance and law that change over time; every screening
// records the version it was scored with so it can be re-scored and shown
// exactly as the caseworker saw it.
type RuleSet struct {
	// Version identifies the rule set; screenings refer to it.
	Version int
	// WHO5High: a WHO-5 index at or below this points to høj (signs of
	// depression).
	WHO5High int
	// WHO5Medium: a WHO-5 index at or below this points to mellem (reduced
	// well-being).
	WHO5Medium int
	// MediumKRAMSCount: this many KRAMS risks or more point to mellem.
	MediumKRAMSCount int
	// LowKRAMSCount: this many KRAMS risks or more (but fewer than
	// MediumKRAMSCount) point to lav.
	LowKRAMSCount int
	// AlcoholWeekMax: more units than this in a week is an alcohol risk.
	AlcoholWeekMax int
	// AlcoholDayMax: more units than this on one day is an alcohol risk.
	AlcoholDayMax int
	// ExerciseMinMinutes: fewer active minutes a day than this is an
	// exercise risk.
	ExerciseMinMinutes int
	// BMILow10 and BMIHigh10 are BMI limits in tenths (185 = 18,5): a BMI
	// under BMILow10 or at or above BMIHigh10 is a KRAMS risk for diet. Zero
	// in versions from before BMI was asked (version 1): no BMI rule.
	BMILow10  int `json:",omitempty"`
	BMIHigh10 int `json:",omitempty"`
}

// GPCutoff is the WHO-5 index at or below which the result page prompts the
// caseworker to encourage the citizen to see their own doctor (egen læge):
// the cut-off for signs of depression, WHO5High (Topp et al. 2015: ≤ 28).
// WHO-5 is not a diagnosis; the doctor makes it.
func (rs RuleSet) GPCutoff() int { return rs.WHO5High }

// PromptsGP reports whether a WHO-5 index calls for encouraging the citizen
// to see their own doctor under this rule set.
func (rs RuleSet) PromptsGP(who5 int) bool { return who5 <= rs.GPCutoff() }

// DefaultRuleSet returns today's thresholds as version 2, the version
// migration 0025 publishes on a fresh database (version 1 without the BMI
// limits), for tests. Production code scores with the rule set loaded from
// the store.
func DefaultRuleSet() RuleSet {
	return RuleSet{
		Version:            2,
		WHO5High:           28,
		WHO5Medium:         50,
		MediumKRAMSCount:   2,
		LowKRAMSCount:      1,
		AlcoholWeekMax:     10,
		AlcoholDayMax:      4,
		ExerciseMinMinutes: 30,
		BMILow10:           185,
		BMIHigh10:          300,
	}
}

// Form field names of the rule set admin form, used as keys in the Fields
// of the error RuleSet.Validate returns.
const (
	FieldRuleVersion            = "version"
	FieldRuleWHO5High           = "who5_high"
	FieldRuleWHO5Medium         = "who5_medium"
	FieldRuleMediumKRAMSCount   = "medium_krams_count"
	FieldRuleLowKRAMSCount      = "low_krams_count"
	FieldRuleAlcoholWeekMax     = "alcohol_week_max"
	FieldRuleAlcoholDayMax      = "alcohol_day_max"
	FieldRuleExerciseMinMinutes = "exercise_min_minutes"
	FieldRuleBMILow10           = "bmi_low10"
	FieldRuleBMIHigh10          = "bmi_high10"
)

// MaxBMI10 bounds the BMI limits of a rule set (tenths: 600 = 60,0).
const MaxBMI10 = 600

// Validate checks a rule set before an administrator publishes it: every
// threshold within the range its answer can take, and the levels in order
// (WHO5High below WHO5Medium, LowKRAMSCount at most MediumKRAMSCount). It
// returns nil or an EInvalid *Error with Danish messages per field.
func (rs RuleSet) Validate() error {
	fields := make(map[string]string)
	inRange := func(field string, v, lo, hi int) bool {
		if v < lo || v > hi {
			fields[field] = msgIntBetween(lo, hi)
			return false
		}
		return true
	}
	if rs.Version < 1 {
		fields[FieldRuleVersion] = "Versionen skal være 1 eller højere"
	}
	okHigh := inRange(FieldRuleWHO5High, rs.WHO5High, 0, 100)
	okMedium := inRange(FieldRuleWHO5Medium, rs.WHO5Medium, 0, 100)
	if okHigh && okMedium && rs.WHO5High >= rs.WHO5Medium {
		fields[FieldRuleWHO5Medium] = "Grænsen for mellem skal være højere end grænsen for høj"
	}
	okMediumK := inRange(FieldRuleMediumKRAMSCount, rs.MediumKRAMSCount, 1, len(kramsLabels))
	okLowK := inRange(FieldRuleLowKRAMSCount, rs.LowKRAMSCount, 1, len(kramsLabels))
	if okMediumK && okLowK && rs.LowKRAMSCount > rs.MediumKRAMSCount {
		fields[FieldRuleLowKRAMSCount] = "Antallet for lav må ikke være højere end antallet for mellem"
	}
	inRange(FieldRuleAlcoholWeekMax, rs.AlcoholWeekMax, 0, MaxDrinksPerWeek)
	inRange(FieldRuleAlcoholDayMax, rs.AlcoholDayMax, 0, MaxDrinksOneDay)
	inRange(FieldRuleExerciseMinMinutes, rs.ExerciseMinMinutes, 0, MaxActiveMinutesPerDay)
	okLowBMI := inRange(FieldRuleBMILow10, rs.BMILow10, 0, MaxBMI10)
	okHighBMI := inRange(FieldRuleBMIHigh10, rs.BMIHigh10, 0, MaxBMI10)
	if okLowBMI && okHighBMI && rs.BMILow10 > 0 && rs.BMIHigh10 > 0 && rs.BMILow10 >= rs.BMIHigh10 {
		fields[FieldRuleBMIHigh10] = "Grænsen for høj BMI skal være højere end grænsen for lav BMI"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Regelsættet er ikke gyldigt", Fields: fields}
}

// Form field names of the override part of the screening form.
const (
	FieldOverrideGroup  = "override_group"
	FieldOverrideReason = "override_reason"
)

// MinOverrideReasonLength is the fewest characters (after trimming) a
// reason for overriding the computed group must have. It is a workflow
// rule, not law: a reason like "ok" documents nothing for the next
// caseworker or an audit.
const MinOverrideReasonLength = 10

// MaxOverrideReasonLength is the longest reason accepted for an override (characters).
const MaxOverrideReasonLength = 1000

// ApplyOverride returns the group a screening ends up in when the
// caseworker may overrule the computed group. An empty override, or one
// equal to the computed group, keeps the computed group and needs no
// reason. A different group needs a reason of at least
// MinOverrideReasonLength characters, because the deviation from the rules
// must be explainable afterwards. On error final is the computed group and
// err is an EInvalid *Error with Danish field messages.
func ApplyOverride(computed, override RiskGroup, reason string) (final RiskGroup, err error) {
	if override == "" || override == computed {
		return computed, nil
	}
	if !override.Valid() {
		return computed, invalidField(FieldOverrideGroup, "Ukendt risikogruppe")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return computed, invalidField(FieldOverrideReason, "Begrundelse er påkrævet, når risikogruppen ændres")
	}
	if utf8.RuneCountInString(reason) < MinOverrideReasonLength {
		return computed, invalidField(FieldOverrideReason, "Begrundelsen skal være på mindst "+strconv.Itoa(MinOverrideReasonLength)+" tegn")
	}
	if utf8.RuneCountInString(reason) > MaxOverrideReasonLength {
		return computed, invalidField(FieldOverrideReason, "Begrundelsen må højst være "+strconv.Itoa(MaxOverrideReasonLength)+" tegn")
	}
	return override, nil
}

// invalidField builds an EInvalid error whose message is also shown beside
// the one field it concerns.
func invalidField(field, msg string) *Error {
	return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{field: msg}}
}
