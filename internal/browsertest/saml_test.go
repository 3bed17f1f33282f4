package browsertest_test

import (
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/samlauth"
	"github.com/helhed/helhed/internal/samltest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// TestSAMLLoginJourney: a caseworker logs in over SAML through a real IdP (crewjam's, in the
// test process) in the browser: Helhed's button, the IdP's login, the IdP's self-submitting
// response, Helhed's own re-post, and the caseload; a person without a mapped privilege is
// refused in Danish. Each Helhed page is checked with axe.
func TestSAMLLoginJourney(t *testing.T) {
	t.Parallel()
	idp := samltest.New(t)
	pool, _ := testdb.New(t)
	key, cert := samltest.KeyPair(t, "helhed browser SP")
	app := apptest.NewOnPoolAt(t, pool, func(base string) web.Config {
		return web.Config{StaffSAML: &samlauth.Config{MetadataURL: base + web.SAMLMetadataPath, ACSURL: base + web.SAMLACSPath,
			IdPMetadata: idp.Metadata(), Key: key, Certificate: cert, RequireMFA: true}}
	})
	idp.AddServiceProvider(app.URL + web.SAMLMetadataPath)
	const priv = "http://helhed.dk/roles/usersystemrole/sagsbehandler/1"
	if _, err := app.Store.CreateSSOMapping(t.Context(), store.Who{RequestID: "test"}, priv,
		app.Units[apptest.Jobcenter], access.RoleCaseworker); err != nil {
		t.Fatal(err)
	}
	idp.SetUser("karen", samltest.User{NameID: "k-saml-1", FirstName: "Karen", LastName: "Sagsbehandler", Email: "karen@kommune.dk",
		Privileges: []string{priv}})
	idp.SetUser("ny", samltest.User{NameID: "n-saml-1", FirstName: "Ny", LastName: "Medarbejder", Privileges: []string{"http://andet.dk/roles/x/1"}})

	p := browsertest.Open(t, app.URL)
	p.Go("/login")
	p.ClickLink("Log ind med kommunens login")
	p.ExpectText("h1", "Test-IdP")
	p.Fill("Brugernavn", "karen")
	p.Click("Fortsæt")
	p.WaitURL("/borgere")
	p.ExpectText("h1", "Mine borgere")
	p.ExpectText(".user", "Karen Sagsbehandler")

	p.Click("Log af")
	p.WaitURL("/login")
	p.ClickLink("Log ind med kommunens login")
	p.Fill("Brugernavn", "ny")
	p.Click("Fortsæt")
	p.WaitURL(web.SAMLContinuePath)
	p.ExpectText(".alert", "ingen af dine grupper giver adgang til Helhed")
}
