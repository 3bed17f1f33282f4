package helhed

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The benefit rules check a new benefit period against the citizen's benefit history and age.
// The law's content is data (migration 0024, tables benefit_rules and pension_ages): which
// benefits are forsørgelsesydelser, which pairs may not overlap, how close to folkepensionsalder
// a ressourceforløb needs the citizen's own wish, the folkepensionsalder by birth date, each
// with the period it is in force and its source. Go knows only the few shapes a rule can have
// (RuleKind): a change of the law is a new row, not a new branch.

// RuleKind is the shape of a benefit rule; its parameters are data.
type RuleKind string

// The shapes a benefit rule can have.
const (
	// RuleOverlap: a period of one of Benefits may not overlap a period of one of Others.
	RuleOverlap RuleKind = "overlap"
	// RulePensionAge: a period of one of Benefits may not start on or after the day the
	// citizen reaches folkepensionsalderen.
	RulePensionAge RuleKind = "pension_age"
	// RuleFollows: a period of one of Benefits follows a period of one of Others that ended
	// at most WindowDays days before it starts (0: on the day before it).
	RuleFollows RuleKind = "follows"
	// RulePensionDistance: a period of one of Benefits starting when the citizen has less
	// than Years years to folkepensionsalderen.
	RulePensionDistance RuleKind = "pension_distance"
)

// RuleKinds are the shapes the engine knows; the table's CHECK holds the same list.
var RuleKinds = []RuleKind{RuleOverlap, RulePensionAge, RuleFollows, RulePensionDistance}

// Severity says what a violation does: refuse the period, or warn and require the
// caseworker's reason (where the law allows exceptions the program cannot judge).
type Severity string

// The severities.
const (
	SeverityRefuse Severity = "refuse"
	SeverityWarn   Severity = "warn"
)

// BenefitRule is one version of a rule, in force from ValidFrom to ValidTo (inclusive; nil:
// no end) by the new period's start date.
type BenefitRule struct {
	Code       string
	Kind       RuleKind
	Severity   Severity
	Benefits   []string // the new period's benefit types the rule is about
	Others     []string // overlap: what they may not overlap; follows: what they follow
	WindowDays int      // follows: the longest gap allowed
	Years      int      // pension_distance: years to folkepensionsalderen
	ValidFrom  time.Time
	ValidTo    *time.Time
	Source     string // the law, e.g. "LAB § 112, stk. 3 (L 209, 2020-21)"
}

// PensionAge is one band of lov om social pension § 1 a: people born from BornFrom to BornTo
// (inclusive; nil: no end) reach folkepensionsalderen at Months months of age, under the
// version of the law in force from ValidFrom to ValidTo.
type PensionAge struct {
	BornFrom  time.Time
	BornTo    *time.Time
	Months    int
	ValidFrom time.Time
	ValidTo   *time.Time
	Source    string
}

// BenefitLaw is every rule version and every pension band, as loaded from the data.
type BenefitLaw struct {
	Rules       []BenefitRule
	PensionAges []PensionAge
}

// BenefitSpan is a benefit period as the rules see it.
type BenefitSpan struct {
	Benefit string
	Start   time.Time
	End     *time.Time // nil: running
}

// RuleFinding is one violation: the rule, whether it refuses or warns, the form field it
// belongs beside and the Danish message naming the source.
type RuleFinding struct {
	Rule     string
	Severity Severity
	Field    string
	Message  string
}

// The benefit form's fields a finding can belong beside.
const (
	RuleFieldBenefit = "benefit"
	RuleFieldStart   = "start"
)

// inForce reports whether a version dated from..to applies on day (calendar dates).
func inForce(from time.Time, to *time.Time, day time.Time) bool {
	d := day.Format(time.DateOnly)
	return from.Format(time.DateOnly) <= d && (to == nil || d <= to.Format(time.DateOnly))
}

// PensionDate returns the day a person born on birth reaches folkepensionsalderen under the
// version of § 1 a in force on day, and the band it used; ok is false without a band for the
// birth date (or a zero birth date).
func (l BenefitLaw) PensionDate(birth, day time.Time) (PensionAge, time.Time, bool) {
	if birth.IsZero() {
		return PensionAge{}, time.Time{}, false
	}
	for _, b := range l.PensionAges {
		if inForce(b.ValidFrom, b.ValidTo, day) && inForce(b.BornFrom, b.BornTo, birth) {
			return b, birth.AddDate(0, b.Months, 0), true
		}
	}
	return PensionAge{}, time.Time{}, false
}

// AgeText renders an age in months the way § 1 a writes it: "67 år", "65½ år".
func AgeText(months int) string {
	s := strconv.Itoa(months / 12)
	if months%12 == 6 {
		s += "½"
	} else if months%12 != 0 {
		s += " år og " + strconv.Itoa(months%12) + " måneder"
		return s
	}
	return s + " år"
}

// Check returns every violation of the rules in force on p's start date by a new period p,
// given the citizen's birth date (zero: unknown, the age rules are skipped) and the periods
// already recorded. label names a benefit code in the messages. Refusals come first.
func (l BenefitLaw) Check(birth time.Time, history []BenefitSpan, p BenefitSpan, label func(string) string) []RuleFinding {
	var out []RuleFinding
	for _, r := range l.Rules {
		if !slices.Contains(r.Benefits, p.Benefit) || !inForce(r.ValidFrom, r.ValidTo, p.Start) {
			continue
		}
		if f, bad := l.check(r, birth, history, p, label); bad {
			f.Rule, f.Severity = r.Code, r.Severity
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b RuleFinding) int {
		if a.Severity == b.Severity {
			return 0
		}
		if a.Severity == SeverityRefuse {
			return -1
		}
		return 1
	})
	return out
}

func (l BenefitLaw) check(r BenefitRule, birth time.Time, history []BenefitSpan, p BenefitSpan, label func(string) string) (RuleFinding, bool) {
	cite := ""
	if r.Source != "" {
		cite = " (" + r.Source + ")"
	}
	switch r.Kind {
	case RuleOverlap:
		for _, h := range history {
			if !slices.Contains(r.Others, h.Benefit) || !overlaps(h, p) {
				continue
			}
			msg := fmt.Sprintf("Perioden overlapper %s %s.", strings.ToLower(label(h.Benefit)), spanText(h))
			switch {
			case r.Severity == SeverityRefuse && h.Benefit == p.Benefit:
				msg += " To perioder med " + strings.ToLower(label(p.Benefit)) + " kan ikke løbe samtidig" + cite +
					". Ret datoerne, eller afslut det andet forløb først."
			case r.Severity == SeverityRefuse:
				msg += " " + label(p.Benefit) + " og " + strings.ToLower(label(h.Benefit)) +
					" er begge forsørgelsesydelser og kan ikke løbe samtidig" + cite + ". Ret datoerne, eller afslut det andet forløb først."
			default:
				msg += " Det er kun muligt i de tilfælde, loven nævner" + cite + ". Angiv begrundelsen."
			}
			return RuleFinding{Field: RuleFieldStart, Message: msg}, true
		}
	case RulePensionAge:
		band, at, ok := l.PensionDate(birth, p.Start)
		if ok && !dayBefore(p.Start, at) {
			return RuleFinding{Field: RuleFieldStart, Message: fmt.Sprintf(
				"Borgeren nåede folkepensionsalderen (%s) den %s; %s kan ikke begynde derefter%s.",
				AgeText(band.Months), LongDate(at), strings.ToLower(label(p.Benefit)), cite+bandCite(band))}, true
		}
	case RulePensionDistance:
		band, at, ok := l.PensionDate(birth, p.Start)
		if !ok || !dayBefore(p.Start, at) {
			return RuleFinding{}, false // at or past the pension age: RulePensionAge's case
		}
		limit := birth.AddDate(0, band.Months-12*r.Years, 0) // exactly Years years before
		if dayBefore(limit, p.Start) {
			return RuleFinding{Field: RuleFieldBenefit, Message: fmt.Sprintf(
				"Borgeren har mindre end %d år til folkepensionsalderen (%s, nås den %s). %s iværksættes da kun, hvis borgeren selv ønsker det%s. Angiv begrundelsen, fx at borgeren ønsker det selv.",
				r.Years, AgeText(band.Months), LongDate(at), label(p.Benefit), cite+bandCite(band))}, true
		}
	case RuleFollows:
		from := p.Start.AddDate(0, 0, -r.WindowDays-1)
		for _, h := range history {
			if slices.Contains(r.Others, h.Benefit) && h.End != nil && dayBefore(*h.End, p.Start) && !dayBefore(*h.End, from) {
				return RuleFinding{}, false
			}
		}
		names := make([]string, len(r.Others))
		for i, o := range r.Others {
			names[i] = strings.ToLower(label(o))
		}
		return RuleFinding{Field: RuleFieldBenefit, Message: fmt.Sprintf(
			"%s følger efter %s%s, men Helhed har ingen periode med %s, der slutter højst %d dage før startdatoen. Angiv begrundelsen, fx at sygedagpengene ligger før Helheds registreringer.",
			label(p.Benefit), strings.Join(names, " eller "), cite, strings.Join(names, " eller "), r.WindowDays)}, true
	}
	return RuleFinding{}, false
}

// bandCite names the folkepensionsalder's source after a rule's own.
func bandCite(b PensionAge) string {
	if b.Source == "" {
		return ""
	}
	return "; folkepensionsalderen efter " + b.Source
}

// overlaps reports whether two periods share a day (a running period has no end).
func overlaps(a, b BenefitSpan) bool {
	return (b.End == nil || !dayBefore(*b.End, a.Start)) && (a.End == nil || !dayBefore(*a.End, b.Start))
}

// dayBefore reports whether calendar day a is before calendar day b.
func dayBefore(a, b time.Time) bool { return a.Format(time.DateOnly) < b.Format(time.DateOnly) }

// spanText is "fra 1. marts 2025 til 31. maj 2025" or "fra 1. marts 2025 (løbende)".
func spanText(s BenefitSpan) string {
	if s.End == nil {
		return "fra " + LongDate(s.Start) + " (uden slutdato)"
	}
	return "fra " + LongDate(s.Start) + " til " + LongDate(*s.End)
}

// Refusals returns the findings that refuse; Warnings those that need a reason.
func Refusals(fs []RuleFinding) []RuleFinding {
	return slices.DeleteFunc(slices.Clone(fs), func(f RuleFinding) bool { return f.Severity != SeverityRefuse })
}

// Warnings returns the findings that warn and need the caseworker's reason.
func Warnings(fs []RuleFinding) []RuleFinding {
	return slices.DeleteFunc(slices.Clone(fs), func(f RuleFinding) bool { return f.Severity != SeverityWarn })
}
