// Package plans holds the indsatsplan pages: the plan with its efforts on a timeline,
// progression and follow-ups; the goal and effort forms; the conflict page; the version diff;
// and the print page for the citizen. Props are plain view data.
package plans

import (
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/paths"
)

// GoalRow is one sub-goal with its progression.
type GoalRow struct {
	ID     int64
	Text   string
	Points []components.ScorePoint
	// OwnRating is the citizen's own latest rating of the goal in the citizen area ("" none).
	OwnRating string
}

// SelfCommentRow is a comment the citizen wrote in the citizen area, on the plan or on an
// indstilling.
type SelfCommentRow struct {
	Text        string
	At          time.Time
	Indstilling bool
}

// EffortRow is one effort with labels resolved.
type EffortRow struct {
	ID        int64
	Title     string
	Area      string // code
	AreaLabel string
	Status    string
	Unit      string
	Person    string
	Contact   string
	Start     time.Time
	End       *time.Time
	Mentor    bool
	// Referral is the effort's referral (nil: none); OfferID its catalogue offer.
	Referral *int64
	OfferID  *int64
	// Referable: a planned effort without a referral, which can be sent as one.
	Referable bool
	// MentorWarning is the reminder that a mentor period runs out soon, or "".
	MentorWarning string
}

// Responsible is the effort's unit and, when one is named, person: "Jobcenter Faxe, Kim
// Jensen". One string, because templ puts a space between expressions on separate lines.
func (e EffortRow) Responsible() string {
	if e.Person == "" {
		return e.Unit
	}
	return e.Unit + ", " + e.Person
}

// FollowUpRow is one follow-up; Scores are in the order of the plan's goals ("" = not scored).
type FollowUpRow struct {
	HeldOn time.Time
	Note   string
	By     string
	Scores []string
}

// VersionRow is one saved version of the plan; the summary names goals and efforts.
type VersionRow struct {
	Version int
	Summary access.Gated[string]
	By      string
	At      time.Time
}

// PlanProps is the plan page.
type PlanProps struct {
	CitizenID     int64
	CitizenName   string
	Exists        bool
	CanEdit       bool
	Version       int
	CitizenGoal   access.Gated[string]
	Goals         access.Gated[[]GoalRow]
	Efforts       []access.Gated[EffortRow]
	Bars          []access.Gated[components.TimelineBar]
	Today         time.Time
	NextFollowUp  *time.Time
	Overdue       bool
	FollowUps     access.Gated[[]FollowUpRow]
	Versions      []VersionRow
	UpdatedBy     string
	UpdatedAt     time.Time
	FromTFA       bool
	PDFAvailable  bool
	FollowUpForm  map[string]string
	FollowUpError map[string]string
	// FollowUpSummary is the error summary's texts ("Dato: Skal udfyldes") in FollowUpOrder,
	// the order the fields were read.
	FollowUpSummary map[string]string
	FollowUpOrder   []string
	// SelfComments are the citizen's own comments from the citizen area (health data).
	SelfComments access.Gated[[]SelfCommentRow]
}

// Href is the plan's URL.
func (p PlanProps) Href() string { return paths.Plan(p.CitizenID) }

// ScoreField is the follow-up form's field of a goal's score.
func ScoreField(goalID int64) string { return "score_" + strconv.FormatInt(goalID, 10) }

// GoalsFormProps is the form for the citizen's goal and the sub-goals.
type GoalsFormProps struct {
	CitizenID   int64
	Version     int
	CitizenGoal string
	Goals       []GoalInputRow
	Errors      map[string]string // field → message beside it ("goal_text_0")
	Summary     map[string]string // field → "Label: message", for the error summary
	Order       []string          // the fields in reading order, the summary's order
}

// GoalInputRow is one sub-goal line in the form; ID "" is a new goal.
type GoalInputRow struct{ ID, Text string }

// EffortFormProps is the form for one effort.
type EffortFormProps struct {
	CitizenID int64
	EffortID  int64 // 0: new
	Version   int
	Values    map[string]string
	Errors    map[string]string
	Summary   map[string]string // field → "Label: message", for the error summary
	Areas     []components.Option
	Statuses  []components.Option
	Units     []components.Option
	// Referred: the effort is sent as a referral, whose state sets its status.
	Referred bool
}

// Action is where the effort form posts.
func (p EffortFormProps) Action() string {
	if p.EffortID == 0 {
		return paths.EffortNew(p.CitizenID)
	}
	return paths.Effort(p.CitizenID, p.EffortID)
}

// EffortFieldOrder is the order of the effort form's fields for the error summary.
var EffortFieldOrder = []string{"version", helhed.FieldEffortOffer, helhed.FieldEffortTitle, "area", "status", helhed.FieldEffortUnit,
	"person", "contact", helhed.FieldEffortStart, helhed.FieldEffortEnd, helhed.FieldMentorDischarge, helhed.FieldMentorRenewed}

// FormPageProps wraps a form (goals or effort) on its own page.
type FormPageProps struct {
	CitizenID   int64
	CitizenName string
	Title       string
	Form        templ.Component
}

// ConflictProps is the page shown when a plan save lost the race: the version now saved
// (by someone else) and the user's own version in the form, ready to save again.
type ConflictProps struct {
	CitizenID   int64
	CitizenName string
	Message     string
	SavedBy     string
	SavedAt     time.Time
	Current     helhed.PlanSnapshot
	Yours       templ.Component
}

// DiffProps compares two versions of a plan.
type DiffProps struct {
	CitizenID   int64
	CitizenName string
	From, To    int
	Versions    []components.Option
	Changes     []access.Gated[helhed.PlanChange]
	Compared    bool
}

// PrintProps is the plan for the citizen, in plain Danish.
type PrintProps struct {
	CitizenName  string
	CPR          string // masked
	CitizenGoal  access.Gated[string]
	Goals        access.Gated[[]string]
	Efforts      []access.Gated[EffortRow]
	NextFollowUp *time.Time
	Caseworker   string
	Unit         string
	Version      int
	PrintedOn    time.Time
}

func itoa(n int) string { return strconv.Itoa(n) }

func id(n int64) string { return strconv.FormatInt(n, 10) }

// pdfCSS styles the PDF: plain, readable type and ruled tables, like the print stylesheet.
const pdfCSS = `@page { margin: 18mm 16mm; }
body { font-family: "IBM Plex Sans", "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #000; }
h1 { font-size: 18pt; margin: 0 0 6pt; } h2 { font-size: 13pt; margin: 14pt 0 4pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #555; padding: 4pt 6pt; text-align: left; vertical-align: top; }
tr { break-inside: avoid; } .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.pre-line { white-space: pre-line; } .print-header { border-bottom: 1px solid #8e8e8e; margin-bottom: 12pt; }`
