package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/format"
)

// managementApp is a jobcenter with a leader, two caseworkers (one with three citizens, one
// with six), a caseworker elsewhere, and the management figures refreshed.
func managementApp(t *testing.T) (app *apptest.App, busy, quiet store.User) {
	t.Helper()
	app = apptest.New(t, web.Config{})
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	app.User(t, "leder2", access.RoleManager, apptest.Jobcenter2)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	busy = app.User(t, "travl", access.RoleCaseworker, apptest.Jobcenter)
	quiet = app.User(t, "rolig", access.RoleCaseworker, apptest.Jobcenter)
	other := app.User(t, "nabo", access.RoleCaseworker, apptest.Jobcenter2)
	cprs := []string{"010180-1234", "020280-1233", "030380-1232", "040480-1231", "050580-1230", "060680-1239",
		"070780-1238", "080880-1237", "090980-1236", "101080-1235"}
	for i, cpr := range cprs[:6] {
		app.Citizen(t, cpr, "Travl"+strconv.Itoa(i), "Borger", apptest.Jobcenter, busy.ID)
	}
	for i, cpr := range cprs[6:9] {
		app.Citizen(t, cpr, "Rolig"+strconv.Itoa(i), "Borger", apptest.Jobcenter, quiet.ID)
	}
	app.Citizen(t, cprs[9], "Nabo", "Borger", apptest.Jobcenter2, other.ID)
	if _, err := app.Store.RefreshManagement(context.Background()); err != nil {
		t.Fatal(err)
	}
	return app, busy, quiet
}

// The leader sees every dashboard: accessible charts (role=img with a title and a text
// description) each with a table beside it (caption, column and row headings), figures of
// fewer than five citizens as "<5", and the drill-down from a caseworker to their citizens.
func TestManagementDashboards(t *testing.T) {
	t.Parallel()
	app, busy, quiet := managementApp(t)
	c := app.Login(t, "leder")

	p := c.Get("/")
	if !p.Has(`nav a[href="/ledelse"]`) {
		t.Fatal("the leader's navigation has no Ledelse")
	}
	for _, path := range []string{"/ledelse/sagsstammer", "/ledelse/henvisninger", "/ledelse/risiko", "/ledelse/effekt"} {
		p = c.Get(path)
		if p.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, p.Status, p.Text("main"))
		}
		charts := p.Doc.Find(`svg[role="img"]`)
		if charts.Length() == 0 {
			t.Errorf("%s: no chart", path)
		}
		charts.Each(func(_ int, svg *goquery.Selection) {
			if svg.Find("title").Text() == "" || svg.Find("desc").Text() == "" {
				t.Errorf("%s: a chart without title or description", path)
			}
		})
		if p.Doc.Find("table caption").Length() == 0 || p.Doc.Find(`table th[scope="col"]`).Length() == 0 {
			t.Errorf("%s: tables need captions and column headings", path)
		}
		if !p.Has(`a[href^="` + path + `.csv?"]`) {
			t.Errorf("%s: no CSV export link", path)
		}
		if !p.Has(`nav[aria-label="Ledelsesoverblik"] a[aria-current="page"][href="` + path + `"]`) {
			t.Errorf("%s: the sub-navigation does not mark the page", path)
		}
	}

	p = c.Get("/ledelse/sagsstammer")
	row := func(name string) []string {
		var cells []string
		p.Doc.Find(`#tabel-sagsbehandlere tbody tr:has(th a:contains("` + name + `")) td`).Each(func(_ int, td *goquery.Selection) {
			cells = append(cells, strings.TrimSpace(td.Text()))
		})
		return cells
	}
	if got := row(busy.Name); len(got) == 0 || got[0] != "6" {
		t.Errorf("the busy caseworker's row: %v; want 6 citizens", got)
	}
	if got := row(quiet.Name); len(got) == 0 || got[0] != helhed.Suppressed {
		t.Errorf("three citizens show as %v; want %q", got, helhed.Suppressed)
	}
	// The rettidighed figure of the kontaktforløb is among the key figures, from the
	// management views: the page says when they were refreshed, and that the rest is live.
	if !strings.Contains(p.Text("main"), "Rettidighed i kontaktforløbet") {
		t.Error("no rettidighed figure on the caseload dashboard")
	}
	if scope := p.Text(".management-scope"); !strings.Contains(scope, "Rettidigheden er opdateret ") ||
		!strings.Contains(scope, "de øvrige tal er aktuelle") || strings.Contains(scope, "Tallene er aktuelle") {
		t.Errorf("the caseload page's note on how fresh its figures are: %q", scope)
	}
	if got := p.Text("#tabel-sagsbehandlere tfoot td"); got != "9" {
		t.Errorf("unit total %q; want 9 (the other unit's citizen not counted)", got)
	}
	if !strings.Contains(p.Text("#sagsstamme-desc"), "Mål 40") {
		t.Errorf("the chart's description lacks the target: %q", p.Text("#sagsstamme-desc"))
	}
	// Drill-down: the caseworker's citizens on the unit's caseload page.
	href, _ := p.Doc.Find(`#tabel-sagsbehandlere th a:contains("` + busy.Name + `")`).Attr("href")
	list := c.Get(href)
	if list.Status != http.StatusOK || list.Doc.Find("tbody tr").Length() != 6 || !strings.Contains(list.Text(".caseload-narrowed"), busy.Name) {
		t.Fatalf("drill-down %s: %d, %d rows, %q", href, list.Status, list.Doc.Find("tbody tr").Length(), list.Text(".caseload-narrowed"))
	}

	// The leader of another unit sees the figures of their own unit only.
	c2 := app.Login(t, "leder2")
	if p := c2.Get("/ledelse/sagsstammer?enhed=" + strconv.FormatInt(app.Units[apptest.Jobcenter], 10)); p.Status != http.StatusForbidden {
		t.Errorf("another unit's caseloads: %d; want 403", p.Status)
	}
	if p := c2.Get(href); p.Doc.Find("tbody tr").Length() != 0 {
		t.Errorf("another unit's leader drills into %d of the caseworker's citizens", p.Doc.Find("tbody tr").Length())
	}
}

// The caseload dashboard reads rettidighed from management_rettidighed, not from the case
// tables: conversations falling due after the refresh are not on the page until the next one,
// and the page names the period and the time of the refresh it shows.
func TestCaseloadRettidighedFromViews(t *testing.T) {
	t.Parallel()
	app, _, _ := managementApp(t)
	ctx := context.Background()
	unit := app.Units[apptest.Jobcenter]
	c := app.Login(t, "leder")
	figure := func() string {
		t.Helper()
		p := c.Get("/ledelse/sagsstammer")
		if p.Status != http.StatusOK {
			t.Fatalf("caseloads: %d", p.Status)
		}
		return p.Text(".key-figures")
	}
	before, err := app.Store.UnitRettidighed(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	deadlines := func(n int) string { return "(" + helhed.Count(n).Text() + " med frist)" }
	if got := figure(); !strings.Contains(got, deadlines(before.Due)) {
		t.Fatalf("the page: %q; want the view's %s", got, deadlines(before.Due))
	}
	// Five more citizens, each with a kontanthjælp from seven months ago whose later
	// conversations fell due in the last 13 weeks, none held.
	for i, cpr := range []string{"111180-1234", "121280-1233", "130180-1232", "140280-1231", "150380-1230"} {
		app.Citizen(t, cpr, "Ny"+strconv.Itoa(i), "Borger", apptest.Jobcenter, 0)
	}
	if got := figure(); !strings.Contains(got, deadlines(before.Due)) {
		t.Errorf("before the refresh: %q; want the refreshed %s", got, deadlines(before.Due))
	}
	if _, err := app.Store.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := app.Store.UnitRettidighed(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	if after.Due <= before.Due {
		t.Fatalf("refreshed: %d deadlines; want more than %d", after.Due, before.Due)
	}
	got := figure()
	if !strings.Contains(got, deadlines(after.Due)) {
		t.Errorf("after the refresh: %q; want %s", got, deadlines(after.Due))
	}
	period := format.Date(after.From) + "–" + format.Date(after.To.AddDate(0, 0, -1))
	if !strings.Contains(got, period) {
		t.Errorf("the figure's period: %q; want %s", got, period)
	}
}

// Bookmarkable filters: the period and unit are in the address; bad values come back with
// the error beside the field and what was typed (422).
func TestManagementFilters(t *testing.T) {
	t.Parallel()
	app, _, _ := managementApp(t)
	c := app.Login(t, "leder")
	p := c.Get("/ledelse/effekt?fra=2026-13&til=2025-01&ydelse=bitcoin&enhed=alle")
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad filter: %d; want 422", p.Status)
	}
	if p.Text("#fra-error") == "" || p.Text("#ydelse-error") == "" || p.Value("#fra") != "2026-13" {
		t.Errorf("errors %q %q, value kept %q", p.Text("#fra-error"), p.Text("#ydelse-error"), p.Value("#fra"))
	}
	if p.Has("figure.chart") {
		t.Error("figures shown for a filter that could not be used")
	}
	p = c.Get("/ledelse/effekt?fra=2025-01&til=2025-12&enhed=alle&basis_fra=2024-01&basis_til=2024-12")
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".management-scope"), "Hele kommunen, januar 2025 – december 2025") {
		t.Errorf("filtered page: %d %q", p.Status, p.Text(".management-scope"))
	}
	if got := p.Doc.Find("#enhed option[selected]").AttrOr("value", ""); got != "alle" {
		t.Errorf("the unit choice is not kept: %q", got)
	}
}

// Everyone else is refused, and the refusal is audited.
func TestManagementRefused(t *testing.T) {
	t.Parallel()
	app, _, _ := managementApp(t)
	cw := app.Login(t, "travl")
	before := app.AuditCount(t, store.AuditForbidden, 0)
	for _, path := range []string{"/ledelse", "/ledelse/sagsstammer", "/ledelse/effekt.csv", "/ledelse/strategi"} {
		if p := cw.Get(path); p.Status != http.StatusForbidden {
			t.Errorf("caseworker %s: %d; want 403", path, p.Status)
		}
	}
	if after := app.AuditCount(t, store.AuditForbidden, 0); after != before+4 {
		t.Errorf("%d refusals audited; want 4", after-before)
	}
	admin := app.Login(t, "admin")
	if p := admin.Get("/ledelse/sagsstammer"); p.Status != http.StatusForbidden {
		t.Errorf("admin reads case figures: %d", p.Status)
	}
	if p := admin.NoRedirects().Get("/ledelse"); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/ledelse/strategi" {
		t.Errorf("admin's /ledelse: %d → %q; want the strategy", p.Status, p.Header.Get("Location"))
	}
}

// The export is the table as shown: aggregated (no citizen's name or CPR number), small
// cells suppressed, spreadsheet-ready, and audited.
func TestManagementCSV(t *testing.T) {
	t.Parallel()
	app, busy, _ := managementApp(t)
	c := app.Login(t, "leder")
	p := c.Get("/ledelse/sagsstammer")
	href, ok := p.Doc.Find(`a[href^="/ledelse/sagsstammer.csv"]`).Attr("href")
	if !ok {
		t.Fatal("no export link")
	}
	before := app.AuditCount(t, store.AuditManagementExport, 0)
	csv := c.Get(href)
	if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %q %q", csv.Status, csv.Header.Get("Content-Type"), csv.Header.Get("Content-Disposition"))
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(csv.Body, "\ufeff")), "\n")
	if lines[0] != "Sagsbehandler;Borgere;Høj risiko;Mellem risiko;Lav risiko;Ingen risiko;Ikke screenet;Opfølgning overskredet\r" &&
		lines[0] != "Sagsbehandler;Borgere;Høj risiko;Mellem risiko;Lav risiko;Ingen risiko;Ikke screenet;Opfølgning overskredet" {
		t.Errorf("header: %q", lines[0])
	}
	if !strings.Contains(csv.Body, busy.Name+";6;") || !strings.Contains(csv.Body, ";<5;") {
		t.Errorf("rows: %q", csv.Body)
	}
	for _, personal := range []string{"Travl0", "Rolig", "010180", "0101801234"} {
		if strings.Contains(csv.Body, personal) {
			t.Errorf("the export holds personal data (%q)", personal)
		}
	}
	if after := app.AuditCount(t, store.AuditManagementExport, 0); after != before+1 {
		t.Errorf("%d exports audited; want 1", after-before)
	}
	if p := c.Get("/ledelse/henvisninger.csv?tabel=findes-ikke"); p.Status != http.StatusNotFound {
		t.Errorf("unknown table: %d", p.Status)
	}
	for _, path := range []string{"/ledelse/henvisninger.csv?tabel=tilbud", "/ledelse/risiko.csv?tabel=udvikling",
		"/ledelse/effekt.csv?tabel=ydelser", "/ledelse/strategi.csv"} {
		if p := c.Get(path); p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "\ufeff") {
			t.Errorf("%s: %d", path, p.Status)
		}
	}
}

// Initiatives: a leader creates one, the status report shows it with its smiley and the
// referral count "pr. dato"; a stale edit is a conflict that keeps what was typed; every
// change is audited.
func TestInitiativeEditing(t *testing.T) {
	t.Parallel()
	app, _, _ := managementApp(t)
	offer := createOffer(t, app, "Rygestop", apptest.Health, 10)
	c := app.Login(t, "leder")
	form := url.Values{"theme": {"sundhed_beskaeftigelse"}, "title": {""}, "status": {"fremdrift"}, "note": {"Godt i gang"},
		"counts_from": {"2026-01-01"}, "offers": {strconv.FormatInt(offer, 10)}}
	p := c.Post("/ledelse/strategi/ny", form)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#title-error") == "" || p.Text("#note") != "Godt i gang" {
		t.Fatalf("missing title: %d %q, note kept %q", p.Status, p.Text("#title-error"), p.Text("#note"))
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Initiativ: Skal udfyldes") {
		t.Errorf("initiative summary %q; want it to name Initiativ", got)
	}
	long := strings.Repeat("n", 4001)
	form.Set("note", long)
	p = c.Post("/ledelse/strategi/ny", form)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#note") != long || !strings.Contains(p.Text(".error-summary"), "Note til status: Højst 4000 tegn") {
		t.Fatalf("a note over 4000 characters: %d, summary %q", p.Status, p.Text(".error-summary"))
	}
	form.Set("note", "Godt i gang")
	form.Set("title", "Sundhed i jobcentret")
	p = c.NoRedirects().Post("/ledelse/strategi/ny", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.Status, p.Text("main"))
	}
	view := p.Header.Get("Location")
	p = c.Get(view)
	if !strings.Contains(p.Text("h1"), "Sundhed i jobcentret") || !strings.Contains(p.Text(".status-smiley"), "I planmæssig fremdrift") {
		t.Fatalf("initiative page: %q %q", p.Text("h1"), p.Text(".status-smiley"))
	}
	edit := c.Get(view + "/rediger")
	version := edit.Value(`input[name="version"]`)
	form.Set("version", version)
	form.Set("status", "reelle_udfordringer")
	form.Set("note", "Ingen midler")
	if p := c.NoRedirects().Post(view+"/rediger", form); p.Status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", p.Status, p.Text("main"))
	}
	// The same page saved again: someone else's save came first.
	form.Set("note", "Min ændring")
	p = c.Post(view+"/rediger", form)
	if p.Status != http.StatusConflict || p.Text("#note") != "Min ændring" || p.Value(`input[name="version"]`) == version {
		t.Fatalf("stale edit: %d, note %q, version %q", p.Status, p.Text("#note"), p.Value(`input[name="version"]`))
	}
	p = c.Get(view)
	if n := p.Doc.Find(".timeline-item").Length(); n != 2 {
		t.Errorf("history: %d entries; want 2", n)
	}
	report := c.Get("/ledelse/strategi/rapport")
	text := report.Text("main")
	if !strings.Contains(text, "Tema: Sundhed og beskæftigelse") || !strings.Contains(text, "😞") ||
		!strings.Contains(text, "er der henvist 0 borgere til Rygestop") || !strings.Contains(text, "Reelle udfordringer") {
		t.Errorf("report: %q", text)
	}
	if n := app.AuditCount(t, store.AuditInitiativeCreate, 0) + app.AuditCount(t, store.AuditInitiativeUpdate, 0); n != 2 {
		t.Errorf("%d initiative changes audited; want 2", n)
	}
	// The administrator may correct the strategy; a caseworker may not.
	admin := app.Login(t, "admin")
	if p := admin.Get(view + "/rediger"); p.Status != http.StatusOK {
		t.Errorf("admin edit form: %d", p.Status)
	}
	if p := app.Login(t, "travl").Post("/ledelse/strategi/ny", form); p.Status != http.StatusForbidden {
		t.Errorf("caseworker creates an initiative: %d", p.Status)
	}

}
