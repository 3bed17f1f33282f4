package helhed

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Fields of the meeting forms used as keys in Error.Fields.
const (
	FieldMeetingStart    = "starts_at"
	FieldMeetingLocation = "location"
	FieldMeetingSlot     = "slot_minutes"
	FieldCaseCitizen     = "citizen"
	FieldCaseQuestion    = "question"
	FieldOutcome         = "outcome"
	FieldReasons         = "reasons"
	FieldEfforts         = "recommended_efforts"
)

// PrepSection is one section of the forberedende del of the rehabiliteringsplan: what the
// caseworker writes, with the citizen, before the case goes to the rehabiliteringsteam.
type PrepSection struct {
	Key   string
	Label string
	Hint  string
}

// PrepSections are the seven sections of the forberedende del, in the order of the official
// form. Key is the form field and the key in the stored document.
var PrepSections = []PrepSection{
	{"education", "Uddannelse, beskæftigelseserfaring og ressourcer", "Uddannelse, jobs og hvad borgeren kan"},
	{"personal", "Personlige ressourcer og netværk", "Familie, venner, interesser, hvad der giver energi"},
	{"challenges", "Beskæftigelsesmæssige og sociale udfordringer", "Hvad står i vejen for arbejde eller uddannelse"},
	{"wishes", "Borgerens ønsker og mål", "I borgerens egne ord"},
	{"health", "Helbredsforhold og dokumentation", "Helbredssituationen, lægelig dokumentation og betydningen for arbejdsevnen"},
	{"benefits", "Forsørgelseshistorik", "Ydelser og perioder"},
	{"earlier", "Erfaringer fra tidligere indsatser", "Hvad er prøvet, og hvad har virket"},
}

// PrepHealthKey is the section that holds health information: shown across administrations
// only under a current consent, like every other piece of health data.
const PrepHealthKey = "health"

// MaxPrepSection bounds one section of the forberedende del.
const MaxPrepSection = 4000

// Preparation is the forberedende del: section key → text.
type Preparation map[string]string

// Missing lists the labels of the sections that are still empty.
func (p Preparation) Missing() []string {
	var out []string
	for _, s := range PrepSections {
		if strings.TrimSpace(p[s.Key]) == "" {
			out = append(out, s.Label)
		}
	}
	return out
}

// ValidatePreparation checks the forberedende del. A draft may be incomplete; ready (the
// caseworker marks it complete, and the agenda shows the case as ready) needs every section.
func ValidatePreparation(p Preparation, ready bool) error {
	fields := map[string]string{}
	for _, s := range PrepSections {
		v := strings.TrimSpace(p[s.Key])
		switch {
		case utf8.RuneCountInString(v) > MaxPrepSection:
			fields[s.Key] = "Højst 4.000 tegn"
		case ready && v == "":
			fields[s.Key] = "Udfyld afsnittet, før forberedelsen markeres som færdig"
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Forberedelsen kan ikke gemmes", Fields: fields}
}

// MeetingInput is what the rules need to know about a planned meeting.
type MeetingInput struct {
	Start       time.Time // zero = not given
	SlotMinutes int
	Location    string
}

// MeetingYearsAhead is how far ahead a meeting may be planned. The team sees the citizens on
// an agenda from when a case is added until days after the meeting (AgendaAccessUntil), so a
// meeting dated far ahead would hold that window open; teams plan a season or a year ahead,
// and two years leaves room without letting a typo (year 9999) stand.
const MeetingYearsAhead = 2

// MeetingHeld reports whether a meeting starting at start has been held by now: its start has
// passed. A held meeting is history, and its date, place, chair and minute-taker no longer
// change (the minutes name them, and moving it would stretch the team's access window).
func MeetingHeld(start, now time.Time) bool { return !start.After(now) }

// ValidateMeeting checks a new or moved meeting against now: a meeting is planned ahead, not
// in the past, and at most MeetingYearsAhead years ahead; a case slot is 10 to 120 minutes
// (30 by default in the teams we know).
func ValidateMeeting(m MeetingInput, now time.Time) error {
	fields := map[string]string{}
	switch {
	case m.Start.IsZero():
		fields[FieldMeetingStart] = "Angiv dato og klokkeslæt for mødet"
	case m.Start.Before(now):
		fields[FieldMeetingStart] = "Mødet ligger i fortiden. Vælg et tidspunkt fra nu af"
	case m.Start.After(now.AddDate(MeetingYearsAhead, 0, 0)):
		fields[FieldMeetingStart] = "Et møde kan højst planlægges 2 år frem. Kontrollér årstallet"
	}
	if m.SlotMinutes < 10 || m.SlotMinutes > 120 {
		fields[FieldMeetingSlot] = "Tid pr. sag skal være mellem 10 og 120 minutter"
	}
	if utf8.RuneCountInString(m.Location) > 200 {
		fields[FieldMeetingLocation] = "Højst 200 tegn"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Mødet kan ikke gemmes", Fields: fields}
}

// ValidateCaseQuestion checks the question a caseworker puts to the team.
func ValidateCaseQuestion(q string) error {
	switch n := utf8.RuneCountInString(strings.TrimSpace(q)); {
	case n == 0:
		return &Error{Code: EInvalid, Message: "Sagen kan ikke sættes på dagsordenen",
			Fields: map[string]string{FieldCaseQuestion: "Skriv spørgsmålet til rehabiliteringsteamet"}}
	case n > 1000:
		return &Error{Code: EInvalid, Message: "Sagen kan ikke sættes på dagsordenen",
			Fields: map[string]string{FieldCaseQuestion: "Højst 1.000 tegn"}}
	}
	return nil
}

// Indstilling is the team's recommendation in one case.
type Indstilling struct {
	Outcome            string // reference code, kind 'indstilling'
	Reasons            string
	RecommendedEfforts string
}

// ValidateIndstilling checks an indstilling; outcomeValid says whether the outcome is a
// value in force on the meeting day (reference data the caller has looked up). An
// indstilling without reasons is refused: the citizen and the case must be able to see why.
func ValidateIndstilling(in Indstilling, outcomeValid bool) error {
	fields := map[string]string{}
	if in.Outcome == "" || !outcomeValid {
		fields[FieldOutcome] = "Vælg teamets indstilling"
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Reasons)); {
	case n == 0:
		fields[FieldReasons] = "Skriv begrundelsen for indstillingen"
	case n > 4000:
		fields[FieldReasons] = "Højst 4.000 tegn"
	}
	if utf8.RuneCountInString(in.RecommendedEfforts) > 4000 {
		fields[FieldEfforts] = "Højst 4.000 tegn"
	}
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "Indstillingen kan ikke gemmes", Fields: fields}
}

// AgendaAccessUntil is the end of the team members' access to a case on a meeting's agenda:
// days after the meeting began (need to know: the indstilling is written up and sent in the
// days after the meeting; then the case is the jobcenter's alone again). The store computes
// the same instant in SQL (meetingAccessSQL) so the access check is one query.
func AgendaAccessUntil(meetingStart time.Time, days int) time.Time {
	return meetingStart.AddDate(0, 0, days)
}

// SlotStart is when case number position (1-based) on a meeting's agenda is due.
func SlotStart(meetingStart time.Time, slotMinutes, position int) time.Time {
	return meetingStart.Add(time.Duration((position-1)*slotMinutes) * time.Minute)
}
