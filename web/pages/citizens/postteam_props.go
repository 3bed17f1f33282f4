package citizens

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
)

// PostTeamSection is the citizen page's section with the samlet beskrivelse af borgerens
// forudsætninger and the sundhedsfaglig rådgivning (lov nr. 1750 af 29.12.2025).
type PostTeamSection struct {
	CitizenID int64
	// Required names the outcomes that need both records under the rule in force ("" none).
	Required    string
	Description *DescriptionView // nil: not written
	Advice      []access.Gated[AdviceView]
	// CanDescribe and CanRequest: the case-holding unit writes the description and asks.
	CanDescribe, CanRequest bool
}

// DescriptionView is the samlet beskrivelse as one viewer may see it, section by section.
type DescriptionView struct {
	Sections             []SectionView
	CreatedBy, UpdatedBy string
	CreatedAt, UpdatedAt time.Time
}

// SectionView is one gated section.
type SectionView struct {
	Label string
	Text  access.Gated[string]
}

// AdviceView is one request for sundhedsfaglig rådgivning and its answer.
type AdviceView struct {
	Unit, Question, RequestedBy string
	RequestedAt                 time.Time
	Advice, GivenBy             string
	GivenAt                     *time.Time
	// WriteHref is the coordinator's form ("" for everyone else).
	WriteHref string
}

// DescriptionFormProps is the form of the samlet beskrivelse.
type DescriptionFormProps struct {
	CitizenID int64
	Name      string
	Sections  []FormSection
	Version   string
	// Prefilled: the form holds a draft built from what Helhed holds, not a saved text.
	Prefilled bool
	Errors    map[string]string
	Summary   map[string]string
}

// FormSection is one section of a form of sections.
type FormSection struct {
	Key, Label, Hint, Text, Error string
}

// AdviceRequestProps is the form that asks the region's sundhedskoordinator.
type AdviceRequestProps struct {
	CitizenID int64
	Name      string
	Units     []components.Option
	Values    map[string]string
	Errors    map[string]string
	Summary   map[string]string
}

// AdviceFormProps is the sundhedskoordinator's form: the question, the samlet beskrivelse as
// the coordinator may see it, and the advice.
type AdviceFormProps struct {
	CitizenID, AdviceID int64
	Name                string
	Question            access.Gated[string]
	RequestedBy         string
	RequestedAt         time.Time
	Description         *DescriptionView
	Advice, Version     string
	Errors              map[string]string
	Summary             map[string]string
}

func sectionOrder(ss []FormSection) []string {
	out := make([]string, 0, len(ss)+1)
	for _, s := range ss {
		out = append(out, s.Key)
	}
	return append(out, "version")
}

func countWithheldAdvice(p *PostTeamSection) int {
	n := 0
	for _, g := range p.Advice {
		if g.Withheld() {
			n++
		}
	}
	return n
}
