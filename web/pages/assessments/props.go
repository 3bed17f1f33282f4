// Package assessments holds the pages of the tværfaglige funktionsevneanalyse (TFA): the list
// of versions and the analysis itself, as a form while it is a draft and read-only once
// concluded. Props are plain view data; no database access happens here.
package assessments

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// Track is one health track with its answer.
type Track struct {
	Code, Label string
	Answer      helhed.TrackAnswer
}

// Element is one resource-profile element with its answer.
type Element struct {
	Code, Label string
	Answer      helhed.ResourceAnswer
}

// ParticipantRow is one participant.
type ParticipantRow struct {
	UserID     int64
	Name       string
	Unit       string
	Side       string
	Profession string
}

// VersionRow is one TFA version in a list.
type VersionRow struct {
	ID          int64
	Number      int
	ConcludedAt *time.Time
	UpdatedAt   time.Time
	UpdatedBy   string
}

// ListProps is the TFA list of a citizen.
type ListProps struct {
	CitizenID   int64
	CitizenName string
	Versions    []VersionRow
	CanWrite    bool
	HasDraft    bool
}

// PageProps is one TFA.
type PageProps struct {
	CitizenID   int64
	CitizenName string
	ID          int64
	Number      int
	Draft       bool
	ConcludedAt *time.Time
	ConcludedBy string
	UpdatedBy   string
	UpdatedAt   time.Time
	CanWrite    bool // the user may edit this draft
	Version     int
	// Tracks, Elements, CitizenGoals and Conclusion fill the form: only when the user may
	// write this draft (the case-holding unit, who sees the whole case).
	Tracks       []Track
	Elements     []Element
	CitizenGoals string
	Conclusion   string
	// Read is the TFA as the viewer may read it, when it is not shown as a form.
	Read         *Read
	Participants []ParticipantRow
	// Missing says which side still lacks a participant ("" when both take part).
	Missing string
	// Notice is an alert above the form (a conflict, or a save that could not conclude).
	Notice            string
	Errors            map[string]string
	Candidates        []components.Option
	ParticipantForm   map[string]string
	ParticipantErrors map[string]string
	Relevances        []components.Option
}

// Read is a TFA as one viewer may read it: the health tracks, the citizen's goals and the
// conclusion are health data; the resource profile is classified element by element.
type Read struct {
	Tracks       access.Gated[[]Track]
	Elements     []access.Gated[Element]
	CitizenGoals access.Gated[string]
	Conclusion   access.Gated[string]
}

// Href is the TFA's URL.
func (p PageProps) Href() string {
	return paths.Assessment(p.CitizenID, p.ID)
}

// TrackRelevance is the field name of a track's relevance.
func TrackRelevance(code string) string { return "t_" + code + "_rel" }

// TrackDescription is the field name of a track's description.
func TrackDescription(code string) string { return "t_" + code + "_desc" }

// TrackWork is the field name of a track's bearing on work.
func TrackWork(code string) string { return "t_" + code + "_work" }

// ElementResources is the field name of an element's resources.
func ElementResources(code string) string { return "r_" + code + "_res" }

// ElementBarriers is the field name of an element's barriers.
func ElementBarriers(code string) string { return "r_" + code + "_bar" }

// FieldOrder lists the form's fields for the error summary.
func (p PageProps) FieldOrder() []string {
	out := []string{"version", helhed.FieldParticipants}
	for _, t := range p.Tracks {
		out = append(out, TrackRelevance(t.Code), TrackDescription(t.Code), TrackWork(t.Code))
	}
	for _, e := range p.Elements {
		out = append(out, ElementResources(e.Code), ElementBarriers(e.Code))
	}
	return append(out, helhed.FieldCitizenGoals, helhed.FieldConclusion)
}
