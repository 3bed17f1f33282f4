package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// teamFixture: Jobcenter Test runs a team; "chair" (jobcenter leader) chairs, "minutes"
// (the region's sundhedskoordinator) takes minutes, "nurse" (health centre) sits on it; a
// caseworker "cw" holds citizen A's case.
type teamFixture struct {
	app                               *apptest.App
	cw, leader, minutes, nurse, other store.User
	a                                 int64
}

func newTeamFixture(t *testing.T, app *apptest.App) teamFixture {
	t.Helper()
	f := teamFixture{app: app}
	f.cw = app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	f.leader = app.User(t, "chair", access.RoleManager, apptest.Jobcenter)
	f.minutes = app.User(t, "minutes", access.RoleRehabTeam, apptest.Region)
	f.nurse = app.User(t, "nurse", access.RoleHealth, apptest.Health)
	f.other = app.User(t, "outsider", access.RoleRehabTeam, apptest.Region) // on no team
	f.a = app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, f.cw.ID)
	return f
}

// setupTeam makes the team through the pages, as the leader would.
func (f teamFixture) setupTeam(t *testing.T) {
	t.Helper()
	leader := f.app.Login(t, "chair")
	p := leader.Post("/rehabteams", url.Values{"name": {"Rehabiliteringsteam Test"}, "unit": {strconv.FormatInt(f.app.Units[apptest.Jobcenter], 10)}})
	if p.Status != http.StatusOK || !strings.HasPrefix(p.URL.Path, "/rehabteams/") {
		t.Fatalf("create team: %d %s %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	for _, m := range []struct {
		u    store.User
		area string
	}{{f.leader, "beskaeftigelse"}, {f.minutes, "sundhedskoordinator"}, {f.nurse, "sundhed"}} {
		p = leader.Post(p.URL.Path+"/medlemmer", url.Values{"user": {strconv.FormatInt(m.u.ID, 10)}, "area": {m.area}})
		if p.Status != http.StatusOK || !strings.Contains(p.Text("main table"), m.u.Name) {
			t.Fatalf("add member %s: %d %s", m.u.Username, p.Status, p.Text(".form-error-message"))
		}
	}
	// A leader of another unit may look but not change it.
	f.app.User(t, "nabo", access.RoleManager, apptest.Jobcenter2)
	if q := f.app.Login(t, "nabo").Post(p.URL.Path+"/medlemmer", url.Values{"user": {strconv.FormatInt(f.other.ID, 10)}, "area": {"sundhed"}}); q.Status != http.StatusForbidden {
		t.Fatalf("another unit's leader changed the team: %d", q.Status)
	}
}

// consentForTeam records the citizen's health consent for every unit with a seat on the team
// (the health centre and the region): the shared screen shows health data only when the
// whole room may see it.
func (f teamFixture) consentForTeam(t *testing.T) {
	t.Helper()
	if err := f.app.Store.CreateConsents(context.Background(), store.Who{UserID: f.cw.ID}, store.NewConsent{CitizenID: f.a,
		Information: store.ConsentHealth, UnitIDs: []int64{f.app.Units[apptest.Health], f.app.Units[apptest.Region]},
		Purpose: "Rehabiliteringsteam", GivenOn: f.app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
}

// planMeeting plans a meeting through the form and returns its id.
func (f teamFixture) planMeeting(t *testing.T, at time.Time) int64 {
	t.Helper()
	leader := f.app.Login(t, "chair")
	form := url.Values{"date": {at.Format(time.DateOnly)}, "time": {at.Format("15:04")}, "slot_minutes": {"30"}, "location": {"Mødelokale 2"},
		"chair": {strconv.FormatInt(f.leader.ID, 10)}, "minute_taker": {strconv.FormatInt(f.minutes.ID, 10)}}
	p := leader.Get("/moeder/ny")
	team := p.Value("#team option[selected]")
	if team == "" {
		t.Fatalf("the meeting form does not preselect the unit's only team: %s", p.Text("main"))
	}
	form.Set("team", team)
	p = leader.Post("/moeder/ny", form)
	if !strings.HasPrefix(p.URL.Path, "/moeder/") || p.Status != http.StatusOK {
		t.Fatalf("plan meeting: %d %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(p.URL.Path, "/moeder/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The rehabiliteringsteam's loop through the pages: a leader makes the team and plans a
// meeting (not in the past), the caseworker puts the citizen on the agenda (not twice) and
// writes the forberedende del (not marked complete while sections are empty, nothing lost),
// the chair puts the case on the screen, the minute-taker records the indstilling (not
// without reasons), and it prints.
func TestMeetingFlow(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	leader := app.Login(t, "chair")

	// A meeting in the past is refused beside the date, with the rest kept.
	past := time.Now().Add(-48 * time.Hour)
	p := leader.Post("/moeder/ny", url.Values{"team": {leader.Get("/moeder/ny").Value("#team option[selected]")}, "date": {past.Format(time.DateOnly)},
		"time": {"09:00"}, "slot_minutes": {"30"}, "location": {"Mødelokale 2"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#starts_at-error"), "fortiden") || p.Value("#location") != "Mødelokale 2" {
		t.Fatalf("meeting in the past: %d %q, location %q", p.Status, p.Text("#starts_at-error"), p.Value("#location"))
	}
	mid := f.planMeeting(t, time.Now().Add(72*time.Hour).Truncate(time.Minute))
	meetingPath := "/moeder/" + strconv.FormatInt(mid, 10)

	// The caseworker puts A on the agenda from A's page; the question is required.
	cw := app.Login(t, "cw")
	citizen := "/borgere/" + strconv.FormatInt(f.a, 10)
	if p := cw.Get(citizen); p.Value("#meeting option[value='"+strconv.FormatInt(mid, 10)+"']") == "" && !p.Has("#meeting option[value='"+strconv.FormatInt(mid, 10)+"']") {
		t.Fatalf("the citizen page does not offer the upcoming meeting")
	}
	p = cw.Post(citizen+"/moeder", url.Values{"meeting": {strconv.FormatInt(mid, 10)}, "question": {""}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#question-error") == "" {
		t.Fatalf("case without a question: %d", p.Status)
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Spørgsmål til rehabiliteringsteamet: Skal udfyldes") {
		t.Errorf("agenda summary %q; want it to name the question", got)
	}
	question := strings.Repeat("q", 1001)
	p = cw.Post(citizen+"/moeder", url.Values{"meeting": {strconv.FormatInt(mid, 10)}, "question": {question}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#question") != question || !strings.Contains(p.Text(".error-summary"), "Højst 1000 tegn") {
		t.Fatalf("a question over 1000 characters: %d, summary %q", p.Status, p.Text(".error-summary"))
	}
	p = cw.Post(citizen+"/moeder", url.Values{"meeting": {strconv.FormatInt(mid, 10)}, "question": {"Er jobafklaringsforløb det rette?"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#rehabiliteringsteam"), "Er jobafklaringsforløb det rette?") {
		t.Fatalf("put on agenda: %d %s", p.Status, p.Text(".alert"))
	}
	// The same citizen twice on one meeting's agenda is refused, with the question kept.
	p = cw.Post(citizen+"/moeder", url.Values{"meeting": {strconv.FormatInt(mid, 10)}, "question": {"Igen?"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#meeting-error"), "allerede") || p.Text("#question") != "Igen?" {
		t.Fatalf("case added twice: %d %q %q", p.Status, p.Text("#meeting-error"), p.Text("#question"))
	}

	// The agenda shows the case as not yet prepared.
	p = cw.Get(meetingPath)
	caseLink, ok := p.Doc.Find("table.agenda a").First().Attr("href")
	if !ok || !strings.Contains(p.Text("table.agenda"), "Mangler 7 afsnit") {
		t.Fatalf("agenda: %s", p.Text("table.agenda"))
	}

	// Marking the preparation complete with sections missing keeps everything typed.
	form := url.Values{"version": {cw.Get(caseLink + "/forberedelse").Value("input[name=version]")}, "wishes": {"Vil gerne arbejde med dyr"}, "ready": {"true"}}
	p = cw.Post(caseLink+"/forberedelse", form)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#education-error") == "" || p.Text("#wishes") != "Vil gerne arbejde med dyr" {
		t.Fatalf("incomplete preparation marked ready: %d %q", p.Status, p.Text("#wishes"))
	}
	for _, sec := range helhed.PrepSections {
		if sec.Key == "education" && !strings.Contains(p.Text(".error-summary"), sec.Label+": Udfyld afsnittet") {
			t.Errorf("preparation summary %q does not name %q", p.Text(".error-summary"), sec.Label)
		}
	}
	long := strings.Repeat("w", 4001)
	p = cw.Post(caseLink+"/forberedelse", url.Values{"version": form["version"], "wishes": {long}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#wishes") != long || !strings.Contains(p.Text(".error-summary"), "Højst 4000 tegn") {
		t.Fatalf("a section over 4000 characters: %d, summary %q", p.Status, p.Text(".error-summary"))
	}
	for _, s := range helhed.PrepSections {
		if form.Get(s.Key) == "" {
			form.Set(s.Key, "Afsnit om "+s.Label)
		}
	}
	if p = cw.Post(caseLink+"/forberedelse", form); p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Færdig") {
		t.Fatalf("complete preparation: %d %s", p.Status, p.Text(".form-error-message"))
	}
	if p = cw.Get(meetingPath); !strings.Contains(p.Text("table.agenda"), "Klar") {
		t.Fatalf("the agenda does not show the case as ready: %s", p.Text("table.agenda"))
	}

	// The chair puts the first case on the screen; the board shows it.
	if p = leader.NoRedirects().Post(meetingPath+"/fokus", url.Values{"retning": {"naeste"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("focus: %d", p.Status)
	}
	board := app.Login(t, "minutes").Get(meetingPath + "/skaerm")
	if got := board.Text("#board-focus-h"); !strings.HasPrefix(got, "Anna Andersen") {
		t.Fatalf("board focus = %q", got)
	}
	if board.Has("nav.nav") || strings.Contains(board.Body, "020385-1233") {
		t.Fatal("the shared screen shows navigation or a full CPR number")
	}

	// The team sees health data under the citizen's consent to its units.
	f.consentForTeam(t)
	// A member without the minute-taker's seat cannot record the indstilling.
	if p := app.Login(t, "nurse").Post(caseLink+"/indstilling", url.Values{"outcome": {"fleksjob"}, "reasons": {"x"}, "version": {"3"}}); p.Status != http.StatusForbidden {
		t.Fatalf("member records an indstilling: %d", p.Status)
	}
	// The minute-taker: without reasons it is refused and the choice kept.
	minutes := app.Login(t, "minutes")
	version := minutes.Get(caseLink).Value("input[name=version]")
	p = minutes.Post(caseLink+"/indstilling", url.Values{"outcome": {"jobafklaringsforloeb"}, "reasons": {" "}, "version": {version}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#reasons-error") == "" || !p.Has("input[name=outcome][value=jobafklaringsforloeb][checked]") {
		t.Fatalf("indstilling without reasons: %d", p.Status)
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Begrundelse: Skal udfyldes") {
		t.Errorf("indstilling summary %q; want it to name Begrundelse", got)
	}
	p = minutes.Post(caseLink+"/indstilling", url.Values{"outcome": {"jobafklaringsforloeb"}, "reasons": {"Uafklaret"},
		"recommended_efforts": {long}, "version": {version}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#recommended_efforts") != long ||
		!strings.Contains(p.Text(".error-summary"), "Anbefalede indsatser: Højst 4000 tegn") {
		t.Fatalf("recommended efforts over 4000 characters: %d, summary %q", p.Status, p.Text(".error-summary"))
	}
	p = minutes.Post(caseLink+"/indstilling", url.Values{"outcome": {"jobafklaringsforloeb"}, "reasons": {"Helbredet er uafklaret"},
		"recommended_efforts": {"Mentor og fysioterapi sideløbende"}, "version": {version}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Jobafklaringsforløb") {
		t.Fatalf("record indstilling: %d %s", p.Status, p.Text(".form-error-message"))
	}
	// A second save on the old version is a conflict that keeps the text.
	p = minutes.Post(caseLink+"/indstilling", url.Values{"outcome": {"fleksjob"}, "reasons": {"Min tekst"}, "version": {version}})
	if p.Status != http.StatusConflict || p.Text("#reasons") != "Min tekst" {
		t.Fatalf("stale indstilling: %d %q", p.Status, p.Text("#reasons"))
	}
	pr := cw.Get(caseLink + "/indstilling")
	if pr.Status != http.StatusOK || !strings.Contains(pr.Text("main"), "Helbredet er uafklaret") || !strings.Contains(pr.Body, "020385-XXXX") {
		t.Fatalf("printed indstilling: %d", pr.Status)
	}
	if n := app.AuditCount(t, store.AuditIndstilling, f.a); n != 1 {
		t.Fatalf("indstilling audited %d times", n)
	}

	// A case with the team's indstilling stays on the agenda: it is not offered for removal,
	// and a removal posted anyway is refused with the reason.
	if cw.Get(caseLink).Has("form[action$='/fjern']") {
		t.Fatal("a case with an indstilling is offered for removal")
	}
	if p = cw.Post(caseLink+"/fjern", url.Values{}); p.URL.Path != caseLink || !strings.Contains(p.Text(".alert"), "bliver på mødets dagsorden") {
		t.Fatalf("removing a case with an indstilling: %d %s %q", p.Status, p.URL.Path, p.Text(".alert"))
	}

	// Another citizen, prepared, is taken off the agenda: the forberedende del is kept, the
	// citizen's page lists the case, marked, and the case page shows it read-only.
	b := app.Citizen(t, "111190-1234", "Bo", "Berg", apptest.Jobcenter, f.cw.ID)
	bCitizen := "/borgere/" + strconv.FormatInt(b, 10)
	if p = cw.Post(bCitizen+"/moeder", url.Values{"meeting": {strconv.FormatInt(mid, 10)}, "question": {"Fleksjob?"}}); p.Status != http.StatusOK {
		t.Fatalf("put B on the agenda: %d", p.Status)
	}
	bLink, ok := cw.Get(bCitizen).Doc.Find("#rehabiliteringsteam a[href^='" + meetingPath + "/sager/']").First().Attr("href")
	if !ok {
		t.Fatal("B's page does not link the case")
	}
	if p = cw.Post(bLink+"/forberedelse", url.Values{"version": {"1"}, "wishes": {"Vil arbejde med heste"}}); p.Status != http.StatusOK {
		t.Fatalf("prepare B: %d", p.Status)
	}
	if p = cw.Post(bLink+"/fjern", url.Values{}); p.Status != http.StatusOK || p.URL.Path != meetingPath {
		t.Fatalf("remove from agenda: %d %s", p.Status, p.URL.Path)
	}
	if p.Has("table.agenda a[href='" + bLink + "']") {
		t.Fatal("the removed case is still on the agenda")
	}
	if p = cw.Get(bCitizen); !strings.Contains(p.Text("#rehabiliteringsteam"), "Taget af dagsordenen") ||
		!p.Has("#rehabiliteringsteam a[href='"+bLink+"']") {
		t.Fatalf("citizen page after removal: %s", p.Text("#rehabiliteringsteam"))
	}
	p = cw.Get(bLink)
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".alert"), "Taget af dagsordenen") || !strings.Contains(p.Text("main"), "Vil arbejde med heste") {
		t.Fatalf("withdrawn case page: %d %s", p.Status, p.Text("main"))
	}
	if p.Has("form[action$='/indstilling']") || p.Has("a[href$='/forberedelse']") || p.Has("form[action$='/fjern']") {
		t.Fatal("the withdrawn case page still offers changes")
	}
	// A change posted from a page opened before is refused, and nothing changes.
	p = cw.Post(bLink+"/forberedelse", url.Values{"version": {"99"}, "wishes": {"Ændret"}})
	if p.URL.Path != bLink || !strings.Contains(p.Text(".alert"), "kan ikke længere ændres") {
		t.Fatalf("preparing a withdrawn case: %d %s %s", p.Status, p.URL.Path, p.Text(".alert"))
	}
	if c, err := app.Store.MeetingCaseByID(context.Background(), mid, caseID(t, bLink)); err != nil || c.Preparation["wishes"] != "Vil arbejde med heste" {
		t.Fatalf("withdrawn case after a late change: %+v, %v", c.Preparation, err)
	}
	// The team's need-to-know access to B ended with the case's place on the agenda.
	// (A citizen the user has no relation to is not found, as everywhere.)
	if p = minutes.Get(bLink); p.Status != http.StatusNotFound || strings.Contains(p.Body, "Vil arbejde med heste") {
		t.Fatalf("minute-taker opens a withdrawn case: %d", p.Status)
	}
}

// caseID is the meeting case id at the end of a case link.
func caseID(t *testing.T, link string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(link[strings.LastIndex(link, "/")+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// The need-to-know window: a team member sees a citizen from the moment the case is on the
// agenda until the configured days after the meeting; a rehabiliteringsteam user on no
// team never does. Every refusal is audited.
func TestAgendaAccessWindow(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	citizen := "/borgere/" + strconv.FormatInt(f.a, 10)
	member, outsider := app.Login(t, "minutes"), app.Login(t, "outsider")

	if p := member.Get(citizen); p.Status != http.StatusNotFound {
		t.Fatalf("member before the case is on the agenda: %d", p.Status)
	}
	if _, err := app.Store.AddMeetingCase(context.Background(), store.Who{UserID: f.cw.ID}, mid, f.a, "Fleksjob?"); err != nil {
		t.Fatal(err)
	}
	if p := member.Get(citizen); p.Status != http.StatusOK {
		t.Fatalf("member with the case on the agenda: %d", p.Status)
	}
	if p := member.Get(citizen + "/overblik"); p.Status != http.StatusOK {
		t.Fatalf("member's Fælles overblik: %d", p.Status)
	}
	if p := outsider.Get(citizen); p.Status != http.StatusNotFound {
		t.Fatalf("rehab user on no team: %d", p.Status)
	}
	if p := outsider.Get("/moeder/" + strconv.FormatInt(mid, 10)); p.Status != http.StatusNotFound {
		t.Fatalf("rehab user on no team opens the agenda: %d", p.Status)
	}
	// Eight days after the meeting (window: 7 days) the member no longer sees A.
	app.Store.Now = func() time.Time { return time.Now().AddDate(0, 0, 9) }
	denied := app.AuditCount(t, store.AuditCitizenDenied, f.a)
	if p := member.Get(citizen); p.Status != http.StatusNotFound {
		t.Fatalf("member after the access window: %d", p.Status)
	}
	if app.AuditCount(t, store.AuditCitizenDenied, f.a) != denied+1 {
		t.Fatal("the refused look-up was not audited")
	}
}

// Two app instances on one database behave as one: a screen watching the board on instance
// B sees the indstilling recorded on instance A within a second.
func TestBoardUpdatesAcrossInstances(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	a := apptest.NewOnPool(t, pool, web.Config{})
	b := apptest.NewOnPool(t, pool, web.Config{})
	f := newTeamFixture(t, a)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	f.consentForTeam(t)
	ctx := context.Background()
	caseID, err := a.Store.AddMeetingCase(ctx, store.Who{UserID: f.cw.ID}, mid, f.a, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SetFocus(ctx, store.Who{UserID: f.leader.ID}, mid, caseID); err != nil {
		t.Fatal(err)
	}
	board := "/moeder/" + strconv.FormatInt(mid, 10) + "/skaerm"
	stream := b.Login(t, "nurse").Stream(board + "/stroem")
	if stream.Status != http.StatusOK || stream.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream on B: %d %q", stream.Status, stream.Header.Get("Content-Type"))
	}
	first, ok := stream.Next(5 * time.Second)
	if !ok || first.Name != "board" || !strings.Contains(first.Data, "Anna Andersen") {
		t.Fatalf("first event on B: %+v", first)
	}
	if strings.Contains(first.Data, "Jobafklaringsforløb") {
		t.Fatal("the indstilling shows before it is recorded")
	}

	minutes := a.Login(t, "minutes")
	casePath := "/moeder/" + strconv.FormatInt(mid, 10) + "/sager/" + strconv.FormatInt(caseID, 10)
	version := minutes.Get(casePath).Value("input[name=version]")
	sent := time.Now()
	p := minutes.Post(casePath+"/indstilling", url.Values{"outcome": {"jobafklaringsforloeb"}, "reasons": {"Uafklaret helbred"}, "version": {version}})
	if p.Status != http.StatusOK {
		t.Fatalf("record on A: %d", p.Status)
	}
	ev, ok := stream.Next(time.Second + time.Since(sent))
	if !ok {
		t.Fatal("no update on B within a second of the indstilling on A")
	}
	if !strings.Contains(ev.Data, "Jobafklaringsforløb") || !strings.Contains(ev.Data, "Uafklaret helbred") {
		t.Fatalf("update on B lacks the indstilling: %.300s", ev.Data)
	}
	if d := ev.At.Sub(sent); d > time.Second {
		t.Fatalf("update reached B after %v", d)
	} else {
		t.Logf("indstilling on A → event on B: %v", d)
	}
}

// Withdrawing a consent takes effect on the board's very next update: the health sections of
// the case in focus go dark for a member of another unit.
func TestBoardRespectsConsentWithdrawal(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	ctx := context.Background()
	cw := store.Who{UserID: f.cw.ID}
	if _, err := app.Store.CreateScreening(ctx, cw, f.a, app.Store.Now(), helhed.ScreeningAnswers{}, store.Conditions{},
		helhed.Result{RuleSetVersion: 1, Group: helhed.RiskHigh, WHO5: 24}); err != nil {
		t.Fatal(err)
	}
	f.consentForTeam(t)
	caseID, err := app.Store.AddMeetingCase(ctx, cw, mid, f.a, "Ressourceforløb?")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetFocus(ctx, store.Who{UserID: f.leader.ID}, mid, caseID); err != nil {
		t.Fatal(err)
	}
	stream := app.Login(t, "nurse").Stream("/moeder/" + strconv.FormatInt(mid, 10) + "/skaerm/stroem")
	ev, ok := stream.Next(5 * time.Second)
	if !ok || !strings.Contains(ev.Data, "WHO-5") || strings.Contains(ev.Data, "vises kun med borgerens samtykke") {
		t.Fatalf("with consent the board shows the screening: %.400s", ev.Data)
	}
	var consentID int64
	if err := app.Pool.QueryRow(ctx, `SELECT id FROM consents WHERE citizen_id = $1 AND recipient_unit_id = $2`, f.a,
		app.Units[apptest.Health]).Scan(&consentID); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.WithdrawConsent(ctx, cw, f.a, consentID); err != nil {
		t.Fatal(err)
	}
	// The withdrawal itself wakes the screens; the next render asks the policy again.
	ev, ok = stream.Next(3 * time.Second)
	if !ok {
		t.Fatal("no board update after the withdrawal")
	}
	if strings.Contains(ev.Data, "WHO-5 over tid") || !strings.Contains(ev.Data, "vises kun med borgerens samtykke") {
		t.Fatalf("after withdrawal the board still shows health data: %.600s", ev.Data)
	}
}

// An open board ends when its user is disabled or logs out elsewhere: a screen left on in a
// meeting room does not keep showing case data to a session that no longer holds.
func TestBoardStreamEndsWithTheSession(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{StreamCheck: 100 * time.Millisecond})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	path := "/moeder/" + strconv.FormatInt(mid, 10) + "/skaerm/stroem"

	stream := app.Login(t, "minutes").Stream(path)
	if _, ok := stream.Next(5 * time.Second); !ok {
		t.Fatal("no first event")
	}
	if err := app.Store.SetUserDisabled(context.Background(), store.Who{RequestID: "test"}, f.minutes.ID, true); err != nil {
		t.Fatal(err)
	}
	if !stream.Ended(3 * time.Second) {
		t.Fatal("the stream of a disabled user is still open")
	}

	// Logging out in another tab of the same browser ends that browser's stream too.
	cl := app.Login(t, "nurse")
	stream = cl.Stream(path)
	if _, ok := stream.Next(5 * time.Second); !ok {
		t.Fatal("no first event")
	}
	cl.Post("/logout", nil)
	if !stream.Ended(3 * time.Second) {
		t.Fatal("the stream outlived its session's logout")
	}
}

// Three hundred open board streams must cost the server less than 50 MB of heap (the
// meeting-room screens of a large municipality, all at once). Measured in process after a
// full collection (heap and goroutine stacks), with a bare client that holds each connection
// open with a 4 kB buffer.
func TestBoardStreamsMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 300 streams")
	}
	app := apptest.New(t, web.Config{})
	f := newTeamFixture(t, app)
	f.setupTeam(t)
	mid := f.planMeeting(t, time.Now().Add(24*time.Hour).Truncate(time.Minute))
	if _, err := app.Store.AddMeetingCase(context.Background(), store.Who{UserID: f.cw.ID}, mid, f.a, "Fleksjob?"); err != nil {
		t.Fatal(err)
	}
	cookie := app.Login(t, "cw").Cookies()[0]
	path := "/moeder/" + strconv.FormatInt(mid, 10) + "/skaerm/stroem"
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse + m.StackInuse // goroutine stacks are not heap
	}
	const n = 300
	before := heap()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	host := strings.TrimPrefix(app.URL, "http://")
	for range n {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\nAccept: text/event-stream\r\n\r\n", path, host, cookie.Name, cookie.Value)
		br := bufio.NewReaderSize(c, 4096)
		line, err := br.ReadString('\n')
		if err != nil || !strings.Contains(line, "200") {
			t.Fatalf("stream: %q %v", line, err)
		}
		// Read up to the first event, so the stream is fully set up and has rendered once.
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(l, "event: board") {
				break
			}
		}
	}
	after := heap()
	per := (int64(after) - int64(before)) / n
	t.Logf("%d open board streams: heap and stacks %d MB → %d MB, %d kB per stream (server and bare client)", n, before>>20, after>>20, per>>10)
	if after > before && after-before > 50<<20 {
		t.Errorf("%d streams cost %d MB of heap; want under 50 MB", n, (after-before)>>20)
	}
}
