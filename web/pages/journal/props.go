// Package journal holds the pages of a citizen's journal: the timeline with its filters and
// search, and the forms that write a note, amend one's own note before it locks, and write a
// correction of a locked one. Props are plain view data; which notes a viewer gets was
// decided before (access.Sight, in the store's query and again through access.GateRow).
package journal

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/paths"
)

// Note is one note as the timeline shows it, labels resolved.
type Note struct {
	ID, CitizenID int64
	Kind          string // the kind's label
	Class         access.Class
	EventDate     time.Time
	Text          string
	Author, Unit  string
	CreatedAt     time.Time
	AmendedAt     *time.Time
	// Corrects is when the note this one corrects was written (nil: none, or withheld:
	// CorrectsHidden); CorrectedAt when the notes that correct this one were.
	Corrects        *time.Time
	CorrectsHidden  bool
	CorrectedAt     []time.Time
	CorrectedHidden bool
	// CanAmend: the viewer wrote it and it has not locked (LocksAt); CanCorrect: the viewer
	// may write in the journal.
	CanAmend   bool
	LocksAt    time.Time
	CanCorrect bool
}

// ClassLabel names a note's class when it is not case data, for the tag beside it.
func (n Note) ClassLabel() string {
	switch n.Class {
	case access.Health:
		return "Helbredsoplysninger"
	case access.Social:
		return "Sociale forhold"
	}
	return ""
}

// TimelineProps is the journal page.
type TimelineProps struct {
	CitizenID   int64
	CitizenName string
	Notes       []access.Gated[Note]
	Total       int
	// Pages pages the timeline (GET links); a search pages by posting the search again
	// (SearchPage, SearchPages), so the words searched for never enter an address.
	Pages                   components.PageInfo
	Query                   string
	SearchPage, SearchPages int
	Kinds, Authors          []components.Option
	Kind, Author            string // the filter in use
	CanWrite                bool
	LockPeriod              string // "24 timer"
}

// Searched reports whether the page shows a search's result.
func (p TimelineProps) Searched() bool { return p.Query != "" }

// Filtered reports whether a filter narrows the timeline.
func (p TimelineProps) Filtered() bool { return p.Kind != "" || p.Author != "" }

// FormProps is the form that writes a note, or a correction of Corrected.
type FormProps struct {
	CitizenID   int64
	CitizenName string
	Corrected   *Note // the note a correction corrects, shown above the form
	Kinds       []components.Option
	Classes     []components.Option
	Values      map[string]string
	Errors      map[string]string
	Summary     map[string]string
	LockPeriod  string
}

// Action is where the form posts.
func (p FormProps) Action() string {
	if p.Corrected != nil {
		return paths.NoteCorrect(p.CitizenID, p.Corrected.ID)
	}
	return paths.NoteNew(p.CitizenID)
}

// Title is the form's heading.
func (p FormProps) Title() string {
	if p.Corrected != nil {
		return "Skriv rettelse"
	}
	return "Skriv notat"
}

// FormFieldOrder is the note form's fields in order, for the error summary.
var FormFieldOrder = []string{"kind", "event_date", "class", helhed.FieldNoteText}

// AmendProps is the author's form that amends a note's text before it locks.
type AmendProps struct {
	CitizenID   int64
	CitizenName string
	Note        Note
	Version     int
	Values      map[string]string
	Errors      map[string]string
	Summary     map[string]string
}

// ClassOptions are the classes an author may mark a note with, in the order of
// access.NoteClasses, by their codes.
func ClassOptions() []components.Option {
	labels := map[access.Class]string{
		access.Case:   "Sagsoplysninger (alle med adgang til sagen)",
		access.Health: "Helbredsoplysninger (kun med samtykke uden for sagens enhed)",
		access.Social: "Sociale forhold (kun med samtykke uden for sagens enhed)",
	}
	var out []components.Option
	for _, c := range access.NoteClasses {
		out = append(out, components.Option{Value: c.String(), Label: labels[c]})
	}
	return out
}

// maxLengthHint is the text field's hint.
func maxLengthHint() string {
	return "Højst " + components.FormatInt(helhed.MaxNoteText) + " tegn. Skriv hvad der skete, og hvad der blev aftalt."
}

func itoa(n int) string { return strconv.Itoa(n) }

// writtenOn is the Danish calendar day of an instant (when a note was written); an event's
// date is a date already, and shown with format.Date as it is.
func writtenOn(t time.Time) string { return format.Date(t.In(form.Zone)) }
