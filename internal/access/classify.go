package access

import (
	"fmt"
	"strings"
)

// Class is the kind of information a value holds about a citizen. Every column that holds
// citizen data is classified once, in columnClasses below; pages, prints, exports and the
// board read such values only through Gate, which asks the viewer's Sight.
type Class uint8

// The classes. Identity and case data follow the citizen (whoever may see the citizen sees
// them); health and social data cross from one administration to another only under a
// current consent naming the receiving unit and the kind of information (forvaltningsloven
// § 28, retssikkerhedsloven § 11 a, databeskyttelsesforordningen art. 9).
const (
	// Identity: who the citizen is — CPR (shown masked), name, address, contact.
	Identity Class = iota + 1
	// Case: the employment case — benefits, categories, dates, statuses, employment efforts.
	Case
	// Social: social circumstances — housing and economy, network, social efforts and
	// referrals to social offers.
	Social
	// Health: screenings, WHO-5, the risk group, the TFA's health tracks and Helbred element,
	// free text that routinely carries diagnoses (goals, conclusions, notes, reasons), health
	// efforts and referrals to health offers.
	Health
	// Mixed: health and social data together, in one value that cannot be split (a plan
	// version's snapshot and summary): seen only by a viewer who may see both.
	Mixed
	// ByRow: the row decides (an effort, a referral): its class is the row's Class, and the
	// unit the row belongs to sees it as its own (RowOf). Read without a row, it counts as
	// Health: the classification fails closed.
	ByRow
)

// String is the class's Danish name, as in docs/security.md.
func (c Class) String() string {
	switch c {
	case Identity:
		return "identitet"
	case Case:
		return "sag"
	case Social:
		return "social"
	case Health:
		return "helbred"
	case Mixed:
		return "helbred og social"
	case ByRow:
		return "efter række"
	}
	return "ukendt"
}

// Column is one classified column (or one key of a JSON document column, "resources.helbred").
type Column struct {
	Table, Name string
	Class       Class
}

// String is "table.column".
func (c Column) String() string { return c.Table + "." + c.Name }

// columnClasses classifies every column of every table that holds data about a citizen (the
// tables reached from citizens through foreign keys), except keys and row bookkeeping (id,
// foreign keys to other rows, version, and the constant kind column beside a reference code,
// migration 0017). A reference code is content, although a foreign key to ref_values guards it. TestEveryCitizenColumnIsClassified (internal/store) derives the
// list from the schema, so a new column without a class here fails the build's tests, and the
// canary test (internal/web) plants a marker in each and checks who sees it. Keep this table
// and docs/security.md's classification table in step.
var columnClasses = map[string]Class{
	// The citizen.
	"citizens.cpr":         Identity,
	"citizens.first_name":  Identity,
	"citizens.last_name":   Identity,
	"citizens.address":     Identity,
	"citizens.postal_code": Identity,
	"citizens.city":        Identity,
	"citizens.phone":       Identity,
	"citizens.email":       Identity,
	// The name in lower case, generated from the two above for search (migration 0053).
	"citizens.search_name":       Identity,
	"citizens.visitation_code":   Case,
	"citizens.created_at":        Case,
	"citizens.updated_at":        Case,
	"citizens.risk_group":        Health,
	"citizens.next_follow_up":    Case,
	"citizens.closed_at":         Case,
	"citizens.closed_reason":     Case,
	"citizens.legal_hold_at":     Case,
	"citizens.legal_hold_reason": Case,

	"benefit_periods.benefit_code": Case,
	"benefit_periods.start_date":   Case,
	"benefit_periods.end_date":     Case,
	"benefit_periods.exit_code":    Case,
	"benefit_periods.created_at":   Case,
	// The caseworker's reason for recording a period a benefit rule warned about (LAB § 112,
	// stk. 3: "borgeren ønsker det selv"): part of the employment case, like the period.
	"benefit_periods.rule_reason": Case,

	// Consents are case data: who may receive what is what every party must be able to see.
	"consents.information":  Case,
	"consents.purpose":      Case,
	"consents.given_on":     Case,
	"consents.expires_on":   Case,
	"consents.withdrawn_at": Case,
	"consents.created_at":   Case,
	// That the citizen gave or withdrew a consent themself, in the citizen area (0037).
	"consents.given_by_citizen":     Case,
	"consents.withdrawn_by_citizen": Case,

	// The screening is health data throughout: answers, WHO-5, KRAMS, the risk group, and even
	// the date (that a citizen was screened for health risks).
	"screenings.screened_on":     Health,
	"screenings.answers":         Health,
	"screenings.conditions":      Health,
	"screenings.who5":            Health,
	"screenings.krams_risks":     Health,
	"screenings.computed_group":  Health,
	"screenings.final_group":     Health,
	"screenings.override_reason": Health,
	"screenings.overridden_at":   Health,
	"screenings.created_at":      Health,
	// The self-rated health answer (a reference code) and the record that the citizen was
	// encouraged to see their own doctor after a low WHO-5 (migration 0025).
	"screenings.self_rated_health": Health,
	"screenings.gp_encouraged_at":  Health,

	// A referral's class is its offer's: a referral to a health offer is health data, and the
	// receiving unit sees its own referrals. The note is the case-holding unit's text that
	// crosses with the referral (ReferralNoteRow): the receiving unit reads it only under the
	// consent it needs, and a note to an employment offer counts as health data.
	"referrals.state":            ByRow,
	"referrals.note":             ByRow,
	"referrals.reason":           ByRow,
	"referrals.citizen_accepted": ByRow,
	"referrals.created_at":       ByRow,
	"referrals.state_changed_at": ByRow,
	"referrals.referrer_seen_at": ByRow,
	"referral_events.from_state": ByRow,
	"referral_events.to_state":   ByRow,
	"referral_events.reason":     ByRow,
	"referral_events.at":         ByRow,
	// What the provider reports back: by the referral's row (ProviderReportRow).
	"referral_attendance.period":      ByRow,
	"referral_attendance.held_on":     ByRow,
	"referral_attendance.attendance":  ByRow,
	"referral_attendance.note":        ByRow,
	"referral_attendance.recorded_at": ByRow,
	"referral_reports.kind":           ByRow,
	"referral_reports.text":           ByRow,
	"referral_reports.written_at":     ByRow,

	// The TFA: its frame is case data; the health tracks, the citizen's goals and the
	// conclusion carry diagnoses; the resource profile is classified per element
	// (ResourceElement).
	"assessments.number":                 Case,
	"assessments.concluded_at":           Case,
	"assessments.tracks":                 Health,
	"assessments.resources":              ByRow,
	"assessments.citizen_goals":          Health,
	"assessments.conclusion":             Health,
	"assessments.created_at":             Case,
	"assessments.updated_at":             Case,
	"assessment_participants.unit_kind":  Case,
	"assessment_participants.profession": Case,
	"assessment_participants.added_at":   Case,
	// Who wrote a TFA section when, and the TFA conference: the frame, case data.
	"assessment_sections.updated_at":         Case,
	"assessment_conferences.held_on":         Case,
	"assessment_conferences.citizen_present": Case,
	"assessment_conferences.created_at":      Case,

	// The plan: the citizen's goals are in their own words and routinely name their health;
	// efforts are classified per effort (EffortRow); a version's snapshot and summary repeat
	// goals and effort titles.
	"plans.citizen_goal":              Health,
	"plans.created_at":                Case,
	"plans.updated_at":                Case,
	"plan_goals.text":                 Health,
	"plan_goals.sort_order":           Case,
	"plan_goals.removed_at":           Case,
	"plan_efforts.title":              ByRow,
	"plan_efforts.area":               ByRow,
	"plan_efforts.status":             ByRow,
	"plan_efforts.responsible_person": ByRow,
	"plan_efforts.contact":            ByRow,
	"plan_efforts.start_date":         ByRow,
	"plan_efforts.end_date":           ByRow,
	"plan_efforts.mentor":             ByRow,
	"plan_efforts.mentor_discharge":   Health, // discharge from a psychiatric admission
	"plan_efforts.mentor_renewed":     ByRow,
	"plan_efforts.removed_at":         ByRow,
	"plan_versions.snapshot":          Health,
	"plan_versions.summary":           Health,
	"plan_versions.saved_at":          Case,
	"follow_ups.held_on":              Case,
	"follow_ups.note":                 Health,
	"follow_ups.created_at":           Case,
	"follow_up_scores.score":          Health, // progression on goals that are health data

	// Borgerens egen vurdering: the citizen's own account of how their functional capacity
	// develops is data concerning health (GDPR art. 9), like the progression on goals that
	// name their health; the day they answered says that they were asked.
	"function_self_ratings.answered_on": Health,
	"function_self_ratings.answer":      Health,
	"function_self_ratings.created_at":  Health,

	// The citizen area (migration 0037): the citizen's own WHO-5 before a samtale, their own
	// rating of each goal and their comments on the plan and the indstilling are health data,
	// like the screenings, the progression and the indstilling's reasons they answer. That a
	// document was uploaded by the citizen follows the document's row.
	"who5_self_reports.answered_on": Health,
	"who5_self_reports.items":       Health,
	"who5_self_reports.who5":        Health,
	"who5_self_reports.created_at":  Health,
	"goal_self_ratings.rated_on":    Health,
	"goal_self_ratings.rating":      Health,
	"goal_self_ratings.created_at":  Health,
	"self_comments.text":            Health,
	"self_comments.created_at":      Health,
	"documents.uploaded_by_citizen": ByRow,

	// The rehabiliteringsteam: the question and the outcome are what the agenda shows; the
	// forberedende del is classified per section (PrepSection); the indstilling's reasons and
	// recommended efforts carry diagnoses.
	"meeting_cases.position":            Case,
	"meeting_cases.question":            Case,
	"meeting_cases.added_at":            Case,
	"meeting_cases.preparation":         ByRow,
	"meeting_cases.prepared_at":         Case,
	"meeting_cases.outcome":             Case,
	"meeting_cases.reasons":             Health,
	"meeting_cases.recommended_efforts": Health,
	"meeting_cases.recorded_at":         Case,
	// Meeting mode (migration 0034): who was in the room while the team handled the case is
	// case data; the citizen's own comments to the indstilling answer its reasons and name
	// the same diagnoses, so they are health data like them.
	"meeting_cases.citizen_attended":       Case,
	"meeting_cases.bisidder_attended":      Case,
	"meeting_cases.members_present":        Case,
	"meeting_cases.attendance_recorded_at": Case,
	"meeting_cases.citizen_comments":       Health,
	"meeting_cases.comments_recorded_at":   Case,

	// Documents on the case: the uploader classifies each one (documents.class, DocumentRow);
	// a lægeattest is health data. Its title, type, file name, size and dates say as much
	// about the citizen as its content, so every column takes the row's class; its content
	// (document_chunks.data, numbered by the key's seq) too.
	"documents.title":            ByRow,
	"documents.document_type":    ByRow,
	"documents.class":            ByRow,
	"documents.filename":         ByRow,
	"documents.content_type":     ByRow,
	"documents.size":             ByRow,
	"documents.sha256":           ByRow,
	"documents.uploaded_at":      ByRow,
	"document_chunks.data":       ByRow,
	"meeting_cases.withdrawn_at": Case,

	// Journal notes: the author marks each note as case, health or social data (NoteRow), and
	// the unit it was written in sees it as its own. Every content column follows the row, the
	// date and kind included (that a health note was written on a day is health data), and so
	// does the search vector, which is the text itself.
	"journal_notes.kind":       ByRow,
	"journal_notes.class":      ByRow,
	"journal_notes.event_date": ByRow,
	"journal_notes.text":       ByRow,
	"journal_notes.created_at": ByRow,
	"journal_notes.amended_at": ByRow,
	"journal_notes.search":     ByRow,

	// The municipality's afgørelse and the partshøring before it: the frame (outcomes, dates,
	// whether it follows the indstilling) is case data; the reasons, the departure reasons, why
	// partshøring was left out, what the citizen is heard on and the summary of their reply are
	// free text that routinely names diagnoses, like the indstilling's reasons.
	"hearings.subject":                 Health,
	"hearings.sent_on":                 Case,
	"hearings.deadline":                Case,
	"hearings.result":                  Case,
	"hearings.response_on":             Case,
	"hearings.response_summary":        Health,
	"hearings.created_at":              Case,
	"hearings.result_at":               Case,
	"decisions.outcome":                Case,
	"decisions.indstilling_outcome":    Case,
	"decisions.follows_indstilling":    Case,
	"decisions.reasons":                Health,
	"decisions.departure_reasons":      Health,
	"decisions.revurdering_on":         Case,
	"decisions.hearing_omitted_reason": Health,
	"decisions.decided_on":             Case,
	"decisions.created_at":             Case,
	"decisions.superseded_at":          Case,

	// Letters to the citizen: what the letter is (its kind and subject) follows its
	// document's class (documents.class, DocumentRow), as the document's title does; its
	// delivery through the outbox (the state, when, the integration's reference or failure)
	// is case data.
	"letters.kind":           ByRow,
	"letters.subject":        ByRow,
	"letters.created_at":     ByRow,
	"letters.state":          Case,
	"letters.sent_at":        Case,
	"letters.failed_at":      Case,
	"letters.delivery_ref":   Case,
	"letters.delivery_error": Case,

	// The post-team records (lov nr. 1750 af 29.12.2025). The samlet beskrivelse has the
	// forberedende del's sections, classified per section (PrepSection). The sundhedsfaglig
	// rådgivning's question and advice name diagnoses: health data, and the asked unit's own
	// rows (AdviceRow); that advice was asked and given, and when, is case data.
	"case_descriptions.sections":   ByRow,
	"case_descriptions.created_at": Case,
	"case_descriptions.updated_at": Case,
	"health_advice.question":       ByRow,
	"health_advice.advice":         ByRow,
	"health_advice.requested_at":   Case,
	"health_advice.given_at":       Case,
	// Samtaler: when, how, where and whether a conversation with the citizen was held are
	// case data (the employment case's kontaktforløb); the reason a samtale was cancelled or
	// moved is free text that may name an illness, and counts as health data. The outcome is
	// a journal note (journal_notes, by its own class). Who takes part is keys only.
	"samtaler.starts_at":  Case,
	"samtaler.ends_at":    Case,
	"samtaler.form":       Case,
	"samtaler.place":      Case,
	"samtaler.status":     Case,
	"samtaler.reason":     Health,
	"samtaler.created_at": Case,
	"samtaler.updated_at": Case,
	// A participant's row repeats the samtale's start, for their week view.
	"samtale_participants.starts_at": Case,

	// Exemptions from the kontaktforløb: the reason and the period are case data; the note
	// is free text that may name an illness, and counts as health data.
	"contact_exemptions.reason":     Case,
	"contact_exemptions.from_date":  Case,
	"contact_exemptions.to_date":    Case,
	"contact_exemptions.note":       Health,
	"contact_exemptions.created_at": Case,

	// Tasks: what is to be done about the citizen and by when is case data; the title is a
	// fixed text of the program for a generated task, but free text for a manual one, so it
	// counts as health data.
	"tasks.source":        Case,
	"tasks.source_key":    Case,
	"tasks.title":         Health,
	"tasks.due":           Case,
	"tasks.snoozed_until": Case,
	"tasks.done_at":       Case,
	"tasks.resolved":      Case,
	"tasks.created_at":    Case,

	// Handovers: from which unit and caseworker to which, by whom and when, is case data; the
	// handover note is a journal note (class sag) of its own.
	"handovers.bulk":      Case,
	"handovers.handed_at": Case,
}

// ClassOf returns the class of table.column, and whether it is classified.
func ClassOf(table, column string) (Class, bool) {
	c, ok := columnClasses[table+"."+column]
	return c, ok
}

// Classified lists every classified column, for the schema test and the documentation.
func Classified() []Column {
	out := make([]Column, 0, len(columnClasses))
	for k, c := range columnClasses {
		t, n, _ := strings.Cut(k, ".")
		out = append(out, Column{Table: t, Name: n, Class: c})
	}
	return out
}

// col returns the classified column table.name; it panics at start-up when the column is not
// in the table, so a handle to an unclassified column cannot exist.
func col(table, name string) Column {
	c, ok := columnClasses[table+"."+name]
	if !ok {
		panic(fmt.Sprintf("access: %s.%s is not classified", table, name))
	}
	return Column{Table: table, Name: name, Class: c}
}

// Handles on the classified columns that pages show. A page gates a value with the handle of
// the column it came from; the class comes from the table above, never from the page.
var (
	CitizenRiskGroup     = col("citizens", "risk_group")
	ScreeningRecord      = col("screenings", "answers")
	ReferralNote         = col("referrals", "note")
	ReferralState        = col("referrals", "state")
	ReferralReason       = col("referrals", "reason")
	ReferralEventReason  = col("referral_events", "reason")
	AssessmentTracks     = col("assessments", "tracks")
	AssessmentGoals      = col("assessments", "citizen_goals")
	DocumentTitle        = col("documents", "title")
	AssessmentConclusion = col("assessments", "conclusion")
	AssessmentResources  = col("assessments", "resources")
	PlanCitizenGoal      = col("plans", "citizen_goal")
	PlanGoalText         = col("plan_goals", "text")
	SelfCommentText      = col("self_comments", "text")
	PlanEffort           = col("plan_efforts", "title")
	MentorDischarge      = col("plan_efforts", "mentor_discharge")
	PlanVersionSnapshot  = col("plan_versions", "snapshot")
	PlanVersionSummary   = col("plan_versions", "summary")
	FollowUpNote         = col("follow_ups", "note")
	FollowUpScore        = col("follow_up_scores", "score")
	SelfRatingAnswer     = col("function_self_ratings", "answer")
	MeetingPreparation   = col("meeting_cases", "preparation")
	IndstillingReasons   = col("meeting_cases", "reasons")
	IndstillingEfforts   = col("meeting_cases", "recommended_efforts")
	CitizenComments      = col("meeting_cases", "citizen_comments")
	NoteText             = col("journal_notes", "text")
	HearingSubject       = col("hearings", "subject")
	HearingResponse      = col("hearings", "response_summary")
	DecisionReasons      = col("decisions", "reasons")
	DecisionDeparture    = col("decisions", "departure_reasons")
	DecisionOmitted      = col("decisions", "hearing_omitted_reason")
	DescriptionSections  = col("case_descriptions", "sections")
	AdviceQuestion       = col("health_advice", "question")
	AdviceText           = col("health_advice", "advice")

	// What the provider reports back (gated with ProviderReportRow of the referral).
	ReferralAttendanceNote = col("referral_attendance", "note")
	ReferralReportText     = col("referral_reports", "text")
	SamtaleReason          = col("samtaler", "reason")
	ExemptionNote          = col("contact_exemptions", "note")
	TaskTitle              = col("tasks", "title")
)

// Row is the class of one row whose class depends on its content, and the unit it belongs
// to: an effort is its responsible unit's, a referral its receiving unit's. A unit sees its
// own rows (the health centre sees the referral it received and the effort it delivers); other
// units see them by their class.
type Row struct {
	Class Class
	Unit  int64
}

// unitKindClass is the class of information about a citizen that a unit of a kind works
// with: health at the health centre and the region, social in the social administration.
func unitKindClass(kind string) Class {
	switch ConsentInformation(kind) {
	case "helbred":
		return Health
	case "sociale_forhold":
		return Social
	}
	return Case
}

// higher returns the class that needs both a and b: the more protected of the two, and
// Mixed for health with social.
func higher(a, b Class) Class {
	if (a == Health && b == Social) || (a == Social && b == Health) {
		return Mixed
	}
	if a > b {
		return a
	}
	return b
}

// EffortRow classifies one plan effort: a health effort (area "sundhed", or delivered by a
// health unit) is health data, a social effort social data, an employment effort case data.
func EffortRow(area string, unitID int64, unitKind string) Row {
	c := unitKindClass(unitKind)
	switch area {
	case "sundhed":
		c = higher(c, Health)
	case "social":
		c = higher(c, Social)
	}
	return Row{Class: c, Unit: unitID}
}

// Combine is the row that needs what all of rows need: the higher class, and the unit only
// when they all belong to the same one (an effort moved between units is neither's own).
func Combine(rows ...Row) Row {
	if len(rows) == 0 {
		return Row{Class: Health}
	}
	out := rows[0]
	for _, r := range rows[1:] {
		out.Class = higher(out.Class, r.Class)
		if r.Unit != out.Unit {
			out.Unit = 0
		}
	}
	return out
}

// ReferralRow classifies one referral by the unit it was sent to: a referral to a health
// offer is health data, to a social offer social data.
func ReferralRow(toUnitID int64, toUnitKind string) Row {
	return Row{Class: unitKindClass(toUnitKind), Unit: toUnitID}
}

// ProviderReportRow classifies what the provider reports back on a referral (attendance,
// status reports, the afslutningsnotat): the referral's class, and the provider unit's own
// row. Free text from a provider of an employment offer (a mentor's report) routinely names
// the citizen's health and counts as health data outside the provider and the case holder.
func ProviderReportRow(r Row) Row {
	if r.Class == Case {
		return Row{Class: Health, Unit: r.Unit}
	}
	return r
}

// ReferralNoteRow classifies a referral's note: it is written by the case-holding unit and
// reaches the receiving unit only under a consent of the referral's class (health or social);
// a note on a referral to an employment offer may still name a diagnosis and counts as health
// data. Unlike the referral's own fields, the receiving unit has no claim to it as its own.
func ReferralNoteRow(r Row) Row {
	if r.Class == Case {
		return Row{Class: Health}
	}
	return Row{Class: r.Class}
}

// NoteClasses are the classes an author may mark a journal note with, by the code the
// database stores (the class's Danish name, Class.String): case data is the default, health
// and social data follow the consents. A note that holds both is marked health data, the
// stricter where a consent is missing.
var NoteClasses = []Class{Case, Health, Social}

// NoteClass returns the class of a journal note's class code, and whether it is one.
func NoteClass(code string) (Class, bool) {
	for _, c := range NoteClasses {
		if c.String() == code {
			return c, true
		}
	}
	return 0, false
}

// NoteRow classifies one journal note: the class its author marked it with, and the unit it
// was written in, which sees its own notes (the health centre reads the health notes it
// wrote). An unknown code is health data: the classification fails closed.
func NoteRow(classCode string, unitID int64) Row {
	c, ok := NoteClass(classCode)
	if !ok {
		c = Health
	}
	return Row{Class: c, Unit: unitID}
}

// DocumentClasses are the classes a document can be given, in the order a form offers them;
// documents.class holds their names (Class.String: "sag", "helbred", "social").
var DocumentClasses = []Class{Case, Health, Social}

// ParseDocumentClass reads a document's class name; ok is false for anything else.
func ParseDocumentClass(name string) (c Class, ok bool) {
	for _, c := range DocumentClasses {
		if c.String() == name {
			return c, true
		}
	}
	return 0, false
}

// DocumentRow classifies one document by the class its uploader gave it. A class that is not
// one of DocumentClasses counts as health data: the classification fails closed. A document
// is no unit's own row: it crosses by its class alone.
func DocumentRow(class string) Row {
	c, ok := ParseDocumentClass(class)
	if !ok {
		c = Health
	}
	return Row{Class: c}
}

// DocumentTypeClass is the class a document of a type (reference data, kind document_type)
// gets unless the uploader chooses another: letters to and from the citizen are case data,
// a lægeattest, a statement or a status report health data, and so is a type added later
// until it is named here.
func DocumentTypeClass(code string) Class {
	switch code {
	case "brev_fra_borger", "brev_til_borger":
		return Case
	}
	return Health
}

// ResourceElement classifies one element of the TFA's resource profile (a reference code):
// Helbred is health data; housing and economy and the social network are social data; the
// work-related elements are case data. An element added later as reference data is health
// data until it is classified here.
func ResourceElement(code string) Row {
	switch code {
	case "uddannelse", "arbejdsmarkedserfaring", "interesser", "sociale_kompetencer", "omstillingsevne",
		"indlaeringsevne", "arbejdsrelevante_oensker", "praestationsforventninger", "arbejdsidentitet":
		return Row{Class: Case}
	case "bolig_oekonomi", "sociale_netvaerk":
		return Row{Class: Social}
	}
	return Row{Class: Health}
}

// PrepSection classifies one section of the forberedende del (helhed.PrepSections, by key):
// education and the benefit history are case data; personal resources and network, and the
// employment and social challenges are social data; the citizen's wishes and goals, the
// health section and the experience from earlier efforts routinely name diagnoses and
// treatments and are health data. An unknown key is health data.
func PrepSection(key string) Row {
	switch key {
	case "education", "benefits":
		return Row{Class: Case}
	case "personal", "challenges":
		return Row{Class: Social}
	}
	return Row{Class: Health}
}

// AdviceRow classifies one request for sundhedsfaglig rådgivning and its answer: health data,
// and the own row of the unit asked (the region's klinisk funktion reads what it was asked and
// what it answered, whatever its consents; other units only under a health consent).
func AdviceRow(unitID int64) Row { return Row{Class: Health, Unit: unitID} }
