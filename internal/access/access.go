// Package access is Helhed's one access policy: may this user do this action, to this object?
//
// Every handler asks here, for every object it touches, before it reads or writes. The policy
// is deliberately a pure function of the user and the user's relation to the object; the store
// computes the relation in one query (Relation), so the rules can be tested as a table without a
// database and read by an auditor in one file.
package access

// Role codes. Roles are data (table roles: labels and descriptions are editable), but what a
// role may do is policy, and policy lives here.
const (
	RoleCaseworker = "sagsbehandler"
	RoleHealth     = "sundhedsmedarbejder"
	RoleSocial     = "socialmedarbejder"
	RoleRehabTeam  = "rehabteam"
	RoleManager    = "leder"
	RoleAdmin      = "admin"
)

// User is who is asking.
type User struct {
	ID     int64
	UnitID int64
	Role   string
}

// Action is something a user wants to do.
type Action string

// Function-level actions (no particular object).
const (
	ListOwnCaseload  Action = "caseload.own"   // "Mine borgere"
	ListUnitCitizens Action = "caseload.unit"  // all citizens of the user's unit
	SearchCitizens   Action = "citizen.search" // search by name or CPR
	CreateCitizen    Action = "citizen.create"
	ManageUsers      Action = "admin.users"
	ManageUnits      Action = "admin.units"
	ManageRoles      Action = "admin.roles"
	ManageReference  Action = "admin.reference"
	ViewAuditLog     Action = "admin.audit"
	ViewCatalogue    Action = "catalogue.view" // browse the indsatskatalog
	CreateOffer      Action = "offer.create"   // add an offer (to one's own unit; admin: any unit)
	ViewInbox        Action = "referral.inbox" // the provider unit's referral inbox
	ListOwnReferrals Action = "referral.own"   // the referring caseworker's referrals
	ListMeetings     Action = "meeting.list"   // the rehabiliteringsteam meetings one takes part in
	PlanMeetings     Action = "meeting.plan"   // schedule a meeting for a team of one's unit
	ManageTeams      Action = "team.manage"    // create rehabiliteringsteams and choose members
	// ManageRetention: the retention overview (closed cases by deletion date, without names),
	// the retention period, and legal holds from there.
	ManageRetention Action = "admin.retention"
	// ViewManagement: the management dashboards (caseload balance, referral flow and
	// capacity, risk and progression, outcomes) and their aggregated CSV exports. They show
	// counts, never a citizen; cells of fewer than five citizens are suppressed.
	ViewManagement Action = "management.view"
	// ViewStrategy: the strategy's initiatives with status, live referral counts and the
	// printable status report for the political committees.
	ViewStrategy Action = "strategy.view"
	// EditInitiative: create an initiative and change its status, note and linked offers.
	EditInitiative Action = "strategy.edit"
	// ViewLawCalendar: the law calendar, what the law changed in the reference data when and
	// what is announced, with the sources. It names no person.
	ViewLawCalendar Action = "law.calendar"
	// ViewCalendar: one's own week of samtaler (those one holds or takes part in). A row
	// names its citizen only to a viewer who may see the citizen; others get the case
	// reference. The unit's week is ListUnitCitizens.
	ViewCalendar Action = "calendar.own"
	// ViewTasks: one's own task list (generated from one's cases, and manual tasks given to
	// one or one's unit), with done and snooze, and the badge in the header. Tasks are about
	// the case-holding unit's work, so its staff have them.
	ViewTasks Action = "task.list"
	// HandOverCaseload: hand over all the open cases of a departing caseworker of one's own
	// unit in one step (the store finds the caseworker within the leader's unit only).
	HandOverCaseload Action = "caseload.handover"
)

// Unit-level actions (CanUnit): figures that name a unit's staff and lead on to its citizens.
const (
	// ViewUnitCaseloads: the caseload of each caseworker in a unit, with the drill-down to
	// the caseworker's citizens (personal data: the unit's own leader only).
	ViewUnitCaseloads Action = "management.caseloads"
)

// Object-level actions on one citizen.
const (
	ViewCitizen Action = "citizen.view"
	EditCitizen Action = "citizen.edit"
	RevealCPR   Action = "citizen.reveal_cpr"
	// ViewHealthData: the citizen's health data (class Health, see classify.go): the
	// case-holding unit, or a current health consent naming the user's unit.
	ViewHealthData Action = "citizen.health"
	// ViewSocialData: the citizen's social data (class Social): the case-holding unit, or a
	// current consent on social circumstances naming the user's unit.
	ViewSocialData Action = "citizen.social"
	// RecordScreening: screen the citizen or override a screening's group.
	RecordScreening Action = "citizen.screening"
	// ManageConsent: record or withdraw the citizen's consents.
	ManageConsent Action = "citizen.consent"
	// ExportCitizen: produce the citizen's data export (GDPR art. 15 access request).
	ExportCitizen Action = "citizen.export"
	// ReferCitizen: send the citizen to an offer in the catalogue.
	ReferCitizen Action = "citizen.refer"
	// WriteAssessment: start, edit, conclude and re-version the citizen's TFA and choose its
	// participants. Participants from other units take part in the conversation; the
	// case-holding unit writes it down (see docs/architecture.md).
	WriteAssessment Action = "citizen.assessment"
	// WriteAssessmentSection: write a section of the citizen's TFA draft. The case-holding
	// unit writes every section; a health or social unit invited to the TFA writes its own
	// profession's section, and only when a current consent lets that kind of information
	// reach it (CanWriteSection says which section).
	WriteAssessmentSection Action = "citizen.assessment_section"
	// EditPlan: change the indsatsplan's goals and efforts, and record follow-ups.
	EditPlan Action = "citizen.plan"
	// PrepareMeetingCase: put the citizen on a rehabiliteringsteam agenda, write the
	// forberedende del, or take the case off the agenda again.
	PrepareMeetingCase Action = "citizen.meeting_case"
	// RecordDecision: make the municipality's afgørelse in a case the rehabiliteringsteam has
	// given an indstilling on, and run the partshøring before it. The team only recommends;
	// the case-holding unit decides (docs/law.md), so the team's members from other
	// administrations do not, whatever they may see.
	RecordDecision Action = "citizen.decision"
	// CloseCase: close the citizen's case with a reason, or reopen it. The retention period
	// runs from the end of the year of closure.
	CloseCase Action = "citizen.close"
	// PlaceLegalHold: place or lift a slettestop, which keeps a closed case from deletion
	// (a complaint, a lawsuit, an inspection).
	PlaceLegalHold Action = "citizen.legal_hold"
	// ViewDocuments: list the documents on the citizen's case and download them. Which
	// documents a viewer gets is decided per document by its class (DocumentRow): a
	// lægeattest reaches another unit only under a current health consent.
	ViewDocuments Action = "citizen.documents"
	// UploadDocument: add a document (a lægeattest, a statement, a status report, a letter)
	// to the citizen's case and classify it.
	UploadDocument Action = "citizen.document_upload"
	// ViewLetters: list the letters sent to the citizen and their delivery. Each letter is
	// seen by its document's class (DocumentRow), as the document itself.
	ViewLetters Action = "citizen.letters"
	// SendLetter: write a letter to the citizen from a template (an indkaldelse, a
	// partshøring, an afgørelse, the team's indstilling), keep it on the case and put it in
	// the outbox for Digital Post.
	SendLetter Action = "citizen.letter_send"
	// ViewJournal: read the citizen's journal notes (the timeline, its search, the newest
	// notes on the citizen page). Which notes show is the viewer's Sight (NoteRow).
	ViewJournal Action = "citizen.journal"
	// WriteJournal: write a journal note, amend one's own note until it locks, and write a
	// correction of a note one may read.
	WriteJournal Action = "citizen.journal_write"
	// WriteDescription: write the samlet beskrivelse af borgerens forudsætninger, the case
	// record a decision on fleksjob or førtidspension rests on (lov nr. 1750 af 29.12.2025,
	// docs/law.md), with or without a rehabiliteringsteam.
	WriteDescription Action = "citizen.description"
	// RequestHealthAdvice: ask the region's sundhedskoordinator (klinisk funktion) for
	// sundhedsfaglig rådgivning in the citizen's case.
	RequestHealthAdvice Action = "citizen.advice_request"
	// WriteHealthAdvice: give the sundhedsfaglig rådgivning asked of one's unit, or correct
	// the advice one's unit gave. Only the health staff of the unit asked: the caseworker who
	// asks cannot answer in the coordinator's name.
	WriteHealthAdvice Action = "citizen.advice_write"
	// ViewSamtaler: the citizen's booked and held samtaler (time, form, place, state, the
	// reason for a cancellation) and when the next conversation of the kontaktforløb is due.
	ViewSamtaler Action = "citizen.samtaler"
	// BookSamtale: book a samtale with the citizen, move or cancel it with a reason, and
	// record its outcome (a journal note) or the citizen's no-show.
	BookSamtale Action = "citizen.samtale_book"
	// CreateTask: give a manual task about the citizen to a colleague of the case-holding
	// unit, or to the unit.
	CreateTask Action = "citizen.task"
	// HandOverCitizen: move the citizen's case to another caseworker or another unit with a
	// handover note. The relation follows the case at once: the former holder keeps access
	// only by another relation (the same unit, a referral, an agenda).
	HandOverCitizen Action = "citizen.handover"
)

// Object-level actions on one offer (CanOffer) and one referral (CanReferral).
const (
	// EditOffer: change an offer's content, capacity and dates, or retire it.
	EditOffer Action = "offer.edit"
	// ViewOfferReferrals: see who is referred to the offer (personal data).
	ViewOfferReferrals Action = "offer.referrals"
	// WorkReferral: move a referral through the provider's states (modtaget, accepteret,
	// venteliste, afvist, startet, afsluttet, udeblevet, afbrudt).
	WorkReferral Action = "referral.work"
	// CancelReferral: the referring side withdraws the referral (annulleret).
	CancelReferral Action = "referral.cancel"
	// ViewReferral: see a referral and its history.
	ViewReferral Action = "referral.view"
	// ReportOnReferral: record the citizen's attendance, write a status report or the
	// afslutningsnotat: the provider unit's staff only, about the course they deliver.
	ReportOnReferral Action = "referral.report"
)

// Object-level actions on one rehabiliteringsteam meeting (CanMeeting).
const (
	// ViewMeeting: see the meeting's agenda and its shared-screen board. Which cases show in
	// full is decided per citizen (CanCitizen with the relation's OnAgenda).
	ViewMeeting Action = "meeting.view"
	// EditMeeting: move the meeting, change chair and minute-taker.
	EditMeeting Action = "meeting.edit"
	// MoveFocus: choose the case on the shared screen.
	MoveFocus Action = "meeting.focus"
	// RecordIndstilling: write down the team's indstilling in a case, and with it who was in
	// the room for the case and the citizen's comments to the indstilling (the chair and the
	// minute-taker).
	RecordIndstilling Action = "meeting.indstilling"
)

// Relation is what connects a user to a citizen. The store fills it for one (user, citizen)
// pair in a single query; later features add fields (referrals to the user's unit, meeting
// agendas) without changing callers.
type Relation struct {
	CitizenUnitID int64
	CaseworkerID  int64 // the coordinating caseworker; 0 when none
	// ReferralToUnit: the citizen has a referral to an offer of the user's unit.
	ReferralToUnit bool
	// OnAgenda: the citizen is on the agenda of a rehabiliteringsteam meeting the user sits on,
	// inside the meeting's access window.
	OnAgenda bool
	// HealthConsent: a current consent lets health information reach the user's unit.
	HealthConsent bool
	// SocialConsent: a current consent lets information about social circumstances reach
	// the user's unit.
	SocialConsent bool
	// AdviceRequested: the case-holding unit has asked the user's unit for sundhedsfaglig
	// rådgivning, and the request is open or was answered recently (the store's window).
	AdviceRequested bool
	// TFAUnitKind: the kind of the user's unit when the user takes part in the citizen's
	// current TFA (a draft, or one concluded less than the referral access period ago) for
	// that unit; "" when not.
	TFAUnitKind string
}

// MeetingRelation is what connects a user to a meeting: the unit that runs the team, and the
// user's seat on it.
type MeetingRelation struct {
	TeamUnitID  int64
	Member      bool // the user sits on the meeting's team
	Chair       bool
	MinuteTaker bool
}

// OfferRelation is what connects a user to an offer: the unit that provides it.
type OfferRelation struct {
	ProviderUnitID int64
}

// ReferralRelation is what connects a user to a referral: the unit it was sent to, and the
// user's relation to the citizen it is about.
type ReferralRelation struct {
	ToUnitID int64
	Citizen  Relation
}

// employmentSide reports whether the user works on the citizen's own case-holding unit
// (jobcenter staff and their leader): they hold the case, and see it in full.
func employmentSide(u User, rel Relation) bool {
	return (u.Role == RoleCaseworker || u.Role == RoleManager) && u.UnitID == rel.CitizenUnitID
}

// providerRole reports whether the role keeps its unit's offers in the catalogue: health and
// social staff. The jobcenter's own offers (IPS, mentor) are kept by an administrator.
func providerRole(role string) bool { return role == RoleHealth || role == RoleSocial }

// clinicalRole reports whether the role can give sundhedsfaglig rådgivning for its unit: health
// staff, and the rehabiliteringsteam's member from the region's klinisk funktion (the
// sundhedskoordinator, who holds the team role).
func clinicalRole(role string) bool { return role == RoleHealth || role == RoleRehabTeam }

// staffRole reports whether the role does case work: not the administrator (who does not read
// case data) and not the rehabiliteringsteam (whose access runs through meeting agendas).
func staffRole(role string) bool {
	return role == RoleCaseworker || role == RoleManager || providerRole(role)
}

// Can answers function-level questions: may the user do a before any object is involved?
func Can(u User, a Action) bool {
	switch a {
	case ListOwnCaseload:
		return u.Role == RoleCaseworker
	case ListUnitCitizens:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case SearchCitizens:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case CreateCitizen:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case ManageUsers, ManageUnits, ManageRoles, ManageReference, ViewAuditLog, ManageRetention:
		return u.Role == RoleAdmin
	case ViewCatalogue:
		// The catalogue describes offers, not people: every role may read it.
		return staffRole(u.Role) || u.Role == RoleRehabTeam || u.Role == RoleAdmin
	case CreateOffer:
		return providerRole(u.Role) || u.Role == RoleAdmin
	case ViewInbox:
		return providerRole(u.Role) || u.Role == RoleManager
	case ListOwnReferrals:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case ListMeetings:
		// Members of a team (any case-working role) and the jobcenter staff who bring cases.
		return staffRole(u.Role) || u.Role == RoleRehabTeam
	case PlanMeetings:
		return u.Role == RoleManager
	case ManageTeams:
		return u.Role == RoleManager || u.Role == RoleAdmin
	case ViewManagement:
		// Aggregated figures across the municipality's catalogue, providers and jobcenters:
		// leaders. The administrator runs the system and reads no case figures.
		return u.Role == RoleManager
	case ViewLawCalendar:
		// Reference data, no person: the administrator who keeps it, and the leaders who plan
		// the work, training and letters around a change of the law.
		return u.Role == RoleManager || u.Role == RoleAdmin
	case ViewTasks:
		return u.Role == RoleCaseworker || u.Role == RoleManager
	case HandOverCaseload:
		// The leader distributes the unit's work when a caseworker leaves.
		return u.Role == RoleManager
	case ViewCalendar:
		// Those who hold samtaler and those who take part in them (a nurse, a social worker).
		return staffRole(u.Role)
	case ViewStrategy, EditInitiative:
		// The strategy is the programme, not cases: leaders keep it, and the administrator may
		// correct it (every change is audited).
		return u.Role == RoleManager || u.Role == RoleAdmin
	}
	return false
}

// CanUnit answers unit-level questions: may the user see this about unit unitID? A leader
// sees the caseloads of their own unit only, because the drill-down lists the citizens.
func CanUnit(u User, a Action, unitID int64) bool {
	if u.ID == 0 || unitID == 0 {
		return false
	}
	switch a {
	case ViewUnitCaseloads:
		return u.Role == RoleManager && u.UnitID == unitID
	}
	return false
}

// CanCitizen answers object-level questions about one citizen. Unknown actions are refused:
// the policy fails closed.
func CanCitizen(u User, a Action, rel Relation) bool {
	if u.ID == 0 {
		return false
	}
	switch a {
	case ViewCitizen:
		// An invitation to the citizen's TFA is a concrete relation too: the professional
		// writes their section of it (and sees the rest by their Sight).
		return CanCitizen(u, ViewDocuments, rel) || (providerRole(u.Role) && rel.TFAUnitKind != "")
	case WriteAssessmentSection:
		return employmentSide(u, rel) || (providerRole(u.Role) && rel.TFAUnitKind != "")
	case ViewDocuments, ViewLetters:
		// The case-holding unit sees its citizens; others only through a concrete, current
		// relation: a referral to their unit or a meeting agenda they sit on (need to know).
		// Documents and the letters they are follow the citizen, each then by its own class
		// (DocumentRow).
		// The sundhedskoordinator asked for advice sees the case to give it (and its health
		// data only under consent, as every other unit).
		return employmentSide(u, rel) ||
			(providerRole(u.Role) && (rel.ReferralToUnit || rel.OnAgenda)) ||
			(u.Role == RoleRehabTeam && rel.OnAgenda) ||
			(clinicalRole(u.Role) && rel.AdviceRequested)
	case WriteHealthAdvice:
		// The klinisk funktion asked gives the advice; nobody else writes in its name.
		return clinicalRole(u.Role) && rel.AdviceRequested
	case EditCitizen, RecordScreening, ManageConsent, ExportCitizen, ReferCitizen, WriteAssessment, EditPlan, PrepareMeetingCase,
		RecordDecision, CloseCase, UploadDocument, SendLetter, WriteDescription, RequestHealthAdvice:
		// The case-holding unit works the case: it edits, screens the citizen in the
		// conversation, records the consents the citizen gives it, refers, files the
		// documents that come in (a provider's status report is sent to the jobcenter),
		// decides after the team's indstilling, writes to the citizen, and closes it.
		return employmentSide(u, rel)
	case HandOverCitizen:
		// The case-holding unit gives the case on: its caseworkers (to a colleague, or to the
		// unit the citizen moves to) and its leader.
		return employmentSide(u, rel)
	case ViewSamtaler, BookSamtale, CreateTask:
		// The kontaktforløb is the case-holding unit's duty (LAB kap. 7, sygedagpengeloven
		// kap. 6): it books, moves and records the conversations. A participant from another
		// unit sees the samtale in their own week, by case reference, not the citizen's list.
		return employmentSide(u, rel)
	case PlaceLegalHold:
		// Stopping a deletion is a management decision: the leader of the case-holding unit,
		// or the administrator who runs retention (without reading the case).
		return (u.Role == RoleManager && u.UnitID == rel.CitizenUnitID) || u.Role == RoleAdmin
	case RevealCPR:
		// Only the case-holding unit may see the full CPR number, and only on purpose (audited).
		return employmentSide(u, rel)
	case ViewJournal, WriteJournal:
		// The journal is the record of the work with the citizen, kept by those who do it:
		// the case-holding unit (caseworkers and their leader: conversations, calls,
		// follow-ups, hearings, decisions), and health and social staff of a unit the
		// citizen is referred to, about their own effort (the citizen did not turn up, the
		// course was adjusted). They read the journal too: a provider sees the case notes and
		// its own unit's notes, and health or social notes of others only under consent (its
		// Sight). A rehabiliteringsteam member with the case on an agenda does not: the team
		// works from the forberedende del, which the caseworker writes for it, not from the
		// whole record (need to know). The administrator reads no case.
		return employmentSide(u, rel) || (providerRole(u.Role) && rel.ReferralToUnit)
	case ViewHealthData:
		// Health information about the citizen is recorded by the jobcenter in the
		// conversation with the citizen; other administrations see it only under a current
		// consent (forvaltningsloven § 28, retssikkerhedsloven § 11 a).
		return SightOf(u, rel).Sees(Health)
	case ViewSocialData:
		return SightOf(u, rel).Sees(Social)
	}
	return false
}

// CanMeeting answers object-level questions about one rehabiliteringsteam meeting. The team's
// members and the jobcenter staff who bring cases see the agenda; the team's unit's leader
// plans it; the chair leads it on the shared screen; the minute-taker (or the chair) writes
// the indstilling. The administrator runs the system, not meetings.
func CanMeeting(u User, a Action, rel MeetingRelation) bool {
	if u.ID == 0 || u.Role == RoleAdmin {
		return false
	}
	leader := u.Role == RoleManager && u.UnitID == rel.TeamUnitID
	switch a {
	case ViewMeeting:
		return rel.Member || u.Role == RoleCaseworker || u.Role == RoleManager
	case EditMeeting:
		return leader || rel.Chair
	case MoveFocus:
		return rel.Chair || leader
	case RecordIndstilling:
		return rel.MinuteTaker || rel.Chair
	}
	return false
}

// CanOffer answers object-level questions about one offer. Health and social staff keep their
// own unit's offers; the administrator keeps all of them; everyone else reads the catalogue.
func CanOffer(u User, a Action, rel OfferRelation) bool {
	if u.ID == 0 {
		return false
	}
	switch a {
	case EditOffer:
		return u.Role == RoleAdmin || (providerRole(u.Role) && u.UnitID == rel.ProviderUnitID)
	case ViewOfferReferrals:
		// Who is referred is personal data: the provider unit's staff only.
		return staffRole(u.Role) && u.UnitID == rel.ProviderUnitID
	}
	return false
}

// CanReferral answers object-level questions about one referral. The provider unit's staff
// work it (jobcenter staff too, for their own unit's offers); the citizen's case-holding unit
// follows it and may cancel it.
func CanReferral(u User, a Action, rel ReferralRelation) bool {
	if u.ID == 0 {
		return false
	}
	provider := staffRole(u.Role) && u.UnitID == rel.ToUnitID
	switch a {
	case WorkReferral, ReportOnReferral:
		return provider
	case CancelReferral:
		return employmentSide(u, rel.Citizen)
	case ViewReferral:
		return provider || employmentSide(u, rel.Citizen)
	}
	return false
}

// ConsentInformation returns the consent_information code that a referral to a unit of kind
// unitKind carries across administrations: health information to a health centre or the
// region, social information to the social administration, and nothing ("") within
// employment. A referral that carries information needs a current consent covering it and the
// citizen's recorded acceptance (health and social efforts are voluntary; employment efforts
// are "ret og pligt").
func ConsentInformation(unitKind string) string {
	switch unitKind {
	case "sundhedscenter", "region":
		return "helbred"
	case "socialforvaltning":
		return "sociale_forhold"
	}
	return ""
}
