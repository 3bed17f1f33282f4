package helhed

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Focus codes: what an offer works on beyond the KRAMS factors. They are the domain's own
// fixed codes (the offers.focus CHECK), matched by what a screening finds.
const (
	// FocusMental: mental health — angst, stress, depression, mindfulness (matched by a low
	// WHO-5).
	FocusMental = "mental"
	// FocusDrugs: rusmidler — hash and other drugs (matched by the hash and drug items).
	FocusDrugs = "rusmidler"
)

// FocusCodes lists the focus codes in form order.
var FocusCodes = []string{FocusMental, FocusDrugs}

var focusLabels = map[string]string{FocusMental: "Mental sundhed", FocusDrugs: "Hash og stoffer"}

// FocusLabel returns the Danish name of a focus code, or "" for an unknown code.
func FocusLabel(code string) string { return focusLabels[code] }

// Finding is one thing a screening found that an offer can work on. Findings come most
// urgent first: that order is the order in which offers are suggested.
type Finding struct {
	// Areas are the offer areas (KRAMS and focus codes) that work on it.
	Areas []string
	// Reason says what was found, with the numbers, e.g. "WHO-5 = 20 (≤ 28)".
	Reason string
}

// Findings lists what the answers show, most urgent first: low well-being (WHO-5 at or
// below WHO5Medium) before hash and drugs, alcohol, smoking, BMI, diet, physical activity and
// sleep. The KRAMS findings are the KRAMS risks of res, so the suggestions and the risk group
// rest on the same rules.
func Findings(a ScreeningAnswers, res Result, rs RuleSet) []Finding {
	var out []Finding
	switch {
	case res.WHO5 <= rs.WHO5High:
		out = append(out, Finding{[]string{FocusMental}, fmt.Sprintf("WHO-5 = %d (≤ %d)", res.WHO5, rs.WHO5High)})
	case res.WHO5 <= rs.WHO5Medium:
		out = append(out, Finding{[]string{FocusMental}, fmt.Sprintf("WHO-5 = %d (≤ %d)", res.WHO5, rs.WHO5Medium)})
	}
	if d := drugUse(a); d != "" {
		out = append(out, Finding{[]string{FocusDrugs}, "Har brugt " + d + " inden for den seneste måned"})
	}
	risk := map[string]KRAMSFactor{}
	for _, k := range res.KRAMSRisks {
		risk[k.Code] = k
	}
	if k, ok := risk[KRAMSAlcohol]; ok {
		out = append(out, Finding{[]string{KRAMSAlcohol}, k.Reason})
	}
	if k, ok := risk[KRAMSSmoking]; ok {
		out = append(out, Finding{[]string{KRAMSSmoking}, k.Reason})
	}
	// A BMI outside the limits is worked on by diet and by exercise offers.
	if bmi, ok := bmiRisk(a, rs); ok {
		out = append(out, Finding{[]string{KRAMSDiet, KRAMSExercise}, bmi})
	}
	if a.Diet == DietPoor {
		out = append(out, Finding{[]string{KRAMSDiet}, "Kost: vurderer selv sin kost som dårlig"})
	}
	if k, ok := risk[KRAMSExercise]; ok {
		out = append(out, Finding{[]string{KRAMSExercise}, k.Reason})
	}
	if k, ok := risk[KRAMSSleep]; ok {
		out = append(out, Finding{[]string{KRAMSSleep}, k.Reason})
	}
	return out
}

// Candidate is an offer the ranking considers: what it works on, whether it is aimed at the
// citizen's risk group, and the tie-breakers.
type Candidate struct {
	// Areas are the offer's KRAMS and focus codes.
	Areas        []string
	TargetsGroup bool
	FreeSeats    int
	Name         string
}

// Ranked is a suggested candidate: Index is its position in the input, Because the reasons
// it is suggested, in Danish.
type Ranked struct {
	Index   int
	Because []string
}

// Explanation reads "Foreslået fordi: WHO-5 = 20 (≤ 28); Søvn: har ofte søvnproblemer".
func (r Ranked) Explanation() string { return "Foreslået fordi: " + strings.Join(r.Because, "; ") }

// RankOffers orders candidates by what the screening found. An offer that works on a finding
// ranks by its most urgent finding (then by how many findings it works on); an offer that
// works on nothing in particular (no areas) and is aimed at the group comes after those; an
// offer that works only on things the screening did not find is not suggested at all, even
// if it is aimed at the group — the alcohol conversation is for citizens with an alcohol
// risk. Ties go to offers aimed at the group, then with free seats, then by name. At most
// limit are returned.
func RankOffers(findings []Finding, group RiskGroup, cands []Candidate, limit int) []Ranked {
	type scored struct {
		Ranked
		first, n int
		c        Candidate
	}
	var list []scored
	for i, c := range cands {
		s := scored{Ranked: Ranked{Index: i}, first: len(findings), c: c}
		for fi, f := range findings {
			if slices.ContainsFunc(f.Areas, func(a string) bool { return slices.Contains(c.Areas, a) }) {
				s.first = min(s.first, fi)
				s.n++
				s.Because = append(s.Because, f.Reason)
			}
		}
		switch {
		case s.n > 0:
		case len(c.Areas) == 0 && c.TargetsGroup && group.Valid() && group != RiskNone:
			s.Because = []string{"risikogruppe " + strings.ToLower(group.Label())}
		default:
			continue
		}
		list = append(list, s)
	}
	slices.SortStableFunc(list, func(a, b scored) int {
		return cmp.Or(
			cmp.Compare(a.first, b.first),
			cmp.Compare(b.n, a.n),
			compareBool(b.c.TargetsGroup, a.c.TargetsGroup),
			compareBool(b.c.FreeSeats > 0, a.c.FreeSeats > 0),
			strings.Compare(a.c.Name, b.c.Name),
		)
	})
	out := make([]Ranked, 0, min(len(list), limit))
	for _, s := range list[:min(len(list), limit)] {
		out = append(out, s.Ranked)
	}
	return out
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
