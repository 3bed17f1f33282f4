package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/dbtrace"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/testlimit"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// tracedApp starts a server whose pool counts its round trips.
func tracedApp(t *testing.T) (*apptest.App, *dbtrace.Tracer) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(testdb.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	tr := &dbtrace.Tracer{}
	cfg.ConnConfig.Tracer = tr
	cfg.AfterConnect = store.AsRuntimeRole
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return apptest.NewOnPool(t, pool, web.Config{}), tr
}

// roundTrips is how many round trips one GET of path makes: the fewest of three, after two
// warm-up requests (the reference data, settings and units, the live listener and prepared
// statements are read once per instance or connection; a session's deadline is written back
// at most once a minute, which one of the three may do).
func roundTrips(t *testing.T, c *apptest.Client, tr *dbtrace.Tracer, path string) int64 {
	t.Helper()
	get := func() {
		var p *apptest.Page
		if path == "/borgere/soeg" { // a search is a POST
			p = c.Post(path, url.Values{"q": {"hansen"}})
		} else {
			p = c.Get(path)
		}
		if p.Status != 200 {
			t.Fatalf("%s: %d", path, p.Status)
		}
	}
	get()
	get()
	fewest := int64(-1)
	for range 3 {
		before := tr.RoundTrips()
		get()
		if n := tr.RoundTrips() - before; fewest < 0 || n < fewest {
			fewest = n
		}
	}
	return fewest
}

// TestCitizenOverviewRoundTrips holds the citizen overview, the commonest page, to a number of
// database round trips, session, user and the audit row of the read included
// (docs/benchmarks.md, "Round trips per page").
func TestCitizenOverviewRoundTrips(t *testing.T) {
	t.Parallel()
	app, tr := tracedApp(t)
	cw := app.User(t, "sb", "sagsbehandler", apptest.Jobcenter)
	id := app.Citizen(t, "0101901234", "Anna", "Hansen", apptest.Jobcenter, cw.ID)
	withPlan := app.Citizen(t, "0202902345", "Bo", "Jensen", apptest.Jobcenter, cw.ID)
	if err := app.Store.CreatePlan(t.Context(), store.Who{UserID: cw.ID, RequestID: "test"}, withPlan, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	cl := app.Login(t, "sb")
	// The first use of the copies in memory starts the live listener; until it listens they
	// are read through.
	cl.Get(paths.Citizen(id))
	testlimit.Eventually(t, 5*time.Second, "the live listener", app.Server.LiveListening)
	// Before: 23 (24 with a plan), 9 and 9; then 19, 19, 7 and 6 before the settings and units
	// were kept in memory; 16 and 16 before the overview's sections were one batch. What is
	// left of the overview: session, access relation, ViewCitizen's batch (with the audit
	// row), the sections' batch, the navigation counts (docs/benchmarks.md). The plan page: 13
	// before the citizen, the citizen's own ratings and comments were one batch and the
	// plan's read took its audit row into its batch. The caseload: 6 before its count joined
	// the page's statement.
	for _, c := range []struct {
		name, path string
		most       int64
	}{
		{"citizen overview", paths.Citizen(id), 5},
		{"citizen overview with a plan", paths.Citizen(withPlan), 5},
		{"plan", paths.Plan(withPlan), 8},
		{"caseload", "/borgere", 5},
		{"search", "/borgere/soeg", 5},
	} {
		n := roundTrips(t, cl, tr, c.path)
		t.Logf("%s: %d round trips", c.name, n)
		if n > c.most {
			t.Errorf("%s: %d round trips, want at most %d", c.name, n, c.most)
		}
		// The request log line says the same (what to read on a production server). It is
		// written when the handler returns, which a client may see the page before.
		want, count := "path="+c.path+" status=200", "db_round_trips="+strconv.FormatInt(n, 10)
		for i := 0; i < 100 && !logLineWith(app.Logs(), want, count); i++ {
			time.Sleep(10 * time.Millisecond)
		}
		if !logLineWith(app.Logs(), want, count) {
			t.Errorf("%s: no request log line with %s and db_round_trips=%d", c.name, want, n)
		}
	}
}

// logLineWith reports whether a line of logs holds both a and b.
func logLineWith(logs, a, b string) bool {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, a) && strings.Contains(l, b) {
			return true
		}
	}
	return false
}
