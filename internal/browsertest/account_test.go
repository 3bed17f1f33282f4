package browsertest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/mfa"
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

// A user turns on TOTP from the password page: the QR code and secret, a wrong code's field
// error, the confirmation; then logs in with the password and a code from the app. Each page
// is checked with axe.
func TestTOTPInTheBrowser(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	p.ClickLink("Skift adgangskode")
	if status := p.ClickLink("Log ind med en kode fra en app på din telefon ud over adgangskoden"); status != http.StatusOK {
		t.Fatalf("TOTP page: HTTP %d", status)
	}
	p.ExpectText("h1", "Totrinsbekræftelse")
	secret := strings.ReplaceAll(p.Text("code.totp-secret"), " ", "")
	p.Fill("Kode fra appen", "000000")
	if status := p.Click("Slå totrinsbekræftelse til"); status != http.StatusUnprocessableEntity {
		t.Errorf("wrong code: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("Kode fra appen", "Koden passer ikke")
	p.Fill("Kode fra appen", mfa.Code(secret, time.Now()))
	p.Click("Slå totrinsbekræftelse til")
	p.ExpectText(".alert", "Totrinsbekræftelse er slået til")

	later := time.Now().Add(time.Minute)
	app.Store.Now = func() time.Time { return later }
	p.Click("Log af")
	p.Go("/login")
	p.Fill("Brugernavn", "cw")
	p.Fill("Adgangskode", apptest.Password)
	p.Click("Log ind")
	p.ExpectText("h1", "Log ind: kode fra din app")
	p.Fill("Kode fra appen", mfa.Code(secret, later))
	p.Click("Log ind")
	p.WaitURL("/borgere")
}
