package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// The canary test proves the consent boundary on every page. One citizen's whole case is built
// through the store (screening, consents, a concluded TFA, a plan with an employment, a health
// and a social effort, follow-ups, referrals to a jobcenter, a health and a social offer, a
// rehabiliteringsteam meeting with the forberedende del and the indstilling, closure and
// slettestop, and a document of each class). Then a unique marker is planted in every text
// column of every row of the case, in every text inside its JSON documents and in the content
// of every document — the columns come from the schema, so a new column is planted (or
// refused) automatically. Every role in every relation and consent state
// fetches every GET route of the application (chi.Walk) for this citizen, the board's event
// stream included, and every marker seen is checked against the expected-visibility table
// below. Structured health values (risk group, WHO-5, progression) are probed by the markup
// that shows them.

// canaryRe finds planted markers in a page.
var canaryRe = regexp.MustCompile(`KANARI[0-9]+X`)

// canaryMark is what one marker stands for.
type canaryMark struct {
	where string       // table.column, or table.column[key]
	class access.Class // as declared in the expected-visibility table below
	unit  int64        // the unit whose own row it is (it sees it whatever its consents), 0 none
}

// canaryStructured are the text columns that hold codes or fixed formats, not free text: no
// marker can be planted in them. Each says how it is covered instead. A new text column that
// is neither free text nor listed here makes the planting fail with a constraint error.
var canaryStructured = map[string]string{
	"citizens.cpr":                      "digits only; shown masked, full only on a deliberate reveal (TestRevealCPRIsDeliberateAndAudited)",
	"citizens.search_name":              "generated from first_name and last_name (their markers stand for it); used by search, never shown",
	"citizens.visitation_code":          "reference code (case data), shown as its label",
	"citizens.risk_group":               "health code: probed by the risk badge",
	"benefit_periods.benefit_code":      "reference code (case data)",
	"benefit_periods.exit_code":         "reference code (case data)",
	"consents.information":              "reference code (case data)",
	"screenings.computed_group":         "health code: probed by the risk badge",
	"screenings.final_group":            "health code: probed by the risk badge",
	"screenings.answers":                "health codes and numbers: probed by the WHO-5 chart and the risk badge",
	"screenings.self_rated_health":      "reference code (health), shown as its label inside .screening-result",
	"referrals.state":                   "state code of the referral row: the row's markers stand for it",
	"referral_events.from_state":        "state code of the referral row",
	"referral_events.to_state":          "state code of the referral row",
	"plan_efforts.area":                 "reference code of the effort row: the row's markers stand for it",
	"plan_efforts.status":               "reference code of the effort row",
	"meeting_cases.outcome":             "reference code (case data)",
	"assessment_participants.unit_kind": "reference code (case data)",
	"journal_notes.kind":                "reference code of the note row: the row's markers stand for it",
	"journal_notes.class":               "class code of the note row (sag, helbred, social): the row's markers stand for it",
	"documents.document_type":           "reference code of the document row: the row's markers stand for it",
	"documents.class":                   "the document row's class code: the row's markers stand for it",
	"documents.content_type":            "content type detected from the file (checked): the row's markers stand for it",
	"hearings.result":                   "the program's result code (case data), shown as its label",
	"decisions.outcome":                 "reference code (case data), shown as its label",
	"decisions.indstilling_outcome":     "reference code (case data), shown as its label",
	"letters.kind":                      "reference code of the letter row: the row's markers stand for it",
	"letters.state":                     "the program's delivery state (case data), shown as its Danish text",
	"function_self_ratings.answer":      "health code (borgerens egen vurdering): probed by .self-rating",
	"referral_attendance.period":        "the program's period code of the referral's row: the row's markers stand for it",
	"referral_attendance.attendance":    "the program's attendance code of the referral's row: the row's markers stand for it",
	"referral_reports.kind":             "the program's report kind of the referral's row: the row's markers stand for it",
	"samtaler.form":                     "reference code (case data), shown as its label",
	"samtaler.status":                   "the program's state code (case data), shown as its Danish text",
	"contact_exemptions.reason":         "reference code (case data), shown as its label",
	"tasks.source":                      "the program's source code (case data), shown as its Danish label",
	"tasks.source_key":                  "the program's key of the task's cause (ids and a date), never shown",
}

// canaryBytes are the bytea columns that hold free content: a marker is planted in them as
// bytes (a document's content, served by its download).
var canaryBytes = map[string]bool{"document_chunks.data": true}

// The consent states: which units hold a current consent for which information. Every
// subject outside the case-holding unit is checked in each.
type consentState struct {
	name           string
	health, social []string // units (apptest names) with a current consent
	withdrawn      bool     // given to all three, then withdrawn
}

var (
	thirdUnits    = []string{apptest.Health, apptest.Social, apptest.Region}
	consentStates = []consentState{
		{name: "intet samtykke"},
		{name: "kun socialt", social: thirdUnits},
		{name: "kun helbred", health: thirdUnits},
		{name: "begge", health: thirdUnits, social: thirdUnits},
		{name: "tilbagekaldt", withdrawn: true},
		// The region's member may see health data; the health centre's member on the same
		// team may not: the shared screen must not show it.
		{name: "helbred kun til regionen", health: []string{apptest.Region}},
	}
)

// canarySubject is one role in one relation to the citizen.
type canarySubject struct {
	name, role, unit string
	// whole: the case-holding unit, which sees everything whatever the consents; none: no
	// relation at all, so nothing of the citizen may show anywhere.
	whole, none bool
}

var canarySubjects = []canarySubject{
	{name: "own", role: access.RoleCaseworker, unit: apptest.Jobcenter, whole: true},       // the coordinating caseworker
	{name: "leader", role: access.RoleManager, unit: apptest.Jobcenter, whole: true},       // the unit's leader; chairs the meeting
	{name: "health", role: access.RoleHealth, unit: apptest.Health},                        // referral to the health offer; team member
	{name: "social", role: access.RoleSocial, unit: apptest.Social},                        // referral to the social offer
	{name: "member", role: access.RoleRehabTeam, unit: apptest.Region},                     // team member, minute-taker
	{name: "otherunit", role: access.RoleCaseworker, unit: apptest.Jobcenter2, none: true}, // another jobcenter
	{name: "admin", role: access.RoleAdmin, unit: apptest.Admin, none: true},               // runs the system, reads no case
}

// expectedSees is the expected-visibility table: may subject sub, in consent state st, see a
// value of class c that belongs to unit (0: nobody's own), on a page (board: the shared
// screen, which shows what the whole room may see)?
func expectedSees(sub canarySubject, st consentState, units map[string]int64, c access.Class, unit int64, board bool) bool {
	if sub.none {
		return false
	}
	has := func(list []string, u string) bool { return !st.withdrawn && slices.Contains(list, u) }
	// The room: the chair (case-holding unit), the region's member and the health centre's
	// member: a class only if all of them may see it, and nobody's own rows.
	health, social := has(st.health, sub.unit), has(st.social, sub.unit)
	if sub.whole {
		health, social = true, true
	}
	if board {
		health = health && has(st.health, apptest.Region) && has(st.health, apptest.Health)
		social = social && has(st.social, apptest.Region) && has(st.social, apptest.Health)
		unit = 0
	}
	switch {
	case unit != 0 && unit == units[sub.unit]:
		return true
	case c == access.Identity || c == access.Case:
		return true
	case c == access.Health:
		return health
	case c == access.Social:
		return social
	case c == access.Mixed:
		return health && social
	}
	return false
}

// canaryProbes find structured health values by the markup that shows them, on pages about
// the citizen.
var canaryProbes = map[string]string{
	"risikogruppe":          ".risk-badge",
	"WHO-5-forløb":          "figure.trend",
	"progression på mål":    ".progress-chart, svg.progress",
	"screeningens resultat": ".screening-result",
	"egen vurdering":        ".self-rating",
}

func TestCanaryHealthDataStaysBehindConsent(t *testing.T) {
	t.Parallel()
	// The PDF route answers with the HTML document it would print: that document is what
	// decides what Chromium draws, and starting Chromium for every subject and state would
	// only cost minutes.
	app := apptest.New(t, web.Config{PDF: htmlPrinter{}})
	c := buildCanaryCase(t, app)
	marks := c.plant(t)
	t.Logf("%d markers planted in %d columns", len(marks), c.columns)

	paths := c.paths(t)
	clients := map[string]*apptest.Client{}
	for _, s := range canarySubjects {
		clients[s.name] = app.Login(t, s.name)
	}
	var mu sync.Mutex
	seenBy := map[string]map[string]bool{} // marker → subject/state/page-or-board that saw it
	check := func(sub canarySubject, st consentState) {
		cl := clients[sub.name].NoRedirects()
		for _, p := range paths {
			body, status := c.fetch(cl, p)
			if status >= 500 {
				t.Errorf("%s as %s (%s): %d", p, sub.name, st.name, status)
			}
			board := strings.Contains(p, "/skaerm")
			for _, m := range canaryRe.FindAllString(body, -1) {
				mk, ok := marks[m]
				if !ok {
					continue
				}
				mu.Lock()
				if seenBy[m] == nil {
					seenBy[m] = map[string]bool{}
				}
				seenBy[m][sub.name+"/"+st.name+"/"+boardTag(board)] = true
				mu.Unlock()
				if !expectedSees(sub, st, c.app.Units, mk.class, mk.unit, board) && !canaryException(sub.name, p, mk.where) {
					t.Errorf("%s as %s (%s) shows %s (%s, class %s)", p, sub.name, st.name, m, mk.where, mk.class)
				}
			}
			if (!strings.HasPrefix(p, "/borgere/") && !strings.HasPrefix(p, "/moeder/")) ||
				expectedSees(sub, st, c.app.Units, access.Health, 0, board) {
				continue
			}
			for what, sel := range canaryProbes {
				if n := countSelector(body, sel); n > 0 {
					t.Errorf("%s as %s (%s) shows the %s (%s)", p, sub.name, st.name, what, sel)
				}
			}
		}
	}
	for _, st := range consentStates {
		c.setConsents(t, st)
		var wg sync.WaitGroup
		for _, sub := range canarySubjects {
			if (sub.whole || sub.none) && st.name != "begge" {
				continue // their sight does not depend on consents: checked once, in the widest state
			}
			wg.Go(func() { check(sub, st) })
		}
		wg.Wait()
	}

	// The test proves something only if the markers are on the pages at all: every marker
	// shows to the case-holding unit somewhere, health and social markers reach a consented
	// unit somewhere, and the board shows health data when the whole room may see it.
	for m, mk := range marks {
		if !seenAny(seenBy[m], "own/", "leader/") {
			t.Errorf("marker %s (%s) shows on no page, even to the case-holding unit: the canary proves nothing for it", m, mk.where)
		}
	}
	for _, want := range []struct {
		class access.Class
		key   string
	}{
		{access.Health, "health/kun helbred/page"}, {access.Health, "member/kun helbred/page"},
		{access.Social, "social/kun socialt/page"}, {access.Health, "member/begge/board"},
		{access.Social, "member/begge/board"},
	} {
		found := false
		for m, mk := range marks {
			if mk.class == want.class && mk.unit == 0 && seenBy[m][want.key] {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no %s marker reached %s: consent does not open anything, or the fixture is wrong", want.class, want.key)
		}
	}
	// The caseworker's health note reaches the health centre (which has a referral) under a
	// health consent, and only then; the health centre's own health note reaches it always.
	jobcenterHealth, ownHealth := false, false
	for m, mk := range marks {
		if mk.where != "journal_notes.text" || mk.class != access.Health {
			continue
		}
		switch mk.unit {
		case c.app.Units[apptest.Jobcenter]:
			if seenBy[m]["health/kun helbred/page"] && seenBy[m]["health/begge/page"] {
				jobcenterHealth = true
			}
			for _, st := range []string{"intet samtykke", "kun socialt", "tilbagekaldt"} {
				if seenBy[m]["health/"+st+"/page"] {
					t.Errorf("the jobcenter's health note %s reached the health centre without a health consent (%s)", m, st)
				}
			}
		case c.app.Units[apptest.Health]:
			ownHealth = seenBy[m]["health/intet samtykke/page"]
		}
	}
	// The sundhedskoordinator's advice (health data, the region's own row) reaches the region
	// whatever the consents, and the health centre on the case only under a health consent.
	adviceToRegion, adviceToHealth := false, false
	for m, mk := range marks {
		if mk.where != "health_advice.advice" {
			continue
		}
		adviceToRegion = seenBy[m]["member/intet samtykke/page"]
		adviceToHealth = seenBy[m]["health/kun helbred/page"]
		for _, st := range []string{"intet samtykke", "kun socialt", "tilbagekaldt", "helbred kun til regionen"} {
			if seenBy[m]["health/"+st+"/page"] || seenBy[m]["social/"+st+"/page"] {
				t.Errorf("the sundhedskoordinator's advice %s reached a unit without a health consent (%s)", m, st)
			}
		}
	}
	if !adviceToRegion {
		t.Error("the sundhedskoordinator's own advice did not reach the region without consent")
	}
	if !adviceToHealth {
		t.Error("the sundhedskoordinator's advice did not reach the health centre under its health consent")
	}
	if !jobcenterHealth {
		t.Error("the jobcenter's health note did not reach the health centre under its health consent")
	}
	if !ownHealth {
		t.Error("the health centre's own health note did not reach it without consent")
	}
}

// htmlPrinter "prints" a PDF as the HTML document it was given.
type htmlPrinter struct{}

func (htmlPrinter) Available() bool { return true }
func (htmlPrinter) Render(_ context.Context, html string) ([]byte, error) {
	return []byte(html), nil
}
func (htmlPrinter) Close() {}

// canaryExceptions are what a subject sees beyond the classes, on purpose.
var canaryExceptions = []struct{ subject, pathPrefix, where, why string }{
	{"admin", "/admin/opbevaring", "citizens.legal_hold_reason",
		"the administrator places and lifts slettestop from the retention overview (which shows no names) and must see why a case is held"},
}

func canaryException(subject, path, where string) bool {
	for _, e := range canaryExceptions {
		if e.subject == subject && strings.HasPrefix(path, e.pathPrefix) && e.where == where {
			return true
		}
	}
	return false
}

func boardTag(board bool) string {
	if board {
		return "board"
	}
	return "page"
}

func seenAny(seen map[string]bool, prefixes ...string) bool {
	for k := range seen {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				return true
			}
		}
	}
	return false
}

func countSelector(body, sel string) int {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return 0
	}
	return doc.Find(sel).Length()
}

// canaryCase is the fixture: one citizen's whole case and the ids the routes need.
type canaryCase struct {
	app                                          *apptest.App
	users                                        map[string]store.User
	a                                            int64
	screening, assessment, meeting, mcase        int64
	hearing, advice                              int64
	team                                         int64
	samtale                                      int64
	referrals, efforts, offers, notes, documents []int64
	effortUnits, referralUnits                   map[int64]string // id → unit name
	columns                                      int
}

func buildCanaryCase(t *testing.T, app *apptest.App) *canaryCase {
	t.Helper()
	ctx := context.Background()
	c := &canaryCase{app: app, users: map[string]store.User{}, effortUnits: map[int64]string{}, referralUnits: map[int64]string{}}
	for _, s := range canarySubjects {
		c.users[s.name] = app.User(t, s.name, s.role, s.unit)
	}
	own := store.Who{UserID: c.users["own"].ID, RequestID: "canary"}
	c.a = app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, c.users["own"].ID)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	c.screening, err = app.Store.CreateScreening(ctx, own, c.a, app.Store.Now(),
		helhed.ScreeningAnswers{Diet: "god", Smoking: "nej", Sleep: "god", SelfHealth: "mindre_godt", WorkImpact: "nu", WHO5: [5]int{1, 2, 1, 2, 1},
			HeightCm: 170, WeightKg: 95, Hash: helhed.DrugRecent, Drugs: "aldrig"},
		store.Conditions{Mental: true, Notes: "noter"}, helhed.Result{RuleSetVersion: 1, Group: helhed.RiskHigh, WHO5: 28})
	must(err)
	// WHO-5 28: the caseworker records that the citizen was encouraged to see their own doctor
	// (screenings.gp_encouraged_at, health data shown inside .screening-result).
	must(app.Store.RecordGPEncouragement(ctx, own, c.a, c.screening))
	c.setConsents(t, consentStates[3]) // both, so the referrals can be made
	// Offers of a jobcenter, the health centre and the social administration, and a referral
	// to each.
	for _, o := range []struct{ name, unit, ot string }{
		{"IPS", apptest.Jobcenter, "ot08"}, {"Forløb for lettere angst", apptest.Health, "ot06"}, {"Bostøtte", apptest.Social, "ot01"},
	} {
		oid, err := app.Store.CreateOffer(ctx, own, store.OfferInput{Name: o.name, Opgavetype: o.ot, ProviderUnitID: app.Units[o.unit], Capacity: 10})
		must(err)
		c.offers = append(c.offers, oid)
		rid, err := app.Store.CreateReferral(ctx, own, store.NewReferral{CitizenID: c.a, OfferID: oid, FromUnitID: app.Units[apptest.Jobcenter],
			Note: "besked", CitizenAccepted: true})
		must(err)
		c.referrals = append(c.referrals, rid)
		c.referralUnits[rid] = o.unit
	}
	// Each provider accepts, starts and reports back: attendance and a status report.
	providerOf := map[string]string{apptest.Jobcenter: "own", apptest.Health: "health", apptest.Social: "social"}
	for _, rid := range c.referrals {
		pw := store.Who{UserID: c.users[providerOf[c.referralUnits[rid]]].ID, RequestID: "canary"}
		_, err := app.Store.TransitionReferral(ctx, pw, c.a, rid, 1, helhed.ReferralAccepted, "")
		must(err)
		_, err = app.Store.TransitionReferral(ctx, pw, c.a, rid, 2, helhed.ReferralStarted, "")
		must(err)
		must(app.Store.RecordAttendance(ctx, pw, c.a, rid, store.PeriodSession, app.Store.Now(), store.NoShow, "bemærkning"))
		must(app.Store.WriteReferralReport(ctx, pw, c.a, rid, store.ReportStatus, "status"))
	}
	// A TFA written with the health centre, concluded into a plan.
	aid, _, err := app.Store.StartAssessment(ctx, own, c.a, "Sagsbehandler")
	must(err)
	c.assessment = aid
	must(app.Store.AddParticipant(ctx, own, c.a, aid, c.users["health"].ID, "Sygeplejerske"))
	in := store.AssessmentInput{Tracks: map[string]helhed.TrackAnswer{}, Resources: map[string]helhed.ResourceAnswer{},
		CitizenGoals: "Et job\nSove bedre", Conclusion: "konklusion"}
	tracks, err := app.Store.RefValues(ctx, "health_track")
	must(err)
	for _, tr := range tracks {
		in.Tracks[tr.Code] = helhed.TrackAnswer{Relevance: helhed.RelevanceRelevant, Description: "d", WorkImpact: "w"}
	}
	elements, err := app.Store.RefValues(ctx, "resource_element")
	must(err)
	for _, el := range elements {
		in.Resources[el.Code] = helhed.ResourceAnswer{Resources: "r", Barriers: "b"}
	}
	var version int
	must(app.Pool.QueryRow(ctx, `SELECT version FROM assessments WHERE id = $1`, aid).Scan(&version))
	v, err := app.Store.SaveAssessmentDraft(ctx, own, c.a, aid, version, in)
	must(err)
	_, err = app.Store.ConcludeAssessment(ctx, own, c.a, aid, v, app.Store.Now(), 3)
	must(err)
	// The referrals, made before the plan, are its first efforts, each at the referral's unit.
	rows, _ := app.Pool.Query(ctx, `SELECT e.id, e.referral_id FROM plan_efforts e JOIN plans p ON p.id = e.plan_id
		WHERE p.citizen_id = $1 AND e.referral_id IS NOT NULL`, c.a)
	pulled, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ ID, ReferralID int64 }])
	must(err)
	if len(pulled) != len(c.referrals) {
		t.Fatalf("%d referrals pulled into the plan; want %d", len(pulled), len(c.referrals))
	}
	for _, e := range pulled {
		c.effortUnits[e.ID] = c.referralUnits[e.ReferralID]
	}
	// Efforts of the jobcenter, the health centre and the social administration; a follow-up
	// scoring every goal.
	for _, e := range []struct{ title, area, unit string }{
		{"Praktik", "beskaeftigelse", apptest.Jobcenter}, {"Angstforløb", "sundhed", apptest.Health}, {"Bostøtte", "social", apptest.Social},
	} {
		end := app.Store.Now().AddDate(0, 3, 0)
		eid, err := app.Store.SaveEffort(ctx, own, c.a, c.planVersion(t), 0, store.EffortInput{Title: e.title, Area: e.area, Status: "i_gang",
			ResponsibleUnitID: app.Units[e.unit], ResponsiblePerson: "p", Contact: "k", StartDate: app.Store.Now(), EndDate: &end})
		must(err)
		c.efforts = append(c.efforts, eid)
		c.effortUnits[eid] = e.unit
	}
	scores := map[int64]int{}
	rows, _ = app.Pool.Query(ctx, `SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.citizen_id = $1`, c.a)
	goals, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	must(err)
	for i, g := range goals {
		scores[g] = 3 + i
	}
	must(app.Store.AddFollowUp(ctx, own, c.a, app.Store.Now(), "opfølgning", scores, 3))
	_, err = app.Store.AddSelfRating(ctx, own, c.a, helhed.DanishToday(app.Store.Now()), helhed.RatingSomewhatBetter)
	must(err)
	// Tomorrow's meeting of the jobcenter's team (the leader chairs, the region's member
	// takes the minutes, the health centre's member sits in) with the case on the agenda.
	c.team, err = app.Store.CreateTeam(ctx, own, "Rehabiliteringsteam Kanariefugl", app.Units[apptest.Jobcenter])
	must(err)
	for _, m := range []struct{ user, area string }{{"leader", "beskaeftigelse"}, {"member", "sundhedskoordinator"}, {"health", "sundhed"}} {
		must(app.Store.SetTeamMember(ctx, own, c.team, c.users[m.user].ID, m.area))
	}
	c.meeting, err = app.Store.CreateMeeting(ctx, own, store.MeetingInput{TeamID: c.team, StartsAt: app.Store.Now().Add(24 * time.Hour),
		SlotMinutes: 30, Location: "Lokale 1", ChairID: c.users["leader"].ID, MinuteTakerID: c.users["member"].ID})
	must(err)
	c.mcase, err = app.Store.AddMeetingCase(ctx, own, c.meeting, c.a, "Fleksjob?")
	must(err)
	prep := helhed.Preparation{}
	for _, s := range helhed.PrepSections {
		prep[s.Key] = "afsnit"
	}
	must(app.Store.SavePreparation(ctx, own, c.meeting, c.mcase, 1, prep, true))
	// The post-team records a fleksjob indstilling needs: the caseworker's samlet beskrivelse,
	// and advice asked of the region and given by its member (the sundhedskoordinator).
	_, err = app.Store.SaveDescription(ctx, own, c.a, 0, prep)
	must(err)
	c.advice, err = app.Store.RequestHealthAdvice(ctx, own, c.a, app.Units[apptest.Region], "Hvilke skånehensyn?")
	must(err)
	must(app.Store.GiveHealthAdvice(ctx, store.Who{UserID: c.users["member"].ID}, c.a, c.advice, 1, "Ingen tunge løft"))
	must(app.Store.RecordIndstilling(ctx, store.Who{UserID: c.users["member"].ID}, c.meeting, c.mcase, 2,
		helhed.Indstilling{Outcome: "fleksjob", Reasons: "begrundelse", RecommendedEfforts: "anbefalet"}))
	must(app.Store.SetFocus(ctx, store.Who{UserID: c.users["leader"].ID}, c.meeting, c.mcase))
	// Journal notes: the caseworker's of each class and a health correction of the case note,
	// and the health centre's own health note about its effort.
	sightOf := func(name string) access.Sight {
		u := c.users[name]
		rel, err := app.Store.Relation(ctx, access.User{ID: u.ID, UnitID: u.UnitID, Role: u.Role}, c.a)
		must(err)
		return access.SightOf(access.User{ID: u.ID, UnitID: u.UnitID, Role: u.Role}, rel)
	}
	note := func(author, class string, corrects int64) int64 {
		id, err := app.Store.CreateNote(ctx, store.Who{UserID: c.users[author].ID}, c.a, sightOf(author),
			store.NoteInput{Kind: "samtale", Class: class, EventDate: app.Store.Now(), Text: "notat", CorrectsID: corrects})
		must(err)
		c.notes = append(c.notes, id)
		return id
	}
	caseNote := note("own", "sag", 0)
	note("own", "helbred", 0)
	note("own", "social", 0)
	note("own", "helbred", caseNote)
	note("health", "helbred", 0)
	// A samtale with the health centre's member taking part (so it is in their week), moved
	// once with a reason.
	c.samtale, err = app.Store.BookSamtale(ctx, own, c.a, store.SamtaleInput{StartsAt: app.Store.Now().Add(24 * time.Hour),
		EndsAt: app.Store.Now().Add(25 * time.Hour), Form: "fysisk", Place: "Jobcentret", Participants: []string{"health"}, OverlapOK: true})
	must(err)
	must(app.Store.RebookSamtale(ctx, own, c.a, c.samtale, 1, app.Store.Now().Add(26*time.Hour), app.Store.Now().Add(27*time.Hour),
		"Borgeren er syg", true))
	// The citizen's own, from the citizen area (migration 0037): WHO-5 before the samtale, a
	// rating of a goal, a comment on the plan.
	self := store.Who{Citizen: c.a, RequestID: "canary"}
	_, err = app.Store.AddWHO5SelfReport(ctx, self, c.a, c.samtale, [5]int{2, 2, 3, 2, 2})
	must(err)
	must(app.Store.RateGoal(ctx, self, c.a, goals[0], 3))
	must(app.Store.AddSelfComment(ctx, self, c.a, 0, "kommentar"))
	// A manual task for the caseworker.
	_, err = app.Store.CreateTask(ctx, own, store.TaskInput{CitizenID: c.a, Title: "opgave", Due: app.Store.Now(), AssigneeID: c.users["own"].ID})
	must(err)
	// An exemption from the kontaktforløb, with a note.
	must(app.Store.ExemptFromContact(ctx, own, c.a, store.ContactExemption{Reason: "konkret_vurdering", From: app.Store.Now(), Note: "bemærkning"}))
	// A document of each class: a letter, a lægeattest, a statement on social circumstances.
	for _, d := range []struct{ typ, class string }{{"brev_til_borger", "sag"}, {"laegeattest", "helbred"}, {"udtalelse", "social"}} {
		doc, err := app.Store.AddDocument(ctx, own, c.a, store.NewDocument{Title: "dokument", Type: d.typ, Class: d.class, Filename: "fil.pdf"},
			strings.NewReader("%PDF-1.4\n%%EOF\n"))
		must(err)
		c.documents = append(c.documents, doc.ID)
	}
	// The partshøring, answered, and the municipality's afgørelse, departing from the
	// indstilling (so every text column of the decision holds text).
	today := helhed.DanishToday(app.Store.Now())
	c.hearing, err = app.Store.StartHearing(ctx, own, c.meeting, c.mcase, helhed.HearingInput{Subject: "Lægeattest", SentOn: today, Deadline: today.AddDate(0, 0, 14)})
	must(err)
	must(app.Store.RecordHearingResult(ctx, own, c.meeting, c.mcase, c.hearing, 1, helhed.HearingResultInput{Result: helhed.HearingAnswered,
		ResponseOn: today, Summary: "Borgeren er uenig"}))
	_, err = app.Store.RecordDecision(ctx, own, c.meeting, c.mcase, 0, helhed.Decision{Outcome: "ressourceforloeb", Reasons: "begrundelse",
		DepartureReasons: strings.Repeat("Arbejdsevnen kan udvikles. ", 3), RevurderingOn: &today, DecidedOn: today})
	must(err)
	// The afgørelse's letter (health data, as its reasons), which failed once and was then
	// confirmed sent: every delivery column holds text.
	letter, err := app.Store.SendLetter(ctx, own, c.a, store.LetterInput{Kind: store.LetterAfgoerelse, Subject: "Afgørelse",
		MeetingCaseID: c.mcase, HearingID: c.hearing}, strings.NewReader("%PDF-1.4\n%%EOF\n"))
	must(err)
	c.documents = append(c.documents, letter.DocumentID)
	c.notes = append(c.notes, letter.JournalNoteID)
	must(app.Store.MarkLetterFailed(ctx, store.Who{}, letter.ID, "fejl"))
	must(app.Store.MarkLetterSent(ctx, store.Who{}, letter.ID, "ref"))
	must(app.Store.CloseCase(ctx, own, c.a, "afsluttet"))
	must(app.Store.SetLegalHold(ctx, store.Who{UserID: c.users["leader"].ID}, c.a, "slettestop"))
	return c
}

func (c *canaryCase) planVersion(t *testing.T) int {
	t.Helper()
	var v int
	if err := c.app.Pool.QueryRow(context.Background(), `SELECT version FROM plans WHERE citizen_id = $1`, c.a).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// setConsents makes st the citizen's consents: every earlier consent is withdrawn, st's are
// recorded (and withdrawn again, for the withdrawn state).
func (c *canaryCase) setConsents(t *testing.T, st consentState) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.app.Pool.Exec(ctx, `UPDATE consents SET withdrawn_at = now(), withdrawn_by = recorded_by
		WHERE citizen_id = $1 AND withdrawn_at IS NULL`, c.a); err != nil {
		t.Fatal(err)
	}
	give := func(info string, units []string) {
		var ids []int64
		for _, u := range units {
			ids = append(ids, c.app.Units[u])
		}
		if len(ids) == 0 {
			return
		}
		if err := c.app.Store.CreateConsents(ctx, store.Who{UserID: c.users["own"].ID}, store.NewConsent{CitizenID: c.a,
			Information: info, UnitIDs: ids, Purpose: "Samarbejde om indsatsen", GivenOn: c.app.Store.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if st.withdrawn {
		give(store.ConsentHealth, thirdUnits)
		give(store.ConsentSocial, thirdUnits)
		// The citizen withdraws them themself, in the citizen area: the same store use case
		// as the caseworker's, with the citizen's Who.
		rows, _ := c.app.Pool.Query(ctx, `SELECT id FROM consents WHERE citizen_id = $1 AND withdrawn_at IS NULL`, c.a)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := c.app.Store.WithdrawConsent(ctx, store.Who{Citizen: c.a, RequestID: "canary"}, c.a, id); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	give(store.ConsentHealth, st.health)
	give(store.ConsentSocial, st.social)
}

// canaryRows says, per citizen table, which of its rows are the citizen's ($1). A citizen
// table missing here fails the test: add how its rows belong to the citizen.
var canaryRows = map[string]string{
	"citizens":                `id = $1`,
	"benefit_periods":         `citizen_id = $1`,
	"consents":                `citizen_id = $1`,
	"screenings":              `citizen_id = $1`,
	"referrals":               `citizen_id = $1`,
	"assessments":             `citizen_id = $1`,
	"plans":                   `citizen_id = $1`,
	"meeting_cases":           `citizen_id = $1`,
	"hearings":                `citizen_id = $1`,
	"decisions":               `citizen_id = $1`,
	"referral_events":         `referral_id IN (SELECT id FROM referrals WHERE citizen_id = $1)`,
	"assessment_participants": `assessment_id IN (SELECT id FROM assessments WHERE citizen_id = $1)`,
	"plan_goals":              `plan_id IN (SELECT id FROM plans WHERE citizen_id = $1)`,
	"plan_efforts":            `plan_id IN (SELECT id FROM plans WHERE citizen_id = $1)`,
	"plan_versions":           `plan_id IN (SELECT id FROM plans WHERE citizen_id = $1)`,
	"follow_ups":              `plan_id IN (SELECT id FROM plans WHERE citizen_id = $1)`,
	"follow_up_scores":        `follow_up_id IN (SELECT f.id FROM follow_ups f JOIN plans p ON p.id = f.plan_id WHERE p.citizen_id = $1)`,
	"journal_notes":           `citizen_id = $1`,
	"documents":               `citizen_id = $1`,
	"document_chunks":         `document_id IN (SELECT id FROM documents WHERE citizen_id = $1)`,
	"letters":                 `citizen_id = $1`,
	"case_descriptions":       `citizen_id = $1`,
	"health_advice":           `citizen_id = $1`,
	"function_self_ratings":   `citizen_id = $1`,

	"referral_attendance":    `referral_id IN (SELECT id FROM referrals WHERE citizen_id = $1)`,
	"referral_reports":       `referral_id IN (SELECT id FROM referrals WHERE citizen_id = $1)`,
	"assessment_sections":    `assessment_id IN (SELECT id FROM assessments WHERE citizen_id = $1)`,
	"assessment_conferences": `assessment_id IN (SELECT id FROM assessments WHERE citizen_id = $1)`,
	"assessment_conference_attendees": `conference_id IN (SELECT k.id FROM assessment_conferences k
		JOIN assessments a ON a.id = k.assessment_id WHERE a.citizen_id = $1)`,
	"samtaler":             `citizen_id = $1`,
	"samtale_participants": `samtale_id IN (SELECT id FROM samtaler WHERE citizen_id = $1)`,
	"contact_exemptions":   `citizen_id = $1`,
	"tasks":                `citizen_id = $1`,
	"handovers":            `citizen_id = $1`,
	"who5_self_reports":    `citizen_id = $1`,
	"goal_self_ratings":    `citizen_id = $1`,
	"self_comments":        `citizen_id = $1`,
}

// Declared classes of the keys inside the JSON documents and of the rows whose class is their
// content's: this is the expected side, written out here rather than asked of the code under
// test.
var (
	canaryResourceClass = map[string]access.Class{"helbred": access.Health, "bolig_oekonomi": access.Social, "sociale_netvaerk": access.Social}
	canaryPrepClass     = map[string]access.Class{"education": access.Case, "benefits": access.Case, "personal": access.Social,
		"challenges": access.Social, "wishes": access.Health, "health": access.Health, "earlier": access.Health}
	canaryUnitClass = map[string]access.Class{apptest.Jobcenter: access.Case, apptest.Health: access.Health, apptest.Social: access.Social}
	// A document's class is what its uploader chose; nobody owns it.
	canaryDocumentClass = map[string]access.Class{"sag": access.Case, "helbred": access.Health, "social": access.Social}
)

// plant writes a unique marker into every free-text column of every row of the citizen's case
// and into every text inside its JSON documents, and returns what each marker stands for.
func (c *canaryCase) plant(t *testing.T) map[string]canaryMark {
	t.Helper()
	ctx := context.Background()
	cols, err := c.app.Store.CitizenColumns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]canaryMark{}
	n := 0
	next := func(where string, class access.Class, unit int64) string {
		n++
		m := fmt.Sprintf("KANARI%dX", n)
		marks[m] = canaryMark{where: where, class: class, unit: unit}
		return m
	}
	byTable := map[string][]store.SchemaColumn{}
	for _, col := range cols {
		byTable[col.Table] = append(byTable[col.Table], col)
	}
	for table, tcols := range byTable {
		where, ok := canaryRows[table]
		if !ok {
			t.Errorf("citizen table %s is not in canaryRows: say how its rows belong to the citizen", table)
			continue
		}
		var planted []store.SchemaColumn
		for _, col := range tcols {
			name := col.Table + "." + col.Name
			if _, structured := canaryStructured[name]; structured {
				continue
			}
			if col.Type == "text" || col.Type == "jsonb" || canaryBytes[name] {
				planted = append(planted, col)
			}
		}
		if len(planted) == 0 {
			continue
		}
		c.columns += len(planted)
		rows, err := c.app.Pool.Query(ctx, `SELECT ctid::text, row_to_json(t)::jsonb FROM `+pgx.Identifier{table}.Sanitize()+` t WHERE `+where, c.a)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			ctid string
			data map[string]any
		}
		var rs []row
		for rows.Next() {
			var r row
			var raw []byte
			if err := rows.Scan(&r.ctid, &raw); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &r.data); err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r)
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
		if len(rs) == 0 {
			t.Errorf("the canary case has no row in %s: build one in buildCanaryCase", table)
		}
		for _, r := range rs {
			var sets []string
			var args []any
			for _, col := range planted {
				class, unit := c.rowClass(t, table, col.Name, r.data)
				var v any
				if col.Type == "jsonb" {
					v = c.plantJSON(t, table+"."+col.Name, r.data, col.Name, class, unit, next)
				} else if col.Type == "bytea" {
					v = []byte("%PDF-1.4\n" + next(table+"."+col.Name, class, unit) + "\n%%EOF\n")
				} else {
					v = next(table+"."+col.Name, class, unit)
				}
				args = append(args, v)
				sets = append(sets, fmt.Sprintf("%s = $%d", pgx.Identifier{col.Name}.Sanitize(), len(args)))
			}
			args = append(args, r.ctid)
			q := `UPDATE ` + pgx.Identifier{table}.Sanitize() + ` SET ` + strings.Join(sets, ", ") + fmt.Sprintf(` WHERE ctid = $%d::tid`, len(args))
			// The markers are the test's, not the application's: they are written as the
			// tables' owner, since the app's role may not rewrite a letter's subject.
			err := pgx.BeginFunc(ctx, c.app.Pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `SET LOCAL ROLE NONE`); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, q, args...)
				return err
			})
			if err != nil {
				t.Fatalf("plant %s: %v (a text column that holds codes belongs in canaryStructured)", table, err)
			}
		}
	}
	// A document's size follows its planted content, so its download is whole.
	if _, err := c.app.Pool.Exec(ctx, `UPDATE documents d SET size = (SELECT sum(octet_length(data)) FROM document_chunks WHERE document_id = d.id)
		WHERE citizen_id = $1`, c.a); err != nil {
		t.Fatal(err)
	}
	return marks
}

// rowClass is the declared class of one column of one row: the classification's class, and
// for a column whose row decides, the row's (efforts and referrals by their unit).
func (c *canaryCase) rowClass(t *testing.T, table, column string, data map[string]any) (access.Class, int64) {
	t.Helper()
	class, ok := access.ClassOf(table, column)
	if !ok {
		t.Fatalf("%s.%s has no class", table, column)
	}
	id := func(k string) int64 { f, _ := data[k].(float64); return int64(f) }
	switch {
	case table == "plan_efforts" && class == access.ByRow:
		u := c.effortUnits[id("id")]
		return canaryUnitClass[u], c.app.Units[u]
	case table == "referrals" && column == "note":
		// The caseworker's note crosses to the provider only under consent: nobody's own.
		u := c.referralUnits[id("id")]
		if cl := canaryUnitClass[u]; cl != access.Case {
			return cl, 0
		}
		return access.Health, 0
	case table == "referrals" && class == access.ByRow:
		u := c.referralUnits[id("id")]
		return canaryUnitClass[u], c.app.Units[u]
	case table == "referral_events":
		u := c.referralUnits[id("referral_id")]
		return canaryUnitClass[u], c.app.Units[u]
	case table == "referral_attendance" || table == "referral_reports":
		// The provider's own report; free text from an employment provider counts as
		// health data outside the provider and the case holder.
		u := c.referralUnits[id("referral_id")]
		if cl := canaryUnitClass[u]; cl != access.Case {
			return cl, c.app.Units[u]
		}
		return access.Health, c.app.Units[u]
	case table == "journal_notes":
		// The class the author marked the note with; the unit it was written in sees it.
		declared := map[string]access.Class{"sag": access.Case, "helbred": access.Health, "social": access.Social}
		cl, ok := declared[data["class"].(string)]
		if !ok {
			t.Fatalf("journal note of class %v", data["class"])
		}
		return cl, id("unit_id")
	case table == "documents":
		return canaryDocumentClass[data["class"].(string)], 0
	case table == "letters" && class == access.ByRow:
		// What the letter is follows its document's class.
		var cl string
		if err := c.app.Pool.QueryRow(context.Background(), `SELECT class FROM documents WHERE id = $1`, id("document_id")).Scan(&cl); err != nil {
			t.Fatal(err)
		}
		return canaryDocumentClass[cl], 0
	case table == "health_advice" && class == access.ByRow:
		// The question and the advice: health data, the asked region's own rows.
		return access.Health, id("unit_id")
	case table == "document_chunks":
		var cl string
		if err := c.app.Pool.QueryRow(context.Background(), `SELECT class FROM documents WHERE id = $1`, id("document_id")).Scan(&cl); err != nil {
			t.Fatal(err)
		}
		return canaryDocumentClass[cl], 0
	}
	return class, 0
}

// plantJSON returns the document with a marker in every text it holds, per key where the
// classification is per key.
func (c *canaryCase) plantJSON(t *testing.T, where string, data map[string]any, column string, class access.Class, unit int64,
	next func(string, access.Class, int64) string) string {
	t.Helper()
	doc := data[column]
	switch where {
	case "assessments.tracks":
		for code, v := range doc.(map[string]any) {
			tr := v.(map[string]any)
			tr["description"] = next(where+"["+code+"].description", access.Health, 0)
			tr["work_impact"] = next(where+"["+code+"].work_impact", access.Health, 0)
		}
	case "assessments.resources":
		for code, v := range doc.(map[string]any) {
			cl, ok := canaryResourceClass[code]
			if !ok {
				cl = access.Case
			}
			el := v.(map[string]any)
			el["resources"] = next(where+"["+code+"].resources", cl, 0)
			el["barriers"] = next(where+"["+code+"].barriers", cl, 0)
		}
	case "meeting_cases.preparation", "case_descriptions.sections":
		m := doc.(map[string]any)
		for code := range m {
			m[code] = next(where+"["+code+"]", canaryPrepClass[code], 0)
		}
	case "screenings.conditions":
		doc.(map[string]any)["notes"] = next(where+".notes", access.Health, 0)
	case "plan_versions.snapshot":
		snap := doc.(map[string]any)
		snap["citizen_goal"] = next(where+".citizen_goal", access.Health, 0)
		for _, g := range asList(snap["goals"]) {
			g.(map[string]any)["text"] = next(where+".goals.text", access.Health, 0)
		}
		for _, e := range asList(snap["efforts"]) {
			em := e.(map[string]any)
			cl, u := access.Mixed, int64(0)
			if kind, _ := em["unit_kind"].(string); kind != "" {
				for name, id := range c.app.Units {
					if f, _ := em["unit_id"].(float64); int64(f) == id {
						cl, u = canaryUnitClass[name], id
					}
				}
			}
			em["title"] = next(where+".efforts.title", cl, u)
		}
	default:
		t.Fatalf("JSON column %s: add how the canary plants markers in it", where)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// paths are the concrete GET paths of every route, with this case's ids (every referral,
// effort and offer where a route takes one of them).
func (c *canaryCase) paths(t *testing.T) []string {
	t.Helper()
	var routes []string
	if err := chi.Walk(c.app.Server.Handler(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !strings.HasPrefix(route, "/static/") && route != "/healthz" && route != "/login" {
			routes = append(routes, route)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	var out []string
	for _, r := range routes {
		base := strings.NewReplacer("{sid}", id(c.screening), "{aid}", id(c.assessment), "{mid}", id(c.meeting),
			"{mcid}", id(c.mcase), "{hid}", id(c.hearing), "{raid}", id(c.advice), "{tid}", id(c.team), "{uid}", id(c.users["own"].ID), "{kind}", "benefit_type",
			"{code}", "kontanthjaelp", "{samid}", id(c.samtale), "{opgid}", "0").Replace(r)
		variants := []string{base}
		expand := func(param string, ids []int64) {
			var next []string
			for _, v := range variants {
				if !strings.Contains(v, param) {
					next = append(next, v)
					continue
				}
				for _, n := range ids {
					next = append(next, strings.ReplaceAll(v, param, id(n)))
				}
			}
			variants = next
		}
		expand("{rid}", c.referrals)
		expand("{eid}", c.efforts)
		expand("{nid}", c.notes)
		expand("{did}", c.documents)
		switch {
		case strings.HasPrefix(r, "/katalog/"):
			expand("{id}", c.offers)
		case strings.HasPrefix(r, "/admin/brugere/"):
			expand("{id}", []int64{c.users["own"].ID})
		default:
			expand("{id}", []int64{c.a})
		}
		out = append(out, variants...)
	}
	// The version comparison shows a diff only when asked for two versions.
	out = append(out, "/borgere/"+id(c.a)+"/plan/versioner?fra=1&til="+strconv.Itoa(c.planVersion(t)))
	slices.Sort(out)
	return slices.Compact(out)
}

// fetch gets one path: a page, or the first event of the board's stream.
func (c *canaryCase) fetch(cl *apptest.Client, path string) (string, int) {
	if strings.HasSuffix(path, "/stroem") {
		st := cl.Stream(path)
		defer st.Close()
		if st.Status != http.StatusOK {
			return "", st.Status
		}
		ev, _ := st.Next(10 * time.Second)
		return ev.Data, st.Status
	}
	p := cl.Get(path)
	return p.Body, p.Status
}
