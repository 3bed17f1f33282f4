package web_test

import (
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// browserLocation resolves a Location header the way a browser does: tab, CR and LF are
// dropped and a backslash is a slash (WHATWG URL standard), then the result is resolved
// against the page's own address.
func browserLocation(t *testing.T, base, loc string) *url.URL {
	t.Helper()
	loc = strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(loc)
	b, err := url.Parse(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", loc, err)
	}
	return u
}

// A next parameter that a browser would read as another site never leaves the site after
// login, whether it comes through the login page's hidden field or is posted directly
// (ASVS 3.7.2, open redirect).
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	base, _ := url.Parse(app.URL)

	// The finding: /login?next=/%09/evil.example, then log in on that page.
	c := app.Client(t).NoRedirects()
	next := c.Get("/login?next=/%09/evil.example").Value(`input[name="next"]`)
	p := c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {next}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", p.Status)
	}
	if loc := browserLocation(t, app.URL, p.Header.Get("Location")); loc.Host != base.Host || loc.Path != "/" {
		t.Fatalf("next %q from the login page sent the browser to %s; want / on this site", next, loc)
	}

	for _, evil := range []string{"/\t/evil.example", "/\r\n/evil.example", "//evil.example", "/\\evil.example",
		"https://evil.example/", "/%09/evil.example"} {
		c := app.Client(t).NoRedirects()
		p := c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {evil}})
		if loc := browserLocation(t, app.URL, p.Header.Get("Location")); loc.Host != base.Host || loc.Path != "/" {
			t.Errorf("next %q sent the browser to %s; want / on this site", evil, loc)
		}
	}

	// A local page with its query string is still where the user lands.
	c = app.Client(t).NoRedirects()
	p = c.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}, "next": {"/borgere?side=2"}})
	if loc := p.Header.Get("Location"); loc != "/borgere?side=2" {
		t.Fatalf("local next: Location %q; want /borgere?side=2", loc)
	}
}

// Behind the documented reverse proxy every request comes from the proxy's address. The
// per-address limit must count the client's address instead, taken from the proxy's headers
// only when the request really comes from a trusted proxy; otherwise 50 failures from one
// guesser would lock every colleague out.
func TestLoginIPThrottleBehindProxy(t *testing.T) {
	t.Parallel()
	// The test client connects from 127.0.0.1: here that is the proxy.
	app := apptest.New(t, web.Config{LoginMaxPerIP: 3, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	guess := func(c *apptest.Client, username string) string {
		t.Helper()
		return c.Post("/login", url.Values{"username": {username}, "password": {"forkert-forkert"}}).Text(".alert")
	}
	attacker := app.Client(t)
	attacker.Header.Set("X-Forwarded-For", "203.0.113.7")
	for _, u := range []string{"a1", "a2", "a3"} { // other usernames: the per-account limit stays out of it
		if msg := guess(attacker, u); !strings.Contains(msg, "Forkert brugernavn") {
			t.Fatalf("guess for %s: %q", u, msg)
		}
	}
	if msg := guess(attacker, "a4"); !strings.Contains(msg, "For mange") {
		t.Fatalf("4th failure from one client address: %q; want throttled", msg)
	}
	// Prepending addresses does not help: the proxy appends the address it saw, and the
	// rightmost address that is not a trusted proxy is the one counted.
	attacker.Header.Set("X-Forwarded-For", "198.51.100.77, 203.0.113.7")
	if msg := guess(attacker, "a5"); !strings.Contains(msg, "For mange") {
		t.Fatalf("spoofed left part of X-Forwarded-For escaped the limit: %q", msg)
	}
	realIP := app.Client(t)
	realIP.Header.Set("X-Real-IP", "203.0.113.7")
	if msg := guess(realIP, "a6"); !strings.Contains(msg, "For mange") {
		t.Fatalf("X-Real-IP from the proxy not used: %q", msg)
	}

	// A colleague behind the same proxy logs in.
	colleague := app.Client(t)
	colleague.Header.Set("X-Forwarded-For", "198.51.100.9")
	if p := colleague.Post("/login", url.Values{"username": {"cw"}, "password": {apptest.Password}}); p.URL.Path == "/login" {
		t.Fatalf("a colleague behind the proxy is locked out: %q", p.Text(".alert"))
	}
	rows, _ := app.Pool.Query(t.Context(), `SELECT DISTINCT ip FROM login_failures`)
	ips, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(ips) != 1 || ips[0] != "203.0.113.7" {
		t.Fatalf("failures recorded under %v (%v); want only the client's address", ips, err)
	}

	// Without trusted proxies the headers are the client's own words and are ignored:
	// rotating X-Forwarded-For does not escape the limit.
	direct := apptest.New(t, web.Config{LoginMaxPerIP: 3})
	for i, u := range []string{"b1", "b2", "b3", "b4"} {
		c := direct.Client(t)
		c.Header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(10+i))
		c.Header.Set("X-Real-IP", "203.0.113."+strconv.Itoa(10+i))
		msg := guess(c, u)
		if want := i == 3; strings.Contains(msg, "For mange") != want {
			t.Fatalf("untrusted peer, attempt %d with a new X-Forwarded-For: %q; throttled want %v", i+1, msg, want)
		}
	}
}

// testClock is a store clock a test moves by hand, safe to read from handler goroutines.
type testClock struct{ ns atomic.Int64 }

func newTestClock(app *apptest.App) *testClock {
	c := &testClock{}
	c.ns.Store(time.Now().UnixNano())
	app.Store.Now = func() time.Time { return time.Unix(0, c.ns.Load()) }
	return c
}

func (c *testClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// Nine wrong passwords used to keep an account locked for 27 minutes against its correct
// password, because every refused attempt counted as another failure. The lock-out is now a
// delay: none for the first five failures, then 30 s doubling with each further failure up to
// 5 minutes. Refused attempts do not count, and the right password works as soon as the
// delay has passed.
func TestLoginLockoutIsProgressiveAndBounded(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{}) // the documented defaults
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	clock := newTestClock(app)
	c := app.Client(t)
	try := func(pw string) *apptest.Page {
		t.Helper()
		return c.Post("/login", url.Values{"username": {"cw"}, "password": {pw}})
	}
	wrong := func(step string) {
		t.Helper()
		if msg := try("forkert-forkert").Text(".alert"); !strings.Contains(msg, "Forkert brugernavn") {
			t.Fatalf("%s: %q; want the password checked (and wrong)", step, msg)
		}
	}
	refused := func(step, wait string) {
		t.Helper()
		if msg := try(apptest.Password).Text(".alert"); !strings.Contains(msg, "For mange") || !strings.Contains(msg, wait) {
			t.Fatalf("%s: %q; want refused, wait %s", step, msg, wait)
		}
	}

	// The finding: nine wrong logins in a row. Five are checked; four are refused.
	for i := range 5 {
		wrong("failure " + strconv.Itoa(i+1))
	}
	for i := range 4 {
		refused("attempt "+strconv.Itoa(6+i), "")
	}
	// 30 s after the fifth failure the right password works.
	clock.advance(30 * time.Second)
	if p := try(apptest.Password); p.URL.Path == "/login" {
		t.Fatalf("right password 30 s after the fifth failure: %q", p.Text(".alert"))
	}
	if n := app.AuditCount(t, "login.failure", 0); n != 5 {
		t.Fatalf("%d login.failure rows; want 5", n)
	}
	if n := app.AuditCount(t, "login.throttled", 0); n != 4 {
		t.Fatalf("%d login.throttled rows; want 4", n)
	}

	// The success cleared the count. The delay doubles per further failure and stops at 5 min.
	c = app.Client(t)
	for i := range 5 {
		wrong("again, failure " + strconv.Itoa(i+1))
	}
	refused("at once after the fifth failure", "Vent 30 sekunder")
	for i, d := range []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 5 * time.Minute, 5 * time.Minute} {
		step := "after failure " + strconv.Itoa(5+i)
		clock.advance(d - time.Second)
		refused(step+", a second early", "1 sekund")
		clock.advance(time.Second)
		if i < 5 {
			wrong(step + ", on time")
		}
	}
	if p := try(apptest.Password); p.URL.Path == "/login" {
		t.Fatalf("right password after the capped delay: %q", p.Text(".alert"))
	}
}

// Thirty guesses sent at once for one account get at most the allowed five password checks:
// counting and checking the count is one atomic step in PostgreSQL.
func TestConcurrentLoginGuessesRespectTheLimit(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{LoginMaxPerUser: 5})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	const guessers = 30
	results := make([]string, guessers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range guessers {
		wg.Go(func() {
			<-start
			resp, err := http.PostForm(app.URL+"/login", url.Values{"username": {"cw"}, "password": {"gæt-nummer-" + strconv.Itoa(i)}})
			if err != nil {
				results[i] = err.Error()
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			results[i] = string(b)
		})
	}
	close(start)
	wg.Wait()
	var checked, refused int
	for i, body := range results {
		switch {
		case strings.Contains(body, "Forkert brugernavn eller adgangskode"):
			checked++
		case strings.Contains(body, "For mange mislykkede forsøg"):
			refused++
		default:
			t.Errorf("guess %d: neither checked nor refused: %.200s", i, body)
		}
	}
	if checked > 5 || checked+refused != guessers {
		t.Fatalf("%d of %d concurrent guesses had their password checked (%d refused); want at most 5", checked, guessers, refused)
	}
	if n := app.AuditCount(t, "login.failure", 0); n != checked {
		t.Fatalf("%d login.failure rows for %d checked guesses", n, checked)
	}
}

// An unknown username costs a password check like a known one (the dummy hash), and the
// dummy hash's own password opens nothing.
func TestLoginUnknownUserNeverLogsIn(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	p := app.Client(t).Post("/login", url.Values{"username": {"findes.ikke"}, "password": {"ingen-bruger"}})
	if p.URL.Path != "/login" || !strings.Contains(p.Text(".alert"), "Forkert brugernavn") {
		t.Fatalf("unknown user with the dummy hash's password: %s %q", p.URL.Path, p.Text(".alert"))
	}
}
