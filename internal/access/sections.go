package access

// TFASection is one profession's part of the tværfaglige funktionsevneanalyse. Each section
// is written by its profession and locked on its own, so the jobcenter, the health centre and
// the social administration can write at the same time (docs/architecture.md).
type TFASection string

// The sections, by the code assessment_sections.section stores.
const (
	// SectionEmployment: the work-related elements of the resource profile (case data).
	SectionEmployment TFASection = "beskaeftigelse"
	// SectionHealth: the eight health tracks and the Helbred element (health data).
	SectionHealth TFASection = "sundhed"
	// SectionSocial: housing and economy and the social network (social data).
	SectionSocial TFASection = "social"
	// SectionSummary: the citizen's own goals and the conclusion: the case-holding unit's,
	// which concludes the TFA.
	SectionSummary TFASection = "samlet"
)

// TFASections are the sections in the order the page shows them.
var TFASections = []TFASection{SectionEmployment, SectionHealth, SectionSocial, SectionSummary}

// ParseTFASection reads a section code; ok is false for anything else.
func ParseTFASection(code string) (TFASection, bool) {
	for _, s := range TFASections {
		if string(s) == code {
			return s, true
		}
	}
	return "", false
}

// Label is the section's Danish heading.
func (s TFASection) Label() string {
	switch s {
	case SectionEmployment:
		return "Beskæftigelse og ressourcer"
	case SectionHealth:
		return "Sundhed"
	case SectionSocial:
		return "Sociale forhold"
	case SectionSummary:
		return "Borgerens mål og konklusion"
	}
	return string(s)
}

// Class is the class of what the section holds: its resource elements' class (ResourceElement),
// health data for the health tracks and for the goals and conclusion (which carry diagnoses).
func (s TFASection) Class() Class {
	switch s {
	case SectionEmployment:
		return Case
	case SectionSocial:
		return Social
	}
	return Health
}

// SectionOfElement is the section a resource-profile element belongs to: the section of its
// class. An element not classified yet is health data and so belongs to the health section.
func SectionOfElement(code string) TFASection {
	switch ResourceElement(code).Class {
	case Case:
		return SectionEmployment
	case Social:
		return SectionSocial
	}
	return SectionHealth
}

// CanWriteSection answers whether u may write section s of the citizen's TFA draft. The
// case-holding unit writes every section. A health or social professional invited to the TFA
// writes the section of their unit's kind of information (a health centre or the region the
// health section, the social administration the social section), and only when their Sight
// covers it: a current consent naming their unit. Nobody outside the case-holding unit writes
// the employment section or the goals and conclusion.
func CanWriteSection(u User, rel Relation, s TFASection) bool {
	if !CanCitizen(u, WriteAssessmentSection, rel) {
		return false
	}
	if employmentSide(u, rel) {
		return true
	}
	if s == SectionSummary || s == SectionEmployment {
		return false
	}
	return unitKindClass(rel.TFAUnitKind) == s.Class() && SightOf(u, rel).Sees(s.Class())
}
