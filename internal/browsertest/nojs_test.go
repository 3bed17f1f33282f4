package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// pageScriptRan is true once a page's own script has run in the tab: every logged-in page
// loads js/session.js (the warning before the session ends), which notes the time of the
// page in localStorage. (htmx, the other script, loads on the board only.)
const pageScriptRan = `localStorage.getItem("helhed.session.activity") !== null`

// Without JavaScript every form works: htmx only improves the pages. Log in,
// fail and then succeed in creating a citizen, fail and then succeed in
// screening them (what was answered is kept), find them in the caseload, log
// out.
func TestWithoutJavaScript(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	p := browsertest.Open(t, app.URL, browsertest.WithoutJS())

	p.Login("cw", apptest.Password)
	p.WaitURL("/borgere")
	if browsertest.Eval[bool](p, pageScriptRan) {
		t.Fatal("the page's script ran: the tab does not have JavaScript disabled, so this test proves nothing")
	}

	p.ClickLink("Opret borger")
	p.Fill("CPR-nummer", "311399-1234")
	p.Fill("Fornavn(e)", "Nanna")
	p.Fill("Efternavn", "Uden-Script")
	p.Fill("Visitationskategori", "Aktivitetsparat")
	if status := p.Click("Opret borger"); status != http.StatusUnprocessableEntity {
		t.Errorf("bad CPR: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("CPR-nummer", "CPR-nummerets dato findes ikke")
	if got := p.Value("Efternavn"); got != "Uden-Script" {
		t.Errorf("Efternavn after the error = %q; want it kept", got)
	}
	if got := p.Value("Visitationskategori"); got != "Aktivitetsparat" {
		t.Errorf("Visitationskategori after the error = %q; want it kept", got)
	}

	p.Fill("CPR-nummer", "150292-4321")
	p.Click("Opret borger")
	p.WaitURL("/borgere/")
	p.ExpectText("h1", "Nanna Uden-Script")
	p.ExpectText(".citizen-header", "150292-XXXX")

	p.ClickLink("Ny screening")
	p.Choose("Kost: Hvordan vurderer borgeren selv sin kost?", "Middel")
	p.Fill("Alkohol: Genstande på en almindelig uge", "12")
	if status := p.Click("Beregn og gem screening"); status != http.StatusUnprocessableEntity {
		t.Errorf("half a screening: HTTP %d; want 422", status)
	}
	p.ExpectText(".error-summary", "Rygning: Vælg et svar")
	p.ExpectFieldError("Alkohol: Flest genstande på én dag", "Skal udfyldes")
	if got := p.Chosen("Kost: Hvordan vurderer borgeren selv sin kost?"); got != "Middel" {
		t.Errorf("Kost after the error = %q; want the answer kept", got)
	}
	if got := p.Value("Alkohol: Genstande på en almindelig uge"); got != "12" {
		t.Errorf("drinks a week after the error = %q; want it kept", got)
	}
	fillScreening(p, mediumRisk)
	p.Click("Beregn og gem screening")
	p.ExpectText(".screening-result .font-lead", "Mellem risiko")
	p.ExpectText(".fired-rules", "WHO-5 = 40 ≤ 50: nedsat trivsel")

	p.ClickLink("Mine borgere")
	p.ExpectText("main table", "Nanna Uden-Script")

	p.Click("Log af")
	p.WaitURL("/login")
	p.ExpectText(".alert", "Du er logget ud.")
	if browsertest.Eval[bool](p, pageScriptRan) {
		t.Error("a page's script ran after the axe checks: scripts were re-enabled for the page")
	}
}
