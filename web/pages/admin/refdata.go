package admin

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
)

// RefKindsProps lists the vocabularies with their counts today.
type RefKindsProps struct{ Kinds []store.RefKind }

// RefValueValues are a reference value's form fields as typed. Code is typed only when a
// value is added; Version is the edit's optimistic lock.
type RefValueValues struct {
	Code, Label, Description, Source, SortOrder, ValidFrom, ValidTo, Version string
}

// RefFieldOrder is the order of the value form's fields, for the error summary.
var RefFieldOrder = []string{store.RefFieldCode, store.RefFieldLabel, store.RefFieldDescription,
	store.RefFieldSource, store.RefFieldSortOrder, store.RefFieldValidFrom, store.RefFieldValidTo}

// RefKindProps is one vocabulary: every value, in force or not, and the form that adds one.
type RefKindProps struct {
	Kind   store.RefKind
	Values []store.RefValue
	Today  time.Time
	Form   RefValueValues
	Errors map[string]string
}

// RefValueProps is one value's page: the edit form and the law-change action "Afslut pr.
// dato" (the last day in force) as a form of its own.
type RefValueProps struct {
	Kind   store.RefKind
	Saved  store.RefValue // as stored now
	Today  time.Time
	Form   RefValueValues
	Errors map[string]string
	// LastDay and RetireErrors are the retire form as typed.
	LastDay      string
	RetireErrors map[string]string
	// Notice explains why nothing was saved (someone else saved first, or the form came
	// back without its version); with Conflict the value as saved now is shown beside it.
	Notice   string
	Conflict bool
}

// refState says in words whether v is in force on day, and the class that colours it (the
// words carry the meaning; the colour only repeats it).
func refState(v store.RefValue, day time.Time) (text, class string) {
	switch d := day.Format(time.DateOnly); {
	case v.ValidOn(day):
		return "I kraft", "status-ready"
	case v.ValidFrom.Format(time.DateOnly) > d:
		return "Gælder fra " + format.Date(v.ValidFrom), "status-missing"
	default:
		return "Udløbet " + format.DatePtr(v.ValidTo), "status-missing"
	}
}

// refValidFrom renders a start date, or that the start is not dated (store.RefUndated: in
// force before any record Helhed holds).
func refValidFrom(v store.RefValue) string {
	if v.Undated() {
		return "Ikke dateret (før Helhed)"
	}
	return format.Date(v.ValidFrom)
}

// refSource renders a value's source, or that none is recorded.
func refSource(s string) string {
	if s == "" {
		return "Ingen kilde angivet"
	}
	return s
}

// refValidTo renders an end date, or that there is none.
func refValidTo(t *time.Time) string {
	if t == nil {
		return "Ingen slutdato"
	}
	return format.Date(*t)
}

// savedItems is the value as stored now, shown beside a conflict.
func savedItems(v store.RefValue, day time.Time) []components.DL {
	state, _ := refState(v, day)
	return []components.DL{
		{Term: "Betegnelse", Desc: v.Label},
		{Term: "Beskrivelse", Desc: v.Description},
		{Term: "Kilde", Desc: refSource(v.Source)},
		{Term: "Sortering", Desc: strconv.Itoa(v.SortOrder)},
		{Term: "Gælder fra", Desc: refValidFrom(v)},
		{Term: "Gælder til og med", Desc: refValidTo(v.ValidTo)},
		{Term: "Status i dag", Desc: state},
	}
}
