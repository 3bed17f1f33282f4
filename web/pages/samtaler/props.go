// Package samtaler holds the pages of the samtaler booked with a citizen: the citizen's list,
// the booking form, one samtale with its outcome, move and cancel forms, and the week view
// (mine, my unit's). Props are plain view data; what a viewer may see was decided before.
package samtaler

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/components"
)

// Samtale is one samtale as the pages show it, labels resolved.
type Samtale struct {
	ID, CitizenID    int64
	StartsAt, EndsAt time.Time
	Form             string // the form's label
	Place            string
	Status           helhed.SamtaleStatus
	// Reason is the last cancellation's or move's reason (health class: gated).
	Reason       access.Gated[string]
	HasReason    bool
	Holder       string
	Participants []string
	NoteID       int64
	Version      int
	// Citizen names the citizen in a week view; empty when the viewer may not see them, and
	// the row shows the case reference instead.
	Citizen string
}

// Minutes is the samtale's duration in minutes.
func (s Samtale) Minutes() int { return int(s.EndsAt.Sub(s.StartsAt) / time.Minute) }

// ListProps is the citizen's samtaler.
type ListProps struct {
	CitizenID   int64
	CitizenName string
	Samtaler    []Samtale
	Total       int
	Pages       components.PageInfo
	CanBook     bool
	Next        NextDue
	// The exemption form's values and messages.
	Values, Errors, Summary map[string]string
}

// NextDue is the next conversation the kontaktforløb requires, if any.
type NextDue struct {
	Shown   bool
	Due     time.Time
	Overdue bool
	Missed  bool
	Rule    string // the cadence's label and source
	None    string // why no conversation is due (exempt, no rule, all held)
	// Exemptions are the reasons on offer in the exemption form.
	Exemptions []components.Option
}

// OverdueProps is the list of citizens whose next required conversation is overdue.
type OverdueProps struct {
	Scope           string
	CanOwn, CanUnit bool
	Rows            []OverdueRow
	Total           int
	Pages           components.PageInfo
}

// Title is the overdue list's heading.
func (p OverdueProps) Title() string {
	if p.Scope == "enhed" {
		return "Enhedens overskredne samtaler"
	}
	return "Mine overskredne samtaler"
}

// OverdueRow is one citizen on the overdue list.
type OverdueRow struct {
	CitizenID                 int64
	Name, Caseworker, Benefit string
	Rule                      string
	Held, Required            int
	Due                       time.Time
}

// FormProps is the booking form.
type FormProps struct {
	CitizenID   int64
	CitizenName string
	Forms       []components.Option
	Values      map[string]string
	Errors      map[string]string
	Summary     map[string]string
	// Overlap is the double-booking warning; the form then offers "Book alligevel".
	Overlap string
}

// FormFieldOrder is the booking form's fields in order, for the error summary.
var FormFieldOrder = []string{helhed.FieldSamtaleStart, "time", helhed.FieldSamtaleDuration, helhed.FieldSamtaleForm,
	helhed.FieldSamtalePlace, helhed.FieldSamtaleWith, helhed.FieldSamtaleHeld, helhed.FieldSamtaleOutcome, "class", helhed.FieldSamtaleOverlap}

// ViewProps is one samtale with the forms that change it.
type ViewProps struct {
	CitizenName string
	Samtale     Samtale
	CanBook     bool
	// Begun: the samtale has begun, so its outcome can be recorded.
	Begun   bool
	Values  map[string]string
	Errors  map[string]string
	Summary map[string]string
	// Form is the form the errors belong to: "udfald", "flyt" or "aflys".
	Form    string
	Overlap string
}

// ActionFieldOrder is the order of the fields of the outcome, move and cancel forms.
var ActionFieldOrder = []string{"status", "class", helhed.FieldSamtaleOutcome, helhed.FieldSamtaleStart, "time",
	helhed.FieldSamtaleDuration, helhed.FieldSamtaleReason, helhed.FieldSamtaleOverlap}

// WeekProps is the week view.
type WeekProps struct {
	Scope      string // "" mine, "enhed" the unit's
	CanUnit    bool
	Week       string // ISO week, "2026-W50"
	From, To   time.Time
	Prev, Next string
	Days       []Day
	Total      int
	Pages      components.PageInfo
}

// Day is one day of the week view with its samtaler.
type Day struct {
	Date     time.Time
	Samtaler []Samtale
}

// Title is the week view's heading.
func (p WeekProps) Title() string {
	if p.Scope == "enhed" {
		return "Enhedens samtaler"
	}
	return "Mine samtaler"
}

// ClassOptions are the classes of the outcome's journal note.
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

// OutcomeOptions are what may become of a samtale that has begun.
func OutcomeOptions() []components.Option {
	return []components.Option{{Value: string(helhed.SamtaleHeld), Label: "Samtalen er holdt"},
		{Value: string(helhed.SamtaleNoShow), Label: "Borgeren udeblev"}}
}

// value is what the form named form had in field (the other forms start empty).
func (p ViewProps) value(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.Values[field]
}

// valueOr is value, or def when the form was not sent.
func (p ViewProps) valueOr(form, field, def string) string {
	if p.Form != form {
		return def
	}
	return p.Values[field]
}

// error is the message beside field of the form named form.
func (p ViewProps) error(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.Errors[field]
}

// formValues are the values of the form named form, or its defaults: the samtale's own time.
func (p ViewProps) formValues(form string) map[string]string {
	if p.Form == form {
		return p.Values
	}
	s := p.Samtale
	return map[string]string{helhed.FieldSamtaleStart: s.StartsAt.In(zone).Format(time.DateOnly), "time": s.StartsAt.In(zone).Format("15:04"),
		helhed.FieldSamtaleDuration: strconv.Itoa(s.Minutes())}
}

// formErrors are the messages of the form named form.
func (p ViewProps) formErrors(form string) map[string]string {
	if p.Form == form {
		return p.Errors
	}
	return nil
}

// zone is Danish time.
var zone = form.Zone

// weekdays are the days' Danish names, Sunday first (time.Weekday's order).
var weekdays = [7]string{"Søndag", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag"}

// weekday is the Danish name of t's day.
func weekday(t time.Time) string { return weekdays[t.In(zone).Weekday()] }
