package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// TestPathsMatchRoutes routes every path builder through the real router: each must reach
// the route it is named for, with the ids in the right parameters. A path that drifts from
// routes.go (a renamed segment, a swapped id) fails here, not as a 404 in a user's browser.
func TestPathsMatchRoutes(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	mux := app.Server.Handler()
	const a, b, c = 11, 22, 33
	tests := []struct {
		method, path, pattern string
		params                map[string]string
	}{
		{"GET", paths.Citizen(a), "/borgere/{id}", map[string]string{"id": "11"}},
		{"GET", paths.CitizenEdit(a), "/borgere/{id}/rediger", nil},
		{"POST", paths.CitizenRevealCPR(a), "/borgere/{id}/cpr", nil},
		{"POST", paths.CitizenBenefits(a), "/borgere/{id}/ydelser", nil},
		{"GET", paths.CitizenOverview(a), "/borgere/{id}/overblik", nil},
		{"GET", paths.CitizenExport(a), "/borgere/{id}/indsigt", nil},
		{"GET", paths.CitizenExportJSON(a), "/borgere/{id}/indsigt.json", nil},
		{"POST", paths.Consents(a), "/borgere/{id}/samtykker", nil},
		{"POST", paths.ConsentWithdraw(a, b), "/borgere/{id}/samtykker/{cid}/tilbagekald", map[string]string{"id": "11", "cid": "22"}},
		{"POST", paths.CaseClose(a), "/borgere/{id}/afslut", nil},
		{"POST", paths.CaseReopen(a), "/borgere/{id}/genaabn", nil},
		{"POST", paths.LegalHold(a), "/borgere/{id}/slettestop", nil},
		{"POST", paths.LegalHoldClear(a), "/borgere/{id}/slettestop/ophaev", nil},
		{"POST", paths.CitizenMeetings(a), "/borgere/{id}/moeder", nil},
		{"GET", paths.Documents(a), "/borgere/{id}/dokumenter", map[string]string{"id": "11"}},
		{"POST", paths.Documents(a), "/borgere/{id}/dokumenter", nil},
		{"GET", paths.DocumentsPage(a, 2), "/borgere/{id}/dokumenter", nil},
		{"GET", paths.DocumentsAt(a, "tilfoej"), "/borgere/{id}/dokumenter", nil},
		{"GET", paths.Document(a, b), "/borgere/{id}/dokumenter/{did}", map[string]string{"id": "11", "did": "22"}},
		{"GET", paths.Letters(a), "/borgere/{id}/breve", map[string]string{"id": "11"}},
		{"GET", paths.LettersPage(a, 2), "/borgere/{id}/breve", nil},
		{"GET", paths.LetterNew(a), "/borgere/{id}/breve/ny", map[string]string{"id": "11"}},
		{"POST", paths.LetterNew(a), "/borgere/{id}/breve/ny", nil},
		{"GET", paths.LetterOfKind(a, "indkaldelse"), "/borgere/{id}/breve/ny", nil},
		{"GET", paths.LetterFromHearing(a, b), "/borgere/{id}/breve/ny", nil},
		{"GET", paths.LetterFromDecision(a, b), "/borgere/{id}/breve/ny", nil},
		{"GET", paths.LetterFromCase(a, b), "/borgere/{id}/breve/ny", nil},
		{"GET", paths.Description(a), "/borgere/{id}/samlet-beskrivelse", map[string]string{"id": "11"}},
		{"POST", paths.Description(a), "/borgere/{id}/samlet-beskrivelse", nil},
		{"GET", paths.AdviceNew(a), "/borgere/{id}/raadgivning/ny", map[string]string{"id": "11"}},
		{"POST", paths.AdviceNew(a), "/borgere/{id}/raadgivning/ny", nil},
		{"GET", paths.Advice(a, b), "/borgere/{id}/raadgivning/{raid}", map[string]string{"id": "11", "raid": "22"}},
		{"POST", paths.Advice(a, b), "/borgere/{id}/raadgivning/{raid}", nil},
		{"GET", paths.PostTeamSection(a), "/borgere/{id}", nil},
		{"GET", paths.Samtaler(a), "/borgere/{id}/samtaler", map[string]string{"id": "11"}},
		{"GET", paths.SamtalerPage(a, 2), "/borgere/{id}/samtaler", nil},
		{"GET", paths.SamtaleNew(a), "/borgere/{id}/samtaler/ny", map[string]string{"id": "11"}},
		{"POST", paths.SamtaleNew(a), "/borgere/{id}/samtaler/ny", nil},
		{"GET", paths.Samtale(a, b), "/borgere/{id}/samtaler/{samid}", map[string]string{"id": "11", "samid": "22"}},
		{"POST", paths.SamtaleOutcome(a, b), "/borgere/{id}/samtaler/{samid}/udfald", map[string]string{"id": "11", "samid": "22"}},
		{"POST", paths.SamtaleRebook(a, b), "/borgere/{id}/samtaler/{samid}/flyt", map[string]string{"id": "11", "samid": "22"}},
		{"POST", paths.SamtaleCancel(a, b), "/borgere/{id}/samtaler/{samid}/aflys", map[string]string{"id": "11", "samid": "22"}},
		{"POST", paths.ContactExemptions(a), "/borgere/{id}/samtaler/undtagelser", map[string]string{"id": "11"}},
		{"GET", paths.Overdue("", 1), "/samtaler/overskredne", nil},
		{"GET", paths.Overdue("enhed", 2), "/samtaler/overskredne", nil},
		{"GET", paths.Tasks, "/opgaver", nil},
		{"GET", paths.TasksPage(2), "/opgaver", nil},
		{"POST", paths.TaskDone(a), "/opgaver/{opgid}/udfoert", map[string]string{"opgid": "11"}},
		{"POST", paths.TaskSnooze(a), "/opgaver/{opgid}/udsaet", map[string]string{"opgid": "11"}},
		{"GET", paths.TaskNew(a), "/borgere/{id}/opgaver/ny", map[string]string{"id": "11"}},
		{"GET", paths.CitizenHandover(a), "/borgere/{id}/overdrag", map[string]string{"id": "11"}},
		{"POST", paths.CitizenHandover(a), "/borgere/{id}/overdrag", nil},
		{"GET", paths.CaseloadHandover(a), "/ledelse/overdragelse/{uid}", map[string]string{"uid": "11"}},
		{"GET", paths.CaseloadHandoverPage(a, 2), "/ledelse/overdragelse/{uid}", nil},
		{"POST", paths.CaseloadHandover(a), "/ledelse/overdragelse/{uid}", nil},
		{"POST", paths.TaskNew(a), "/borgere/{id}/opgaver/ny", nil},
		{"GET", paths.Calendar("", "", 1), "/kalender", nil},
		{"GET", paths.Calendar("enhed", "2026-W50", 2), "/kalender", nil},
		{"GET", paths.Journal(a), "/borgere/{id}/journal", map[string]string{"id": "11"}},
		{"GET", paths.JournalFiltered(a, "samtale", b, 2), "/borgere/{id}/journal", nil},
		{"GET", paths.Note(a, b), "/borgere/{id}/journal", nil},
		{"POST", paths.JournalSearch(a), "/borgere/{id}/journal/soeg", nil},
		{"GET", paths.NoteNew(a), "/borgere/{id}/journal/ny", nil},
		{"GET", paths.NoteCorrect(a, b), "/borgere/{id}/journal/{nid}/ret", map[string]string{"id": "11", "nid": "22"}},
		{"POST", paths.NoteAmend(a, b), "/borgere/{id}/journal/{nid}/rediger", map[string]string{"id": "11", "nid": "22"}},
		{"GET", paths.ScreeningNew(a), "/borgere/{id}/screeninger/ny", nil},
		{"GET", paths.Screening(a, b), "/borgere/{id}/screeninger/{sid}", map[string]string{"id": "11", "sid": "22"}},
		{"POST", paths.ScreeningOverride(a, b), "/borgere/{id}/screeninger/{sid}/vurdering", map[string]string{"sid": "22"}},
		{"POST", paths.ScreeningGP(a, b), "/borgere/{id}/screeninger/{sid}/egen-laege", map[string]string{"sid": "22"}},
		{"GET", paths.Assessments(a), "/borgere/{id}/tfa", nil},
		{"POST", paths.AssessmentNew(a), "/borgere/{id}/tfa/ny", nil},
		{"GET", paths.Assessment(a, b), "/borgere/{id}/tfa/{aid}", map[string]string{"aid": "22"}},
		{"POST", paths.Participants(a, b), "/borgere/{id}/tfa/{aid}/deltagere", nil},
		{"POST", paths.ParticipantRemove(a, b, c), "/borgere/{id}/tfa/{aid}/deltagere/{uid}/fjern", map[string]string{"id": "11", "aid": "22", "uid": "33"}},
		{"POST", paths.ReferralAttendance(a, b), "/borgere/{id}/henvisninger/{rid}/fremmoede", map[string]string{"rid": "22"}},
		{"POST", paths.ReferralReport(a, b), "/borgere/{id}/henvisninger/{rid}/tilbagemelding", map[string]string{"rid": "22"}},
		{"POST", paths.AssessmentSection(a, b, "sundhed"), "/borgere/{id}/tfa/{aid}/afsnit/{section}", map[string]string{"aid": "22", "section": "sundhed"}},
		{"POST", paths.AssessmentConclude(a, b), "/borgere/{id}/tfa/{aid}/afslut", map[string]string{"aid": "22"}},
		{"POST", paths.AssessmentConference(a, b), "/borgere/{id}/tfa/{aid}/konference", map[string]string{"aid": "22"}},
		{"GET", paths.Plan(a), "/borgere/{id}/plan", nil},
		{"POST", paths.PlanNew(a), "/borgere/{id}/plan/ny", nil},
		{"GET", paths.PlanGoals(a), "/borgere/{id}/plan/maal", nil},
		{"GET", paths.EffortNew(a), "/borgere/{id}/plan/indsatser/ny", nil},
		{"GET", paths.Effort(a, b), "/borgere/{id}/plan/indsatser/{eid}", map[string]string{"eid": "22"}},
		{"POST", paths.FollowUp(a), "/borgere/{id}/plan/opfoelgning", nil},
		{"GET", paths.SelfRating(a), "/borgere/{id}/plan/egen-vurdering", nil},
		{"POST", paths.SelfRating(a), "/borgere/{id}/plan/egen-vurdering", nil},
		{"GET", paths.PlanVersions(a), "/borgere/{id}/plan/versioner", nil},
		{"GET", paths.PlanDiff(a, 1, 2), "/borgere/{id}/plan/versioner", nil},
		{"GET", paths.PlanPrint(a), "/borgere/{id}/plan/print", nil},
		{"GET", paths.PlanPDF(a), "/borgere/{id}/plan/pdf", nil},
		{"GET", paths.ReferralNew(a), "/borgere/{id}/henvisninger/ny", nil},
		{"GET", paths.ReferralNewFor(a, b), "/borgere/{id}/henvisninger/ny", nil},
		{"GET", paths.Referral(a, b), "/borgere/{id}/henvisninger/{rid}", map[string]string{"rid": "22"}},
		{"POST", paths.ReferralStatus(a, b), "/borgere/{id}/henvisninger/{rid}/status", nil},
		{"GET", paths.Offer(a), "/katalog/{id}", nil},
		{"GET", paths.OfferEdit(a), "/katalog/{id}/rediger", nil},
		{"GET", paths.Meeting(a), "/moeder/{mid}", map[string]string{"mid": "11"}},
		{"GET", paths.MeetingEdit(a), "/moeder/{mid}/rediger", nil},
		{"GET", paths.Board(a), "/moeder/{mid}/skaerm", nil},
		{"GET", paths.BoardStream(a), "/moeder/{mid}/skaerm/stroem", nil},
		{"POST", paths.BoardFocus(a), "/moeder/{mid}/fokus", nil},
		{"POST", paths.BoardCitizenPresent(a), "/moeder/{mid}/borger-til-stede", nil},
		{"POST", paths.BoardDeliberate(a), "/moeder/{mid}/droefter", nil},
		{"POST", paths.MeetingAttendance(a, b), "/moeder/{mid}/sager/{mcid}/fremmoede", nil},
		{"POST", paths.CitizenComments(a, b), "/moeder/{mid}/sager/{mcid}/bemaerkninger", nil},
		{"GET", paths.MeetingCase(a, b), "/moeder/{mid}/sager/{mcid}", map[string]string{"mid": "11", "mcid": "22"}},
		{"GET", paths.Indstilling(a, b), "/moeder/{mid}/sager/{mcid}/indstilling", nil},
		{"GET", paths.Preparation(a, b), "/moeder/{mid}/sager/{mcid}/forberedelse", nil},
		{"POST", paths.MeetingCaseRemove(a, b), "/moeder/{mid}/sager/{mcid}/fjern", nil},
		{"GET", paths.Hearings(a, b), "/moeder/{mid}/sager/{mcid}/partshoering", map[string]string{"mid": "11", "mcid": "22"}},
		{"POST", paths.Hearing(a, b, c), "/moeder/{mid}/sager/{mcid}/partshoering/{hid}", map[string]string{"mid": "11", "mcid": "22", "hid": "33"}},
		{"GET", paths.Decision(a, b), "/moeder/{mid}/sager/{mcid}/afgoerelse", map[string]string{"mid": "11", "mcid": "22"}},
		{"GET", paths.Team(a), "/rehabteams/{tid}", nil},
		{"POST", paths.TeamMembers(a), "/rehabteams/{tid}/medlemmer", nil},
		{"GET", paths.LawCalendar, "/lovkalender", nil},
		{"GET", paths.Initiative(a), "/ledelse/strategi/{id}", nil},
		{"GET", paths.InitiativeEdit(a), "/ledelse/strategi/{id}/rediger", nil},
		{"GET", paths.User(a), "/admin/brugere/{id}", nil},
		{"POST", paths.UserDisable(a), "/admin/brugere/{id}/deaktiver", nil},
		{"POST", paths.UserEnable(a), "/admin/brugere/{id}/aktiver", nil},
		{"POST", paths.Role("sagsbehandler"), "/admin/roller/{code}", map[string]string{"code": "sagsbehandler"}},
		{"POST", paths.SSOGroupDelete(a), "/admin/sso-grupper/{id}/slet", nil},
		{"GET", paths.RefKind("benefit_type"), "/admin/referencedata/{kind}", nil},
		{"GET", paths.RefValue("benefit_type", "kontanthjaelp"), "/admin/referencedata/{kind}/{code}", map[string]string{"kind": "benefit_type", "code": "kontanthjaelp"}},
		{"POST", paths.RefValueRetire("benefit_type", "x"), "/admin/referencedata/{kind}/{code}/afslut", nil},
		{"GET", paths.RetentionCase(a), "/admin/opbevaring/{id}", nil},
		{"POST", paths.RetentionHold(a), "/admin/opbevaring/{id}/slettestop", nil},
		{"POST", paths.RetentionHoldClear(a), "/admin/opbevaring/{id}/slettestop/ophaev", nil},
		// The citizen area (no citizen id in its paths: the signed-in citizen's own case).
		{"GET", paths.SelfHome, "/mit", nil},
		{"GET", paths.SelfSignIn, "/mit/log-ind", nil},
		{"POST", paths.SelfDevSignIn, "/mit/log-ind/demo", nil},
		{"GET", paths.SelfMitID, "/mit/log-ind/mitid", nil},
		{"GET", paths.SelfMitIDReturn, "/mit/log-ind/mitid/callback", nil},
		{"POST", paths.SelfSignOut, "/mit/log-ud", nil},
		{"POST", paths.SelfRenew, "/mit/forny", nil},
		{"POST", paths.SelfGoalRating(a), "/mit/plan/maal/{gid}", map[string]string{"gid": "11"}},
		{"POST", paths.SelfPlanComment, "/mit/plan/kommentar", nil},
		{"GET", paths.SelfAppointments, "/mit/samtaler", nil},
		{"GET", paths.SelfWHO5(a), "/mit/samtaler/{samid}/trivsel", map[string]string{"samid": "11"}},
		{"POST", paths.SelfWHO5(a), "/mit/samtaler/{samid}/trivsel", map[string]string{"samid": "11"}},
		{"GET", paths.SelfIndstilling(a), "/mit/moeder/{mcid}", map[string]string{"mcid": "11"}},
		{"POST", paths.SelfIndstillingComment(a), "/mit/moeder/{mcid}/kommentar", map[string]string{"mcid": "11"}},
		{"GET", paths.SelfConsents, "/mit/samtykker", nil},
		{"POST", paths.SelfConsents, "/mit/samtykker", nil},
		{"POST", paths.SelfConsentWithdraw(a), "/mit/samtykker/{kid}/tilbagekald", map[string]string{"kid": "11"}},
		{"GET", paths.SelfLetters, "/mit/breve", nil},
		{"POST", paths.SelfLetters, "/mit/breve", nil},
		{"GET", paths.SelfDocument(a), "/mit/breve/{did}", map[string]string{"did": "11"}},
		{"GET", paths.SelfLookups, "/mit/opslag", nil},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.path)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		rctx := chi.NewRouteContext()
		if !mux.Match(rctx, tt.method, u.Path) {
			t.Errorf("%s %s reaches no route", tt.method, tt.path)
			continue
		}
		if got := strings.Join(rctx.RoutePatterns, ""); !strings.HasSuffix(got, tt.pattern) || strings.Count(got, "/")-strings.Count(tt.pattern, "/") > 1 {
			t.Errorf("%s %s reaches %s, want %s", tt.method, tt.path, got, tt.pattern)
		}
		for k, want := range tt.params {
			if got := rctx.URLParam(k); got != want {
				t.Errorf("%s: {%s} = %q, want %q", tt.path, k, got, want)
			}
		}
	}
	// The citizen page's sections are anchors on the same route.
	if got := paths.CitizenAt(a, "samtykker"); got != "/borgere/11#samtykker" {
		t.Errorf("CitizenAt = %q", got)
	}
	// A note is its place on the timeline; a filter keeps its values in the query.
	if got := paths.Note(a, b); got != "/borgere/11/journal#notat-22" {
		t.Errorf("Note = %q", got)
	}
	if got := paths.JournalFiltered(a, "samtale", b, 2); got != "/borgere/11/journal?art=samtale&forfatter=22&side=2" {
		t.Errorf("JournalFiltered = %q", got)
	}
	if got := paths.JournalFiltered(a, "", 0, 1); got != "/borgere/11/journal" {
		t.Errorf("JournalFiltered without filters = %q", got)
	}
	// The upload route is the one whose multipart body its handler streams (input.go).
	for _, p := range web.UploadRoutes {
		if !mux.Match(chi.NewRouteContext(), http.MethodPost, strings.ReplaceAll(p, "{id}", "11")) {
			t.Errorf("upload route %s is no POST route", p)
		}
	}
	_ = http.MethodGet
}
