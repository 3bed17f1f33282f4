package failover_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/dbtrace"
	"github.com/helhed/helhed/internal/pglocal"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/migrations"
)

// With READ_DATABASE_URL on a streaming standby, the management dashboards read their figures
// from the standby and say how old they may be; the audit row of an export is still written
// on the primary. Without one, the same page says its figures are live.
func TestDashboardsReadFromTheReplica(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	primary, err := pglocal.Start(ctx, pglocal.Options{Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Stop()
	conn, err := pgx.Connect(ctx, primary.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE helhed"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if err := migrations.Up(ctx, primary.URL("helhed")); err != nil {
		t.Fatal(err)
	}
	standby, err := pglocal.StartStandby(ctx, primary, pglocal.Options{Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Stop()

	pool, err := store.OpenPool(ctx, primary.URL("helhed"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	cfg, err := pgxpool.ParseConfig(standby.URL("helhed"))
	if err != nil {
		t.Fatal(err)
	}
	tr := &dbtrace.Tracer{}
	cfg.ConnConfig.Tracer = tr
	cfg.AfterConnect = store.AsRuntimeRole
	replica, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()

	app := apptest.NewOnPool(t, pool, web.Config{})
	cw := app.User(t, "sb", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	app.Citizen(t, "010180-1234", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	if _, err := app.Store.RefreshManagement(ctx); err != nil {
		t.Fatal(err)
	}
	leader := app.Login(t, "leder")
	scope := func() string {
		t.Helper()
		p := leader.Get("/ledelse/risiko")
		if p.Status != 200 {
			t.Fatalf("risk dashboard: %d", p.Status)
		}
		return p.Text(".management-scope")
	}
	if got := scope(); !strings.Contains(got, "Tallene er") || strings.Contains(got, "kopi") {
		t.Fatalf("without a replica the page should not speak of a copy: %q", got)
	}

	app.Server.UseReadReplica(store.New(replica))
	// The standby has replayed the fixture's transactions once it has the primary's position.
	var want string
	if err := pool.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "the standby to replay the fixture", func() bool {
		var ok bool
		return replica.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, want).Scan(&ok) == nil && ok
	})
	before := tr.RoundTrips()
	got := scope()
	if !strings.Contains(got, "Tallene er læst fra en kopi af databasen og kan mangle ændringer fra ") {
		t.Fatalf("with a replica the page should say how old its figures may be: %q", got)
	}
	if n := tr.RoundTrips() - before; n < 2 {
		t.Fatalf("the dashboard made %d round trips on the replica; want its figures and its age from there", n)
	}
	t.Logf("scope line: %s", got)
	// The caseloads' rettidighed is a management view too: read there, and the page says both
	// when it was refreshed and that the figures come from a copy.
	if p := leader.Get("/ledelse/sagsstammer"); p.Status != 200 || !strings.Contains(p.Text(".management-scope"), "Rettidigheden er opdateret ") ||
		!strings.Contains(p.Text(".management-scope"), "kopi") {
		t.Fatalf("caseloads on the replica: %d %q", p.Status, p.Text(".management-scope"))
	}

	// An export reads the replica and audits on the primary.
	var audits int
	count := func() int {
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1`, store.AuditManagementExport).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		return audits
	}
	n0 := count()
	if p := leader.Get("/ledelse/risiko.csv"); p.Status != 200 {
		t.Fatalf("export: %d %s", p.Status, p.Body)
	}
	if count() != n0+1 {
		t.Fatal("the export was not audited on the primary")
	}
}
