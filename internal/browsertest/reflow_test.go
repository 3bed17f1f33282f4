package browsertest_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// The width and height of the reflow tests' viewport: a phone, or a 1280 px desktop browser
// at 400 % zoom (WCAG 1.4.10).
const (
	narrowWidth  = 320
	narrowHeight = 640
)

// reflowFixture is the board fixture (two citizens on a meeting's agenda, the first with
// screenings, a plan and consents) with a referral of the first citizen to the health
// centre, an administrator, and the management figures computed.
type reflowFixture struct {
	boardFixture
	citizen string // the first citizen's page
}

func newReflowFixture(t *testing.T, app *apptest.App) reflowFixture {
	t.Helper()
	f := newBoardFixture(t, app)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	ctx := context.Background()
	mid, err := strconv.ParseInt(strings.TrimPrefix(f.agenda, "/moeder/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	m, err := app.Store.MeetingByID(ctx, mid)
	if err != nil {
		t.Fatal(err)
	}
	anna := m.Cases[0].CitizenID
	cw, err := app.Store.UserByUsername(ctx, "cw")
	if err != nil {
		t.Fatal(err)
	}
	offer := app.Offer(t, "Rygestopforløb med et meget langt navn, der skal kunne brydes", apptest.Health, []string{"mellem"}, []string{"rygning"})
	if _, err := app.Store.CreateReferral(ctx, store.Who{UserID: cw.ID, RequestID: "test"}, store.NewReferral{CitizenID: anna, OfferID: offer,
		FromUnitID: app.Units[apptest.Jobcenter], Note: "Ryger 20 om dagen", CitizenAccepted: true}); err != nil {
		t.Fatal(err)
	}
	// A journal note with a word longer than the narrow screen.
	all := access.SightOf(access.User{ID: cw.ID, UnitID: cw.UnitID, Role: cw.Role}, access.Relation{CitizenUnitID: cw.UnitID})
	if _, err := app.Store.CreateNote(ctx, store.Who{UserID: cw.ID, RequestID: "test"}, anna, all, store.NoteInput{Kind: "telefonsamtale",
		Class: "sag", EventDate: app.Store.Now(), Text: "Ringede om beskæftigelsesindsatsforløbsplanlægningsmødeindkaldelsen i morgen."}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Store.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}
	return reflowFixture{boardFixture: f, citizen: "/borgere/" + strconv.FormatInt(anna, 10)}
}

// openNarrow logs user in on a 320 px wide tab.
func openNarrow(t *testing.T, app *apptest.App, user string) *browsertest.Page {
	t.Helper()
	p := browsertest.Open(t, app.URL)
	p.SetViewport(narrowWidth, narrowHeight)
	p.Login(user, apptest.Password)
	return p
}

// expectReflow opens each path and fails the test for everything on it that is cut off at
// the narrow width: beyond the screen's edge, or clipped by its box, where no scrolling
// reaches it. Every page is also checked with axe at that width.
func expectReflow(t *testing.T, p *browsertest.Page, paths ...string) {
	t.Helper()
	for _, path := range paths {
		if status := p.Go(path); status != http.StatusOK {
			t.Errorf("%s: HTTP %d", path, status)
			continue
		}
		if cut := p.CutOff(); len(cut) > 0 {
			t.Errorf("%s at %d px: %d thing(s) cut off and out of reach:\n\t%s", path, narrowWidth, len(cut), strings.Join(cut, "\n\t"))
		}
	}
}

// The reflow tests run one after another, before the parallel journeys start: they open some
// forty pages, each checked with axe, and alongside the journeys on a small machine they would
// eat the journeys' time.

// At 320 px wide (a phone, or 400 % zoom) nothing of the caseworker's pages is cut off: the
// caseload, the citizen, the screening, the plan, the referrals, the catalogue and the
// meetings reflow into one column, and their tables scroll within their own region.
func TestReflowCaseworkerPages(t *testing.T) {
	app := apptest.New(t, web.Config{})
	f := newReflowFixture(t, app)
	p := openNarrow(t, app, "cw")
	expectReflow(t, p, "/borgere", f.citizen)
	screening := browsertest.Eval[string](p, `[...document.querySelectorAll('main a[href*="/screeninger/"]')].map((a) => a.pathname).find((h) => /\/screeninger\/\d+$/.test(h)) || ""`)
	if screening == "" {
		t.Fatal("the citizen page links to no screening")
	}
	expectReflow(t, p, screening, f.citizen+"/plan", f.citizen+"/plan/versioner", f.citizen+"/overblik", f.citizen+"/tfa",
		f.citizen+"/indsigt", f.citizen+"/screeninger/ny", f.citizen+"/henvisninger/ny", f.citizen+"/journal", f.citizen+"/journal/ny",
		"/henvisninger", "/katalog",
		"/moeder", f.agenda)
	p.ClickLink("Anna Andersen")
	if cut := p.CutOff(); len(cut) > 0 {
		t.Errorf("the meeting's case at %d px: %s", narrowWidth, strings.Join(cut, "\n\t"))
	}
}

// The leader's dashboards, the teams and the shared screen, and the health centre's inbox, at
// 320 px.
func TestReflowLeaderPages(t *testing.T) {
	app := apptest.New(t, web.Config{})
	f := newReflowFixture(t, app)
	p := openNarrow(t, app, "chair")
	expectReflow(t, p, "/ledelse", "/ledelse/sagsstammer", "/ledelse/henvisninger", "/ledelse/risiko", "/ledelse/effekt",
		"/ledelse/strategi", "/ledelse/strategi/rapport", "/rehabteams", "/moeder", f.agenda, f.board)
	nurse := openNarrow(t, app, "nurse")
	expectReflow(t, nurse, "/indbakke", "/katalog")
}

// The administrator's lists at 320 px.
func TestReflowAdminPages(t *testing.T) {
	app := apptest.New(t, web.Config{})
	newReflowFixture(t, app)
	p := openNarrow(t, app, "admin")
	expectReflow(t, p, "/admin/brugere", "/admin/brugere/ny", "/admin/enheder", "/admin/roller", "/admin/audit",
		"/admin/referencedata", "/admin/referencedata/benefit_type", "/admin/regelsaet", "/admin/opbevaring", "/katalog")
}
