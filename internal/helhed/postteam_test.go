package helhed

import (
	"strings"
	"testing"
)

// Which outcomes need the records is the rule's data; the message says which record is
// missing and cites the source.
func TestCheckPostTeam(t *testing.T) {
	rule := PostTeamRule{Outcomes: []string{"fleksjob", "foertidspension"}, Source: "Lov nr. 1750 af 29.12.2025"}
	for _, tt := range []struct {
		name    string
		rule    PostTeamRule
		outcome string
		have    PostTeamRecords
		want    []string // substrings of the message; nil: accepted
	}{
		{"fleksjob without either", rule, "fleksjob", PostTeamRecords{}, []string{"Sagen mangler: " + PostTeamDescription + " og " + PostTeamAdvice, "Lov nr. 1750"}},
		{"fleksjob without advice", rule, "fleksjob", PostTeamRecords{Description: true}, []string{"Sagen mangler: " + PostTeamAdvice + "."}},
		{"førtidspension without description", rule, "foertidspension", PostTeamRecords{Advice: true}, []string{"Sagen mangler: " + PostTeamDescription + "."}},
		{"fleksjob with both", rule, "fleksjob", PostTeamRecords{Description: true, Advice: true}, nil},
		{"jobafklaring needs neither", rule, "jobafklaringsforloeb", PostTeamRecords{}, nil},
		{"no rule in force", PostTeamRule{}, "fleksjob", PostTeamRecords{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPostTeam(tt.rule, tt.outcome, "Fleksjob", "indstilling", "outcome", tt.have)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			msg := FieldErrorsOf(err)["outcome"]
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestValidateDescription(t *testing.T) {
	if err := ValidateDescription(Preparation{}); FieldErrorsOf(err)["education"] == "" {
		t.Errorf("an empty description: %v; want a field error", err)
	}
	if err := ValidateDescription(Preparation{"health": "Ryglidelse"}); err != nil {
		t.Errorf("one section: %v", err)
	}
	if err := ValidateDescription(Preparation{"health": strings.Repeat("x", MaxPrepSection+1)}); FieldErrorsOf(err)["health"] == "" {
		t.Errorf("too long: %v", err)
	}
}
