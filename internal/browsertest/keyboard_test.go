package browsertest_test

import (
	"net/http"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

// Keyboard only (WCAG 2.1.1, 2.4.3, 2.4.7): log in, create a citizen and
// screen them with Tab, Enter and Space and typed text — no mouse, no values
// set by script. Every stop on the way must show a visible focus indicator
// (the screening's radio buttons draw theirs on their label), and the form
// fields must come in the order they are shown.
func TestKeyboardOnly(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	p := browsertest.Open(t, app.URL)

	p.Go("/login")
	p.TabTo("Gå til indhold", 1) // the skip link comes first and slides into view
	p.Press(browsertest.Enter)
	p.TabTo("Brugernavn", 3)
	p.Type("cw")
	next := func(name string) {
		t.Helper()
		p.Press(browsertest.Tab)
		p.ExpectFocus(name)
	}
	next("Adgangskode")
	p.Type(apptest.Password)
	next("Log ind")
	p.PressNav(browsertest.Enter)
	p.WaitURL("/borgere")
	p.ExpectText("h1", "Mine borgere")

	p.TabTo("Opret borger", 10)
	p.PressNav(browsertest.Enter)
	p.ExpectText("h1", "Opret borger")
	p.TabTo("CPR-nummer", 16)
	p.Type("311399-1234")
	for _, f := range []struct{ label, text string }{
		{"Fornavn(e)", "Søren"}, {"Efternavn", "Ærø"}, {"Adresse", "Torvet 1"}, {"Postnummer", "4690"}, {"By", "Haslev"},
	} {
		next(f.label)
		p.Type(f.text)
	}
	next("Telefon")
	next("E-mail")
	next("Koordinerende sagsbehandler")
	next("Visitationskategori")
	next("Opret borger")
	if status := p.PressNav(browsertest.Space); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad CPR: HTTP %d; want 422", status)
	}

	// The error summary takes focus, so a screen reader reads it at once;
	// its link takes focus to the field.
	p.ExpectFocus("Der er fejl i formularen")
	p.TabTo("CPR-nummer: CPR-nummerets dato findes ikke (31.13.99)", 1)
	p.Press(browsertest.Enter)
	p.ExpectFocus("CPR-nummer")
	next("Fornavn(e)")
	// Back with Shift+Tab: tabbing into a field selects its text, so typing
	// replaces the bad number.
	p.ShiftTab()
	p.ExpectFocus("CPR-nummer")
	p.Type("010190-2345")
	next("Fornavn(e)")
	if got := p.Value("Fornavn(e)"); got != "Søren" {
		t.Errorf("Fornavn(e) after the error = %q; want what was typed", got)
	}
	p.TabTo("Opret borger", 10)
	p.PressNav(browsertest.Enter)
	p.WaitURL("/borgere/")
	p.ExpectText("h1", "Søren Ærø")
	p.ExpectText(".citizen-header", "010190-XXXX")

	// The screening: each radio group is one Tab stop, and Space chooses the
	// button that has focus, the first of the group.
	p.TabTo("Ny screening", 40)
	p.PressNav(browsertest.Enter)
	p.ExpectText("h1", "Ny screening")
	p.TabTo("Gå til indhold", 1) // past the navigation, as on the login page
	p.Press(browsertest.Enter)
	p.TabTo("Dato for samtalen", 3)
	choose := func(option string) {
		t.Helper()
		next(option)
		p.Press(browsertest.Space)
	}
	p.TabTo("God", 4) // Tab goes through the date's day, month, year and calendar button first
	p.Press(browsertest.Space)
	choose("Dagligt")
	for _, f := range []struct{ label, text string }{
		{"Alkohol: Genstande på en almindelig uge", "2"}, {"Alkohol: Flest genstande på én dag", "2"},
		{"Motion: Minutter med moderat fysisk aktivitet om dagen", "45"},
	} {
		next(f.label)
		p.Type(f.text)
	}
	choose("Sjældent")
	for _, f := range []struct{ label, text string }{{"Højde i cm", "180"}, {"Vægt i kg", "80"}} {
		next(f.label)
		p.Type(f.text)
	}
	choose("Aldrig") // hash
	choose("Aldrig") // other drugs
	for range 5 {
		choose("Hele tiden")
	}
	choose("Fremragende")
	next("Kronisk eller fremadskridende sygdom")
	next("Psykiske vanskeligheder")
	next("Smerter")
	p.Press(browsertest.Space)
	next("Beskrivelse af helbredsforhold")
	p.Type("Ondt i ryggen")
	choose("Aktuel barriere for arbejde nu")
	if got := p.Chosen("Kost: Hvordan vurderer borgeren selv sin kost?"); got != "God" {
		t.Fatalf("Space on the focused radio button: Kost = %q; want God", got)
	}
	next("Beregn og gem screening")
	p.PressNav(browsertest.Space)
	p.ExpectText(".screening-result .font-lead", "Høj risiko")
	p.ExpectText(".fired-rules", "Helbredsudfordringen er en aktuel barriere for arbejde")
	p.ExpectText(".screening-result", "Smerter Ja")

	p.TabTo("Mine borgere", 10)
	p.PressNav(browsertest.Enter)
	p.ExpectText("main table", "Søren Ærø")
}
