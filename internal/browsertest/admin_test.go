package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// The pages no journey visits yet, checked with axe: the login page (also
// with an error), the 404 page, and the administrator's pages.
func TestAdminAndErrorPagesAccessible(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	p := browsertest.Open(t, app.URL)

	p.Go("/login")
	p.Fill("Brugernavn", "admin")
	p.Fill("Adgangskode", "forkert")
	if status := p.Click("Log ind"); status != http.StatusUnauthorized {
		t.Errorf("wrong password: HTTP %d; want 401", status)
	}
	p.ExpectText(".alert", "Forkert brugernavn eller adgangskode.")
	if status := p.Go("/findes-ikke"); status != http.StatusNotFound {
		t.Errorf("unknown page: HTTP %d; want 404", status)
	}

	p.Login("admin", apptest.Password)
	for _, page := range []struct{ path, h1 string }{
		{"/admin/brugere", "Brugere"},
		{"/admin/brugere/ny", "Opret bruger"},
		{"/admin/enheder", "Enheder"},
		{"/admin/roller", "Roller"},
		{"/admin/audit", "Auditlog"},
	} {
		if status := p.Go(page.path); status != http.StatusOK {
			t.Errorf("%s: HTTP %d", page.path, status)
		}
		p.ExpectText("h1", page.h1)
	}
	if status := p.Go("/borgere/findes-ikke"); status != http.StatusNotFound {
		t.Errorf("unknown page when logged in: HTTP %d; want 404", status)
	}
	p.ExpectText("h1", "Siden findes ikke")
}
