package helhed

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The post-team records (lov nr. 1750 af 29.12.2025, docs/law.md): the samlet beskrivelse af
// borgerens forudsætninger and the sundhedsfaglig rådgivning from the region's
// sundhedskoordinator. A fleksjob or førtidspension indstilling or afgørelse needs both; which
// outcomes need them is a dated setting (PostTeamRule), not code.

// Fields of the post-team forms.
const (
	FieldAdviceQuestion = "question"
	FieldAdviceUnit     = "unit"
	FieldAdvice         = "advice"
)

// Bounds of the post-team texts (the database checks the same).
const (
	MaxAdviceQuestion = 2000
	MaxAdviceText     = 8000
)

// Names of the two records, as the messages say them.
const (
	PostTeamDescription = "samlet beskrivelse af borgerens forudsætninger"
	PostTeamAdvice      = "sundhedsfaglig rådgivning fra regionens sundhedskoordinator"
)

// ValidateDescription checks the samlet beskrivelse: the forberedende del's sections, each at
// most MaxPrepSection, and something written.
func ValidateDescription(p Preparation) error {
	if err := ValidatePreparation(p, false); err != nil {
		e := err.(*Error)
		e.Message = "Beskrivelsen kan ikke gemmes"
		return e
	}
	for _, s := range PrepSections {
		if strings.TrimSpace(p[s.Key]) != "" {
			return nil
		}
	}
	return &Error{Code: EInvalid, Message: "Beskrivelsen kan ikke gemmes",
		Fields: map[string]string{PrepSections[0].Key: "Skriv mindst ét afsnit af beskrivelsen"}}
}

// ValidateAdviceRequest checks the question put to the sundhedskoordinator.
func ValidateAdviceRequest(question string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(question)); {
	case n == 0:
		return &Error{Code: EInvalid, Message: "Anmodningen kan ikke sendes",
			Fields: map[string]string{FieldAdviceQuestion: "Skriv spørgsmålet til sundhedskoordinatoren"}}
	case n > MaxAdviceQuestion:
		return &Error{Code: EInvalid, Message: "Anmodningen kan ikke sendes",
			Fields: map[string]string{FieldAdviceQuestion: "Højst 2.000 tegn"}}
	}
	return nil
}

// ValidateAdvice checks the sundhedskoordinator's advice.
func ValidateAdvice(advice string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(advice)); {
	case n == 0:
		return &Error{Code: EInvalid, Message: "Rådgivningen kan ikke gemmes",
			Fields: map[string]string{FieldAdvice: "Skriv den sundhedsfaglige rådgivning"}}
	case n > MaxAdviceText:
		return &Error{Code: EInvalid, Message: "Rådgivningen kan ikke gemmes",
			Fields: map[string]string{FieldAdvice: "Højst 8.000 tegn"}}
	}
	return nil
}

// PostTeamRule is the setting in force on a day: the indstilling outcomes (reference codes,
// kind 'indstilling') whose indstilling or afgørelse needs both records, and its source.
type PostTeamRule struct {
	Outcomes []string `json:"outcomes"`
	Source   string   `json:"source"`
}

// Requires reports whether an indstilling or afgørelse of outcome needs the records.
func (r PostTeamRule) Requires(outcome string) bool { return slices.Contains(r.Outcomes, outcome) }

// PostTeamRecords is which of the two records the citizen's case has: a saved samlet
// beskrivelse, and sundhedsfaglig rådgivning given (not only asked for).
type PostTeamRecords struct {
	Description bool
	Advice      bool
}

// Missing names the records the case lacks, in the order they are written.
func (p PostTeamRecords) Missing() []string {
	var out []string
	if !p.Description {
		out = append(out, PostTeamDescription)
	}
	if !p.Advice {
		out = append(out, PostTeamAdvice)
	}
	return out
}

// CheckPostTeam refuses an indstilling or afgørelse of outcome (label: its Danish name) that
// the rule requires the records for while the case lacks one; what = "indstilling" or
// "afgørelse"; field is the form field the message goes beside. Nil when the rule does not
// apply or both exist.
func CheckPostTeam(rule PostTeamRule, outcome, label, what, field string, have PostTeamRecords) error {
	missing := have.Missing()
	if !rule.Requires(outcome) || len(missing) == 0 {
		return nil
	}
	msg := "En " + what + " om " + strings.ToLower(label) + " kræver en " + PostTeamDescription + " og " + PostTeamAdvice +
		". Sagen mangler: " + strings.Join(missing, " og ") + "."
	if rule.Source != "" {
		msg += " (" + rule.Source + ")"
	}
	return &Error{Code: EInvalid, Message: "Sagen mangler " + strings.Join(missing, " og "), Fields: map[string]string{field: msg}}
}
