package helhed

import (
	"strings"
	"unicode/utf8"
)

// Relevance is how a health track bears on the citizen's case in a TFA. It is the
// analysis method's own scale, not law, so it is a Go type rather than reference data.
type Relevance string

// The relevance values of a health track.
const (
	RelevanceUnknown     Relevance = ""              // not yet assessed
	RelevanceRelevant    Relevance = "relevant"      // relevant
	RelevanceNotRelevant Relevance = "ikke_relevant" // ikke relevant
	RelevanceUnclear     Relevance = "uafklaret"     // uafklaret
)

// Relevances lists the values offered in the form, in order.
var Relevances = []Relevance{RelevanceRelevant, RelevanceNotRelevant, RelevanceUnclear}

// Label is the Danish label.
func (r Relevance) Label() string {
	switch r {
	case RelevanceRelevant:
		return "Relevant"
	case RelevanceNotRelevant:
		return "Ikke relevant"
	case RelevanceUnclear:
		return "Uafklaret"
	}
	return "Ikke vurderet"
}

// Valid reports whether r is a value of the scale (empty counts: not yet assessed).
func (r Relevance) Valid() bool {
	return r == RelevanceUnknown || r == RelevanceRelevant || r == RelevanceNotRelevant || r == RelevanceUnclear
}

// TrackAnswer is one health track of a TFA: health data.
type TrackAnswer struct {
	Relevance   Relevance `json:"relevance"`
	Description string    `json:"description"`
	WorkImpact  string    `json:"work_impact"` // betydning for arbejdsevnen
}

// ResourceAnswer is one element of the resource profile.
type ResourceAnswer struct {
	Resources string `json:"resources"`
	Barriers  string `json:"barriers"`
}

// Side is which side of the joint effort a TFA participant speaks for.
type Side string

// The sides a TFA needs.
const (
	SideEmployment Side = "beskaeftigelse"
	SideHealth     Side = "sundhed"
	SideOther      Side = "andet"
)

// SideOfUnitKind maps a unit kind (reference data 'unit_kind') to the side its staff speak
// for in a TFA: the jobcenter is employment; the municipal health centre and the region's
// health services are health.
func SideOfUnitKind(kind string) Side {
	switch kind {
	case "jobcenter":
		return SideEmployment
	case "sundhedscenter", "region":
		return SideHealth
	}
	return SideOther
}

// Label is the Danish label.
func (s Side) Label() string {
	switch s {
	case SideEmployment:
		return "Beskæftigelse"
	case SideHealth:
		return "Sundhed"
	}
	return "Andet"
}

// Fields of the TFA form used as keys in Error.Fields.
const (
	FieldParticipants = "participants"
	FieldCitizenGoals = "citizen_goals"
	FieldConclusion   = "conclusion"
)

// MissingSides returns the sides a TFA still lacks a participant for, given the unit kinds
// of its participants, in the order employment, health. A TFA is interdisciplinary: it is
// written by at least one employment and one health professional.
func MissingSides(unitKinds []string) []Side {
	has := map[Side]bool{}
	for _, k := range unitKinds {
		has[SideOfUnitKind(k)] = true
	}
	var out []Side
	for _, s := range []Side{SideEmployment, SideHealth} {
		if !has[s] {
			out = append(out, s)
		}
	}
	return out
}

// MissingSidesMessage is the Danish sentence for the sides missing, or "".
func MissingSidesMessage(missing []Side) string {
	var parts []string
	for _, s := range missing {
		switch s {
		case SideEmployment:
			parts = append(parts, "en beskæftigelsesfaglig deltager (jobcenter)")
		case SideHealth:
			parts = append(parts, "en sundhedsfaglig deltager (sundhedscenter eller region)")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "TFA'en mangler " + strings.Join(parts, " og ")
}

// ValidateConclusion checks that a TFA may be concluded (locked): both sides took part, and
// the citizen's goals and the conclusion are written. It returns nil or an EInvalid *Error
// with a Danish message per field.
func ValidateConclusion(participantUnitKinds []string, citizenGoals, conclusion string) error {
	fields := map[string]string{}
	if msg := MissingSidesMessage(MissingSides(participantUnitKinds)); msg != "" {
		fields[FieldParticipants] = msg + ". Tilføj deltageren, før TFA'en afsluttes."
	}
	if strings.TrimSpace(citizenGoals) == "" {
		fields[FieldCitizenGoals] = "Skriv borgerens egne mål, før TFA'en afsluttes"
	}
	if strings.TrimSpace(conclusion) == "" {
		fields[FieldConclusion] = "Skriv en konklusion, før TFA'en afsluttes"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "TFA'en kan ikke afsluttes endnu", Fields: fields}
}

// MaxLongText is the most a free-text answer may hold (about ten pages).
const MaxLongText = 20000

// CheckLongText returns a Danish error for a free text longer than MaxLongText, or "".
func CheckLongText(s string) string {
	if utf8.RuneCountInString(s) > MaxLongText {
		return "Højst 20.000 tegn"
	}
	return ""
}

// GoalLines splits the citizen's goals as written into one goal per non-empty line, the
// starting point of the plan's sub-goals when a TFA is concluded.
func GoalLines(goals string) []string {
	var out []string
	for _, l := range strings.Split(goals, "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-•*"))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
