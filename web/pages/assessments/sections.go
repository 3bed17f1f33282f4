package assessments

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// SectionView is one profession's section of a TFA as one viewer meets it: a form when the
// viewer may write it (its own version is the lock), otherwise read through the viewer's
// Sight; with who wrote it last and when.
type SectionView struct {
	CitizenID, AssessmentID int64
	Section                 access.TFASection
	Writer                  string // "" while nobody has written it
	WrittenAt               time.Time
	Version                 int
	Writable                bool
	// The form (Writable): what is stored or what was typed.
	Tracks       []Track
	Elements     []Element
	CitizenGoals string
	Conclusion   string
	Errors       map[string]string
	// The read-only view (not Writable).
	ReadTracks     access.Gated[[]Track]
	ReadElements   []access.Gated[Element]
	ReadGoals      access.Gated[string]
	ReadConclusion access.Gated[string]
	Relevances     []components.Option
}

// ID is the section's element id on the page.
func (v SectionView) ID() string { return "afsnit-" + string(v.Section) }

// Href is where the section's form posts.
func (v SectionView) Href() string {
	return paths.AssessmentSection(v.CitizenID, v.AssessmentID, string(v.Section))
}

// HasTracks reports whether the section holds the health tracks.
func (v SectionView) HasTracks() bool { return v.Section == access.SectionHealth }

// Summary reports whether the section holds the goals and the conclusion.
func (v SectionView) Summary() bool { return v.Section == access.SectionSummary }

// FieldOrder lists the section form's fields for its error summary.
func (v SectionView) FieldOrder() []string {
	out := []string{"section_version"}
	for _, t := range v.Tracks {
		out = append(out, TrackRelevance(t.Code), TrackDescription(t.Code), TrackWork(t.Code))
	}
	for _, e := range v.Elements {
		out = append(out, ElementResources(e.Code), ElementBarriers(e.Code))
	}
	return append(out, "citizen_goals", "conclusion")
}

// ConferenceRow is one recorded TFA conference.
type ConferenceRow struct {
	HeldOn         time.Time
	CitizenPresent bool
	Attendees      string
	RecordedBy     string
}

// SectionConflictProps is the conflict page of one section: the saved section and the
// writer's own text in the form, carrying the saved version.
type SectionConflictProps struct {
	CitizenID   int64
	CitizenName string
	Number      int
	Message     string
	Saved       SectionView
	Yours       SectionView
}
