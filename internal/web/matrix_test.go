package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// The subjects of the permission matrix: each role, in each relation to citizen A (who
// belongs to Jobcenter Test with caseworker "own" as coordinating caseworker).
var subjects = []struct{ name, role, unit string }{
	{"own", access.RoleCaseworker, apptest.Jobcenter},        // A's own caseworker
	{"sameunit", access.RoleCaseworker, apptest.Jobcenter},   // a colleague in A's unit
	{"otherunit", access.RoleCaseworker, apptest.Jobcenter2}, // a caseworker elsewhere
	{"leader", access.RoleManager, apptest.Jobcenter},        // A's unit's leader
	{"otherleader", access.RoleManager, apptest.Jobcenter2},  // another unit's leader
	{"health", access.RoleHealth, apptest.Health},            // no referral of A to their unit
	{"healthconsent", access.RoleHealth, apptest.Health},     // consent, but still no referral
	{"social", access.RoleSocial, apptest.Social},            // no referral
	{"rehab", access.RoleRehabTeam, apptest.Region},          // A not on their agenda
	{"member", access.RoleRehabTeam, apptest.Region},         // chairs the meeting with A on its agenda
	{"admin", access.RoleAdmin, apptest.Admin},               // runs the system, not cases
}

// Who may pass each kind of route.
var (
	everyone       = []string{"own", "sameunit", "otherunit", "leader", "otherleader", "health", "healthconsent", "social", "rehab", "member", "admin"}
	caseHolders    = []string{"own", "sameunit", "leader"} // the unit that holds A's case
	jobcenterStaff = []string{"own", "sameunit", "otherunit", "leader", "otherleader"}
	admins         = []string{"admin"}
	unitLeader     = []string{"leader"}
	// The health centre's offer in the fixture is kept by its staff and the administrator.
	healthOfferKeepers = []string{"health", "healthconsent", "admin"}
	offerKeepers       = []string{"health", "healthconsent", "social", "admin"}
	inboxes            = []string{"health", "healthconsent", "social", "leader", "otherleader"}
	// Those who see A: the case-holding unit, and the team member with A on the agenda.
	viewers = []string{"own", "sameunit", "leader", "member"}
	// Meetings: the list is for every case-working role and team members; an agenda for the
	// team's members and the jobcenter staff who bring cases; the chair and the team's
	// unit's leader run it.
	meetingGoers   = []string{"own", "sameunit", "otherunit", "leader", "otherleader", "health", "healthconsent", "social", "rehab", "member"}
	agendaReaders  = []string{"own", "sameunit", "otherunit", "leader", "otherleader", "member"}
	meetingRunners = []string{"leader", "member"}
	leaders        = []string{"leader", "otherleader"}
	teamKeepers    = []string{"leader", "otherleader", "admin"}
	// The team's page may be edited only by its unit's leader or the administrator; the
	// POST to it by any team keeper is let through to that object-level check (403 for
	// otherleader, proven in meetings_test.go).
	teamEditors = []string{"leader", "admin"}
	// The management figures are aggregated and for leaders (each sees their own unit's
	// caseloads); the strategy is kept by leaders and the administrator.
	strategists = []string{"leader", "otherleader", "admin"}
	// The law calendar is reference data, no person: the administrator and the leaders.
	lawReaders = []string{"leader", "otherleader", "admin"}
	// nobody: a route no subject of the fixture has the relation for.
	nobody = []string{}
)

// matrix says, for every route, who may use it. A route missing here fails the test, so a
// new route cannot ship without its access decision being written down.
var matrix = map[string][]string{
	"GET /":                                           everyone,
	"POST /logout":                                    everyone,
	"POST /session/forny":                             everyone, // "Forbliv logget ind": one's own session
	"GET /konto/adgangskode":                          everyone, // one's own password
	"POST /konto/adgangskode":                         everyone,
	"GET /konto/totp":                                 everyone, // one's own second factor
	"POST /konto/totp":                                everyone,
	"GET /borgere":                                    jobcenterStaff,
	"POST /borgere/soeg":                              jobcenterStaff,
	"GET /borgere/ny":                                 jobcenterStaff,
	"POST /borgere/ny":                                jobcenterStaff,
	"GET /borgere/{id}":                               viewers,
	"GET /borgere/{id}/rediger":                       caseHolders,
	"POST /borgere/{id}/rediger":                      caseHolders,
	"POST /borgere/{id}/cpr":                          caseHolders,
	"POST /borgere/{id}/ydelser":                      caseHolders,
	"GET /borgere/{id}/screeninger/ny":                caseHolders,
	"POST /borgere/{id}/screeninger/ny":               caseHolders,
	"GET /borgere/{id}/screeninger/{sid}":             viewers,
	"POST /borgere/{id}/screeninger/{sid}/vurdering":  caseHolders,
	"POST /borgere/{id}/screeninger/{sid}/egen-laege": caseHolders,
	"POST /borgere/{id}/samtykker":                    caseHolders,
	"GET /borgere/{id}/indsigt":                       caseHolders,
	"GET /borgere/{id}/indsigt.json":                  caseHolders,
	"POST /borgere/{id}/samtykker/{cid}/tilbagekald":  caseHolders,
	"GET /borgere/{id}/henvisninger/ny":               caseHolders,
	"POST /borgere/{id}/henvisninger/ny":              caseHolders,
	"GET /borgere/{id}/henvisninger/{rid}":            caseHolders,
	"POST /borgere/{id}/henvisninger/{rid}/status":    caseHolders,
	"GET /katalog":                                    everyone,
	"GET /katalog/ny":                                 offerKeepers,
	"POST /katalog/ny":                                offerKeepers,
	"GET /katalog/{id}":                               everyone,
	"GET /katalog/{id}/rediger":                       healthOfferKeepers,
	"POST /katalog/{id}/rediger":                      healthOfferKeepers,
	"GET /indbakke":                                   inboxes,
	"GET /henvisninger":                               jobcenterStaff,
	"GET /admin/brugere":                              admins,
	"GET /admin/brugere/ny":                           admins,
	"POST /admin/brugere/ny":                          admins,
	"GET /admin/brugere/{id}":                         admins,
	"POST /admin/brugere/{id}":                        admins,
	"POST /admin/brugere/{id}/deaktiver":              admins,
	"POST /admin/brugere/{id}/aktiver":                admins,
	"GET /admin/enheder":                              admins,
	"POST /admin/enheder":                             admins,
	"GET /admin/roller":                               admins,
	"POST /admin/roller/{code}":                       admins,
	"GET /admin/sso-grupper":                          admins,
	"POST /admin/sso-grupper":                         admins,
	"POST /admin/sso-grupper/{id}/slet":               admins,
	"GET /admin/audit":                                admins,
	"GET /admin/regelsaet":                            admins,
	"POST /admin/regelsaet":                           admins,
	// Reference data: the administrator follows the law's changes here.
	"GET /lovkalender":                               lawReaders,
	"GET /admin/referencedata":                       admins,
	"GET /admin/referencedata/{kind}":                admins,
	"POST /admin/referencedata/{kind}":               admins,
	"GET /admin/referencedata/{kind}/{code}":         admins,
	"POST /admin/referencedata/{kind}/{code}":        admins,
	"POST /admin/referencedata/{kind}/{code}/afslut": admins,
	// The journal: the case-holding unit reads and writes it (a provider with a referral
	// too, which no subject here has); a team member with A on the agenda does not.
	"GET /borgere/{id}/journal":                caseHolders,
	"POST /borgere/{id}/journal/soeg":          caseHolders,
	"GET /borgere/{id}/journal/ny":             caseHolders,
	"POST /borgere/{id}/journal/ny":            caseHolders,
	"GET /borgere/{id}/journal/{nid}/ret":      caseHolders,
	"POST /borgere/{id}/journal/{nid}/ret":     caseHolders,
	"GET /borgere/{id}/journal/{nid}/rediger":  []string{"own"}, // the author, until the note locks
	"POST /borgere/{id}/journal/{nid}/rediger": []string{"own"},
	// Samtaler: the case-holding unit books and records them; the week view is for every
	// role that holds or takes part in samtaler (rows name a citizen only to those who may
	// see them), the unit's week for the jobcenter staff (checked in the handler).
	"GET /borgere/{id}/samtaler":                 caseHolders,
	"GET /borgere/{id}/samtaler/ny":              caseHolders,
	"POST /borgere/{id}/samtaler/ny":             caseHolders,
	"GET /borgere/{id}/samtaler/{samid}":         caseHolders,
	"POST /borgere/{id}/samtaler/{samid}/udfald": caseHolders,
	"POST /borgere/{id}/samtaler/{samid}/flyt":   caseHolders,
	"POST /borgere/{id}/samtaler/{samid}/aflys":  caseHolders,
	"POST /borgere/{id}/samtaler/undtagelser":    caseHolders,
	"GET /kalender":                              []string{"own", "sameunit", "otherunit", "leader", "otherleader", "health", "healthconsent", "social"},
	"GET /samtaler/overskredne":                  jobcenterStaff,
	"GET /opgaver":                               jobcenterStaff,
	"POST /opgaver/{opgid}/udfoert":              []string{"own"}, // the fixture's task is own's
	"POST /opgaver/{opgid}/udsaet":               []string{"own"},
	"GET /borgere/{id}/opgaver/ny":               caseHolders,
	"POST /borgere/{id}/opgaver/ny":              caseHolders,
	// The calendar feed: one's own, on the account page. The feed itself is opened by its
	// token only: a session opens nothing (TestCalendarFeedByTokenOnly).
	"GET /konto/kalender":              []string{"own", "sameunit", "otherunit", "leader", "otherleader", "health", "healthconsent", "social"},
	"POST /konto/kalender":             []string{"own", "sameunit", "otherunit", "leader", "otherleader", "health", "healthconsent", "social"},
	"POST /konto/kalender/tilbagekald": []string{"own", "sameunit", "otherunit", "leader", "otherleader", "health", "healthconsent", "social"},
	"GET /kalender/feed/{token}.ics":   nobody,
	// Handover: the case-holding unit; the bulk handover by the leader of the departing
	// caseworker's unit ({uid} is "own", of Jobcenter Test: another unit's leader gets 404).
	"GET /borgere/{id}/overdrag":       caseHolders,
	"POST /borgere/{id}/overdrag":      caseHolders,
	"GET /ledelse/overdragelse/{uid}":  unitLeader,
	"POST /ledelse/overdragelse/{uid}": unitLeader,
	// TFA and indsatsplan: the case-holding unit writes; nobody else sees them without a
	// relation (referral, agenda), which no subject here has.
	// The post-team records: the case-holding unit writes the samlet beskrivelse and asks for
	// advice. The fixture asks no unit (a request would open A to the region's subjects), so
	// nobody may answer here; the region's answer is proven in postteam_test.go.
	"GET /borgere/{id}/samlet-beskrivelse":               caseHolders,
	"POST /borgere/{id}/samlet-beskrivelse":              caseHolders,
	"GET /borgere/{id}/raadgivning/ny":                   caseHolders,
	"POST /borgere/{id}/raadgivning/ny":                  caseHolders,
	"GET /borgere/{id}/raadgivning/{raid}":               nobody,
	"POST /borgere/{id}/raadgivning/{raid}":              nobody,
	"GET /borgere/{id}/tfa":                              viewers,
	"POST /borgere/{id}/tfa/ny":                          caseHolders,
	"GET /borgere/{id}/tfa/{aid}":                        viewers,
	"POST /borgere/{id}/tfa/{aid}":                       caseHolders,
	"POST /borgere/{id}/tfa/{aid}/deltagere":             caseHolders,
	"POST /borgere/{id}/tfa/{aid}/deltagere/{uid}/fjern": caseHolders,
	"GET /borgere/{id}/plan":                             viewers,
	"POST /borgere/{id}/plan/ny":                         caseHolders,
	"GET /borgere/{id}/plan/maal":                        caseHolders,
	"POST /borgere/{id}/plan/maal":                       caseHolders,
	"GET /borgere/{id}/plan/indsatser/ny":                caseHolders,
	"POST /borgere/{id}/plan/indsatser/ny":               caseHolders,
	"GET /borgere/{id}/plan/indsatser/{eid}":             caseHolders,
	"POST /borgere/{id}/plan/indsatser/{eid}":            caseHolders,
	"POST /borgere/{id}/plan/opfoelgning":                caseHolders,
	"GET /borgere/{id}/plan/egen-vurdering":              viewers,
	"POST /borgere/{id}/plan/egen-vurdering":             caseHolders,
	"GET /borgere/{id}/plan/versioner":                   viewers,
	"GET /borgere/{id}/plan/print":                       viewers,
	"GET /borgere/{id}/plan/pdf":                         viewers,
	// Rehabiliteringsteam.
	"GET /borgere/{id}/overblik":                  viewers,
	"POST /borgere/{id}/moeder":                   caseHolders,
	"GET /moeder":                                 meetingGoers,
	"GET /moeder/ny":                              leaders,
	"POST /moeder/ny":                             leaders,
	"GET /moeder/{mid}":                           agendaReaders,
	"GET /moeder/{mid}/rediger":                   meetingRunners,
	"POST /moeder/{mid}/rediger":                  meetingRunners,
	"GET /moeder/{mid}/skaerm":                    agendaReaders,
	"GET /moeder/{mid}/skaerm/stroem":             agendaReaders,
	"POST /moeder/{mid}/fokus":                    meetingRunners,
	"POST /moeder/{mid}/borger-til-stede":         meetingRunners,
	"POST /moeder/{mid}/droefter":                 meetingRunners,
	"GET /moeder/{mid}/sager/{mcid}":              viewers,
	"GET /moeder/{mid}/sager/{mcid}/indstilling":  viewers,
	"POST /moeder/{mid}/sager/{mcid}/indstilling": []string{"member"},
	// Attendance and the citizen's comments: the chair and the minute-taker only.
	"POST /moeder/{mid}/sager/{mcid}/fremmoede":     []string{"member"},
	"POST /moeder/{mid}/sager/{mcid}/bemaerkninger": []string{"member"},
	"GET /moeder/{mid}/sager/{mcid}/forberedelse":   caseHolders,
	"POST /moeder/{mid}/sager/{mcid}/forberedelse":  caseHolders,
	"POST /moeder/{mid}/sager/{mcid}/fjern":         []string{"own", "sameunit", "leader", "member"},
	// The municipality's afgørelse and its partshøring: the case-holding unit; the chairing
	// member from the region, who sees the case, may not decide.
	"GET /moeder/{mid}/sager/{mcid}/partshoering":        caseHolders,
	"POST /moeder/{mid}/sager/{mcid}/partshoering":       caseHolders,
	"GET /moeder/{mid}/sager/{mcid}/partshoering/{hid}":  caseHolders,
	"POST /moeder/{mid}/sager/{mcid}/partshoering/{hid}": caseHolders,
	"GET /moeder/{mid}/sager/{mcid}/afgoerelse":          caseHolders,
	"POST /moeder/{mid}/sager/{mcid}/afgoerelse":         caseHolders,
	"GET /rehabteams":                  teamKeepers,
	"POST /rehabteams":                 teamKeepers,
	"GET /rehabteams/{tid}":            teamKeepers,
	"POST /rehabteams/{tid}/medlemmer": teamEditors,
	// Closure and slettestop: the case-holding unit closes and reopens; its leader places
	// and lifts a slettestop on the citizen page, the administrator on the retention
	// overview (which shows no names).
	"POST /borgere/{id}/afslut":            caseHolders,
	"POST /borgere/{id}/genaabn":           caseHolders,
	"POST /borgere/{id}/slettestop":        unitLeader,
	"POST /borgere/{id}/slettestop/ophaev": unitLeader,
	// Documents follow the citizen, each by its class (the fixture's is case data, so every
	// viewer may download it); the case-holding unit files them.
	"GET /borgere/{id}/dokumenter":       viewers,
	"POST /borgere/{id}/dokumenter":      caseHolders,
	"GET /borgere/{id}/dokumenter/{did}": viewers,
	// Letters follow the citizen, each by its document's class; the case-holding unit writes
	// them.
	"GET /borgere/{id}/breve":                       viewers,
	"GET /borgere/{id}/breve/ny":                    caseHolders,
	"POST /borgere/{id}/breve/ny":                   caseHolders,
	"GET /admin/opbevaring":                         admins,
	"POST /admin/opbevaring":                        admins,
	"GET /admin/opbevaring/{id}":                    admins,
	"POST /admin/opbevaring/{id}/slettestop":        admins,
	"POST /admin/opbevaring/{id}/slettestop/ophaev": admins,
	// Management (issue 7).
	"GET /ledelse":                        strategists,
	"GET /ledelse/sagsstammer":            leaders,
	"GET /ledelse/sagsstammer.csv":        leaders,
	"GET /ledelse/henvisninger":           leaders,
	"GET /ledelse/henvisninger.csv":       leaders,
	"GET /ledelse/risiko":                 leaders,
	"GET /ledelse/risiko.csv":             leaders,
	"GET /ledelse/effekt":                 leaders,
	"GET /ledelse/effekt.csv":             leaders,
	"GET /ledelse/strategi":               strategists,
	"GET /ledelse/strategi.csv":           strategists,
	"GET /ledelse/strategi/rapport":       strategists,
	"GET /ledelse/strategi/ny":            strategists,
	"POST /ledelse/strategi/ny":           strategists,
	"GET /ledelse/strategi/{id}":          strategists,
	"GET /ledelse/strategi/{id}/rediger":  strategists,
	"POST /ledelse/strategi/{id}/rediger": strategists,

	// The TFA by section: the case-holding unit; a health or social professional invited to
	// the TFA (no subject here is) writes their own section (TestHealthWritesOwnTFASectionOnly).
	"POST /borgere/{id}/tfa/{aid}/afsnit/{section}": caseHolders,
	"POST /borgere/{id}/tfa/{aid}/afslut":           caseHolders,
	"POST /borgere/{id}/tfa/{aid}/konference":       caseHolders,
	// Attendance and reports: the referral's provider unit only; the fixture's referral is to
	// the region, where no subject is provider staff, so nobody passes
	// (TestOnlyTheProviderReportsBack proves the provider does).
	"POST /borgere/{id}/henvisninger/{rid}/fremmoede":      {},
	"POST /borgere/{id}/henvisninger/{rid}/tilbagemelding": {},
}

// public routes need no login and carry no data of anyone's.
var public = []string{"GET /login", "POST /login", "GET /healthz", "GET /static/*", "HEAD /static/*", "GET /favicon.ico",
	"GET /login/sso", "GET /login/sso/callback", "GET /login/totp", "POST /login/totp"}

func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	users := map[string]store.User{}
	for _, s := range subjects {
		users[s.name] = app.User(t, s.name, s.role, s.unit)
	}
	victim := app.User(t, "offer", access.RoleCaseworker, apptest.Jobcenter) // target of admin user routes
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, users["own"].ID)
	ctx := context.Background()
	who := store.Who{UserID: users["own"].ID, RequestID: "matrix"}
	sid, err := app.Store.CreateScreening(ctx, who, a, app.Store.Now(), helhed.ScreeningAnswers{}, store.Conditions{}, helhed.Result{RuleSetVersion: 1, Group: helhed.RiskNone})
	if err != nil {
		t.Fatal(err)
	}
	var cid int64
	newConsent := func() {
		t.Helper()
		if err := app.Store.CreateConsents(ctx, who, store.NewConsent{CitizenID: a, Information: store.ConsentHealth,
			UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "matrix", GivenOn: app.Store.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := app.Pool.QueryRow(ctx, `SELECT max(id) FROM consents WHERE citizen_id = $1`, a).Scan(&cid); err != nil {
			t.Fatal(err)
		}
	}
	newConsent()
	// The identity-provider group mapping the administrator removes has A's id (the matrix
	// fills {id} with it).
	if _, err := app.Pool.Exec(ctx, `INSERT INTO sso_group_mappings (id, group_name, unit_id, role) OVERRIDING SYSTEM VALUE
		VALUES ($1, 'matrix', $2, 'sagsbehandler')`, a, app.Units[apptest.Jobcenter]); err != nil {
		t.Fatal(err)
	}
	// A's referral goes to the region, where no subject is provider staff, so it gives none of
	// them a relation to A; the catalogue routes use the health centre's offer.
	healthOffer, err := app.Store.CreateOffer(ctx, who, store.OfferInput{Name: "Livsstilsforløb", Opgavetype: "ot06",
		ProviderUnitID: app.Units[apptest.Health], Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	regionOffer, err := app.Store.CreateOffer(ctx, who, store.OfferInput{Name: "Sundhedskoordinator", Opgavetype: "ot07",
		ProviderUnitID: app.Units[apptest.Region], Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CreateConsents(ctx, who, store.NewConsent{CitizenID: a, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Region]}, Purpose: "matrix", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	rid, err := app.Store.CreateReferral(ctx, who, store.NewReferral{CitizenID: a, OfferID: regionOffer,
		FromUnitID: app.Units[apptest.Jobcenter], CitizenAccepted: true})
	if err != nil {
		t.Fatal(err)
	}
	aid, _, err := app.Store.StartAssessment(ctx, who, a, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CreatePlan(ctx, who, a, app.Store.Now(), 3); err != nil {
		t.Fatal(err)
	}
	eid, err := app.Store.SaveEffort(ctx, who, a, 1, 0, store.EffortInput{Title: "Praktik", Area: "beskaeftigelse", Status: "planlagt",
		ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: app.Store.Now()})
	if err != nil {
		t.Fatal(err)
	}
	// A meeting of Jobcenter Test's team tomorrow, chaired and minuted by "member", with A on
	// the agenda; A's indstilling is recorded so its print view exists.
	team, err := app.Store.CreateTeam(ctx, who, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, who, team, users["member"].ID, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	mid, err := app.Store.CreateMeeting(ctx, who, store.MeetingInput{TeamID: team, StartsAt: app.Store.Now().Add(24 * time.Hour),
		SlotMinutes: 30, ChairID: users["member"].ID, MinuteTakerID: users["member"].ID})
	if err != nil {
		t.Fatal(err)
	}
	mcid, err := app.Store.AddMeetingCase(ctx, who, mid, a, "Jobafklaring?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.RecordIndstilling(ctx, who, mid, mcid, 1, helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "matrix"}); err != nil {
		t.Fatal(err)
	}
	// A note by A's caseworker, in the journal's routes.
	nid, err := app.Store.CreateNote(ctx, who, a, access.SightOf(access.User{ID: users["own"].ID, UnitID: app.Units[apptest.Jobcenter],
		Role: access.RoleCaseworker}, access.Relation{CitizenUnitID: app.Units[apptest.Jobcenter]}),
		store.NoteInput{Kind: "samtale", Class: "sag", EventDate: app.Store.Now(), Text: "Samtale om praktik"})
	if err != nil {
		t.Fatal(err)
	}
	opgid, err := app.Store.CreateTask(ctx, who, store.TaskInput{CitizenID: a, Title: "Ring", Due: app.Store.Now(), AssigneeID: users["own"].ID})
	if err != nil {
		t.Fatal(err)
	}
	samid, err := app.Store.BookSamtale(ctx, who, a, store.SamtaleInput{StartsAt: app.Store.Now().Add(48 * time.Hour),
		EndsAt: app.Store.Now().Add(49 * time.Hour), Form: "fysisk"})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := app.Store.AddDocument(ctx, who, a, store.NewDocument{Title: "Brev", Type: "brev_til_borger", Filename: "brev.pdf"},
		strings.NewReader("%PDF-1.4\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	today := helhed.DanishToday(app.Store.Now())
	hid, err := app.Store.StartHearing(ctx, who, mid, mcid, helhed.HearingInput{Subject: "matrix", SentOn: today, Deadline: today.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	initiative, err := app.Store.CreateInitiative(ctx, who, store.InitiativeInput{Theme: "unge", Title: "Hashgrupper",
		Status: "fremdrift", CountsFrom: app.Store.Now(), OfferIDs: []int64{healthOffer}})
	if err != nil {
		t.Fatal(err)
	}
	params := func(route string) string {
		id, code := strconv.FormatInt(a, 10), "leder" // a role's code
		if strings.HasPrefix(route, "/admin/referencedata/") {
			code = "kontanthjaelp" // a benefit type's code
		}
		switch {
		case strings.Contains(route, "/admin/brugere/"):
			id = strconv.FormatInt(victim.ID, 10)
		case strings.HasPrefix(route, "/katalog/"):
			id = strconv.FormatInt(healthOffer, 10)
		case strings.HasPrefix(route, "/ledelse/strategi/"):
			id = strconv.FormatInt(initiative, 10)
		}
		return strings.NewReplacer("{id}", id, "{sid}", strconv.FormatInt(sid, 10), "{cid}", strconv.FormatInt(cid, 10),
			"{rid}", strconv.FormatInt(rid, 10), "{code}", code, "{kind}", "benefit_type", "{aid}", strconv.FormatInt(aid, 10), "{eid}", strconv.FormatInt(eid, 10),
			"{uid}", strconv.FormatInt(users["own"].ID, 10), "{mid}", strconv.FormatInt(mid, 10), "{mcid}", strconv.FormatInt(mcid, 10),
			"{tid}", strconv.FormatInt(team, 10), "{nid}", strconv.FormatInt(nid, 10), "{did}", strconv.FormatInt(doc.ID, 10), "{hid}", strconv.FormatInt(hid, 10), "{raid}", "1", "{section}", "beskaeftigelse",
			"{samid}", strconv.FormatInt(samid, 10), "{opgid}", strconv.FormatInt(opgid, 10)).Replace(route)
	}

	var routes []string
	if err := chi.Walk(app.Server.Handler(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+route)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(routes)
	// Withdrawing consent, taking a case off the agenda and logging out change the fixture,
	// so they run last, logging out the very last.
	rank := func(r string) int {
		switch {
		case r == "POST /logout":
			return 2
		case strings.HasSuffix(r, "/tilbagekald") || strings.HasSuffix(r, "/fjern"):
			return 1
		}
		return 0
	}
	slices.SortStableFunc(routes, func(x, y string) int { return rank(x) - rank(y) })

	clients := map[string]*apptest.Client{}
	for _, s := range subjects {
		clients[s.name] = app.Login(t, s.name)
	}
	for _, route := range routes {
		if slices.Contains(public, route) {
			continue
		}
		// The citizen area is another realm: no staff session reaches its routes
		// (TestCitizenAndStaffSessionsAreSeparateRealms walks every one of them).
		if _, pattern, _ := strings.Cut(route, " "); strings.HasPrefix(pattern, paths.SelfPrefix) {
			continue
		}
		allowed, ok := matrix[route]
		if !ok {
			t.Errorf("route %s has no entry in the permission matrix", route)
			continue
		}
		method, pattern, _ := strings.Cut(route, " ")
		for _, s := range subjects {
			if strings.HasSuffix(route, "/tilbagekald") {
				newConsent() // each subject withdraws a consent still in force
			}
			if strings.HasSuffix(route, "/fjern") {
				// each subject tries to take A off the agenda, so put A back on first
				if _, err := app.Pool.Exec(ctx, `DELETE FROM meeting_cases WHERE meeting_id = $1`, mid); err != nil {
					t.Fatal(err)
				}
				if mcid, err = app.Store.AddMeetingCase(ctx, who, mid, a, "Jobafklaring?"); err != nil {
					t.Fatal(err)
				}
			}
			path := params(pattern)
			c := clients[s.name].NoRedirects()
			var status int
			switch {
			case strings.HasSuffix(route, "/stroem"): // an event stream never ends: read the status only
				st := c.Stream(path)
				status = st.Status
				st.Close()
			case method == http.MethodGet:
				status = c.Get(path).Status
			default:
				status = c.Post(path, url.Values{}).Status
			}
			denied := status == http.StatusForbidden || status == http.StatusNotFound
			if want := slices.Contains(allowed, s.name); want == denied {
				t.Errorf("%s as %s: status %d; want allowed=%v", route, s.name, status, want)
			}
			if status >= 500 {
				t.Errorf("%s as %s: server error %d", route, s.name, status)
			}
		}
	}
	for route := range matrix {
		if !slices.Contains(routes, route) {
			t.Errorf("matrix entry %s matches no route", route)
		}
	}
}

// Child ids are checked against their parent: citizen B's screening, consent or referral
// under citizen A's URL is not found, even for A's own caseworker.
func TestChildIDSwapsAreNotFound(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	own := app.User(t, "own", access.RoleCaseworker, apptest.Jobcenter)
	other := app.User(t, "other", access.RoleCaseworker, apptest.Jobcenter2)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, own.ID)
	b := app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter2, other.ID)
	ctx := context.Background()
	sidB, err := app.Store.CreateScreening(ctx, store.Who{UserID: other.ID}, b, app.Store.Now(), helhed.ScreeningAnswers{}, store.Conditions{},
		helhed.Result{RuleSetVersion: 1, Group: helhed.RiskNone})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.CreateConsents(ctx, store.Who{UserID: other.ID}, store.NewConsent{CitizenID: b, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "x", GivenOn: app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	var cidB int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM consents WHERE citizen_id = $1`, b).Scan(&cidB); err != nil {
		t.Fatal(err)
	}
	offer, err := app.Store.CreateOffer(ctx, store.Who{}, store.OfferInput{Name: "IPS", Opgavetype: "ot08",
		ProviderUnitID: app.Units[apptest.Jobcenter2], Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	ridB, err := app.Store.CreateReferral(ctx, store.Who{UserID: other.ID}, store.NewReferral{CitizenID: b, OfferID: offer,
		FromUnitID: app.Units[apptest.Jobcenter2]})
	if err != nil {
		t.Fatal(err)
	}
	aidB, _, err := app.Store.StartAssessment(ctx, store.Who{UserID: other.ID}, b, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	for _, cit := range []struct{ id, by int64 }{{a, own.ID}, {b, other.ID}} {
		if err := app.Store.CreatePlan(ctx, store.Who{UserID: cit.by}, cit.id, app.Store.Now(), 3); err != nil {
			t.Fatal(err)
		}
	}
	eidB, err := app.Store.SaveEffort(ctx, store.Who{UserID: other.ID}, b, 1, 0, store.EffortInput{Title: "Praktik", Area: "beskaeftigelse",
		Status: "planlagt", ResponsibleUnitID: app.Units[apptest.Jobcenter2], StartDate: app.Store.Now()})
	if err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "own")
	base := "/borgere/" + strconv.FormatInt(a, 10)
	for _, tc := range []struct {
		method, path string
	}{
		{http.MethodGet, base + "/tfa/" + strconv.FormatInt(aidB, 10)},
		{http.MethodPost, base + "/tfa/" + strconv.FormatInt(aidB, 10)},
		{http.MethodPost, base + "/tfa/" + strconv.FormatInt(aidB, 10) + "/deltagere/" + strconv.FormatInt(other.ID, 10) + "/fjern"},
		{http.MethodPost, base + "/tfa/" + strconv.FormatInt(aidB, 10) + "/afsnit/beskaeftigelse"},
		{http.MethodPost, base + "/tfa/" + strconv.FormatInt(aidB, 10) + "/afslut"},
		{http.MethodPost, base + "/tfa/" + strconv.FormatInt(aidB, 10) + "/konference"},
		{http.MethodGet, base + "/plan/indsatser/" + strconv.FormatInt(eidB, 10)},
		{http.MethodPost, base + "/plan/indsatser/" + strconv.FormatInt(eidB, 10)},
		{http.MethodGet, base + "/screeninger/" + strconv.FormatInt(sidB, 10)},
		{http.MethodPost, base + "/screeninger/" + strconv.FormatInt(sidB, 10) + "/vurdering"},
		{http.MethodPost, base + "/screeninger/" + strconv.FormatInt(sidB, 10) + "/egen-laege"},
		{http.MethodPost, base + "/samtykker/" + strconv.FormatInt(cidB, 10) + "/tilbagekald"},
		{http.MethodGet, base + "/henvisninger/" + strconv.FormatInt(ridB, 10)},
		{http.MethodPost, base + "/henvisninger/" + strconv.FormatInt(ridB, 10) + "/status"},
	} {
		var p *apptest.Page
		if tc.method == http.MethodGet {
			p = c.Get(tc.path)
		} else {
			p = c.Post(tc.path, url.Values{"override_group": {"hoej"}, "override_reason": {"en lang nok begrundelse"},
				"to": {"annulleret"}, "version": {"1"}})
		}
		if p.Status != http.StatusNotFound {
			t.Errorf("%s %s (child of another citizen): %d; want 404", tc.method, tc.path, p.Status)
		}
	}
	var withdrawn bool
	if err := app.Pool.QueryRow(ctx, `SELECT withdrawn_at IS NOT NULL FROM consents WHERE id = $1`, cidB).Scan(&withdrawn); err != nil || withdrawn {
		t.Fatalf("citizen B's consent was withdrawn through citizen A's URL (%v)", err)
	}
	var state string
	if err := app.Pool.QueryRow(ctx, `SELECT state FROM referrals WHERE id = $1`, ridB).Scan(&state); err != nil || state != "sendt" {
		t.Fatalf("citizen B's referral is %q through citizen A's URL (%v)", state, err)
	}
}
