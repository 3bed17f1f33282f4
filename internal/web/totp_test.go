package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/mfa"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// enrolTOTP turns TOTP on for the logged-in client c through the account page and returns the
// secret it was shown.
func enrolTOTP(t *testing.T, c *apptest.Client) string {
	t.Helper()
	pg := c.Get("/konto/totp")
	secret := strings.ReplaceAll(pg.Text("code.totp-secret"), " ", "")
	if len(secret) != 32 || !pg.Has(`img[src^="data:image/png;base64,"]`) {
		t.Fatalf("enrolment page without a secret or QR code:\n%s", pg.Body)
	}
	// A reload shows the same secret (the app scanned it already).
	if again := strings.ReplaceAll(c.Get("/konto/totp").Text("code.totp-secret"), " ", ""); again != secret {
		t.Fatalf("the secret changed on reload")
	}
	if pg := c.Post("/konto/totp", url.Values{"code": {"000000"}}); pg.Status != http.StatusUnprocessableEntity || !strings.Contains(pg.Body, "Koden passer ikke") {
		t.Fatalf("wrong confirmation code: %d", pg.Status)
	}
	if pg := c.Post("/konto/totp", url.Values{"code": {mfa.Code(secret, time.Now())}}); pg.Status != http.StatusOK || pg.URL.Path == "/konto/totp" {
		t.Fatalf("confirming: %d %s\n%s", pg.Status, pg.URL.Path, pg.Body)
	}
	return secret
}

// TestTOTPEnrolAndLogin: a local user enrols on the account page (QR code and secret shown
// once, confirmed with a code), and from then on a password login asks for a code: the
// password alone gives no session, a wrong code is refused and audited, a right one logs in,
// and the same code does not work twice. An administrator's reset returns the account to a
// password login.
func TestTOTPEnrolAndLogin(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.Store.TOTPKey = []byte("0123456789abcdef0123456789abcdef")
	u := app.User(t, "sara", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "sara")
	if !c.Get("/borgere").Has(`header a[href="/konto/adgangskode"]`) {
		t.Error("a local user is not offered to change the password")
	}
	secret := enrolTOTP(t, c)
	if n := app.AuditCount(t, store.AuditTOTPEnable, 0); n != 1 {
		t.Errorf("enrolment audited %d times", n)
	}
	var sealed string
	if err := app.Pool.QueryRow(t.Context(), `SELECT totp_secret FROM users WHERE id = $1`, u.ID).Scan(&sealed); err != nil || !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, secret) {
		t.Errorf("stored secret %q %v", sealed, err)
	}
	if pg := c.Get("/konto/totp"); pg.Has("code.totp-secret") || !strings.Contains(pg.Body, "er slået til") {
		t.Errorf("the secret is shown again after enrolment")
	}

	// The store judges codes by its clock: a minute on, so the code is a fresh step.
	later := time.Now().Add(time.Minute)
	app.Store.Now = func() time.Time { return later }
	code := mfa.Code(secret, later)

	c2 := app.Client(t)
	pg := c2.Post("/login", url.Values{"username": {"sara"}, "password": {apptest.Password}, "next": {"/opgaver"}})
	if pg.URL.Path != "/login/totp" || !pg.Has(`input[name=code][autocomplete=one-time-code]`) {
		t.Fatalf("after the password: %d %s", pg.Status, pg.URL.Path)
	}
	if pg := c2.Get("/borgere"); pg.URL.Path != "/login" {
		t.Fatalf("the password alone gave a session: %s", pg.URL.Path)
	}
	before := app.AuditCount(t, store.AuditLoginFailed, 0)
	if pg := c2.Post("/login/totp", url.Values{"code": {"123456"}}); pg.Status != http.StatusUnauthorized || !strings.Contains(pg.Body, "Koden passer ikke") {
		t.Errorf("wrong code: %d", pg.Status)
	}
	if app.AuditCount(t, store.AuditLoginFailed, 0) != before+1 {
		t.Error("wrong code not audited")
	}
	if pg := c2.Post("/login/totp", url.Values{"code": {code}}); pg.URL.Path != "/opgaver" {
		t.Fatalf("right code: %d %s\n%s", pg.Status, pg.URL.Path, pg.Body)
	}
	var detail string
	_ = app.Pool.QueryRow(t.Context(), `SELECT detail FROM audit_events WHERE action = 'login.success' ORDER BY id DESC LIMIT 1`).Scan(&detail)
	if detail != "totp" {
		t.Errorf("login audited as %q", detail)
	}

	// The same code again, in another browser: refused.
	c3 := app.Client(t)
	c3.Post("/login", url.Values{"username": {"sara"}, "password": {apptest.Password}})
	if pg := c3.Post("/login/totp", url.Values{"code": {code}}); pg.Status != http.StatusUnauthorized {
		t.Errorf("a used code logged in again: %d %s", pg.Status, pg.URL.Path)
	}

	// Lost phone: the administrator resets; the password alone logs in again, and the user's
	// sessions are over.
	if err := app.Store.ResetTOTP(t.Context(), store.Who{RequestID: "test"}, u.ID); err != nil {
		t.Fatal(err)
	}
	if pg := c2.Get("/borgere"); pg.URL.Path != "/login" {
		t.Errorf("a session outlived the reset: %s", pg.URL.Path)
	}
	if pg := app.Client(t).Post("/login", url.Values{"username": {"sara"}, "password": {apptest.Password}}); pg.URL.Path == "/login/totp" || pg.URL.Path == "/login" {
		t.Errorf("after reset: %s", pg.URL.Path)
	}
}

// TestTOTPGuessesAreThrottled: codes count against the account's login limits like
// passwords: after the free failures a further code is refused unchecked.
func TestTOTPGuessesAreThrottled(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "sara", access.RoleCaseworker, apptest.Jobcenter)
	secret := enrolTOTP(t, app.Login(t, "sara"))
	later := time.Now().Add(time.Minute)
	app.Store.Now = func() time.Time { return later }
	c := app.Client(t)
	c.Post("/login", url.Values{"username": {"sara"}, "password": {apptest.Password}})
	throttled := false
	for range 6 {
		pg := c.Post("/login/totp", url.Values{"code": {"000000"}})
		if strings.Contains(pg.Body, "For mange mislykkede forsøg") {
			throttled = true
			break
		}
	}
	if !throttled {
		t.Fatal("six wrong codes were not throttled")
	}
	if pg := c.Post("/login/totp", url.Values{"code": {mfa.Code(secret, later)}}); pg.Status != http.StatusUnauthorized || !strings.Contains(pg.Body, "For mange mislykkede forsøg") {
		t.Errorf("the right code during the wait: %d %s", pg.Status, pg.URL.Path)
	}
}

// TestAdminMustEnrolTOTP: with RequireAdminTOTP an administrator with a password is held at
// the enrolment page until TOTP is on; a caseworker is not.
func TestAdminMustEnrolTOTP(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{RequireAdminTOTP: true})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	app.User(t, "sara", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "admin")
	for _, path := range []string{"/", "/admin/brugere"} {
		if pg := c.Get(path); pg.URL.Path != "/konto/totp" || !strings.Contains(pg.Body, "Administratorer skal bruge totrinsbekræftelse") {
			t.Errorf("%s: admin not held at enrolment: %s", path, pg.URL.Path)
		}
	}
	enrolTOTP(t, c)
	if pg := c.Get("/admin/brugere"); pg.URL.Path != "/admin/brugere" {
		t.Errorf("after enrolment: %s", pg.URL.Path)
	}
	if pg := app.Login(t, "sara").Get("/borgere"); pg.URL.Path != "/borgere" {
		t.Errorf("caseworker held: %s", pg.URL.Path)
	}
}
