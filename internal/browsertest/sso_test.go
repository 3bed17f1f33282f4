package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/oidctest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// A caseworker logs in through the municipality's identity provider (a real OpenID provider
// in the test process): the login page's SSO button, the provider's login, the caseload; then
// logs out, which ends the provider's session too and comes back to Helhed's login page. A
// caseworker whose group is not mapped gets the Danish refusal. Every page is checked with axe.
func TestSSOLoginJourney(t *testing.T) {
	t.Parallel()
	idp := oidctest.New(t)
	pool, _ := testdb.New(t)
	app := apptest.NewOnPoolAt(t, pool, func(base string) web.Config {
		idp.AddClient("helhed", "hemmelig", []string{base + web.SSOCallbackPath}, []string{base + "/login"})
		return web.Config{StaffOIDC: &oidcauth.Config{Issuer: idp.Issuer, ClientID: "helhed", ClientSecret: "hemmelig",
			RedirectURL: base + web.SSOCallbackPath, PostLogoutRedirectURL: base + "/login", RequireMFA: true, MFAAMR: []string{"mfa"}}}
	})
	if _, err := app.Store.CreateSSOMapping(t.Context(), store.Who{RequestID: "test"}, "jc-sagsbehandlere",
		app.Units[apptest.Jobcenter], access.RoleCaseworker); err != nil {
		t.Fatal(err)
	}
	idp.SetUser("karen", oidctest.User{Subject: "k-1", Name: "Karen Sagsbehandler", Email: "karen@kommune.dk",
		Groups: []string{"jc-sagsbehandlere"}, AMR: []string{"pwd", "mfa"}})
	idp.SetUser("ny", oidctest.User{Subject: "n-1", Name: "Ny Medarbejder", Groups: []string{"ukendt"}, AMR: []string{"mfa"}})

	p := browsertest.Open(t, app.URL)
	p.Go("/login")
	p.ClickLink("Log ind med kommunens login")
	p.ExpectText("h1", "Test-IdP")
	p.Fill("Brugernavn", "karen")
	if status := p.Click("Fortsæt"); status != http.StatusOK {
		t.Fatalf("after the provider: HTTP %d at %s", status, p.Path())
	}
	p.WaitURL("/borgere")
	p.ExpectText("h1", "Mine borgere")
	p.ExpectText(".user", "Karen Sagsbehandler")

	p.Click("Log af")
	p.WaitURL("/login")
	p.ExpectText(".alert", "Du er logget ud")
	if got := idp.TerminatedSessions(); len(got) != 1 || got[0] != "k-1" {
		t.Errorf("the provider's session was not ended: %v", got)
	}

	p.ClickLink("Log ind med kommunens login")
	p.Fill("Brugernavn", "ny")
	if status := p.Click("Fortsæt"); status != http.StatusForbidden {
		t.Errorf("unmapped group: HTTP %d", status)
	}
	p.ExpectText(".alert", "ingen af dine grupper giver adgang til Helhed")
}
