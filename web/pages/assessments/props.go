// Package assessments holds the pages of the tværfaglige funktionsevneanalyse (TFA): the list
// of versions and the analysis itself, as a form while it is a draft and read-only once
// concluded. Props are plain view data; no database access happens here.
package assessments

import (
	"time"

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
	CitizenID    int64
	CitizenName  string
	ID           int64
	Number       int
	Draft        bool
	ConcludedAt  *time.Time
	ConcludedBy  string
	UpdatedBy    string
	UpdatedAt    time.Time
	CanWrite     bool // the user may edit this draft
	Version      int
	Participants []ParticipantRow
	// Missing says which side still lacks a participant ("" when both take part).
	Missing string
	// Notice is an alert above the form (a conflict, or a save that could not conclude).
	Notice            string
	Errors            map[string]string
	Candidates        []components.Option
	ParticipantForm   map[string]string
	ParticipantErrors map[string]string
	// Sections are the TFA's sections, each a form or read-only for this viewer.
	Sections []SectionView
	// CanConclude: the case-holding unit concludes the draft (at Version).
	CanConclude bool
	// Conferences and the form that records one (the case-holding unit).
	Conferences         []ConferenceRow
	CanConference       bool
	AttendeeOptions     []components.Option
	ConferenceForm      map[string]string
	ConferenceAttendees []string
	ConferenceErrors    map[string]string
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
