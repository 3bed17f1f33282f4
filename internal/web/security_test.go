package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// Every state-changing route refuses a cross-site request with 403 before anything happens.
// The routes come from chi.Walk, so a new POST route is covered without editing this test.
func TestCrossSitePostsAreRefused(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	c.Header.Set("Sec-Fetch-Site", "cross-site")
	var posts int
	err := chi.Walk(app.Server.Handler(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet || method == http.MethodHead {
			return nil
		}
		posts++
		path := strings.NewReplacer("{id}", "1", "{code}", "admin").Replace(route)
		before := app.AuditCount(t, "citizen.create", 0)
		p := c.Post(path, url.Values{"username": {"cw"}, "password": {apptest.Password}, "first_name": {"X"}})
		if p.Status != http.StatusForbidden {
			t.Errorf("cross-site %s %s: %d; want 403", method, route, p.Status)
		}
		if after := app.AuditCount(t, "citizen.create", 0); after != before {
			t.Errorf("cross-site %s %s changed data", method, route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if posts < 10 {
		t.Fatalf("walked only %d state-changing routes", posts)
	}
	// The same request from our own origin is not refused by the CSRF layer.
	c.Header.Set("Sec-Fetch-Site", "same-origin")
	if p := c.Post("/borgere/soeg", url.Values{"q": {"x"}}); p.Status != http.StatusOK {
		t.Fatalf("same-origin search: %d", p.Status)
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	c := app.Client(t)
	for _, path := range []string{"/login", "/findes-ikke", "/borgere/1"} {
		p := c.Get(path)
		h := p.Header
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "same-origin",
			"Cache-Control":          "no-store",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q; want %q", path, k, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, d := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self' 'nonce-", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, d)
			}
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", path)
		}
	}
	if p := c.Get("/findes-ikke"); p.Status != http.StatusNotFound || p.Text("h1") != "Siden findes ikke" {
		t.Fatalf("404 page: %d %q", p.Status, p.Text("h1"))
	}
}

func TestPanicGivesGenericDanishPage(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	mux := app.Server.Handler()
	mux.Get("/test-panic", func(http.ResponseWriter, *http.Request) { panic("hemmelig intern detalje") })
	ts := httptest.NewServer(mux)
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/test-panic")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	body := string(raw)
	if resp.StatusCode != 500 || !strings.Contains(body, "Der opstod en fejl") {
		t.Fatalf("panic: %d", resp.StatusCode)
	}
	id := resp.Header.Get("X-Request-Id")
	if id == "" || !strings.Contains(body, id) {
		t.Fatal("500 page does not show the request id")
	}
	if strings.Contains(body, "hemmelig") || strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
		t.Fatal("500 page leaks internals")
	}
	if resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatal("500 page lacks security headers")
	}
}

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)

	// A session cookie from before login is replaced at login (no session fixation).
	c := app.Client(t)
	c.Get("/login")
	before := sessionCookie(c)
	c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}})
	after := sessionCookie(c)
	if after == "" || after == before {
		t.Fatalf("session token not renewed at login (%q → %q)", before, after)
	}

	// Logout deletes the session server-side: replaying the old cookie does not work.
	stolen := app.Client(t)
	stolen.SetSessionCookie(after)
	if p := stolen.Get("/borgere"); p.URL.Path != "/borgere" {
		t.Fatalf("copied session cookie did not work before logout: %s", p.URL.Path)
	}
	c.Post("/logout", nil)
	if p := stolen.Get("/borgere"); p.URL.Path != "/login" {
		t.Fatalf("old session still valid after logout: %s", p.URL.Path)
	}

	// Disabling a user ends every session of theirs at once.
	c1, c2 := app.Login(t, "cw"), app.Login(t, "cw")
	ac := app.Login(t, "admin")
	cw, _ := app.Store.UserByUsername(t.Context(), "cw")
	if p := ac.Post("/admin/brugere/"+itoa(cw.ID)+"/deaktiver", nil); p.Status != http.StatusOK {
		t.Fatalf("disable: %d", p.Status)
	}
	for _, cl := range []*apptest.Client{c1, c2} {
		if p := cl.Get("/borgere"); p.URL.Path != "/login" {
			t.Fatalf("disabled user's session still works: %s", p.URL.Path)
		}
	}
	var n int
	if err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE position('uid'::bytea in data) > 0`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 { // only the admin's session remains
		t.Fatalf("%d logged-in sessions remain in the database; want 1 (the admin's)", n)
	}
	if p := app.Client(t).Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}}); p.URL.Path != "/login" {
		t.Fatal("a disabled user could log in")
	}
}

func TestCookieFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base, name string
		secure     bool
	}{{"https://helhed.example", "__Host-helhed_session", true}, {"", "helhed_session", false}} {
		app := apptest.New(t, web.Config{BaseURL: tc.base})
		app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
		c := app.Client(t).NoRedirects()
		p := c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}})
		var found bool
		for _, sc := range p.Header.Values("Set-Cookie") {
			if !strings.HasPrefix(sc, tc.name+"=") {
				continue
			}
			found = true
			if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || !strings.Contains(sc, "Path=/") || strings.Contains(sc, "Domain=") {
				t.Errorf("cookie %q lacks HttpOnly/SameSite=Lax/Path=/ or has a Domain", sc)
			}
			if strings.Contains(sc, "Secure") != tc.secure {
				t.Errorf("base %q: cookie %q Secure=%v; want %v", tc.base, sc, !tc.secure, tc.secure)
			}
		}
		if !found {
			t.Fatal("no session cookie at login")
		}
		// HSTS for at least a year, subdomains included, exactly when served over https.
		if hsts := p.Header.Get("Strict-Transport-Security"); (hsts == "max-age=63072000; includeSubDomains") != tc.secure {
			t.Errorf("base %q: Strict-Transport-Security %q", tc.base, hsts)
		}
	}
}

func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	idle := apptest.New(t, web.Config{SessionIdle: 1500 * time.Millisecond})
	idle.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := idle.Login(t, "cw")
	time.Sleep(2 * time.Second)
	if p := c.Get("/borgere"); p.URL.Path != "/login" {
		t.Fatalf("idle session survived: %s", p.URL.Path)
	}

	abs := apptest.New(t, web.Config{SessionLifetime: 2 * time.Second})
	abs.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c = abs.Login(t, "cw")
	for range 3 { // active all along, yet the absolute lifetime ends it
		time.Sleep(800 * time.Millisecond)
		c.Get("/borgere")
	}
	if p := c.Get("/borgere"); p.URL.Path != "/login" {
		t.Fatalf("session outlived its absolute lifetime: %s", p.URL.Path)
	}
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{LoginMaxPerUser: 3})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Client(t)
	for i := 0; i < 3; i++ {
		p := c.Post("/login", url.Values{"username": {"cw"}, "password": {"forkert"}})
		if !strings.Contains(p.Text(".alert"), "Forkert brugernavn eller adgangskode") {
			t.Fatalf("attempt %d: %q", i, p.Text(".alert"))
		}
	}
	// Now even the right password is refused until the window has passed.
	p := c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}})
	if p.URL.Path != "/login" || !strings.Contains(p.Text(".alert"), "For mange") {
		t.Fatalf("not throttled: %s %q", p.URL.Path, p.Text(".alert"))
	}
	if app.AuditCount(t, "login.failure", 0) != 3 || app.AuditCount(t, "login.throttled", 0) != 1 {
		t.Fatal("failures/throttling not audited")
	}
	// Another instance on the same database sees the same count.
	other := apptest.NewOnPool(t, app.Pool, web.Config{LoginMaxPerUser: 3})
	p = other.Client(t).Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}})
	if !strings.Contains(p.Text(".alert"), "For mange") {
		t.Fatal("throttling is not shared across instances")
	}
}

func TestNonAdminCannotReachAdminPages(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	for _, path := range []string{"/admin/brugere", "/admin/brugere/ny", "/admin/enheder", "/admin/roller", "/admin/audit"} {
		if p := c.Get(path); p.Status != http.StatusForbidden {
			t.Errorf("caseworker GET %s: %d; want 403", path, p.Status)
		}
	}
	if p := c.Post("/admin/brugere/ny", url.Values{"username": {"ny"}, "role": {"admin"}}); p.Status != http.StatusForbidden {
		t.Errorf("caseworker POST create user: %d", p.Status)
	}
	if n := app.AuditCount(t, "access.denied", 0); n != 6 {
		t.Errorf("denied admin attempts audited: %d; want 6", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func sessionCookie(c *apptest.Client) string {
	for _, ck := range c.Cookies() {
		if ck.Name == "helhed_session" {
			return ck.Value
		}
	}
	return ""
}

// Flash messages reach anonymous pages too: after logout the login page confirms it.
func TestLogoutConfirmsOnLoginPage(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	p := c.Post("/logout", nil)
	if p.URL.Path != "/login" || !strings.Contains(p.Text(".alert"), "Du er logget ud.") {
		t.Fatalf("after logout: %s, alert %q", p.URL.Path, p.Text(".alert"))
	}
}

// Passwords: at least 12 characters, any composition, long passphrases welcome (ASVS 6.2.1,
// 6.2.5, 6.2.9); the typed password is never echoed back.
func TestUserPasswordPolicy(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	c := app.Login(t, "admin")
	form := func(pw string) url.Values {
		return url.Values{"username": {"ny.bruger"}, "name": {"Ny Bruger"}, "unit": {itoa(app.Units[apptest.Jobcenter])},
			"role": {access.RoleCaseworker}, "password": {pw}}
	}
	p := c.Post("/admin/brugere/ny", form("elleve-tegn"))
	if p.Status != http.StatusUnprocessableEntity || p.Text("#password-error") == "" || strings.Contains(p.Body, "elleve-tegn") {
		t.Fatalf("11-character password: %d %q", p.Status, p.Text("#password-error"))
	}
	long := "Æbler, pærer & blåbær ☺ 🙂 — syv små grise spiser grød kl. 17:45!" // 64 characters of anything
	if p := c.Post("/admin/brugere/ny", form(long)); p.Status != http.StatusOK {
		t.Fatalf("64-character passphrase: %d %q", p.Status, p.Text("#password-error"))
	}
	if c := app.Client(t); c.Post("/login", url.Values{"username": {"ny.bruger"}, "password": {long}}).URL.Path == "/login" {
		t.Fatal("the new user cannot log in with the passphrase exactly as typed")
	}
}
