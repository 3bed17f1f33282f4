package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// browserLocation resolves a Location header the way a browser does: tab, CR and LF are
// dropped and a backslash is a slash (WHATWG URL standard), then the result is resolved
// against the page's own address.
func browserLocation(t *testing.T, base, loc string) *url.URL {
	t.Helper()
	loc = strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(loc)
	b, err := url.Parse(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", loc, err)
	}
	return u
}

// A next parameter that a browser would read as another site never leaves the site after
// login, whether it comes through the login page's hidden field or is posted directly
// (ASVS 3.7.2, open redirect).
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	base, _ := url.Parse(app.URL)

	// The finding: /login?next=/%09/evil.example, then log in on that page.
	c := app.Client(t).NoRedirects()
	next := c.Get("/login?next=/%09/evil.example").Value(`input[name="next"]`)
	p := c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {next}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", p.Status)
	}
	if loc := browserLocation(t, app.URL, p.Header.Get("Location")); loc.Host != base.Host || loc.Path != "/" {
		t.Fatalf("next %q from the login page sent the browser to %s; want / on this site", next, loc)
	}

	for _, evil := range []string{"/\t/evil.example", "/\r\n/evil.example", "//evil.example", "/\\evil.example",
		"https://evil.example/", "/%09/evil.example"} {
		c := app.Client(t).NoRedirects()
		p := c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {evil}})
		if loc := browserLocation(t, app.URL, p.Header.Get("Location")); loc.Host != base.Host || loc.Path != "/" {
			t.Errorf("next %q sent the browser to %s; want / on this site", evil, loc)
		}
	}

	// A local page with its query string is still where the user lands.
	c = app.Client(t).NoRedirects()
	p = c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {"/borgere?side=2"}})
	if loc := p.Header.Get("Location"); loc != "/borgere?side=2" {
		t.Fatalf("local next: Location %q; want /borgere?side=2", loc)
	}
}
