package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
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

// citizenCase is a citizen with something of everything the citizen area shows: a plan with
// a goal and an effort, a booked samtale, a case at the rehabiliteringsteam with an
// indstilling, a health consent and a document.
type citizenCase struct {
	id                                  int64
	goal, samtale, meetingCase, consent int64
	document                            int64
}

func newCitizenCase(t *testing.T, app *apptest.App, cw store.User, cpr, first string) citizenCase {
	t.Helper()
	ctx := context.Background()
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	c := citizenCase{id: app.Citizen(t, cpr, first, "Borgersen", apptest.Jobcenter, cw.ID)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(app.Store.CreatePlan(ctx, w, c.id, app.Store.Now(), 3))
	must(app.Store.SavePlanGoals(ctx, w, c.id, 1, "Jeg vil i arbejde som "+first, []store.GoalInput{{Text: "Gå en tur hver dag, " + first}}))
	must(app.Pool.QueryRow(ctx, `SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.citizen_id = $1`, c.id).Scan(&c.goal))
	_, err := app.Store.SaveEffort(ctx, w, c.id, 2, 0, store.EffortInput{Title: "Praktik i Netto", Area: "beskaeftigelse", Status: "planlagt",
		ResponsibleUnitID: app.Units[apptest.Jobcenter], StartDate: app.Store.Now()})
	must(err)
	var booked int
	must(app.Pool.QueryRow(ctx, `SELECT count(*) FROM samtaler`).Scan(&booked))
	start := app.Store.Now().Add(48*time.Hour + time.Duration(booked)*2*time.Hour)
	c.samtale, err = app.Store.BookSamtale(ctx, w, c.id, store.SamtaleInput{StartsAt: start, EndsAt: start.Add(time.Hour), Form: "fysisk"})
	must(err)
	must(app.Store.CreateConsents(ctx, w, store.NewConsent{CitizenID: c.id, Information: store.ConsentHealth,
		UnitIDs: []int64{app.Units[apptest.Health]}, Purpose: "Samarbejde", GivenOn: app.Store.Now()}))
	must(app.Pool.QueryRow(ctx, `SELECT max(id) FROM consents WHERE citizen_id = $1`, c.id).Scan(&c.consent))
	doc, err := app.Store.AddDocument(ctx, w, c.id, store.NewDocument{Title: "Notat", Type: "brev_til_borger", Filename: "n.pdf"},
		strings.NewReader("%PDF-1.4\n%%EOF\n"))
	must(err)
	c.document = doc.ID
	return c
}

// addMeetingCase puts the citizen on a meeting of a new team with an indstilling.
func (c *citizenCase) addMeetingCase(t *testing.T, app *apptest.App, cw, chair store.User, team string) {
	t.Helper()
	ctx := context.Background()
	w := store.Who{UserID: cw.ID, RequestID: "test"}
	tid, err := app.Store.CreateTeam(ctx, w, team, app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, w, tid, chair.ID, "beskaeftigelse"); err != nil {
		t.Fatal(err)
	}
	var held int
	if err := app.Pool.QueryRow(ctx, `SELECT count(*) FROM meetings`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	mid, err := app.Store.CreateMeeting(ctx, w, store.MeetingInput{TeamID: tid, StartsAt: app.Store.Now().Add(72*time.Hour + time.Duration(held)*3*time.Hour),
		SlotMinutes: 30, ChairID: chair.ID, MinuteTakerID: chair.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c.meetingCase, err = app.Store.AddMeetingCase(ctx, w, mid, c.id, "Jobafklaring?"); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.RecordIndstilling(ctx, w, mid, c.meetingCase, 1, helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "Teamets grunde"}); err != nil {
		t.Fatal(err)
	}
}

// The citizen area is a realm of its own: a staff session is worthless on every one of its
// routes, and a citizen's session worthless on the staff side, even when the token is sent
// under the other realm's cookie name.
func TestCitizenAndStaffSessionsAreSeparateRealms(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	staff := app.Login(t, "cw")
	citizen := app.SignInCitizen(t, "020385-1233")
	if staff.Cookie("helhed_borger") != "" || citizen.Cookie("helhed_session") != "" {
		t.Fatalf("a realm set the other's cookie: staff %v, citizen %v", staff.Cookies(), citizen.Cookies())
	}
	p := citizen.Get(paths.SelfHome)
	if !strings.Contains(p.Body, "Gå en tur hver dag, Anna") {
		t.Fatalf("the citizen does not see their plan: %d %s", p.Status, p.Text("main"))
	}
	// The warning before the citizen's session ends renews and signs in within their realm.
	if v, _ := p.Doc.Find("#session-warning [data-session-login]").Attr("href"); v != paths.SelfSignIn {
		t.Errorf("the session warning's sign-in leads to %q; want the citizen sign-in", v)
	}
	if !strings.Contains(p.Body, paths.SelfRenew) {
		t.Error("the citizen's pages do not renew the citizen's session")
	}
	if p := citizen.NoRedirects().Post(paths.SelfRenew, nil); p.Status != http.StatusNoContent {
		t.Errorf("renewing the citizen's session: %d", p.Status)
	}

	// Every route of the citizen area, as staff: the sign-in, never the citizen's data.
	var routes []string
	if err := chi.Walk(app.Server.Handler(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, paths.SelfPrefix) {
			routes = append(routes, method+" "+route)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(routes) < 10 {
		t.Fatalf("found only %d citizen-area routes", len(routes))
	}
	ids := strings.NewReplacer("{gid}", strconv.FormatInt(a.goal, 10), "{samid}", strconv.FormatInt(a.samtale, 10),
		"{mcid}", "1", "{kid}", strconv.FormatInt(a.consent, 10), "{did}", strconv.FormatInt(a.document, 10))
	// The staff token under the citizen realm's cookie name, too.
	forged := app.Client(t)
	forged.SetCookie("helhed_borger", staff.Cookie("helhed_session"))
	for _, cl := range []*apptest.Client{staff.NoRedirects(), forged.NoRedirects()} {
		for _, route := range routes {
			method, pattern, _ := strings.Cut(route, " ")
			path := ids.Replace(pattern)
			var p *apptest.Page
			if method == http.MethodGet {
				p = cl.Get(path)
			} else {
				p = cl.Post(path, url.Values{"text": {"x"}, "rating": {"3"}})
			}
			if pattern == paths.SelfSignIn || pattern == paths.SelfDevSignIn || pattern == paths.SelfMitID || pattern == paths.SelfMitIDReturn {
				continue
			}
			if p.Status != http.StatusSeeOther || p.Header.Get("Location") != paths.SelfSignIn {
				t.Errorf("%s as staff: %d %s; want 303 to the citizen sign-in", route, p.Status, p.Header.Get("Location"))
			}
		}
	}
	var n int
	if err := app.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action LIKE 'self.%' AND action NOT LIKE 'self.login%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("staff requests to the citizen area changed something: %d audit rows", n)
	}

	// A citizen's session on the staff side: logged out, whichever cookie name carries it.
	for _, cl := range []*apptest.Client{citizen, func() *apptest.Client {
		c := app.Client(t)
		c.SetSessionCookie(citizen.Cookie("helhed_borger"))
		return c
	}()} {
		for _, path := range []string{"/", "/borgere", paths.Citizen(a.id)} {
			if p := cl.NoRedirects().Get(path); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
				t.Errorf("%s with a citizen's session: %d %s; want the staff login", path, p.Status, p.Header.Get("Location"))
			}
		}
	}
	// Signing out of one realm leaves the other alone.
	citizen.Post(paths.SelfSignOut, nil)
	if p := citizen.NoRedirects().Get(paths.SelfHome); p.Status != http.StatusSeeOther {
		t.Errorf("after signing out, the citizen area: %d", p.Status)
	}
	if p := staff.Get("/borgere"); p.Status != http.StatusOK || p.URL.Path != "/borgere" {
		t.Errorf("the staff session went with the citizen's: %d %s", p.Status, p.URL.Path)
	}
}

// The sign-in seam: a CPR number without a case gets a plain Danish page and an audit row
// that names nobody and holds no number; a level below the configured assurance is refused;
// a good sign-in renews the session token and is audited as the citizen's own.
func TestCitizenSignInSeam(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	ctx := context.Background()

	c := app.Client(t)
	p := c.Post(paths.SelfDevSignIn, url.Values{"cpr": {"1111901234"}, "assurance": {"betydelig"}})
	if p.Status != http.StatusOK || p.Text("h1") != "Vi har ingen sag om dig" {
		t.Fatalf("unknown CPR: %d %q", p.Status, p.Text("h1"))
	}
	if c.NoRedirects().Get(paths.SelfHome).Status != http.StatusSeeOther {
		t.Error("a sign-in without a case left a signed-in session")
	}
	if n := app.AuditCount(t, store.AuditSelfLoginUnknown, 0); n != 1 {
		t.Errorf("%d rows of %s; want 1", n, store.AuditSelfLoginUnknown)
	}

	for _, level := range []string{"lav", "https://data.gov.dk/concept/core/nsis/loa/Low", "ukendt"} {
		p = c.Post(paths.SelfDevSignIn, url.Values{"cpr": {"0203851233"}, "assurance": {level}})
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "sikringsniveau betydelig") {
			t.Errorf("assurance %q: %d %q; want 403 naming the level required", level, p.Status, p.Text("h1"))
		}
	}
	if n := app.AuditCount(t, store.AuditSelfLoginAssurance, 0); n != 3 {
		t.Errorf("%d rows of %s; want 3", n, store.AuditSelfLoginAssurance)
	}

	// The token before signing in (a flash made a session) is not the one after.
	c = app.Client(t)
	c.Post(paths.SelfDevSignIn, url.Values{"cpr": {"1111901234"}})
	c.Post(paths.SelfSignOut, nil) // not signed in: sets the flash on the sign-in page, so a session exists
	before := c.Cookie("helhed_borger")
	p = c.Post(paths.SelfDevSignIn, url.Values{"cpr": {"020385-1233"}, "assurance": {"https://data.gov.dk/concept/core/nsis/loa/Substantial"}})
	if p.URL.Path != paths.SelfHome || p.Status != http.StatusOK {
		t.Fatalf("sign-in: %d %s", p.Status, p.URL.Path)
	}
	if after := c.Cookie("helhed_borger"); after == "" || after == before {
		t.Errorf("the session token was not renewed at sign-in (%q → %q)", before, after)
	}
	var userID *int64
	var action string
	if err := app.Pool.QueryRow(ctx, `SELECT user_id, action FROM audit_events WHERE citizen_id = $1 ORDER BY id DESC LIMIT 1`, a.id).Scan(&userID, &action); err != nil {
		t.Fatal(err)
	}
	if action != store.AuditSelfLogin || userID != nil || store.ActorOf(action) != store.ActorCitizen {
		t.Errorf("sign-in audited as %q by user %v; want %q by the citizen", action, userID, store.AuditSelfLogin)
	}
	// No audit row of the citizen area holds the CPR number, in any spelling.
	var leaks int
	if err := app.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action LIKE 'self.%'
		AND (detail LIKE '%0203851233%' OR detail LIKE '%020385-1233%' OR detail LIKE '%1111901234%' OR detail LIKE '%111190%')`).Scan(&leaks); err != nil {
		t.Fatal(err)
	}
	if leaks != 0 {
		t.Errorf("%d audit rows of the citizen area hold a CPR number", leaks)
	}

	// A stricter configuration refuses the default level.
	strict := apptest.NewOnPool(t, app.Pool, web.Config{CitizenDevSignIn: true, CitizenAssurance: "høj"})
	if p := strict.Client(t).Post(paths.SelfDevSignIn, url.Values{"cpr": {"020385-1233"}, "assurance": {"betydelig"}}); p.Status != http.StatusForbidden {
		t.Errorf("assurance høj required, betydelig given: %d", p.Status)
	}
}

// The development sign-in exists only when asked for and never while a MitID broker is
// configured.
func TestCitizenDevSignInNeverWithBroker(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg  web.Config
		want bool
	}{
		{web.Config{CitizenDevSignIn: true}, true},
		{web.Config{CitizenDevSignIn: true, CitizenBroker: "https://mitid-broker.kommune.dk"}, false},
		{web.Config{CitizenBroker: "https://mitid-broker.kommune.dk"}, false},
		{web.Config{}, false},
	} {
		if got := tc.cfg.CitizenDevSignInEnabled(); got != tc.want {
			t.Errorf("dev %v, broker %q: enabled %v; want %v", tc.cfg.CitizenDevSignIn, tc.cfg.CitizenBroker, got, tc.want)
		}
	}
	app := apptest.New(t, web.Config{CitizenDevSignIn: true, CitizenBroker: "https://mitid-broker.kommune.dk"})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	c := app.Client(t)
	if p := c.NoRedirects().Post(paths.SelfDevSignIn, url.Values{"cpr": {"0203851233"}, "assurance": {"betydelig"}}); p.Status != http.StatusNotFound {
		t.Errorf("the development sign-in answered %d with a broker configured; want 404", p.Status)
	}
	if p := c.Get(paths.SelfSignIn); p.Has("form[action='"+paths.SelfDevSignIn+"']") || strings.Contains(p.Body, "020385") {
		t.Error("the sign-in page offers the development sign-in with a broker configured")
	}
}

// A citizen sees only their own data: another citizen's goal, samtale, case, consent or
// document gives the very same answer as an id that does not exist.
func TestCitizenSeesOnlyTheirOwnData(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	chair := app.User(t, "chair", access.RoleManager, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	b := newCitizenCase(t, app, cw, "030486-1234", "Bent")
	b.addMeetingCase(t, app, cw, chair, "Team B")
	a.addMeetingCase(t, app, cw, chair, "Team A")
	ca := app.SignInCitizen(t, "020385-1233")

	for _, page := range []string{paths.SelfHome, paths.SelfAppointments, paths.SelfConsents, paths.SelfLetters, paths.SelfLookups,
		paths.SelfWHO5(a.samtale), paths.SelfIndstilling(a.meetingCase)} {
		p := ca.Get(page)
		if p.Status != http.StatusOK {
			t.Errorf("%s: %d", page, p.Status)
		}
		if strings.Contains(p.Body, "Bent") {
			t.Errorf("%s shows the other citizen", page)
		}
	}
	const missing = 987654321
	probes := []struct {
		name         string
		theirs, none func() *apptest.Page
	}{
		{"WHO-5 before a samtale", func() *apptest.Page { return ca.Get(paths.SelfWHO5(b.samtale)) }, func() *apptest.Page { return ca.Get(paths.SelfWHO5(missing)) }},
		{"WHO-5 answers", func() *apptest.Page { return ca.Post(paths.SelfWHO5(b.samtale), who5Form(3)) }, func() *apptest.Page { return ca.Post(paths.SelfWHO5(missing), who5Form(3)) }},
		{"indstilling", func() *apptest.Page { return ca.Get(paths.SelfIndstilling(b.meetingCase)) }, func() *apptest.Page { return ca.Get(paths.SelfIndstilling(missing)) }},
		{"comment on indstilling", func() *apptest.Page {
			return ca.Post(paths.SelfIndstillingComment(b.meetingCase), url.Values{"text": {"hej"}})
		}, func() *apptest.Page {
			return ca.Post(paths.SelfIndstillingComment(missing), url.Values{"text": {"hej"}})
		}},
		{"goal rating", func() *apptest.Page { return ca.Post(paths.SelfGoalRating(b.goal), url.Values{"rating": {"3"}}) }, func() *apptest.Page {
			return ca.Post(paths.SelfGoalRating(missing), url.Values{"rating": {"3"}})
		}},
		{"consent withdrawal", func() *apptest.Page { return ca.Post(paths.SelfConsentWithdraw(b.consent), nil) }, func() *apptest.Page {
			return ca.Post(paths.SelfConsentWithdraw(missing), nil)
		}},
		{"document", func() *apptest.Page { return ca.Get(paths.SelfDocument(b.document)) }, func() *apptest.Page { return ca.Get(paths.SelfDocument(missing)) }},
	}
	for _, pr := range probes {
		theirs, none := pr.theirs(), pr.none()
		if theirs.Status != http.StatusNotFound || none.Status != http.StatusNotFound ||
			theirs.Text("main h1") != none.Text("main h1") || theirs.Text("main p") != none.Text("main p") {
			t.Errorf("%s: another citizen's id %d %q, a missing id %d %q; want the same 404", pr.name,
				theirs.Status, theirs.Text("main p"), none.Status, none.Text("main p"))
		}
	}
	// Nothing of B's changed.
	ctx := context.Background()
	var n int
	if err := app.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM who5_self_reports WHERE citizen_id = $1)
		+ (SELECT count(*) FROM goal_self_ratings WHERE citizen_id = $1) + (SELECT count(*) FROM self_comments WHERE citizen_id = $1)
		+ (SELECT count(*) FROM consents WHERE citizen_id = $1 AND withdrawn_at IS NOT NULL)`, b.id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the citizen changed %d rows of another citizen's case", n)
	}
	// Their own goal, comment and indstilling comment go through, as theirs.
	if p := ca.Post(paths.SelfGoalRating(a.goal), url.Values{"rating": {"4"}}); p.Status != http.StatusOK || !strings.Contains(p.Body, "Jeg er næsten i mål") {
		t.Errorf("own goal rating: %d", p.Status)
	}
	if p := ca.Post(paths.SelfPlanComment, url.Values{"text": {"Jeg vil gerne starte tidligere"}}); p.Status != http.StatusOK ||
		!strings.Contains(p.Body, "Jeg vil gerne starte tidligere") {
		t.Errorf("own plan comment: %d", p.Status)
	}
	if p := ca.Post(paths.SelfPlanComment, url.Values{"text": {""}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("an empty comment: %d; want 422", p.Status)
	}
	if p := ca.Post(paths.SelfIndstillingComment(a.meetingCase), url.Values{"text": {"Jeg er enig"}}); p.Status != http.StatusOK ||
		!strings.Contains(p.Body, "Jeg er enig") {
		t.Errorf("own indstilling comment: %d", p.Status)
	}
	for _, action := range []string{store.AuditSelfGoalRating, store.AuditSelfComment} {
		if n := app.AuditCount(t, action, a.id); n == 0 {
			t.Errorf("no %s audit row", action)
		}
	}
	// The caseworker reads the citizen's comments on the plan page.
	if p := app.Login(t, "cw").Get(paths.Citizen(a.id) + "/plan"); !strings.Contains(p.Body, "Jeg vil gerne starte tidligere") ||
		!strings.Contains(p.Body, "Jeg er næsten i mål") {
		t.Error("the caseworker's plan page lacks the citizen's own comment or goal rating")
	}
}

// who5Form answers every WHO-5 item with v.
func who5Form(v int) url.Values {
	f := url.Values{}
	for i := 1; i <= 5; i++ {
		f.Set("who5_"+strconv.Itoa(i), strconv.Itoa(v))
	}
	return f
}

// A WHO-5 the citizen answers before a samtale joins the caseworker's WHO-5 trend, marked as
// self-reported, and stays behind the same consent as the screenings.
func TestSelfReportedWHO5InCaseworkersTrend(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	staff := app.Login(t, "cw")
	if p := staff.Post(paths.Citizen(a.id)+"/screeninger/ny", screeningAnswers()); p.Status != http.StatusOK {
		t.Fatalf("screening: %d", p.Status)
	}
	ca := app.SignInCitizen(t, "020385-1233")
	if p := ca.Post(paths.SelfWHO5(a.samtale), url.Values{"who5_1": {"4"}}); p.Status != http.StatusUnprocessableEntity ||
		!p.Has(".form-error-message") {
		t.Fatalf("half-answered WHO-5: %d; want 422 with messages", p.Status)
	}
	p := ca.Post(paths.SelfWHO5(a.samtale), who5Form(4))
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Du har svaret på spørgsmålene om din trivsel") {
		t.Fatalf("WHO-5: %d %s", p.Status, p.Text("main"))
	}
	if n := app.AuditCount(t, store.AuditSelfWHO5, a.id); n != 1 {
		t.Errorf("%d audit rows of the citizen's WHO-5; want 1", n)
	}

	p = staff.Get(paths.Citizen(a.id))
	if !p.Has("figure.trend rect.trend-self") {
		t.Fatal("the caseworker's WHO-5 trend has no self-reported point")
	}
	if desc := p.Text("#trend-desc"); !strings.Contains(desc, "WHO-5 80, borgerens egen besvarelse") {
		t.Errorf("the trend's description does not name the self-reported 80: %q", desc)
	}
	if row := p.Text("#screeninger tr.self-reported"); !strings.Contains(row, "Selvrapporteret") || !strings.Contains(row, "80") {
		t.Errorf("the trend's table row: %q", row)
	}
	if n := p.Doc.Find("figure.trend circle.trend-point").Length(); n != 1 {
		t.Errorf("%d screening points; want the one screening beside the self-report", n)
	}
	// Health data: the health centre without a consent for it sees neither.
	ctx := context.Background()
	if _, err := app.Pool.Exec(ctx, `UPDATE consents SET withdrawn_at = now(), withdrawn_by = recorded_by WHERE citizen_id = $1`, a.id); err != nil {
		t.Fatal(err)
	}
	if p := app.Login(t, "sund").Get(paths.Citizen(a.id)); p.Has("figure.trend") || strings.Contains(p.Body, "Selvrapporteret") {
		t.Error("a unit without consent sees the self-reported WHO-5")
	}
}

// Consent withdrawn by the citizen works as one withdrawn by the caseworker: the health data
// is gone from a consented unit's next request and from an open board's stream at once.
func TestCitizenWithdrawsConsentEverywhere(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	ctx := context.Background()
	cw := store.Who{UserID: f.cw.ID}
	mc, err := app.Store.AddMeetingCase(ctx, cw, mid, f.a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SavePreparation(ctx, cw, mid, mc, 1, map[string]string{"health": "Diskusprolaps 2024"}, false); err != nil {
		t.Fatal(err)
	}
	staff := app.Login(t, "cw")
	if p := staff.Post(paths.Citizen(f.a)+"/screeninger/ny", screeningAnswers()); p.Status != http.StatusOK {
		t.Fatalf("screening: %d", p.Status)
	}
	// The citizen gives the health consent themself, to both units with a seat on the team.
	ca := app.SignInCitizen(t, "020385-1233")
	p := ca.Post(paths.SelfConsents, url.Values{"c_information": {store.ConsentHealth}, "c_purpose": {"Rehabiliteringsteamet"},
		"c_units": {strconv.FormatInt(app.Units[apptest.Health], 10), strconv.FormatInt(app.Units[apptest.Region], 10)}})
	if p.Status != http.StatusOK || p.URL.Path != paths.SelfConsents {
		t.Fatalf("give consent: %d %s %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	var given bool
	if err := app.Pool.QueryRow(ctx, `SELECT bool_and(given_by_citizen AND recorded_by IS NULL) FROM consents WHERE citizen_id = $1`, f.a).Scan(&given); err != nil || !given {
		t.Fatalf("the citizen's consent is not recorded as theirs: %v %v", given, err)
	}
	if p := staff.Get(paths.Citizen(f.a)); !strings.Contains(p.Body, store.ByCitizen) {
		t.Error("the caseworker's consent list does not say the citizen gave it")
	}
	chair := app.Login(t, "chair")
	if p := chair.Post("/moeder/"+strconv.FormatInt(mid, 10)+"/fokus", url.Values{"retning": {"naeste"}}); p.Status != http.StatusOK {
		t.Fatalf("focus: %d", p.Status)
	}
	nurse := app.Login(t, "nurse")
	if p := nurse.Get(paths.Citizen(f.a)); !p.Has("svg.trend-svg") {
		t.Fatal("with the citizen's consent, the health centre does not see the WHO-5 trend")
	}
	stream := nurse.Stream("/moeder/" + strconv.FormatInt(mid, 10) + "/skaerm/stroem")
	defer stream.Close()
	if ev, ok := stream.Next(10 * time.Second); !ok || !strings.Contains(ev.Data, "Diskusprolaps 2024") {
		t.Fatalf("with consent, the board's first event lacks the health section: %+v", ev)
	}

	// The citizen withdraws the consent to the health centre.
	var kid int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM consents WHERE citizen_id = $1 AND recipient_unit_id = $2`, f.a, app.Units[apptest.Health]).Scan(&kid); err != nil {
		t.Fatal(err)
	}
	p = ca.Get(paths.SelfConsents)
	if !p.Has("form[action='" + paths.SelfConsentWithdraw(kid) + "']") {
		t.Fatal("the consents page has no withdraw button for the consent")
	}
	if p := ca.Post(paths.SelfConsentWithdraw(kid), nil); p.Status != http.StatusOK || !strings.Contains(p.Body, "Trukket tilbage") {
		t.Fatalf("withdraw: %d", p.Status)
	}
	if n := app.AuditCount(t, store.SelfPrefix+"consent.withdraw", f.a); n != 1 {
		t.Errorf("%d audit rows of the citizen's withdrawal; want 1", n)
	}
	if p := nurse.Get(paths.Citizen(f.a)); p.Has("svg.trend-svg") || p.Has(".risk-badge") {
		t.Error("after the citizen's withdrawal, the health centre still sees health data on its next request")
	}
	ev, ok := stream.Next(10 * time.Second)
	if !ok {
		t.Fatal("the open board was not updated when the citizen withdrew their consent")
	}
	if strings.Contains(ev.Data, "Diskusprolaps 2024") {
		t.Error("the open board still shows the health section after the citizen withdrew their consent")
	}
	// The caseworker sees that the citizen withdrew it.
	if p := staff.Get(paths.Citizen(f.a)); !strings.Contains(p.Text("#samtykker"), store.ByCitizen) {
		t.Error("the caseworker's consent list does not say the citizen withdrew it")
	}
}

// Every citizen action counts against a limit per citizen; beyond it, the action is refused
// with 429 and audited.
func TestCitizenActionsAreRateLimited(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true, CitizenActions: 3})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	ca := app.SignInCitizen(t, "020385-1233") // the sign-in is the first action
	for i := range 2 {
		if p := ca.Post(paths.SelfPlanComment, url.Values{"text": {"kommentar " + strconv.Itoa(i)}}); p.Status != http.StatusOK {
			t.Fatalf("comment %d: %d", i, p.Status)
		}
	}
	p := ca.Post(paths.SelfPlanComment, url.Values{"text": {"en for mange"}})
	if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "Vent et par minutter") || p.Text("main h1") != "For mange på kort tid" {
		t.Fatalf("over the limit: %d; want 429", p.Status)
	}
	if n := app.AuditCount(t, store.AuditSelfLimit, a.id); n != 1 {
		t.Errorf("%d audit rows of the refusal; want 1", n)
	}
	if p := ca.Get(paths.SelfHome); p.Status != http.StatusOK || strings.Contains(p.Body, "en for mange") {
		t.Errorf("reading is not limited, and the refused comment is not stored: %d", p.Status)
	}
}

// The look-ups page shows when and why the citizen's data was used, never by whom, and
// leaves the citizen's own actions out.
func TestCitizenSeesLookupsWithoutStaffNames(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	if p := app.Login(t, "cw").Get(paths.Citizen(a.id)); p.Status != http.StatusOK {
		t.Fatal(p.Status)
	}
	p := app.SignInCitizen(t, "020385-1233").Get(paths.SelfLookups)
	body := p.Text("main")
	if !strings.Contains(body, store.AuditActionLabel(store.AuditCitizenView)) {
		t.Errorf("the look-ups lack the caseworker's view of the case: %.400s", body)
	}
	if strings.Contains(body, cw.Name) || strings.Contains(body, cw.Username) {
		t.Error("the look-ups name the member of staff")
	}
	if strings.Contains(body, "loggede ind") {
		t.Error("the look-ups list the citizen's own sign-in")
	}
}

// The citizen sends a document with the staff's upload rules (a file that is not what its
// name says is refused beside the field, nothing stored); a good one is theirs, audited as
// theirs, listed for them and downloadable, and on the caseworker's documents page.
func TestCitizenUploadsADocument(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	ca := app.SignInCitizen(t, "020385-1233")
	form := ca.Get(paths.SelfLetters)
	token := form.Value("form[enctype='multipart/form-data'] input[name=form_token]")
	bad, body := uploadBody(t, uploadField{name: "form_token", value: token}, uploadField{name: "title", value: "Min lægeattest"},
		uploadField{name: "doc_type", value: "laegeattest"}, uploadField{name: "file", file: true, filename: "attest.pdf", value: "<html>ikke en pdf</html>"})
	p := ca.PostBody(paths.SelfLetters, bad, bytes.NewReader(body))
	if p.Status != http.StatusUnprocessableEntity || p.Text(".form-error-message") == "" {
		t.Fatalf("a file that is not a PDF: %d %q", p.Status, p.Text(".form-error-message"))
	}
	ct, body := uploadBody(t, uploadField{name: "form_token", value: token}, uploadField{name: "title", value: "Min lægeattest"},
		uploadField{name: "doc_type", value: "laegeattest"}, uploadField{name: "file", file: true, filename: "attest.pdf", value: string(smallPDF)})
	p = ca.PostBody(paths.SelfLetters, ct, bytes.NewReader(body))
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Dokumentet er sendt") {
		t.Fatalf("upload: %d %s", p.Status, p.Text("main"))
	}
	var did int64
	var byCitizen bool
	var uploadedBy *int64
	var class string
	if err := app.Pool.QueryRow(context.Background(), `SELECT id, uploaded_by_citizen, uploaded_by, class FROM documents
		WHERE citizen_id = $1 AND title = 'Min lægeattest'`, a.id).Scan(&did, &byCitizen, &uploadedBy, &class); err != nil {
		t.Fatal(err)
	}
	if !byCitizen || uploadedBy != nil || class != "helbred" {
		t.Errorf("the document: by citizen %v, user %v, class %s; want the citizen's, classed by its type", byCitizen, uploadedBy, class)
	}
	if n := app.AuditCount(t, store.SelfPrefix+"document.upload", a.id); n != 1 {
		t.Errorf("%d audit rows of the citizen's upload; want 1", n)
	}
	if d := ca.Get(paths.SelfDocument(did)); d.Status != http.StatusOK || d.Body != string(smallPDF) {
		t.Errorf("the citizen's download of their own document: %d", d.Status)
	}
	if p := app.Login(t, "cw").Get(paths.Documents(a.id)); !strings.Contains(p.Body, "Min lægeattest") {
		t.Error("the caseworker does not see the citizen's document")
	}
}
