// Package apptest starts a real Helhed server on a fresh, migrated database for handler and
// browser tests, with fixtures for units, users and citizens and an HTTP client with a cookie
// jar that drives the app the way a browser does.
package apptest

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// Password is every fixture user's password.
const Password = "korrekt-hest-batteri-1"

// fastHash keeps fixture users cheap to create and to log in; production uses password.Default.
var fastHash = password.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32}

// Unit names of the standard fixture units.
const (
	Jobcenter  = "Jobcenter Test"
	Jobcenter2 = "Jobcenter Nabo"
	Health     = "Sundhedscenter Test"
	Social     = "Socialforvaltning Test"
	Region     = "Region Test"
	Admin      = "IT Test"
)

// App is a running server on its own database.
type App struct {
	URL    string
	Store  *store.Store
	Pool   *pgxpool.Pool
	Server *web.Server
	Units  map[string]int64
	logs   *syncBuffer
}

// syncBuffer collects the server's log lines for assertions (no CPR in logs).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Logs returns everything the server logged so far.
func (a *App) Logs() string { return a.logs.String() }

// allLogs collects the log output of every app this test binary started, so TestMain can
// check after the whole run that no CPR number reached a log line.
var allLogs syncBuffer

// AllLogs returns the log output of every app started in this test binary.
func AllLogs() string { return allLogs.String() }

// teeWriter writes to the app's own buffer and to allLogs.
type teeWriter struct{ a, b *syncBuffer }

func (t teeWriter) Write(p []byte) (int, error) {
	_, _ = t.b.Write(p)
	return t.a.Write(p)
}

// New starts a server with cfg on a fresh database with the standard units.
func New(t testing.TB, cfg web.Config) *App {
	t.Helper()
	pool, _ := testdb.New(t)
	return NewOnPool(t, pool, cfg)
}

// NewOnPool starts a server on an existing pool (two instances on one database).
func NewOnPool(t testing.TB, pool *pgxpool.Pool, cfg web.Config) *App {
	t.Helper()
	return NewOnPoolAt(t, pool, func(string) web.Config { return cfg })
}

// NewOnPoolAt starts a server on an existing pool with the configuration cfg returns for the
// server's own URL (a callback registered at an identity provider needs it).
func NewOnPoolAt(t testing.TB, pool *pgxpool.Pool, cfg func(url string) web.Config) *App {
	t.Helper()
	st := store.New(pool)
	logs := &syncBuffer{}
	ts := httptest.NewUnstartedServer(nil)
	srv := web.New(st, slog.New(slog.NewTextHandler(teeWriter{logs, &allLogs}, nil)), cfg("http://"+ts.Listener.Addr().String()))
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close) // runs first: ends board streams so ts.Close does not wait for them
	a := &App{URL: ts.URL, Store: st, Pool: pool, Server: srv, Units: map[string]int64{}, logs: logs}
	a.ensureUnits(t)
	return a
}

func (a *App) ensureUnits(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	for name, kind := range map[string]string{Jobcenter: "jobcenter", Jobcenter2: "jobcenter", Health: "sundhedscenter",
		Social: "socialforvaltning", Region: "region", Admin: "administration"} {
		var id int64
		err := a.Pool.QueryRow(ctx, `
			INSERT INTO units (name, kind) VALUES ($1, $2)
			ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind RETURNING id`, name, kind).Scan(&id)
		if err != nil {
			t.Fatalf("create unit %s: %v", name, err)
		}
		a.Units[name] = id
	}
}

// User creates a user with role in unit; the password is Password.
func (a *App) User(t testing.TB, username, role, unit string) store.User {
	t.Helper()
	hash, err := password.Hash(Password, fastHash)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Store.CreateUser(context.Background(), store.Who{RequestID: "test"}, store.NewUser{
		Username: username, Name: "Test " + username, UnitID: a.Units[unit], Role: role, PasswordHash: hash})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	u, err := a.Store.UserByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Citizen creates a citizen in unit with caseworker (0 = none) and returns its id.
func (a *App) Citizen(t testing.TB, cpr, first, last, unit string, caseworkerID int64) int64 {
	t.Helper()
	c, err := helhed.ParseCPR(cpr)
	if err != nil {
		t.Fatalf("fixture CPR %s: %v", cpr, err)
	}
	id, err := a.Store.CreateCitizen(context.Background(), store.Who{RequestID: "test"}, a.Units[unit], store.CitizenInput{
		CPR: c, FirstName: first, LastName: last, CaseworkerID: caseworkerID})
	if err != nil {
		t.Fatalf("create citizen: %v", err)
	}
	start := time.Now().AddDate(0, -7, 0)
	if _, err := a.Store.AddBenefitPeriod(context.Background(), store.Who{RequestID: "test"},
		store.BenefitPeriod{CitizenID: id, BenefitCode: "kontanthjaelp", StartDate: start}); err != nil {
		t.Fatal(err)
	}
	return id
}

// AuditCount counts audit rows with action about citizen (0 = any citizen): rows naming the
// citizen and list views that showed them.
func (a *App) AuditCount(t testing.TB, action string, citizenID int64) int {
	t.Helper()
	var n int
	err := a.Pool.QueryRow(context.Background(), `
		SELECT count(*) FROM audit_events
		WHERE action = $1 AND ($2::bigint = 0 OR citizen_id = $2 OR citizen_ids @> ARRAY[$2::bigint])`, action, citizenID).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Offer creates an active catalogue offer of unit aimed at the risk groups and KRAMS factors.
func (a *App) Offer(t testing.TB, name, unit string, risk, krams []string) int64 {
	t.Helper()
	id, err := a.Store.CreateOffer(context.Background(), store.Who{RequestID: "test"}, store.OfferInput{
		Name: name, Description: "Et forløb", Opgavetype: "ot06", ProviderUnitID: a.Units[unit],
		TargetRisk: risk, KRAMS: krams, Capacity: 10})
	if err != nil {
		t.Fatalf("create offer %s: %v", name, err)
	}
	return id
}
