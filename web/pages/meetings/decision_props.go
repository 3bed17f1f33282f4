package meetings

import (
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
)

// DecisionSection is the case page's partshøring and afgørelse, for the case-holding unit.
type DecisionSection struct {
	Hearings []HearingView
	Current  *DecisionView
	Earlier  []DecisionView // superseded, latest first
	// CanChange: the case has an indstilling and is on its agenda, so a partshøring can be
	// started and a decision made.
	CanChange bool
	// Awaiting: the team has given an indstilling and the municipality has not decided.
	Awaiting  bool
	Complaint string // the klagevejledning's short form, for the caseworker
}

// HearingView is one partshøring as shown; what the citizen is heard on and their reply are
// health data.
type HearingView struct {
	ID               int64
	Subject          access.Gated[string]
	SentOn, Deadline time.Time
	Status           string // the status's Danish label
	Running, Overdue bool
	ResponseOn       *time.Time
	Response         access.Gated[string]
	ResultBy         string
	// Href is the form that records the result; "" when the case can no longer change.
	Href string
	// LetterHref writes the partshøring letter to the citizen ("" for a viewer who may not).
	LetterHref string
}

// DecisionView is one decision as shown, labels resolved.
type DecisionView struct {
	ID                          int64
	Outcome, IndstillingOutcome string
	Follows                     bool
	Reasons, Departure, Omitted access.Gated[string]
	RevurderingOn               *time.Time
	DecidedOn                   time.Time
	By, Unit                    string
	SupersededAt                *time.Time
	// LetterHref writes the afgørelse letter to the citizen ("" for a viewer who may not).
	LetterHref string
}

// HearingValues are the partshøring form's fields as typed.
type HearingValues struct {
	Subject, SentOn, Deadline string
}

// HearingFormProps is the form that records a partshøring sent to the citizen.
type HearingFormProps struct {
	MeetingID, CaseID int64
	Name, Indstilling string
	DeadlineDays      int // the municipality's default, for the hint
	Values            HearingValues
	Errors            map[string]string
	Summary           map[string]string
}

// HearingOrder is the order of the partshøring form's fields, for the error summary.
var HearingOrder = []string{"subject", "sent_on", "deadline"}

// HearingResultValues are the result form's fields as typed.
type HearingResultValues struct {
	Result, ResponseOn, Summary, Version string
}

// HearingResultProps is the form that records the citizen's reply, or that none came.
type HearingResultProps struct {
	MeetingID, CaseID int64
	Name              string
	Hearing           HearingView
	Values            HearingResultValues
	Results           []components.Option
	Errors            map[string]string
	Summary           map[string]string
}

// HearingResultOrder is the order of the result form's fields, for the error summary.
var HearingResultOrder = []string{"result", "response_on", "response_summary", "version"}

// DecisionValues are the decision form's fields as typed. Current is the id of the decision
// the form changes ("0": none).
type DecisionValues struct {
	Outcome, DecidedOn, Reasons, Departure, RevurderingOn, Omitted, Current string
}

// DecisionFormProps is the form of the municipality's afgørelse.
type DecisionFormProps struct {
	MeetingID, CaseID  int64
	Name               string
	Indstilling        Indstilling
	IndstillingOutcome string // the code, to tell the form which choice follows it
	Hearings           []HearingView
	// HearingComplete: a partshøring is complete; Running: the deadline of one still runs
	// without a recorded reply (then no decision can be recorded).
	HearingComplete     bool
	Running             *time.Time
	RevurderingRequired bool
	Current             *DecisionView
	Outcomes            []components.Option
	Values              DecisionValues
	Errors              map[string]string
	Summary             map[string]string
	Complaint           string
	// PostTeam: the records a fleksjob or førtidspension afgørelse needs and the case lacks.
	PostTeam *PostTeamNotice
}

// DecisionOrder is the order of the decision form's fields, for the error summary.
var DecisionOrder = []string{"partshoering", "outcome", "decided_on", "reasons", "departure_reasons", "revurdering_on",
	"hearing_omitted_reason", "current"}

// Title is the decision form's heading.
func (p DecisionFormProps) Title() string {
	if p.Current != nil {
		return "Ny afgørelse: " + p.Name
	}
	return "Kommunens afgørelse: " + p.Name
}
