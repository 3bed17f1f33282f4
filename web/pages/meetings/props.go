// Package meetings holds the rehabiliteringsteam's pages: the meeting list and form, the
// agenda, one case with its forberedende del and the team's indstilling, the shared-screen
// board, and the teams. Props are plain view data; no database access happens here.
package meetings

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/picture"
	"github.com/helhed/helhed/web/paths"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

// ListProps is the list of meetings.
type ListProps struct {
	Upcoming bool
	Items    []ListItem
	Total    int
	Pages    components.PageInfo
	CanPlan  bool
	CanTeams bool
	// ShowFigures: the leader's figures of the unit's held meetings, a page of weeks.
	ShowFigures bool
	Figures     []FigureWeek
	FigurePages components.PageInfo
}

// FigureWeek is one week of the leader's meeting figures; small cells are suppressed.
type FigureWeek struct {
	Week     time.Time
	Cases    components.Cell
	Days     components.Cell
	Outcomes []string // "Jobafklaringsforløb: 7"
}

// ListItem is one meeting in the list.
type ListItem struct {
	ID                    int64
	Team, Location        string
	Start                 time.Time
	Cases, Ready, Decided int
	Member                bool
}

// FormValues are the meeting form's fields as typed.
type FormValues struct {
	Team, Date, Time, Slot, Location, Chair, MinuteTaker, Version string
}

// FormProps is the form that plans or changes a meeting.
type FormProps struct {
	ID      int64 // 0: a new meeting
	Values  FormValues
	Errors  map[string]string
	Summary map[string]string // field → "Label: message", for the error summary
	Teams   []components.Option
	Members []components.Option // chair and minute-taker candidates: members of the teams
}

// Action is where the form posts.
func (p FormProps) Action() string {
	if p.ID == 0 {
		return "/moeder/ny"
	}
	return paths.MeetingEdit(p.ID)
}

// FormOrder is the order of the form's fields, for the error summary.
var FormOrder = []string{"team", "starts_at", "slot_minutes", "location", "chair", "minute_taker", "version"}

// MeetingProps is a meeting's agenda page.
type MeetingProps struct {
	ID                 int64
	Team, Location     string
	Start              time.Time
	SlotMinutes        int
	Chair, MinuteTaker string
	Cases              []AgendaCase
	CanEdit            bool
	CanFocus           bool
	AccessUntil        time.Time // members see the cases until then
}

// AgendaCase is one case on the agenda as the viewer may see it.
type AgendaCase struct {
	ID, CitizenID int64
	Position      int
	Slot          time.Time
	// Name is the citizen's name; "" when the viewer may not see this citizen (another
	// unit's case, seen by a caseworker who brings their own).
	Name        string
	CitizenHref string // "" when the viewer may not open the citizen
	Caseworker  string
	Question    string
	Ready       bool
	Missing     int // sections of the forberedende del still empty
	Outcome     string
	Focus       bool
	CanPrepare  bool
}

// Label is the case's name on the agenda, or its number when the viewer may not see it.
func (c AgendaCase) Label() string {
	if c.Name == "" {
		return "Sag " + strconv.Itoa(c.Position)
	}
	return c.Name
}

// PrepSection is one section of the forberedende del as edited (by the case-holding unit).
type PrepSection struct {
	Key, Label, Hint, Text, Error string
}

// PrepView is one section of the forberedende del as shown: classified per section, so a
// section the viewer may not see says so instead.
type PrepView struct {
	Label string
	Text  access.Gated[string]
}

// CaseProps is one case on the agenda: question, forberedende del and indstilling.
type CaseProps struct {
	// PostTeam: the records a fleksjob or førtidspension indstilling needs and the case lacks.
	PostTeam                     *PostTeamNotice
	MeetingID, CaseID, CitizenID int64
	Team                         string
	Start, Slot                  time.Time
	Name, CitizenHref            string
	Caseworker, Question         string
	Prep                         []PrepView
	Ready                        bool
	PreparedAt                   *time.Time
	Indstilling                  *Indstilling
	CanPrepare, CanRecord        bool
	CanRemove                    bool
	// Withdrawn: the case was taken off the agenda at WithdrawnAt by WithdrawnBy; it is kept
	// in the citizen's history and can no longer be changed.
	WithdrawnAt *time.Time
	WithdrawnBy string
	Form        IndstillingValues
	Summary     map[string]string // field → "Label: message", for the error summary
	Errors      map[string]string
	Outcomes    []components.Option
	// Decision is the partshøring and the municipality's afgørelse, for the case-holding
	// unit; nil for everyone else (the team only recommends).
	Decision *DecisionSection
	// IndstillingLetterHref sends the team's indstilling to the citizen as a letter ("" for
	// a viewer who may not, or before the team has recommended).
	IndstillingLetterHref string
	// Attendance is who was in the room (nil until recorded); the chair and the minute-taker
	// record it (CanRecordMinutes) with AttendanceForm.
	Attendance       *AttendanceView
	CanRecordMinutes bool
	AttendanceForm   AttendanceValues
	// Comments are the citizen's comments to the indstilling; CommentsBy "" until recorded.
	Comments     access.Gated[string]
	CommentsBy   string
	CommentsAt   time.Time
	CommentsForm CommentsValues
}

// AttendanceValues is the attendance form: the room's members to tick, and what is ticked.
type AttendanceValues struct {
	Citizen, Bisidder bool
	Members           []components.Option
	Selected          []string
	Error             string
}

// CommentsValues is the form of the citizen's comments.
type CommentsValues struct {
	Text, Error string
	// Show: the form is there (an indstilling to comment on, and the viewer may read and
	// write the comments).
	Show bool
}

// Indstilling is the team's recorded indstilling, labels resolved. The reasons and the
// recommended efforts routinely name diagnoses and are health data.
type Indstilling struct {
	Outcome, By      string
	Reasons, Efforts access.Gated[string]
	At               time.Time
}

// IndstillingValues are the indstilling form's fields as typed.
type IndstillingValues struct {
	Outcome, Reasons, Efforts, Version string
}

// IndstillingOrder is the order of the indstilling form's fields, for the error summary.
var IndstillingOrder = []string{"outcome", "reasons", "recommended_efforts", "version"}

// PrepareProps is the form of the forberedende del.
type PrepareProps struct {
	// FromDescription: the sections are filled from the citizen's samlet beskrivelse.
	FromDescription   bool
	MeetingID, CaseID int64
	Name, Question    string
	Start             time.Time
	Sections          []PrepSection
	Ready             bool
	Version           string
	Errors            map[string]string
	Summary           map[string]string // field → "Label: message", for the error summary
}

// PrintProps is the team's written indstilling, for print.
type PrintProps struct {
	Team, Name, CPR, Question, Caseworker string
	Start                                 time.Time
	Indstilling                           Indstilling
	Members                               []string
}

// BoardProps is the shared-screen board of a meeting, as one viewer may see it.
type BoardProps struct {
	MeetingID int64
	Title     string
	Start     time.Time
	Agenda    []AgendaCase
	Focus     *BoardCase
	CanFocus  bool
	CanRecord bool
	// CitizenPresent: the citizen in focus is in the room; the agenda names no other case.
	CitizenPresent bool
	// Deliberating: "teamet drøfter"; the case in focus shows by its place only.
	Deliberating bool
	Rendered     time.Time
}

// Announcement is what the board's live region says when another case comes on the screen
// (js/board.js): its place on the agenda and, where this screen shows the name, the citizen's
// name ("Sag 3 af 7: Anna Jensen"); nothing else of the case is read out.
func (p BoardProps) Announcement() string {
	if p.Focus == nil {
		return "Ingen sag på skærmen"
	}
	s := "Sag " + strconv.Itoa(p.Focus.Position) + " af " + strconv.Itoa(len(p.Agenda))
	if p.Focus.Name != "" {
		s += ": " + p.Focus.Name
	}
	return s
}

// BoardCase is the case in focus on the board.
type BoardCase struct {
	CaseID     int64
	Position   int
	Name       string // "" when the viewer may not see the citizen
	Age        int
	Caseworker string
	Question   string
	Ready      bool
	// Picture is the shared picture of the case; nil when the viewer may not see it.
	Picture     *picture.Props
	Indstilling *Indstilling
	// Timer is the case's time on the agenda, from when it came on the screen; nil before
	// the timer was kept.
	Timer *BoardTimer
	// Prep is the forberedende del's written sections, each as the screen may show it.
	Prep []PrepView
	// Advice is the sundhedskoordinator's given advice, as the screen may show it.
	Advice []BoardAdvice
	// Attendance is who is in the room for the case; nil until recorded.
	Attendance *AttendanceView
}

// BoardTimer is the time the agenda gives the case in focus: the slot's minutes from the
// moment the chair put it on the screen. js/board.js counts it; without JavaScript the
// board says when it started and how long it has.
type BoardTimer struct {
	Start   time.Time
	Minutes int
}

// Static is the timer as text, without JavaScript: "Startet kl. 10.05, 30 min afsat".
func (t BoardTimer) Static() string {
	return "Startet kl. " + t.Start.Local().Format("15.04") + ", " + strconv.Itoa(t.Minutes) + " min afsat"
}

// BoardAdvice is one given sundhedsfaglig rådgivning on the board.
type BoardAdvice struct {
	Unit string
	At   time.Time
	Text access.Gated[string]
}

// AttendanceView is who was in the room while the team handled a case.
type AttendanceView struct {
	Citizen, Bisidder bool
	Members           []string // names of the room's members present
	Room              int      // the number of seats in the room
	By                string
	At                time.Time
}

// Summary says the attendance in one line: "Borgeren: til stede · Bisidder: ikke til stede
// · Teamet: 3 af 4".
func (a AttendanceView) Summary() string {
	yes := func(b bool) string {
		if b {
			return "til stede"
		}
		return "ikke til stede"
	}
	return "Borgeren: " + yes(a.Citizen) + " · Bisidder: " + yes(a.Bisidder) + " · Teamet: " +
		strconv.Itoa(len(a.Members)) + " af " + strconv.Itoa(a.Room)
}

// TeamsProps is the list of rehabiliteringsteams with the form for a new one.
type TeamsProps struct {
	Teams     []TeamRow
	CanCreate bool
	Name      string
	Unit      string
	Units     []components.Option
	Errors    map[string]string
}

// TeamRow is one team in the list.
type TeamRow struct {
	ID         int64
	Name, Unit string
	Members    int
}

// TeamProps is a team with its members.
type TeamProps struct {
	ID         int64
	Name, Unit string
	Members    []Member
	CanEdit    bool
	Candidates []components.Option
	Areas      []components.Option
	User, Area string
	Errors     map[string]string
}

// Member is one member of a team.
type Member struct {
	UserID                 int64
	Name, Unit, Role, Area string
}

// The ids of the case's sections on the board: the targets of its section navigation.
const (
	SecPrep        = "board-sec-prep"
	SecAdvice      = "board-sec-advice"
	SecPlan        = "board-sec-plan"
	SecTFA         = "board-sec-tfa"
	SecRisk        = "board-sec-risk"
	SecReferrals   = "board-sec-ref"
	SecIndstilling = "board-sec-indstilling"
)

// BoardSection is one entry of the board's section navigation.
type BoardSection struct{ ID, Label string }

// Sections are the case's sections on the board in the order they stand, each one a screen
// of its own: the shared picture's only when the screen may see it.
func (c BoardCase) Sections() []BoardSection {
	out := []BoardSection{{SecPrep, "Forberedende del"}, {SecAdvice, "Rådgivning"}}
	if c.Picture != nil {
		out = append(out, BoardSection{SecPlan, "Indsatsplan"}, BoardSection{SecTFA, "TFA"},
			BoardSection{SecRisk, "Trivsel"}, BoardSection{SecReferrals, "Henvisninger"})
	}
	return append(out, BoardSection{SecIndstilling, "Indstilling"})
}
