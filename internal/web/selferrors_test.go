package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// Inside /mit, the header's "Helhed" leads to the citizen's plan, and an error page (a
// missing id within the area, a path the router does not know, a refused cross-site POST) is
// in the citizen area's layout: its title, its menu for a signed-in citizen, no staff
// navigation, "Gå til forsiden" back to /mit. The staff side keeps "/".
func TestCitizenErrorPagesUseTheCitizenLayout(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	newCitizenCase(t, app, cw, "020385-1233", "Anna")
	c := app.SignInCitizen(t, "020385-1233")

	home := func(p *apptest.Page) string {
		v, _ := p.Doc.Find(".solution-heading a").Attr("href")
		return v
	}
	if p := c.Get(paths.SelfHome); home(p) != paths.SelfHome {
		t.Errorf("the header's Helhed on /mit leads to %q", home(p))
	}
	for _, tc := range []struct {
		name     string
		page     *apptest.Page
		status   int
		signedIn bool
	}{
		{"a missing samtale", c.Get(paths.SelfWHO5(999999)), http.StatusNotFound, true},
		{"an unknown path", c.Get(paths.SelfPrefix + "/findes-ikke"), http.StatusNotFound, false},
		{"signed out, an unknown path", app.Client(t).Get(paths.SelfPrefix + "/findes-ikke"), http.StatusNotFound, false},
	} {
		p := tc.page
		if p.Status != tc.status {
			t.Errorf("%s: %d; want %d", tc.name, p.Status, tc.status)
		}
		if title := p.Text("title"); !strings.HasSuffix(strings.TrimSuffix(title, " – Helhed"), "– Mit Helhed") {
			t.Errorf("%s: title %q; want the citizen area's", tc.name, title)
		}
		if home(p) != paths.SelfHome {
			t.Errorf("%s: the header's Helhed leads to %q", tc.name, home(p))
		}
		if v, _ := p.Doc.Find("main a:contains('Gå til forsiden')").Attr("href"); v != paths.SelfHome {
			t.Errorf("%s: \"Gå til forsiden\" leads to %q", tc.name, v)
		}
		if p.Has("a[href='/borgere']") {
			t.Errorf("%s: the staff navigation on a citizen's error page", tc.name)
		}
		if tc.signedIn && !p.Has("nav a[href='"+paths.SelfConsents+"']") {
			t.Errorf("%s: no citizen menu for the signed-in citizen", tc.name)
		}
	}

	staff := app.Login(t, "cw")
	if p := staff.Get("/findes-ikke"); p.Status != http.StatusNotFound || home(p) != "/" || strings.Contains(p.Text("title"), "Mit Helhed") {
		t.Errorf("the staff 404: %d, Helhed → %q, title %q", p.Status, home(p), p.Text("title"))
	}
}
