package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/testlimit"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// twoInstances starts two app instances, each with its own pool, on one database.
func twoInstances(t *testing.T) (a, b *apptest.App) {
	t.Helper()
	url := testdb.NewURL(t)
	var apps [2]*apptest.App
	for i := range apps {
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			t.Fatal(err)
		}
		cfg.AfterConnect = store.AsRuntimeRole
		cfg.MaxConns = 4
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		apps[i] = apptest.NewOnPool(t, pool, web.Config{})
	}
	return apps[0], apps[1]
}

// onInstance returns a client for app that carries c's session cookie.
func onInstance(t *testing.T, app *apptest.App, c *apptest.Client) *apptest.Client {
	t.Helper()
	o := app.Client(t)
	for _, k := range c.Cookies() {
		if k.Name == "helhed_session" {
			o.SetSessionCookie(k.Value)
		}
	}
	return o
}

// TestLogoutAndDisableTakeEffectOnEveryInstance: the session and its user are read from the
// database with every request (one statement, store.SessionWithUser), never kept by an
// instance, so a logout or a disabled user on one instance is refused by the next request on
// another — which has just served the same session.
func TestLogoutAndDisableTakeEffectOnEveryInstance(t *testing.T) {
	t.Parallel()
	a, b := twoInstances(t)
	a.User(t, "sb", "sagsbehandler", apptest.Jobcenter)
	a.User(t, "sb2", "sagsbehandler", apptest.Jobcenter)
	a.User(t, "admin", "admin", apptest.Admin)

	works := func(c *apptest.Client) bool {
		t.Helper()
		p := c.Get("/borgere")
		return p.Status == http.StatusOK && p.URL.Path == "/borgere"
	}

	// Logout on A: the same session on B is refused at once.
	onA := a.Login(t, "sb")
	onB := onInstance(t, b, onA)
	if !works(onA) || !works(onB) {
		t.Fatal("the session does not work on both instances")
	}
	if p := onA.Post("/logout", nil); p.URL.Path != "/login" {
		t.Fatalf("logout: %s", p.URL.Path)
	}
	if works(onB) {
		t.Fatal("B still accepts a session logged out on A")
	}

	// A user disabled in the database (by an administrator on A, or by SQL): B refuses the
	// next request, though the session row is still there.
	onA = a.Login(t, "sb2")
	onB = onInstance(t, b, onA)
	if !works(onB) {
		t.Fatal("the session does not work on B")
	}
	sb2, err := a.Store.UserByUsername(t.Context(), "sb2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Pool.Exec(t.Context(), `UPDATE users SET disabled_at = now() WHERE id = $1`, sb2.ID); err != nil {
		t.Fatal(err)
	}
	if works(onB) {
		t.Fatal("B still accepts the session of a user disabled on A")
	}

	// And through the admin page on A, for a user logged in on B only.
	if _, err := a.Pool.Exec(t.Context(), `UPDATE users SET disabled_at = NULL, sessions_valid_after = now() - interval '1 hour' WHERE id = $1`, sb2.ID); err != nil {
		t.Fatal(err)
	}
	onB = b.Login(t, "sb2")
	if !works(onB) {
		t.Fatal("the session does not work on B")
	}
	ac := a.Login(t, "admin")
	if p := ac.Post("/admin/brugere/"+itoa(sb2.ID)+"/deaktiver", nil); p.Status != http.StatusOK {
		t.Fatalf("disable: %d", p.Status)
	}
	if works(onB) {
		t.Fatal("B still accepts the session of a user disabled on A's admin page")
	}
}

// TestSettingsAndUnitsFollowEveryInstance: the settings and units an instance keeps in memory
// (store.KeepCopies) follow a change made on another instance once it is announced: a unit
// an administrator creates on B is offered by the consent form of A's next citizen overview,
// and a setting B records is in force on A. (TestCitizenOverviewRoundTrips shows that A does
// not read them per request; internal/store's TestSettingsAndUnitsFollowChangesMadeElsewhere
// that they are read through while the live connection is down.)
func TestSettingsAndUnitsFollowEveryInstance(t *testing.T) {
	t.Parallel()
	a, b := twoInstances(t)
	cw := a.User(t, "sb", "sagsbehandler", apptest.Jobcenter)
	a.User(t, "admin", "admin", apptest.Admin)
	id := a.Citizen(t, "0101901234", "Anna", "Hansen", apptest.Jobcenter, cw.ID)
	onA := a.Login(t, "sb")
	consentUnits := func() string {
		t.Helper()
		p := onA.Get(paths.Citizen(id))
		if p.Status != http.StatusOK {
			t.Fatalf("overview: %d", p.Status)
		}
		return p.Text("#c_units")
	}
	if got := consentUnits(); !strings.Contains(got, apptest.Health) || strings.Contains(got, "Sundhedscenter Vest") {
		t.Fatalf("consent form's units before: %q", got)
	}
	if p := b.Login(t, "admin").Post("/admin/enheder", url.Values{"name": {"Sundhedscenter Vest"}, "kind": {"sundhedscenter"}}); p.Status != http.StatusOK {
		t.Fatalf("create unit on B: %d", p.Status)
	}
	testlimit.Eventually(t, 2*time.Second, "A's consent form offering the unit created on B", func() bool {
		return strings.Contains(consentUnits(), "Sundhedscenter Vest")
	})

	ctx := t.Context()
	today := helhed.DanishToday(time.Now())
	interval := func(st *store.Store) int {
		t.Helper()
		n, err := st.FollowUpIntervalMonths(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := interval(a.Store); n != 3 {
		t.Fatalf("follow-up interval on A: %d, want 3", n)
	}
	if _, err := b.Pool.Exec(ctx, `INSERT INTO settings (key, valid_from, value) VALUES ('follow_up_interval_months', $1, '4')`, today); err != nil {
		t.Fatal(err)
	}
	testlimit.Eventually(t, 2*time.Second, "A's follow-up interval after B changed it", func() bool { return interval(a.Store) == 4 })
}
