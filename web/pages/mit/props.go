// Package mit is the citizen's own Helhed ("Mit Helhed", docs/citizen-area.md): the pages the
// citizen sees about their own case, in plain Danish, mobile first.
package mit

import (
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// Body is one page's content inside the citizen area's frame.
type Body = templ.Component

// Frame is what every page of the area shows around its content: who is signed in.
type Frame struct {
	Name string // the signed-in citizen; "" on the sign-in pages
	Path string
}

// MenuItem is one entry of the area's menu.
type MenuItem struct{ Label, Href string }

// Menu is the citizen area's menu (shown in the layout's navigation when signed in).
var Menu = []MenuItem{
	{"Min plan", paths.SelfHome},
	{"Samtaler og møder", paths.SelfAppointments},
	{"Breve", paths.SelfLetters},
	{"Samtykker", paths.SelfConsents},
	{"Hvem har set mine oplysninger", paths.SelfLookups},
}

// DemoCitizen is a fictitious citizen the demo's sign-in offers.
type DemoCitizen struct{ CPR, Name string }

// SignInProps is the sign-in page: with a broker, MitID; in the demo, the development sign-in.
type SignInProps struct {
	Broker, Dev  bool
	Assurance    string
	DemoCitizens []DemoCitizen
}

// GoalRow is one of the citizen's goals with their own latest rating (0: not rated).
type GoalRow struct {
	ID     int64
	Text   string
	Rating int
}

// EffortRow is one effort of the plan as the citizen reads it.
type EffortRow struct {
	Title, Area, Status, Unit string
	Start                     time.Time
	End                       *time.Time
}

// CommentRow is one of the citizen's own comments.
type CommentRow struct {
	Text string
	At   time.Time
}

// SamtaleRow is one upcoming samtale.
type SamtaleRow struct {
	ID           int64
	Starts, Ends time.Time
	Form, Place  string
	WHO5Answered bool
}

// MeetingRow is one of the citizen's cases at the rehabiliteringsteam.
type MeetingRow struct {
	CaseID         int64
	Team           string
	Starts         time.Time
	Outcome        string // the indstilling's outcome label, "" before it
	HasIndstilling bool
}

// FormState is a form's typed values and messages when it is shown again.
type FormState struct {
	Values map[string]string
	Errors map[string]string
	Order  []string
}

// PlanProps is the citizen's plan.
type PlanProps struct {
	HasPlan      bool
	CitizenGoal  string
	Goals        []GoalRow
	Efforts      []EffortRow
	NextFollowUp *time.Time
	Comments     []CommentRow
	Comment      FormState
	Upcoming     []SamtaleRow
}

// AppointmentsProps lists the upcoming samtaler and the meetings of the rehabiliteringsteam.
type AppointmentsProps struct {
	Samtaler []SamtaleRow
	Meetings []MeetingRow
}

// WHO5Props is the WHO-5 form before a samtale.
type WHO5Props struct {
	Samtale SamtaleRow
	Form    FormState
}

// IndstillingProps is the team's indstilling in one of the citizen's cases.
type IndstillingProps struct {
	CaseID                    int64
	Team                      string
	Starts                    time.Time
	Outcome, Reasons, Efforts string
	HasIndstilling            bool
	Comments                  []CommentRow
	Comment                   FormState
}

// ConsentRow is one of the citizen's consents.
type ConsentRow struct {
	ID                         int64
	Information, Unit, Purpose string
	Given                      time.Time
	Expires, WithdrawnAt       *time.Time
	Current                    bool
	By                         string
}

// ConsentsProps is the citizen's consents and the form to give one.
type ConsentsProps struct {
	Rows        []ConsentRow
	Information []components.Option
	Units       []components.Option
	Selected    []string
	Form        FormState
}

// LetterRow is a letter to the citizen.
type LetterRow struct {
	DocumentID int64
	Subject    string
	Kind       string
	Date       time.Time
	Sent       bool
}

// DocumentRow is a document the citizen sent.
type DocumentRow struct {
	ID       int64
	Title    string
	Filename string
	Sent     time.Time
}

// LettersProps lists the letters to the citizen, the documents they sent, and the form to
// send one (the staff's upload rules: types, formats, size).
type LettersProps struct {
	Letters []LetterRow
	Waiting int
	Page    components.PageInfo
	Sent    []DocumentRow
	Types   []components.Option
	Accept  string
	MaxSize string
	Form    FormState
}

// LookupRow is one use of the citizen's data: when and what, not by whom.
type LookupRow struct {
	At   time.Time
	What string
}

// LookupsProps is one page of the look-ups.
type LookupsProps struct {
	Rows []LookupRow
	Page components.PageInfo
}

// GoalRatings are the citizen's own scale for how far they have come with a goal.
var GoalRatings = []components.Option{
	{Value: "1", Label: "Jeg er ikke begyndt"},
	{Value: "2", Label: "Jeg er lidt på vej"},
	{Value: "3", Label: "Jeg er godt på vej"},
	{Value: "4", Label: "Jeg er næsten i mål"},
	{Value: "5", Label: "Jeg har nået målet"},
}

// GoalRatingLabel is the label of a rating (1–5), "" for none.
func GoalRatingLabel(r int) string {
	if r < 1 || r > len(GoalRatings) {
		return ""
	}
	return GoalRatings[r-1].Label
}
