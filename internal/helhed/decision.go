package helhed

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The municipality's afgørelse after the rehabiliteringsteam's indstilling, and the
// partshøring before it (forvaltningsloven §§ 19–25). docs/law.md names the sources; the
// rules that may change with the law (the partshøring's default deadline, whether departing
// needs a genforelæggelse, the complaint guidance) are dated settings the caller passes in.

// Fields of the partshøring and decision forms, used as keys in Error.Fields.
const (
	FieldHearingSubject  = "subject"
	FieldHearingSent     = "sent_on"
	FieldHearingDeadline = "deadline"
	FieldHearingResult   = "result"
	FieldResponseOn      = "response_on"
	FieldResponseSummary = "response_summary"
	FieldDecisionOutcome = "outcome"
	FieldDecisionReasons = "reasons"
	FieldDeparture       = "departure_reasons"
	FieldRevurdering     = "revurdering_on"
	FieldDecidedOn       = "decided_on"
	FieldHearingOmitted  = "hearing_omitted_reason"
	// FieldHearing is the decision form's partshøring block: a running deadline is refused
	// beside it.
	FieldHearing = "partshoering"
)

// Bounds of the texts.
const (
	MaxDecisionText = 4000
	// MinDepartureReasons is the least a "Begrundelse for at fravige indstillingen" may be:
	// it must say why the municipality does not follow the team, which a word or two does not.
	MinDepartureReasons = 50
	MaxHearingText      = 4000
	MaxOmittedReason    = 2000
	// MaxHearingDeadlineDays bounds a deadline: a year after sending is a typing error.
	MaxHearingDeadlineDays = 366
)

// The results of a partshøring: the program's own codes (a CHECK in migration 0021).
const (
	HearingAnswered   = "svar"       // the citizen's reply is recorded
	HearingNoResponse = "intet_svar" // the deadline passed without a reply
)

// HearingResults are every result code.
var HearingResults = []string{HearingAnswered, HearingNoResponse}

// DanishToday is the Danish calendar date of the instant now, as midnight UTC: the form a
// PostgreSQL date is read back in, so the two compare as days.
func DanishToday(now time.Time) time.Time { return dateOnly(now.In(danish)) }

// HearingInput is a new partshøring.
type HearingInput struct {
	Subject  string // what the citizen is heard on
	SentOn   time.Time
	Deadline time.Time
}

// ValidateHearing checks a new partshøring on today: it has been sent (today at the latest),
// and its deadline lies after the day it was sent and within a year of it.
func ValidateHearing(in HearingInput, today time.Time) error {
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Subject)); {
	case n == 0:
		fields[FieldHearingSubject] = "Skriv, hvad borgeren høres om"
	case n > MaxHearingText:
		fields[FieldHearingSubject] = "Højst 4.000 tegn"
	}
	switch {
	case in.SentOn.IsZero():
		fields[FieldHearingSent] = "Angiv datoen, partshøringen blev sendt"
	case dateOnly(in.SentOn).After(dateOnly(today)):
		fields[FieldHearingSent] = "Datoen ligger i fremtiden. Registrér partshøringen, når den er sendt"
	}
	switch {
	case in.Deadline.IsZero():
		fields[FieldHearingDeadline] = "Angiv svarfristen"
	case in.SentOn.IsZero():
	case !dateOnly(in.Deadline).After(dateOnly(in.SentOn)):
		fields[FieldHearingDeadline] = "Fristen skal ligge efter den dag, partshøringen blev sendt"
	case dateOnly(in.Deadline).After(dateOnly(in.SentOn).AddDate(0, 0, MaxHearingDeadlineDays)):
		fields[FieldHearingDeadline] = "Fristen kan højst ligge et år efter afsendelsen. Kontrollér årstallet"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Partshøringen kan ikke gemmes", Fields: fields}
}

// HearingStatus is where a partshøring stands on a day.
type HearingStatus string

// The statuses.
const (
	HearingRunning  HearingStatus = "afventer"    // no reply yet, the deadline has not passed
	HearingOverdue  HearingStatus = "overskredet" // no reply recorded, the deadline has passed
	HearingReplied  HearingStatus = HearingAnswered
	HearingNoReply  HearingStatus = HearingNoResponse
	hearingNoStatus HearingStatus = ""
)

// HearingStatusOf is the status of a partshøring with result ("" while none is recorded) and
// deadline on today. The deadline day itself is the citizen's: it has passed the day after.
func HearingStatusOf(result string, deadline, today time.Time) HearingStatus {
	switch result {
	case HearingAnswered:
		return HearingReplied
	case HearingNoResponse:
		return HearingNoReply
	case "":
		if dateOnly(today).After(dateOnly(deadline)) {
			return HearingOverdue
		}
		return HearingRunning
	}
	return hearingNoStatus
}

// Label is the status in Danish.
func (s HearingStatus) Label() string {
	switch s {
	case HearingRunning:
		return "Afventer svar"
	case HearingOverdue:
		return "Fristen er udløbet uden registreret svar"
	case HearingReplied:
		return "Svar modtaget"
	case HearingNoReply:
		return "Intet svar inden fristen"
	}
	return ""
}

// Complete reports whether the partshøring is over: a reply or its absence is recorded, or
// the deadline has passed (the authority may then decide without the reply).
func (s HearingStatus) Complete() bool { return s != HearingRunning && s != hearingNoStatus }

// HearingResultInput is the outcome of a partshøring: the reply, or none by the deadline.
type HearingResultInput struct {
	Result     string // HearingAnswered or HearingNoResponse
	ResponseOn time.Time
	Summary    string
}

// ValidateHearingResult checks the outcome of a partshøring sent on sentOn with deadline, on
// today. A reply is dated between the sending and today and summarised; "no reply" is
// recorded only after the deadline.
func ValidateHearingResult(in HearingResultInput, sentOn, deadline, today time.Time) error {
	fields := map[string]string{}
	switch in.Result {
	case HearingAnswered:
		switch {
		case in.ResponseOn.IsZero():
			fields[FieldResponseOn] = "Angiv datoen, svaret blev modtaget"
		case dateOnly(in.ResponseOn).Before(dateOnly(sentOn)):
			fields[FieldResponseOn] = "Svaret kan ikke være modtaget, før partshøringen blev sendt (" + danishDate(sentOn) + ")"
		case dateOnly(in.ResponseOn).After(dateOnly(today)):
			fields[FieldResponseOn] = "Datoen ligger i fremtiden"
		}
		switch n := utf8.RuneCountInString(strings.TrimSpace(in.Summary)); {
		case n == 0:
			fields[FieldResponseSummary] = "Skriv kort, hvad borgeren svarede"
		case n > MaxHearingText:
			fields[FieldResponseSummary] = "Højst 4.000 tegn"
		}
	case HearingNoResponse:
		if !dateOnly(today).After(dateOnly(deadline)) {
			fields[FieldHearingResult] = "Fristen løber til og med " + danishDate(deadline) + ". Registrér »intet svar«, når den er udløbet"
		}
	default:
		fields[FieldHearingResult] = "Vælg, om borgeren har svaret"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Partshøringens resultat kan ikke gemmes", Fields: fields}
}

// Decision is the municipality's afgørelse in a case the team has given an indstilling on.
type Decision struct {
	Outcome string // reference code, kind 'indstilling'
	// IndstillingOutcome is the team's outcome when the decision is made.
	IndstillingOutcome string
	Reasons            string
	// DepartureReasons says why the decision departs from the indstilling ("" when it
	// follows it).
	DepartureReasons string
	// RevurderingOn is the day the case was put before the team again, when it departs.
	RevurderingOn *time.Time
	DecidedOn     time.Time
	// HearingOmittedReason says why no partshøring was completed (forvaltningsloven § 19,
	// stk. 2); "" when one was.
	HearingOmittedReason string
}

// Follows reports whether the decision follows the team's indstilling.
func (d Decision) Follows() bool { return d.Outcome == d.IndstillingOutcome }

// HearingState is one partshøring of the case, as the decision's rules see it.
type HearingState struct {
	Result   string
	Deadline time.Time
}

// DecisionRules is what the decision's rules need beyond the form.
type DecisionRules struct {
	OutcomeValid bool      // the outcome is a reference value in force
	Indstilling  time.Time // the day the team's indstilling was recorded
	Today        time.Time
	// RevurderingRequired: departing needs the day of the genforelæggelse (a dated setting).
	RevurderingRequired bool
	Hearings            []HearingState
}

// HearingsComplete reports whether at least one partshøring is complete on today, and the
// deadline of one still running (zero when none is).
func HearingsComplete(hs []HearingState, today time.Time) (complete bool, running time.Time) {
	for _, h := range hs {
		st := HearingStatusOf(h.Result, h.Deadline, today)
		if st.Complete() {
			complete = true
		}
		if st == HearingRunning && (running.IsZero() || h.Deadline.After(running)) {
			running = h.Deadline
		}
	}
	return complete, running
}

// ValidateDecision checks a decision against its rules. A decision is refused while a
// partshøring's deadline runs without a recorded reply; without any completed partshøring it
// needs the reason partshøring is left out. Departing from the indstilling needs its own
// reasons and, while the setting requires it, the day of the team's revurdering.
func ValidateDecision(d Decision, r DecisionRules) error {
	fields := map[string]string{}
	if d.Outcome == "" || !r.OutcomeValid {
		fields[FieldDecisionOutcome] = "Vælg kommunens afgørelse"
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(d.Reasons)); {
	case n == 0:
		fields[FieldDecisionReasons] = "Skriv begrundelsen for afgørelsen"
	case n > MaxDecisionText:
		fields[FieldDecisionReasons] = "Højst 4.000 tegn"
	}
	switch {
	case d.DecidedOn.IsZero():
		fields[FieldDecidedOn] = "Angiv datoen for afgørelsen"
	case dateOnly(d.DecidedOn).After(dateOnly(r.Today)):
		fields[FieldDecidedOn] = "Datoen ligger i fremtiden. Registrér afgørelsen, når den er truffet"
	case !r.Indstilling.IsZero() && dateOnly(d.DecidedOn).Before(dateOnly(r.Indstilling)):
		fields[FieldDecidedOn] = "Afgørelsen kan ikke ligge før teamets indstilling (" + danishDate(r.Indstilling) + ")"
	}
	departure := utf8.RuneCountInString(strings.TrimSpace(d.DepartureReasons))
	if d.Outcome != "" && d.Follows() {
		if departure > 0 {
			fields[FieldDeparture] = "Afgørelsen følger teamets indstilling. Udfyld kun feltet, når afgørelsen fraviger den"
		}
		if d.RevurderingOn != nil {
			fields[FieldRevurdering] = "Afgørelsen følger teamets indstilling. Angiv kun datoen, når afgørelsen fraviger den"
		}
	} else if d.Outcome != "" {
		switch {
		case departure == 0:
			fields[FieldDeparture] = "Afgørelsen fraviger teamets indstilling. Skriv, hvorfor kommunen ikke følger den"
		case departure < MinDepartureReasons:
			fields[FieldDeparture] = "Forklar i mindst 50 tegn, hvorfor kommunen ikke følger teamets indstilling"
		case departure > MaxDecisionText:
			fields[FieldDeparture] = "Højst 4.000 tegn"
		}
		switch {
		case d.RevurderingOn == nil && r.RevurderingRequired:
			fields[FieldRevurdering] = "Afgørelsen fraviger teamets indstilling. Angiv datoen, sagen blev genforelagt rehabiliteringsteamet"
		case d.RevurderingOn == nil:
		case dateOnly(*d.RevurderingOn).After(dateOnly(r.Today)):
			fields[FieldRevurdering] = "Datoen ligger i fremtiden"
		case !r.Indstilling.IsZero() && dateOnly(*d.RevurderingOn).Before(dateOnly(r.Indstilling)):
			fields[FieldRevurdering] = "Genforelæggelsen kan ikke ligge før teamets indstilling (" + danishDate(r.Indstilling) + ")"
		case !d.DecidedOn.IsZero() && dateOnly(*d.RevurderingOn).After(dateOnly(d.DecidedOn)):
			fields[FieldRevurdering] = "Genforelæggelsen skal ligge før eller på afgørelsens dato"
		}
	}
	complete, running := HearingsComplete(r.Hearings, r.Today)
	switch omitted := utf8.RuneCountInString(strings.TrimSpace(d.HearingOmittedReason)); {
	case !running.IsZero():
		fields[FieldHearing] = "Partshøringsfristen løber til og med " + danishDate(running) +
			", og borgerens svar er ikke registreret. Afgørelsen kan træffes, når svaret er registreret eller fristen er udløbet"
	case complete:
	case omitted == 0:
		fields[FieldHearingOmitted] = "Borgeren er ikke partshørt. Skriv, hvorfor partshøring undlades (forvaltningslovens § 19, stk. 2)"
	case omitted > MaxOmittedReason:
		fields[FieldHearingOmitted] = "Højst 2.000 tegn"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Afgørelsen kan ikke gemmes", Fields: fields}
}
