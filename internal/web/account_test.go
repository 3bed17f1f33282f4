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

// A strong password that passes the policy.
const newPassword = "Grøn kaffe på Tirsdage 77"

// The administrator's create and reset forms apply the password policy: twelve spaces, a
// common password padded with digits, the username inside it and a repeated character are
// refused with a Danish message beside the field, everything else typed is kept, and the
// password is never echoed back.
func TestAdminFormsApplyThePasswordPolicy(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	victim := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "admin")
	created := app.AuditCount(t, "user.create", 0) // the fixtures
	form := func(pw string) url.Values {
		return url.Values{"username": {"ny.bruger"}, "name": {"Ny Bruger"}, "email": {"ny@faxe.dk"},
			"unit": {itoa(app.Units[apptest.Jobcenter])}, "role": {access.RoleCaseworker}, "password": {pw}}
	}
	for _, tc := range []struct{ pw, want string }{
		{strings.Repeat(" ", 12), "mellemrum"},
		{"Password1234!", "almindelig"},
		{"ny.bruger-2024-x", "brugernavn"},
		{"zzzzzzzzzzzz", "gentagelse"},
		{"elleve-tegn", "mindst 12 tegn"},
	} {
		p := c.Post("/admin/brugere/ny", form(tc.pw))
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#password-error"), tc.want) {
			t.Errorf("create with %q: %d %q; want 422 and a message with %q", tc.pw, p.Status, p.Text("#password-error"), tc.want)
			continue
		}
		if p.Value("#username") != "ny.bruger" || p.Value("#name") != "Ny Bruger" || p.Value("#email") != "ny@faxe.dk" {
			t.Errorf("create with %q: the form lost what was typed", tc.pw)
		}
		if _, has := p.Doc.Find("#password").Attr("value"); has || (strings.TrimSpace(tc.pw) != "" && strings.Contains(p.Body, tc.pw)) {
			t.Errorf("create with %q: the password is echoed back", tc.pw)
		}
	}
	if n := app.AuditCount(t, "user.create", 0) - created; n != 0 {
		t.Fatalf("%d users created with weak passwords", n)
	}
	// The reset on the edit form goes through the same policy.
	edit := url.Values{"name": {"Test cw"}, "unit": {itoa(app.Units[apptest.Jobcenter])}, "role": {access.RoleCaseworker}}
	edit.Set("password", "Qwerty123456!")
	if p := c.Post("/admin/brugere/"+itoa(victim.ID), edit); p.Status != http.StatusUnprocessableEntity || p.Text("#password-error") == "" {
		t.Fatalf("reset to a common password: %d %q", p.Status, p.Text("#password-error"))
	}
	edit.Set("password", newPassword)
	if p := c.Post("/admin/brugere/"+itoa(victim.ID), edit); p.Status != http.StatusOK || p.URL.Path != "/admin/brugere" {
		t.Fatalf("reset to a strong password: %d %s %q", p.Status, p.URL.Path, p.Text("#password-error"))
	}
	if p := c.Post("/admin/brugere/ny", form(newPassword)); p.Status != http.StatusOK || p.URL.Path != "/admin/brugere" {
		t.Fatalf("create with a strong password: %d %s %q", p.Status, p.URL.Path, p.Text("#password-error"))
	}
}

// Every logged-in user changes their own password: the current one is asked for, the new one
// meets the policy and is typed twice; the change is audited, ends the user's other sessions,
// keeps this one, and the old password stops working.
func TestUserChangesOwnPassword(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	other := app.Login(t, "cw") // another browser

	p := c.Get("/")
	if href, _ := p.Doc.Find(`a[href="/konto/adgangskode"]`).Attr("href"); href == "" {
		t.Fatal("no link to change one's password in the page header")
	}
	p = c.Get("/konto/adgangskode")
	if p.Status != http.StatusOK || !p.Has("#current_password") || !p.Has("#new_password") || !p.Has("#new_password_repeat") {
		t.Fatalf("change page: %d", p.Status)
	}
	post := func(current, pw, repeat string) *apptest.Page {
		t.Helper()
		return c.Post("/konto/adgangskode", url.Values{"current_password": {current}, "new_password": {pw}, "new_password_repeat": {repeat}})
	}
	for _, tc := range []struct{ current, pw, repeat, field string }{
		{"", newPassword, newPassword, "current_password"},
		{"forkert-forkert", newPassword, newPassword, "current_password"},
		{apptest.Password, "kodeord12345", "kodeord12345", "new_password"},
		{apptest.Password, strings.Repeat(" ", 14), strings.Repeat(" ", 14), "new_password"},
		{apptest.Password, newPassword, newPassword + "x", "new_password_repeat"},
		{apptest.Password, apptest.Password, apptest.Password, "new_password"},
	} {
		p := post(tc.current, tc.pw, tc.repeat)
		if p.Status != http.StatusUnprocessableEntity || p.Text("#"+tc.field+"-error") == "" {
			t.Errorf("current %q, new %q, repeat %q: %d, %s error %q; want 422 with an error there",
				tc.current, tc.pw, tc.repeat, p.Status, tc.field, p.Text("#"+tc.field+"-error"))
		}
		if strings.Contains(p.Body, "forkert-forkert") || strings.Contains(p.Body, apptest.Password) || strings.Contains(p.Body, newPassword) {
			t.Errorf("current %q, new %q: a password is echoed back", tc.current, tc.pw)
		}
	}
	if n := app.AuditCount(t, "user.password_change", 0); n != 0 {
		t.Fatalf("%d changes audited before any succeeded", n)
	}

	p = post(apptest.Password, newPassword, newPassword)
	if p.Status != http.StatusOK || p.URL.Path == "/konto/adgangskode" || !strings.Contains(p.Text(".alert"), "Din adgangskode er skiftet") {
		t.Fatalf("change: %d %s %q", p.Status, p.URL.Path, p.Text(".alert"))
	}
	if n := app.AuditCount(t, "user.password_change", 0); n != 1 {
		t.Fatalf("%d changes audited; want 1", n)
	}
	if p := c.Get("/borgere"); p.URL.Path != "/borgere" {
		t.Fatalf("the session that changed the password ended: %s", p.URL.Path)
	}
	if p := other.Get("/borgere"); p.URL.Path != "/login" {
		t.Fatalf("another session survived the change: %s", p.URL.Path)
	}
	if p := app.Client(t).Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}}); p.URL.Path != "/login" {
		t.Fatal("the old password still works")
	}
	if p := app.Client(t).Post("/login", url.Values{"username": {"cw"}, "password": {newPassword}}); p.URL.Path == "/login" {
		t.Fatalf("the new password does not work: %q", p.Text(".alert"))
	}
}

// Guessing the current password on the change page is throttled like logging in.
func TestChangePasswordGuessesAreThrottled(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{LoginMaxPerUser: 2})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	guess := func() string {
		return c.Post("/konto/adgangskode", url.Values{"current_password": {"forkert-forkert"},
			"new_password": {newPassword}, "new_password_repeat": {newPassword}}).Text("#current_password-error")
	}
	for range 2 {
		if msg := guess(); !strings.Contains(msg, "forkert") {
			t.Fatalf("wrong current password: %q", msg)
		}
	}
	if msg := guess(); !strings.Contains(msg, "For mange") {
		t.Fatalf("third wrong current password: %q; want throttled", msg)
	}
	if n := app.AuditCount(t, "login.failure", 0); n != 2 {
		t.Fatalf("%d failures audited; want 2", n)
	}
}

// After an administrator's reset the user must choose their own password at the next login,
// and can reach nothing else (pages, POSTs) until they have; logging out still works.
func TestAdminResetForcesPasswordChange(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	ac := app.Login(t, "admin")
	const reset = "Midlertidig kode fra IT 42"
	if p := ac.Post("/admin/brugere/"+itoa(cw.ID), url.Values{"name": {"Test cw"}, "unit": {itoa(app.Units[apptest.Jobcenter])},
		"role": {access.RoleCaseworker}, "password": {reset}}); p.URL.Path != "/admin/brugere" {
		t.Fatalf("reset: %d %q", p.Status, p.Text("#password-error"))
	}

	c := app.Client(t)
	p := c.Post("/login", url.Values{"username": {"cw"}, "password": {reset}, "next": {"/borgere"}})
	if p.URL.Path != "/konto/adgangskode" || !p.Has("#current_password") || !strings.Contains(p.Text(".alert"), "administrator") {
		t.Fatalf("after login with the reset password: %s; want the change page", p.URL.Path)
	}
	nc := c.NoRedirects() // the same client and session, from here on stopping at redirects
	for _, path := range []string{"/", "/borgere", "/katalog", "/borgere/ny"} {
		if p := nc.Get(path); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/konto/adgangskode" {
			t.Errorf("GET %s before the change: %d to %q; want 303 to the change page", path, p.Status, p.Header.Get("Location"))
		}
	}
	if p := nc.Post("/borgere/ny", url.Values{"first_name": {"X"}}); p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/konto/adgangskode" {
		t.Errorf("POST before the change: %d to %q", p.Status, p.Header.Get("Location"))
	}
	if n := app.AuditCount(t, "citizen.create", 0); n != 0 {
		t.Fatal("a POST went through before the password was changed")
	}

	p = nc.Post("/konto/adgangskode", url.Values{"current_password": {reset}, "new_password": {newPassword}, "new_password_repeat": {newPassword}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/" {
		t.Fatalf("forced change: %d to %q; want 303 to /", p.Status, p.Header.Get("Location"))
	}
	if p := nc.Get("/borgere"); p.Status != http.StatusOK || !strings.Contains(p.Text(".alert"), "Din adgangskode er skiftet") {
		t.Fatalf("after the change: %d, alert %q", p.Status, p.Text(".alert"))
	}

	// A user the administrator creates must change the password at the first login, too.
	ac.Post("/admin/brugere/ny", url.Values{"username": {"ny.bruger"}, "name": {"Ny Bruger"},
		"unit": {itoa(app.Units[apptest.Jobcenter])}, "role": {access.RoleCaseworker}, "password": {reset}})
	nu := app.Client(t)
	if p := nu.Post("/login", url.Values{"username": {"ny.bruger"}, "password": {reset}}); p.URL.Path != "/konto/adgangskode" {
		t.Fatalf("first login of a new user: %s; want the change page", p.URL.Path)
	}
	if p := nu.Post("/logout", nil); p.URL.Path != "/login" {
		t.Fatalf("logout before the change: %s", p.URL.Path)
	}
}
