// Package citizens holds the pages about citizens: caseload lists, the citizen overview and
// the create/edit form. Props are plain view data; no database access happens here.
package citizens

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/picture"
	"github.com/helhed/helhed/web/paths"
)

// HomeProps is the start page for roles without a caseload.
type HomeProps struct{ Name string }

// Row is one citizen in a list; CPR is already masked.
type Row struct {
	ID           int64
	Name         string
	CPR          string
	Age          int
	Visitation   string
	RiskGroup    string
	Caseworker   string
	Benefit      string
	BenefitSince *time.Time
	// FollowUpOverdue: the plan's follow-up was due before today.
	FollowUpOverdue bool
	// HearingOverdue: a partshøring's deadline passed without a recorded reply;
	// AwaitingDecision: the team has given an indstilling and the municipality has not decided.
	HearingOverdue, AwaitingDecision bool
	// RepeatedNoShows: an open referral of the citizen has repeated no-shows.
	RepeatedNoShows bool
}

// Href is the citizen page's URL.
func (r Row) Href() string { return paths.Citizen(r.ID) }

// CaseloadProps is a caseload or search-result list.
type CaseloadProps struct {
	Title       string
	Scope       string // "" (mine), "enhed", "soeg"
	Sort        string
	Visitation  string
	RiskGroup   string
	Search      string
	Total       int
	More        bool // a search found more than Total (it counts up to a cap)
	Rows        []Row
	Pages       components.PageInfo
	Visitations []components.Option
	CanCreate   bool
	Today       time.Time
	Overdue     bool // filtered on overdue follow-up
	// Caseworker narrows a unit list to one caseworker's citizens (the leader's drill-down).
	Caseworker CaseworkerFilter
}

// CaseworkerFilter is the caseworker a unit list is narrowed to: Value for the URL ("ingen"
// for citizens without one), Name for the heading. Zero when the list is the whole unit's.
type CaseworkerFilter struct {
	Value, Name string
	// HandoverHref leads a leader to hand over all of the caseworker's cases ("" otherwise).
	HandoverHref string
}

// SortOptions are the orderings a caseload offers.
var SortOptions = []components.Option{
	{Value: "name", Label: "Navn"},
	{Value: "newest", Label: "Senest oprettet"},
	{Value: "benefit", Label: "Længst på ydelse"},
}

// RiskOptions filter a caseload by the current risk group.
var RiskOptions = []components.Option{
	{Value: "hoej", Label: "Høj"}, {Value: "mellem", Label: "Mellem"}, {Value: "lav", Label: "Lav"},
	{Value: "ingen", Label: "Ingen"}, {Value: "uden", Label: "Ikke screenet"},
}

// Benefit is one benefit period with labels resolved.
type Benefit struct {
	Label string
	Start time.Time
	End   *time.Time
	Exit  string
	// Reason is the caseworker's reason for recording the period although a benefit rule
	// warned (LAB § 112, stk. 3 …); "" when none did.
	Reason string
}

// OverviewProps is the citizen page.
type OverviewProps struct {
	// PostTeam is the samlet beskrivelse and the sundhedsfaglig rådgivning (nil: not shown).
	PostTeam     *PostTeamSection
	ID           int64
	Name         string
	CPR          string // masked unless Revealed
	Revealed     bool
	Age          int
	Address      string
	Phone        string
	Email        string
	Unit         string
	Caseworker   string
	Visitation   string
	Current      *Benefit
	Benefits     []Benefit
	CanEdit      bool
	CanRevealCPR bool
	CanScreen    bool
	CanConsent   bool
	// RiskGroup is the current risk group ("" when never screened): health data.
	RiskGroup access.Gated[string]
	Today     time.Time

	Screenings access.Gated[[]ScreeningRow] // newest first; health data, dates included
	// WHO5Thresholds are the limits of the rule set in force, drawn in the trend chart.
	WHO5Thresholds components.WHO5Thresholds
	Consents       []ConsentRow

	ConsentInformation []components.Option
	ConsentUnitOptions []components.Option
	ConsentForm        map[string]string
	ConsentUnits       map[string]bool
	ConsentErrors      map[string]string
	ConsentSummary     map[string]string // the error summary's texts ("Formål: Skal udfyldes")
	// Referrals are the citizen's referrals the user may see (all of them for the case-holding
	// unit; a provider sees those to its own unit); CanRefer shows "Henvis til tilbud".
	Referrals []access.Gated[Referral]
	CanRefer  bool

	BenefitTypes  []components.Option
	ExitReasons   []components.Option
	BenefitForm   map[string]string
	BenefitErrors map[string]string
	// BenefitSummary is the error summary's texts ("Startdato: Skal udfyldes").
	BenefitSummary map[string]string

	// Assessment and Plan are the TFA and indsatsplan sections (plan_sections.templ).
	Assessment AssessmentSection
	Plan       PlanSection

	// Meetings are the rehabiliteringsteam meetings the citizen is on (meeting_section.templ);
	// CanAgenda shows the form that puts the citizen on an upcoming meeting's agenda.
	Meetings  []MeetingRow
	CanAgenda bool
	// CanDecide shows each case's afgørelse and tasks (the case-holding unit).
	CanDecide      bool
	MeetingOptions []components.Option
	MeetingForm    map[string]string
	MeetingErrors  map[string]string
	MeetingSummary map[string]string // the error summary's texts ("Møde: Vælg en af mulighederne")

	// Closure is the case's closure and slettestop (closure.templ).
	Closure ClosureSection

	// Journal is the journal's section (journal_section.templ).
	Journal JournalSection
	// Samtaler is the samtaler section (samtaler_section.templ).
	Samtaler SamtalerSection

	// Documents is the Dokumenter section (documents.templ).
	Documents DocumentSummary
	// Letters is the Breve section (letters.templ).
	Letters LetterSummary
}

// JournalSection is the citizen page's glimpse of the journal: how many notes the user may
// see and the newest few. Shown is false for a user who may not read the journal.
type JournalSection struct {
	Shown    bool
	Total    int
	Notes    []access.Gated[JournalNote]
	CanWrite bool
}

// JournalNote is one of the newest notes on the citizen page.
type JournalNote struct {
	Date               time.Time
	Kind, Author, Text string
	Href               string
}

// MeetingRow is one meeting with the citizen on its agenda.
type MeetingRow struct {
	Href, Team, Question, Outcome string
	Start                         time.Time
	Prepared                      bool
	// WithdrawnAt: the case was taken off that meeting's agenda; its record is kept.
	WithdrawnAt *time.Time
	// Decision is the municipality's current afgørelse (its label); AwaitingDecision and
	// HearingOverdue are the case's tasks.
	Decision                         string
	AwaitingDecision, HearingOverdue bool
}

// ClosureSection is the case's closure, deletion date and slettestop on the citizen page.
type ClosureSection struct {
	ClosedAt    *time.Time
	ClosedBy    string
	Reason      string
	DeletionDue *time.Time // when the closed case is deleted, unless a slettestop holds it
	HoldAt      *time.Time
	HoldBy      string
	HoldReason  string
	// CanClose: close or reopen (the case-holding unit); CanHold: place or lift a slettestop
	// (the unit's leader). Only they see the slettestop's reason.
	CanClose, CanHold bool
	// Form and Errors are a rejected close_reason or hold_reason, as typed.
	Form   map[string]string
	Errors map[string]string
}

// ShowHold reports whether the user sees the slettestop and its reason.
func (c ClosureSection) ShowHold() bool { return c.HoldAt != nil && (c.CanClose || c.CanHold) }

// Referral is one of the citizen's referrals on the overview.
type Referral struct {
	Href, Offer, Unit, State string
	Sent, Changed            time.Time
	// NoShows: the citizen has not turned up this many times, at or above the warning
	// threshold (0: no warning). Shown to the case holder.
	NoShows int
}

// Href is the citizen page's URL.
func (p OverviewProps) Href() string { return paths.Citizen(p.ID) }

// FormValues are the citizen form's fields exactly as typed.
type FormValues struct {
	CPR, FirstName, LastName, Address, PostalCode, City, Phone, Email string
	Caseworker, Visitation, Version                                   string
}

// FormProps is the create/edit form.
type FormProps struct {
	New         bool
	ID          int64
	Values      FormValues
	Errors      map[string]string
	Summary     map[string]string // field → "Label: message", for the error summary
	Caseworkers []components.Option
	Visitations []components.Option
}

// Action is where the form posts.
func (p FormProps) Action() string {
	if p.New {
		return "/borgere/ny"
	}
	return paths.CitizenEdit(p.ID)
}

// FieldOrder is the order of the form's fields, for the error summary.
var FieldOrder = []string{"version", "cpr", "first_name", "last_name", "address", "postal_code", "city",
	"phone", "email", "caseworker", "visitation"}

// ScreeningRow is one screening in the citizen's history.
type ScreeningRow struct {
	ID         int64
	On         time.Time
	WHO5       int
	Group      string
	Overridden bool
	By         string
	// SelfReported: a WHO-5 the citizen answered themself before a samtale (the citizen
	// area), shown in the trend and the table marked as theirs; ID is then the report's.
	SelfReported bool
}

// ConsentRow is one consent on the citizen page.
type ConsentRow struct {
	ID          int64
	Information string
	Unit        string
	Purpose     string
	Given       time.Time
	Expires     *time.Time
	WithdrawnAt *time.Time
	RecordedBy  string
	Current     bool
}

// CoordinationProps is "Fælles overblik": the shared picture of the citizen's case across
// units — who is involved from each, every effort on one timeline, the latest screening, the
// consents in force, and what comes next.
type CoordinationProps struct {
	ID           int64
	Name, CPR    string
	Age          int
	Unit         string
	People       []access.Gated[Involved]
	Consents     []ConsentRow // in force today
	NextFollowUp *time.Time
	Overdue      bool
	Meetings     []MeetingRow // upcoming
	Picture      picture.Props
}

// Involved is one person or unit working with the citizen, and on what.
type Involved struct {
	Area, Name, Unit, What string
}

// Href is the citizen page.
func (p CoordinationProps) Href() string { return paths.Citizen(p.ID) }

// SamtalerSection is the citizen page's line on the kontaktforløb: when the next required
// conversation is due (Next, "" for none, with Why) and whether it is overdue. Shown is false
// for a user who may not see the samtaler.
type SamtalerSection struct {
	Shown   bool
	Next    time.Time
	HasNext bool
	Overdue bool
	Missed  bool
	Why     string
	CanBook bool
}
