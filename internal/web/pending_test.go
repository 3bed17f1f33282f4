package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/components"
)

// A screening posted after the session ended (the idle timeout ran out during the
// conversation) is not lost: after logging in again the caseworker is back on the form, and
// the page carries what was typed to put back. Nothing was saved on the strength of the
// expired post, and the values are given back once.
func TestFormPostedAfterSessionEndIsKeptOverLogin(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	page := "/borgere/" + strconv.FormatInt(id, 10) + "/screeninger/ny"

	c := app.Client(t) // the session has ended: the server no longer knows the cookie
	c.Header.Set("Referer", app.URL+page)
	typed := screeningAnswers()
	typed.Set("cond_notes", "Knæskade efter fald i marts")
	typed.Set(components.FormTokenField, "AAAAAAAAAAAAAAAAAAAAAA")
	p := c.Post(page, typed)
	if p.URL.Path != "/login" || p.URL.Query().Get("next") != page {
		t.Fatalf("post after the session ended went to %s, want /login?next=%s", p.URL, page)
	}
	if !strings.Contains(p.Text(".alert"), "det, du skrev, bliver sat ind igen") {
		t.Errorf("login page does not say the form is kept: %q", p.Text(".alert"))
	}
	if app.AuditCount(t, "screening.create", id) != 0 {
		t.Fatal("the expired post saved a screening")
	}

	c.Header.Del("Referer")
	p = c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {page}})
	if p.Status != http.StatusOK || p.URL.Path != page {
		t.Fatalf("after login: %d %s, want the form %s", p.Status, p.URL, page)
	}
	values, ok := p.Doc.Find("#restore-notice").Attr("data-values")
	if !ok {
		t.Fatal("the form page does not carry the typed values back")
	}
	for _, want := range []string{"Knæskade efter fald i marts", `"diet":["middel"]`} {
		if !strings.Contains(values, want) {
			t.Errorf("restored values %s lack %s", values, want)
		}
	}
	if strings.Contains(values, components.FormTokenField) {
		t.Error("the expired post's one-time token is restored; the page's fresh one must be sent")
	}
	if !p.Has(`script[src*="restore"]`) {
		t.Error("the restoring script is not loaded")
	}
	if p = c.Get(page); p.Has("#restore-notice") {
		t.Error("the values are given back a second time")
	}
}

// A post whose Referer is another site, or none, keeps nothing and says so.
func TestFormPostedAfterSessionEndWithoutPageIsNotKept(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Client(t)
	p := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", screeningAnswers())
	if p.URL.Path != "/login" || p.URL.Query().Get("next") != "" {
		t.Fatalf("went to %s", p.URL)
	}
	if !strings.Contains(p.Text(".alert"), "den er ikke gemt") {
		t.Errorf("login page message: %q", p.Text(".alert"))
	}
}
