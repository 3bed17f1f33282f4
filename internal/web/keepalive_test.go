package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// "Forbliv logget ind" keeps a session alive past its idle timeout: a session renewed every
// second outlives the 3-second timeout that ends one left alone. The renewal is a POST like
// any other: refused cross-site, and a logged-out one is sent to the login page, which the
// warning reads as "the session has ended". Every logged-in page carries the warning with
// the timeout it reckons with: the idle timeout less the session store's slack.
func TestSessionRenew(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{SessionIdle: 3 * time.Second})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	kept := app.Login(t, "cw").NoRedirects()
	left := app.Login(t, "cw")

	p := kept.Get("/borgere")
	if idle, _ := p.Doc.Find("dialog#session-warning").Attr("data-idle"); idle != "2" { // 3 s less a tenth, in whole seconds
		t.Errorf("the page's warning reckons with an idle timeout of %q s; want 2", idle)
	}
	if renew, _ := p.Doc.Find("dialog#session-warning").Attr("data-renew"); renew != "/session/forny" {
		t.Errorf("the warning renews at %q", renew)
	}
	for range 4 {
		time.Sleep(time.Second)
		if r := kept.Post("/session/forny", nil); r.Status != http.StatusNoContent || r.Body != "" {
			t.Fatalf("renew: HTTP %d %q; want 204", r.Status, r.Body)
		}
	}
	if p := left.Get("/borgere"); p.URL.Path != "/login" {
		t.Errorf("the session left alone survived its idle timeout: %s", p.URL.Path)
	}
	if p := kept.Get("/borgere"); p.Status != http.StatusOK {
		t.Errorf("the renewed session ended: HTTP %d", p.Status)
	}

	if r := app.Client(t).NoRedirects().Post("/session/forny", nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("logged out: HTTP %d to %q; want 303 to /login", r.Status, r.Header.Get("Location"))
	}
	kept.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := kept.Post("/session/forny", nil); r.Status != http.StatusForbidden {
		t.Errorf("cross-site renew: HTTP %d; want 403", r.Status)
	}
	if p := app.Client(t).Get("/login"); p.Has("#session-warning") {
		t.Error("the login page warns of a session it does not have")
	}
}
