// Package testdb gives every test its own PostgreSQL database, cheaply.
//
// One ephemeral cluster (internal/pglocal) is started per test binary by
// Main. Main creates the database "template_helhed" and runs the caller's
// setup (migrations) on it once; New and NewURL then clone it with
// CREATE DATABASE ... TEMPLATE, which copies files instead of replaying
// migrations, so each test starts from an identical, migrated, private
// database and tests can run with t.Parallel().
//
// Usage:
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m, migrateUp)) }
//
//	func TestSomething(t *testing.T) {
//		t.Parallel()
//		pool, _ := testdb.New(t)
//		...
//	}
//
// Requires PostgreSQL 13+ server binaries (DROP DATABASE ... WITH (FORCE)).
// There is deliberately no skip when they are missing: a test suite that
// silently skips its database tests looks green while testing nothing.
package testdb

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/pglocal"
)

// TemplateName is the migrated database every test database is cloned from.
const TemplateName = "template_helhed"

// maxConnsPerTest keeps per-test pools small: max_connections is 200 and
// many tests run in parallel on small CI machines.
const maxConnsPerTest = 8

var (
	cluster      *pglocal.Cluster
	afterConnect func(context.Context, *pgx.Conn) error // from AfterConnect; nil: none
	admin        *pgxpool.Pool                          // on the "postgres" database, for CREATE/DROP DATABASE

	// cloneMu serialises CREATE DATABASE ... TEMPLATE: PostgreSQL refuses
	// to clone a template while another session (including a concurrent
	// clone) is using it ("source database is being accessed by other
	// users").
	cloneMu sync.Mutex
	seq     atomic.Int64 // makes database names unique
)

// Main is called from TestMain: it starts one ephemeral cluster, creates
// the database "template_helhed", runs setup(ctx, url) on it (the caller
// passes the migrations; nil means an empty template), marks it as a
// template, runs the tests and stops the cluster (opts: see AfterConnect). It returns the exit code
// for os.Exit. It never skips: without PostgreSQL binaries it prints why
// and returns 1.
//
// Stop runs in a defer; if a test panics (which kills the process from the
// test's goroutine, bypassing defers) pglocal's watchdog stops the cluster
// and removes its directory instead.
func Main(m *testing.M, setup func(ctx context.Context, databaseURL string) error, opts ...Option) (code int) {
	for _, o := range opts {
		o()
	}
	if !flag.Parsed() {
		flag.Parse() // so testing.Verbose works before m.Run
	}
	if _, err := pglocal.FindBinaries(); err != nil {
		fmt.Fprintf(os.Stderr, "testdb: cannot run database tests: %v\n", err)
		return 1
	}
	var logger *slog.Logger
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil)).With("pkg", "testdb")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := pglocal.Start(ctx, pglocal.Options{
		Ephemeral: true,
		Logger:    logger,
		Settings:  map[string]string{"max_connections": "200"},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdb: start PostgreSQL: %v\n", err)
		return 1
	}
	defer func() {
		if err := c.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "testdb: stop PostgreSQL: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}()

	if err := createTemplate(ctx, c, setup); err != nil {
		fmt.Fprintf(os.Stderr, "testdb: %v\n", err)
		return 1
	}
	cfg, err := pgxpool.ParseConfig(c.URL("postgres"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdb: %v\n", err)
		return 1
	}
	cfg.MaxConns = 4
	if admin, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "testdb: connect: %v\n", err)
		return 1
	}
	defer admin.Close() // runs before c.Stop (defers are LIFO)
	cluster = c
	cancel() // the timeout was for setup only; tests have their own
	return m.Run()
}

// Option configures Main.
type Option func()

// AfterConnect runs fn on every connection of the pools New returns, e.g. to make them work
// as the application's database role (SET ROLE) so that tests have exactly its rights. The
// URLs stay the superuser's, for tests that need to do what the application may not.
func AfterConnect(fn func(context.Context, *pgx.Conn) error) Option {
	return func() { afterConnect = fn }
}

// createTemplate creates and migrates the template database.
func createTemplate(ctx context.Context, c *pglocal.Cluster, setup func(context.Context, string) error) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident(TemplateName)); err != nil {
		return fmt.Errorf("create %s: %w", TemplateName, err)
	}
	if setup != nil {
		if err := setup(ctx, c.URL(TemplateName)); err != nil {
			return fmt.Errorf("setup of %s failed: %w", TemplateName, err)
		}
	}
	// A connection that setup forgot to close would make every clone fail,
	// so end them; then forbid new ones so no test can modify the template.
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident(TemplateName)+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("mark %s as template: %w", TemplateName, err)
	}
	_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", TemplateName)
	return err
}

// Cluster returns the cluster started by Main (nil outside Main), e.g. for
// tests that need the URL of the "postgres" database.
func Cluster() *pglocal.Cluster { return cluster }

// NewURL creates a fresh database cloned from the template, registers its
// removal with t.Cleanup and returns its URL. It is for tests that open
// their own connections (e.g. two app instances); the cleanup drops the
// database WITH (FORCE), so connections left open do not block it.
func NewURL(t testing.TB) string {
	t.Helper()
	if cluster == nil {
		t.Fatal("testdb: no cluster running; call os.Exit(testdb.Main(m, setup)) from TestMain")
	}
	name := dbName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	cloneMu.Lock()
	_, err := admin.Exec(ctx, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(TemplateName))
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// t.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	return cluster.URL(name)
}

// New returns a small pool (MaxConns 8) on a fresh database cloned from the
// template, and the database's URL (the superuser's). The pool's connections
// run Main's AfterConnect option, if given. The pool is closed and the database
// dropped in t.Cleanup.
func New(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	url := NewURL(t)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	cfg.MaxConns = maxConnsPerTest
	cfg.AfterConnect = afterConnect
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	t.Cleanup(pool.Close) // registered after the drop, so it runs before it
	return pool, url
}

// dbName turns a test name into a unique, valid database name: lower-case
// letters, digits and underscores, within PostgreSQL's 63-byte limit.
func dbName(testName string) string {
	var b strings.Builder
	lastUnderscore := false
	for _, r := range strings.ToLower(testName) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		if !ok {
			if lastUnderscore {
				continue
			}
			r = '_'
		}
		b.WriteRune(r)
		lastUnderscore = r == '_'
	}
	s := strings.Trim(b.String(), "_")
	if len(s) > 40 {
		s = s[:40]
	}
	return fmt.Sprintf("t_%s_%d", s, seq.Add(1))
}

// ident quotes a SQL identifier.
func ident(name string) string {
	return pgx.Identifier{name}.Sanitize()
}
