package web_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// fuzzFixture is a small world for route-walking tests: a caseworker's citizen with one of
// every child record, a leader and an administrator (whose pages name the admin forms' fields),
// and the ids to put into route patterns.
type fuzzFixture struct {
	app         *apptest.App
	ids         map[string]string // route parameter → id
	gets, posts []string          // route patterns
}

func newFuzzFixture(t testing.TB, app *apptest.App) *fuzzFixture {
	t.Helper()
	ctx := context.Background()
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	member := app.User(t, "rehab", access.RoleRehabTeam, apptest.Region)
	who := store.Who{UserID: cw.ID, RequestID: "fixture"}
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sid, err := app.Store.CreateScreening(ctx, who, a, app.Store.Now(), helhed.ScreeningAnswers{}, store.Conditions{}, helhed.Result{RuleSetVersion: 1, Group: helhed.RiskNone})
	must(err)
	must(app.Store.CreateConsents(ctx, who, store.NewConsent{CitizenID: a, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "fuzz", GivenOn: app.Store.Now()}))
	var cid int64
	must(app.Pool.QueryRow(ctx, `SELECT max(id) FROM consents WHERE citizen_id = $1`, a).Scan(&cid))
	offer := app.Offer(t, "Livsstilsforløb", apptest.Health, []string{"mellem"}, []string{"motion"})
	rid, err := app.Store.CreateReferral(ctx, who, store.NewReferral{CitizenID: a, OfferID: offer,
		FromUnitID: app.Units[apptest.Jobcenter], CitizenAccepted: true})
	must(err)
	aid, _, err := app.Store.StartAssessment(ctx, who, a, "Sagsbehandler")
	must(err)
	must(app.Store.CreatePlan(ctx, who, a, app.Store.Now(), 3))
	eid, err := app.Store.SaveEffort(ctx, who, a, 1, 0, store.EffortInput{Title: "Praktik", Area: "beskaeftigelse", Status: "planlagt",
		ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: app.Store.Now()})
	must(err)
	team, err := app.Store.CreateTeam(ctx, who, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	must(err)
	must(app.Store.SetTeamMember(ctx, who, team, member.ID, "sundhedskoordinator"))
	mid, err := app.Store.CreateMeeting(ctx, who, store.MeetingInput{TeamID: team, StartsAt: app.Store.Now().Add(24 * time.Hour),
		SlotMinutes: 30, ChairID: member.ID, MinuteTakerID: member.ID})
	must(err)
	mcid, err := app.Store.AddMeetingCase(ctx, who, mid, a, "Jobafklaring?")
	must(err)
	i := func(n int64) string { return strconv.FormatInt(n, 10) }
	fx := &fuzzFixture{app: app, ids: map[string]string{"{id}": i(a), "{sid}": i(sid), "{cid}": i(cid), "{rid}": i(rid),
		"{aid}": i(aid), "{eid}": i(eid), "{uid}": i(cw.ID), "{mid}": i(mid), "{mcid}": i(mcid), "{tid}": i(team),
		"{code}": "kontanthjaelp", "{kind}": "benefit_type"}}
	must(chi.Walk(app.Server.Handler(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		switch method {
		case http.MethodGet:
			fx.gets = append(fx.gets, route)
		case http.MethodPost:
			fx.posts = append(fx.posts, route)
		}
		return nil
	}))
	return fx
}

// path fills a route pattern with the fixture's ids.
func (fx *fuzzFixture) path(route string) string {
	for k, v := range fx.ids {
		route = strings.ReplaceAll(route, k, v)
	}
	return route
}

// fieldNames collects the names of every form field on every page the caseworker, the leader
// and the administrator can open, so the fuzzer fills in what the forms really send. The
// one-time form token and the version are left out: both are checked before a form is read,
// so a fuzzed one would only ever test that check.
func (fx *fuzzFixture) fieldNames(t testing.TB) []string {
	all, _ := fx.formFields(t)
	return all
}

// formFields returns every form field name the app's pages offer (form_token and version
// aside), and by action: the names of the fields of the forms that post to each path.
func (fx *fuzzFixture) formFields(t testing.TB) (all []string, byAction map[string][]string) {
	t.Helper()
	seen := map[string]bool{}
	actions := map[string]map[string]bool{}
	for _, user := range []string{"cw", "leder", "admin"} {
		c := fx.app.Login(t, user)
		for _, route := range fx.gets {
			if strings.HasSuffix(route, "/stroem") || strings.HasSuffix(route, "/pdf") || strings.Contains(route, "*") {
				continue
			}
			p := c.Get(fx.path(route))
			p.Doc.Find("form[method=post]").Each(func(_ int, form *goquery.Selection) {
				action, _ := form.Attr("action")
				if i := strings.IndexByte(action, '?'); i >= 0 {
					action = action[:i]
				}
				if actions[action] == nil {
					actions[action] = map[string]bool{}
				}
				form.Find("[name]").Each(func(_ int, s *goquery.Selection) {
					if n, _ := s.Attr("name"); n != "" && n != "form_token" && n != "version" {
						seen[n] = true
						actions[action][n] = true
					}
				})
			})
		}
	}
	sorted := func(set map[string]bool) []string {
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		slices.Sort(names)
		return names
	}
	all = sorted(seen)
	if len(all) < 40 {
		t.Fatalf("found only %d form fields: %v", len(all), all)
	}
	byAction = map[string][]string{}
	for a, set := range actions {
		byAction[a] = sorted(set)
	}
	return all, byAction
}
