package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// A caseworker files a lægeattest from the citizen page: sent without a file, the form says
// so beside the field and keeps the title; with the PDF chosen it is saved, listed as health
// data and named on the citizen page. Every page is checked with axe on arrival.
func TestUploadLaegeattestInTheBrowser(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.Go(paths.Citizen(a))
	p.ExpectText("#dokumenter", "Der er ingen dokumenter på sagen")
	p.ClickLink("Tilføj dokument")
	p.ExpectText("h1", "Dokumenter")

	p.Fill("Titel", "Lægeattest fra egen læge")
	p.Fill("Dokumenttype", "Lægeattest")
	if status := p.Click("Gem dokument"); status != http.StatusUnprocessableEntity {
		t.Errorf("without a file: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("Fil", "Vælg en fil")
	if got := p.Value("Titel"); got != "Lægeattest fra egen læge" {
		t.Errorf("title after the error: %q; want it kept", got)
	}

	p.Attach("Fil", "testdata/laegeattest.pdf")
	p.Click("Gem dokument")
	p.ExpectText(".alert", "Dokumentet er gemt.")
	p.ExpectText("main table", "Lægeattest fra egen læge")
	p.ExpectText("main table", "Helbredsoplysninger")
	p.ExpectText("main table", "laegeattest.pdf")
	p.Screenshot("documents")

	p.ClickLink("← Tilbage til Ole Hansen")
	p.ExpectText("#dokumenter", "Lægeattest fra egen læge")
	p.ExpectText("#dokumenter", "Alle dokumenter (1)")
}
