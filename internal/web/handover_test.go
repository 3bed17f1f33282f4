package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// requestIDRe finds the request id an error page names: the one part of two refusals that
// differs.
var requestIDRe = regexp.MustCompile(`<code>[^<]*</code>`)

// mainOf is a page's <main>, without its request id.
func mainOf(t *testing.T, p *apptest.Page) string {
	t.Helper()
	h, err := p.Doc.Find("main").Html()
	if err != nil {
		t.Fatal(err)
	}
	return requestIDRe.ReplaceAllString(h, "<code></code>")
}

// A handover to another unit moves access at once: the former holder's next request for the
// citizen gets the very same answer (status and page) as for a citizen they never had, the
// new holder sees the citizen and has the handover task, and the move is audited. Bad input
// (a disabled user, a unit without caseworkers) is a Danish message beside its field, with
// what was typed kept, and saves nothing.
func TestHandoverMovesAccessAtOnce(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	own := app.User(t, "own", access.RoleCaseworker, apptest.Jobcenter)
	nord := app.User(t, "nord", access.RoleCaseworker, apptest.Jobcenter2)
	gone := app.User(t, "gone", access.RoleCaseworker, apptest.Jobcenter2)
	ctx := context.Background()
	if _, err := app.Pool.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, gone.ID); err != nil {
		t.Fatal(err)
	}
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, own.ID)
	unrelated := app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter2, nord.ID)
	c := app.Login(t, "own")
	base := "/borgere/" + strconv.FormatInt(a, 10)
	if p := c.Get(base); p.Status != http.StatusOK {
		t.Fatalf("own citizen before the handover: %d", p.Status)
	}
	if p := c.Get(base + "/overdrag"); p.Status != http.StatusOK || !p.Has("#to_unit") || !p.Has("#note") {
		t.Fatalf("handover form: %d", p.Status)
	}

	post := func(unit, cw, note string) *apptest.Page {
		return c.NoRedirects().Post(base+"/overdrag", url.Values{"to_unit": {unit}, "to_caseworker": {cw}, "note": {note}})
	}
	nordUnit, health := strconv.FormatInt(app.Units[apptest.Jobcenter2], 10), strconv.FormatInt(app.Units[apptest.Health], 10)
	p := post(nordUnit, strconv.FormatInt(gone.ID, 10), "Flytter til Nord.")
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#to_caseworker-error"), "deaktiveret") ||
		p.Text("#note") != "Flytter til Nord." {
		t.Fatalf("handover to a disabled user: %d %q, note kept %q", p.Status, p.Text("#to_caseworker-error"), p.Text("#note"))
	}
	p = post(health, "", "Flytter til Nord.")
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#to_unit-error"), "ingen aktive sagsbehandlere") {
		t.Fatalf("handover to a unit without the role: %d %q", p.Status, p.Text("#to_unit-error"))
	}
	if n := app.AuditCount(t, store.AuditHandover, a); n != 0 {
		t.Fatalf("%d handover audit rows after refused forms", n)
	}

	p = post(nordUnit, strconv.FormatInt(nord.ID, 10), "Flytter til Nord. Mangler lægeattest.")
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/borgere" {
		t.Fatalf("handover: %d to %q", p.Status, p.Header.Get("Location"))
	}
	// The browser follows the redirect, and the caseload shows the flash.
	if p := c.Get("/borgere"); !strings.Contains(p.Text(".alert-success"), "er overdraget") {
		t.Errorf("caseload after the handover: %q", p.Text(".alert-success"))
	}
	former := c.Get(base)
	stranger := c.Get("/borgere/" + strconv.FormatInt(unrelated, 10))
	if former.Status != http.StatusNotFound || former.Status != stranger.Status {
		t.Errorf("former holder: %d; a citizen outside their remit: %d; want the same 404", former.Status, stranger.Status)
	}
	if mainOf(t, former) != mainOf(t, stranger) {
		t.Errorf("the former holder's page differs from a stranger's:\n%s\n---\n%s", mainOf(t, former), mainOf(t, stranger))
	}
	if p := c.Get(base + "/overdrag"); p.Status != http.StatusNotFound {
		t.Errorf("former holder's handover form: %d", p.Status)
	}
	if n := app.AuditCount(t, store.AuditHandover, a); n != 1 {
		t.Errorf("%d handover audit rows; want 1", n)
	}
	if n := app.AuditCount(t, store.AuditCitizenDenied, a); n < 1 {
		t.Error("the former holder's refused request is not audited")
	}
	n := app.Login(t, "nord")
	if p := n.Get(base); p.Status != http.StatusOK {
		t.Errorf("new holder: %d", p.Status)
	}
	if p := n.Get("/opgaver"); !strings.Contains(p.Text("#opgaver"), "Overdragelse") || !strings.Contains(p.Text("#opgaver"), "Anna Andersen") {
		t.Errorf("new holder's task list: %q", p.Text("main"))
	}
	if p := n.Get(base + "/journal"); !strings.Contains(p.Text("main"), "Mangler lægeattest") {
		t.Error("the handover note is not in the journal")
	}
}

// The leader previews a departing caseworker's open cases page by page and hands them all
// over in one step; a caseworker of another unit is not found.
func TestCaseloadHandover(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	leaving := app.User(t, "leaving", access.RoleCaseworker, apptest.Jobcenter)
	taker := app.User(t, "taker", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "leader", access.RoleManager, apptest.Jobcenter)
	elsewhere := app.User(t, "elsewhere", access.RoleCaseworker, apptest.Jobcenter2)
	var ids []int64
	for i, cpr := range []string{"020385-1233", "030486-1234", "010180-1234"} {
		ids = append(ids, app.Citizen(t, cpr, "Borger", strconv.Itoa(i), apptest.Jobcenter, leaving.ID))
	}
	l := app.Login(t, "leader")
	path := "/ledelse/overdragelse/" + strconv.FormatInt(leaving.ID, 10)
	p := l.Get(path)
	if p.Status != http.StatusOK || p.Doc.Find("#sager tbody tr").Length() != 3 || p.Value(`input[name="count"]`) != "3" {
		t.Fatalf("preview: %d, %d rows, count %q", p.Status, p.Doc.Find("#sager tbody tr").Length(), p.Value(`input[name="count"]`))
	}
	if p := l.Get("/ledelse/overdragelse/" + strconv.FormatInt(elsewhere.ID, 10)); p.Status != http.StatusNotFound {
		t.Errorf("another unit's caseworker: %d", p.Status)
	}
	form := url.Values{"to_unit": {strconv.FormatInt(app.Units[apptest.Jobcenter], 10)}, "to_caseworker": {strconv.FormatInt(taker.ID, 10)},
		"note": {"Fratrådt."}, "count": {"2"}}
	if p := l.Post(path, form); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text(".alert-error"), "Antallet af sager er ændret") {
		t.Fatalf("stale count: %d %q", p.Status, p.Text(".alert-error"))
	}
	form.Set("count", "3")
	if p := l.NoRedirects().Post(path, form); p.Status != http.StatusSeeOther {
		t.Fatalf("bulk handover: %d %q", p.Status, p.Text("main"))
	}
	var moved int
	if err := app.Pool.QueryRow(context.Background(), `SELECT count(*) FROM citizens WHERE id = ANY($1) AND caseworker_id = $2`, ids, taker.ID).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	if moved != 3 || app.AuditCount(t, store.AuditHandoverBulk, 0) != 1 || app.AuditCount(t, store.AuditHandover, ids[0]) != 1 {
		t.Errorf("moved %d of 3; audit rows %d bulk, %d for the first", moved, app.AuditCount(t, store.AuditHandoverBulk, 0), app.AuditCount(t, store.AuditHandover, ids[0]))
	}
	if p := l.Get(path); p.Doc.Find("#sager").Length() != 0 {
		t.Error("the preview still lists cases after the handover")
	}
}
