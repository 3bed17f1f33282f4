// Package screenings holds the risk-group screening form and result pages.
package screenings

import (
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// FormProps is the screening form; Values are the raw inputs keyed by field name.
type FormProps struct {
	CitizenID   int64
	CitizenName string
	Values      map[string]string
	Errors      map[string]string
	// Summary is the error summary's text per field, naming the question.
	Summary map[string]string
	// SelfHealth are the self-rated health answers in force (reference data).
	SelfHealth []helhed.Option
}

// Action is where the form posts.
func (p FormProps) Action() string { return paths.ScreeningNew(p.CitizenID) }

// FieldOrder is the order of fields for the error summary.
var FieldOrder = []string{"screened_on", helhed.FieldDiet, helhed.FieldSmoking, helhed.FieldDrinksWeek, helhed.FieldDrinksDay,
	helhed.FieldActiveMinutes, helhed.FieldSleep, helhed.FieldHeight, helhed.FieldWeight, helhed.FieldHash, helhed.FieldDrugs, "who5_1", "who5_2", "who5_3", "who5_4", "who5_5",
	helhed.FieldSelfHealth, "cond_notes", helhed.FieldWorkImpact}

// ResultProps is the screening result page.
type ResultProps struct {
	CitizenID   int64
	CitizenName string
	ScreeningID int64
	ScreenedOn  time.Time
	CreatedBy   string
	// Health: the user may see the answers and the result.
	Health         bool
	Result         helhed.Result
	Rules          helhed.RuleSet
	Answers        helhed.ScreeningAnswers
	Conditions     store.Conditions
	Final          helhed.RiskGroup
	OverrideReason string
	OverriddenBy   *string
	// SelfHealthLabel is the self-rated health answer's label, an ended one included.
	SelfHealthLabel string
	// PromptGP: the WHO-5 is at or below the rule set's cut-off, so the page prompts the
	// caseworker to encourage the citizen to see their own doctor; GPEncouragedAt/By record
	// that it was done.
	PromptGP       bool
	GPEncouragedAt *time.Time
	GPEncouragedBy *string

	CanOverride         bool
	OverrideGroup       string
	OverrideReasonInput string
	Errors              map[string]string
	Summary             map[string]string

	// Suggestions are catalogue offers ranked by what the screening found, each with why.
	Suggestions []store.Suggestion
	CanRefer    bool
}

// opts converts the domain's option lists to form options.
func opts(os []helhed.Option) []components.Option {
	out := make([]components.Option, len(os))
	for i, o := range os {
		out[i] = components.Option{Value: o.Code, Label: o.Label}
	}
	return out
}

func groupOptions() []components.Option {
	out := make([]components.Option, len(helhed.RiskGroups))
	for i, g := range helhed.RiskGroups {
		out[i] = components.Option{Value: string(g), Label: g.Label()}
	}
	return out
}

func who5Label(i int) string {
	return strconv.Itoa(i+1) + ". " + helhed.WHO5Intro + " " + helhed.WHO5Items[i]
}

// bmi describes the BMI of the answers, e.g. "31,2 (svær overvægt)", or "" when height and
// weight were not asked.
func bmi(a helhed.ScreeningAnswers) string {
	v, ok := a.BMI10()
	if !ok {
		return ""
	}
	return helhed.FormatTenths(v) + " (" + strings.ToLower(helhed.ClassifyBMI(v).Label()) + ")"
}

// heightWeight reads "175 cm, 70 kg – BMI 22,9 (normalvægt)".
func heightWeight(a helhed.ScreeningAnswers) string {
	return strconv.Itoa(a.HeightCm) + " cm, " + strconv.Itoa(a.WeightKg) + " kg – BMI " + bmi(a)
}
