// Package paths builds Helhed's URLs, for handlers (redirects) and templates (links and form
// actions) alike: a path with an id is built here, never by joining strings at the call site.
// internal/web's TestPathsMatchRoutes routes every builder through the real router and checks
// it reaches the route it is named for, so a path here cannot drift from routes.go.
package paths

import (
	"net/url"
	"strconv"
)

func n(id int64) string { return strconv.FormatInt(id, 10) }

// Citizens and their case.

func Citizen(id int64) string { return "/borgere/" + n(id) }

// CitizenAt is the citizen page scrolled to a section ("samtykker", "afslutning", …).
func CitizenAt(id int64, section string) string { return Citizen(id) + "#" + section }

func CitizenEdit(id int64) string          { return Citizen(id) + "/rediger" }
func CitizenRevealCPR(id int64) string     { return Citizen(id) + "/cpr" }
func CitizenBenefits(id int64) string      { return Citizen(id) + "/ydelser" }
func CitizenOverview(id int64) string      { return Citizen(id) + "/overblik" }
func CitizenExport(id int64) string        { return Citizen(id) + "/indsigt" }
func CitizenExportJSON(id int64) string    { return Citizen(id) + "/indsigt.json" }
func Consents(id int64) string             { return Citizen(id) + "/samtykker" }
func ConsentWithdraw(id, cid int64) string { return Consents(id) + "/" + n(cid) + "/tilbagekald" }
func CaseClose(id int64) string            { return Citizen(id) + "/afslut" }
func CaseReopen(id int64) string           { return Citizen(id) + "/genaabn" }
func LegalHold(id int64) string            { return Citizen(id) + "/slettestop" }
func LegalHoldClear(id int64) string       { return LegalHold(id) + "/ophaev" }
func CitizenMeetings(id int64) string      { return Citizen(id) + "/moeder" }
func Documents(id int64) string            { return Citizen(id) + "/dokumenter" }
func Document(id, did int64) string        { return Documents(id) + "/" + n(did) }

// DocumentsAt is the documents page scrolled to a section ("tilfoej": the upload form).
func DocumentsAt(id int64, section string) string { return Documents(id) + "#" + section }

// DocumentsPage is page n of the citizen's documents.
func DocumentsPage(id int64, n int) string { return Documents(id) + "?side=" + strconv.Itoa(n) }

// Letters to the citizen.

func Letters(id int64) string   { return Citizen(id) + "/breve" }
func LetterNew(id int64) string { return Letters(id) + "/ny" }

// LettersPage is page n of the citizen's letters.
func LettersPage(id int64, n int) string { return Letters(id) + "?side=" + strconv.Itoa(n) }

// LetterOfKind is the form of a letter of kind typed from scratch (an indkaldelse).
func LetterOfKind(id int64, kind string) string {
	return LetterNew(id) + "?type=" + url.QueryEscape(kind)
}

// LetterFromHearing is the partshøring letter of the partshøring hid.
func LetterFromHearing(id, hid int64) string {
	return LetterOfKind(id, "partshoering") + "&hoering=" + n(hid)
}

// LetterFromDecision is the afgørelse letter of the decision did.
func LetterFromDecision(id, did int64) string {
	return LetterOfKind(id, "afgoerelse") + "&afgoerelse=" + n(did)
}

// LetterFromCase is the letter with the team's indstilling in the case mcid on an agenda.
func LetterFromCase(id, mcid int64) string {
	return LetterOfKind(id, "indstilling") + "&sag=" + n(mcid)
}

// The journal.

func Journal(id int64) string          { return Citizen(id) + "/journal" }
func JournalSearch(id int64) string    { return Journal(id) + "/soeg" }
func NoteNew(id int64) string          { return Journal(id) + "/ny" }
func Note(id, nid int64) string        { return Journal(id) + "#notat-" + n(nid) }
func NoteCorrect(id, nid int64) string { return Journal(id) + "/" + n(nid) + "/ret" }
func NoteAmend(id, nid int64) string   { return Journal(id) + "/" + n(nid) + "/rediger" }

// JournalFiltered is the timeline narrowed to a kind of note and an author (0: any), on page.
func JournalFiltered(id int64, kind string, author int64, page int) string {
	v := url.Values{}
	if kind != "" {
		v.Set("art", kind)
	}
	if author != 0 {
		v.Set("forfatter", n(author))
	}
	if page > 1 {
		v.Set("side", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return Journal(id)
	}
	return Journal(id) + "?" + v.Encode()
}

// Screenings.

func ScreeningNew(id int64) string           { return Citizen(id) + "/screeninger/ny" }
func Screening(id, sid int64) string         { return Citizen(id) + "/screeninger/" + n(sid) }
func ScreeningOverride(id, sid int64) string { return Screening(id, sid) + "/vurdering" }

// ScreeningGP records that the citizen was encouraged to see their own doctor.
func ScreeningGP(id, sid int64) string { return Screening(id, sid) + "/egen-laege" }

// TFA and indsatsplan.

func Assessments(id int64) string       { return Citizen(id) + "/tfa" }
func AssessmentNew(id int64) string     { return Assessments(id) + "/ny" }
func Assessment(id, aid int64) string   { return Assessments(id) + "/" + n(aid) }
func Participants(id, aid int64) string { return Assessment(id, aid) + "/deltagere" }
func ParticipantRemove(id, aid, uid int64) string {
	return Participants(id, aid) + "/" + n(uid) + "/fjern"
}
func Plan(id int64) string         { return Citizen(id) + "/plan" }
func PlanNew(id int64) string      { return Plan(id) + "/ny" }
func PlanGoals(id int64) string    { return Plan(id) + "/maal" }
func EffortNew(id int64) string    { return Plan(id) + "/indsatser/ny" }
func Effort(id, eid int64) string  { return Plan(id) + "/indsatser/" + n(eid) }
func FollowUp(id int64) string     { return Plan(id) + "/opfoelgning" }
func PlanVersions(id int64) string { return Plan(id) + "/versioner" }
func PlanPrint(id int64) string    { return Plan(id) + "/print" }
func PlanPDF(id int64) string      { return Plan(id) + "/pdf" }

// PlanDiff compares two versions of the plan.
func PlanDiff(id int64, from, to int) string {
	return PlanVersions(id) + "?" + url.Values{"fra": {strconv.Itoa(from)}, "til": {strconv.Itoa(to)}}.Encode()
}

// Referrals and the catalogue.

func ReferralNew(id int64) string { return Citizen(id) + "/henvisninger/ny" }

// ReferralNewFor is the referral form with an offer chosen.
func ReferralNewFor(id, offerID int64) string { return ReferralNew(id) + "?tilbud=" + n(offerID) }

func Referral(id, rid int64) string       { return Citizen(id) + "/henvisninger/" + n(rid) }
func ReferralStatus(id, rid int64) string { return Referral(id, rid) + "/status" }
func Offer(id int64) string               { return "/katalog/" + n(id) }
func OfferEdit(id int64) string           { return Offer(id) + "/rediger" }

// Rehabiliteringsteam.

func Meeting(mid int64) string             { return "/moeder/" + n(mid) }
func MeetingEdit(mid int64) string         { return Meeting(mid) + "/rediger" }
func Board(mid int64) string               { return Meeting(mid) + "/skaerm" }
func BoardStream(mid int64) string         { return Board(mid) + "/stroem" }
func BoardFocus(mid int64) string          { return Meeting(mid) + "/fokus" }
func BoardCitizenPresent(mid int64) string { return Meeting(mid) + "/borger-til-stede" }
func BoardDeliberate(mid int64) string     { return Meeting(mid) + "/droefter" }
func MeetingAttendance(mid, mcid int64) string {
	return MeetingCase(mid, mcid) + "/fremmoede"
}
func CitizenComments(mid, mcid int64) string {
	return MeetingCase(mid, mcid) + "/bemaerkninger"
}
func MeetingCase(mid, mcid int64) string { return Meeting(mid) + "/sager/" + n(mcid) }
func Indstilling(mid, mcid int64) string { return MeetingCase(mid, mcid) + "/indstilling" }
func Preparation(mid, mcid int64) string { return MeetingCase(mid, mcid) + "/forberedelse" }
func MeetingCaseRemove(mid, mcid int64) string {
	return MeetingCase(mid, mcid) + "/fjern"
}
func Hearings(mid, mcid int64) string     { return MeetingCase(mid, mcid) + "/partshoering" }
func Hearing(mid, mcid, hid int64) string { return Hearings(mid, mcid) + "/" + n(hid) }
func Decision(mid, mcid int64) string     { return MeetingCase(mid, mcid) + "/afgoerelse" }
func Team(tid int64) string               { return "/rehabteams/" + n(tid) }
func TeamMembers(tid int64) string        { return Team(tid) + "/medlemmer" }

// Management and administration.

// LawCalendar is the law calendar: what changed in the reference data when, and what is
// announced.
const LawCalendar = "/lovkalender"

func Initiative(id int64) string     { return "/ledelse/strategi/" + n(id) }
func InitiativeEdit(id int64) string { return Initiative(id) + "/rediger" }
func User(id int64) string           { return "/admin/brugere/" + n(id) }
func UserDisable(id int64) string    { return User(id) + "/deaktiver" }
func UserEnable(id int64) string     { return User(id) + "/aktiver" }
func Role(code string) string        { return "/admin/roller/" + url.PathEscape(code) }

// SSOGroups maps the identity provider's groups to units and roles; SSOGroupDelete removes one.
const SSOGroups = "/admin/sso-grupper"

func SSOGroupDelete(id int64) string { return SSOGroups + "/" + n(id) + "/slet" }
func RefKind(kind string) string     { return "/admin/referencedata/" + url.PathEscape(kind) }
func RefValue(kind, code string) string {
	return RefKind(kind) + "/" + url.PathEscape(code)
}
func RefValueRetire(kind, code string) string { return RefValue(kind, code) + "/afslut" }
func RetentionCase(id int64) string           { return "/admin/opbevaring/" + n(id) }
func RetentionHold(id int64) string           { return RetentionCase(id) + "/slettestop" }
func RetentionHoldClear(id int64) string      { return RetentionHold(id) + "/ophaev" }

// SelfRating is borgerens egen vurdering: the question, the form and the answers so far.
func SelfRating(id int64) string { return Plan(id) + "/egen-vurdering" }

// The TFA by section, its conclusion and conference.
func AssessmentSection(id, aid int64, section string) string {
	return Assessment(id, aid) + "/afsnit/" + url.PathEscape(section)
}
func AssessmentConclude(id, aid int64) string   { return Assessment(id, aid) + "/afslut" }
func AssessmentConference(id, aid int64) string { return Assessment(id, aid) + "/konference" }

// ReferralNewFromEffort is the referral form for a plan effort (with its offer, if any).
func ReferralNewFromEffort(id, effortID int64, offerID *int64) string {
	u := ReferralNew(id) + "?indsats=" + n(effortID)
	if offerID != nil {
		u += "&tilbud=" + n(*offerID)
	}
	return u
}

// What the provider reports back on a referral.
func ReferralAttendance(id, rid int64) string { return Referral(id, rid) + "/fremmoede" }
func ReferralReport(id, rid int64) string     { return Referral(id, rid) + "/tilbagemelding" }

// Samtaler and the calendar.

func Samtaler(id int64) string               { return Citizen(id) + "/samtaler" }
func SamtaleNew(id int64) string             { return Samtaler(id) + "/ny" }
func Samtale(id, sid int64) string           { return Samtaler(id) + "/" + n(sid) }
func SamtaleOutcome(id, sid int64) string    { return Samtale(id, sid) + "/udfald" }
func SamtaleRebook(id, sid int64) string     { return Samtale(id, sid) + "/flyt" }
func SamtaleCancel(id, sid int64) string     { return Samtale(id, sid) + "/aflys" }
func SamtalerPage(id int64, page int) string { return Samtaler(id) + "?side=" + strconv.Itoa(page) }

func ContactExemptions(id int64) string { return Samtaler(id) + "/undtagelser" }

// Overdue is the list of overdue samtaler: scope "" (mine) or "enhed", page n.
func Overdue(scope string, page int) string {
	v := url.Values{}
	if scope != "" {
		v.Set("omfang", scope)
	}
	if page > 1 {
		v.Set("side", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/samtaler/overskredne"
	}
	return "/samtaler/overskredne?" + v.Encode()
}

// Calendar is the week view: scope "" (mine) or "enhed" (my unit's), week "2026-W50" ("" this
// week), page n.
func Calendar(scope, week string, page int) string {
	v := url.Values{}
	if scope != "" {
		v.Set("omfang", scope)
	}
	if week != "" {
		v.Set("uge", week)
	}
	if page > 1 {
		v.Set("side", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/kalender"
	}
	return "/kalender?" + v.Encode()
}

// Handover of a citizen's case, and the leader's handover of a departing caseworker's cases
// (uid: the caseworker).
func CitizenHandover(id int64) string   { return Citizen(id) + "/overdrag" }
func CaseloadHandover(uid int64) string { return "/ledelse/overdragelse/" + n(uid) }
func CaseloadHandoverPage(uid int64, page int) string {
	return CaseloadHandover(uid) + "?side=" + strconv.Itoa(page)
}

// Tasks.

const Tasks = "/opgaver"

func TaskDone(id int64) string   { return Tasks + "/" + n(id) + "/udfoert" }
func TaskSnooze(id int64) string { return Tasks + "/" + n(id) + "/udsaet" }
func TaskNew(id int64) string    { return Citizen(id) + "/opgaver/ny" }
func TasksPage(page int) string  { return Tasks + "?side=" + strconv.Itoa(page) }
