package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// A user changes their own password from the header link: the form, its error state and the
// confirmation, each checked with axe.
func TestChangeOwnPasswordInTheBrowser(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	if status := p.ClickLink("Skift adgangskode"); status != http.StatusOK {
		t.Fatalf("change page: HTTP %d", status)
	}
	p.ExpectText("h1", "Skift adgangskode")
	fill := func(current, next string) {
		p.Fill("Nuværende adgangskode", current)
		p.Fill("Ny adgangskode", next)
		p.Fill("Gentag ny adgangskode", next)
	}
	fill(apptest.Password, "Sommer2025!!")
	if status := p.Click("Skift adgangskode"); status != http.StatusUnprocessableEntity {
		t.Errorf("common password: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("Ny adgangskode", "for almindelig")
	fill(apptest.Password, "Grøn kaffe på Tirsdage 77")
	if status := p.Click("Skift adgangskode"); status != http.StatusOK {
		t.Errorf("change: HTTP %d", status)
	}
	p.ExpectText(".alert", "Din adgangskode er skiftet")
}
