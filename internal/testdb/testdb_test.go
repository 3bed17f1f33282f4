package testdb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestMain migrates the template with a tiny schema plus a seed row, the
// way real packages pass their migrations.
func TestMain(m *testing.M) {
	os.Exit(Main(m, func(ctx context.Context, databaseURL string) error {
		conn, err := pgx.Connect(ctx, databaseURL)
		if err != nil {
			return err
		}
		// Deliberately not closed: Main must cope with setups that leak
		// connections to the template.
		_, err = conn.Exec(ctx, `
			CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);
			INSERT INTO notes VALUES (0, 'seed');`)
		return err
	}))
}

// TestParallelDatabasesAreIsolated runs two parallel tests that both insert
// and then, once both have inserted, check they see only their own row.
func TestParallelDatabasesAreIsolated(t *testing.T) {
	var inserted sync.WaitGroup
	inserted.Add(2)
	for i, who := range []string{"alice", "bob"} {
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			var once sync.Once
			done := func() { once.Do(inserted.Done) }
			defer done() // never leave the other test waiting on a failure

			pool, _ := New(t)
			ctx := context.Background()
			if _, err := pool.Exec(ctx, "INSERT INTO notes VALUES ($1, $2)", i+1, who); err != nil {
				t.Fatal(err)
			}
			done()
			waitTimeout(t, &inserted, 30*time.Second)

			rows, err := pool.Query(ctx, "SELECT body FROM notes ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			bodies, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(bodies, ","), "seed,"+who; got != want {
				t.Errorf("rows = %s, want %s (the other test's insert must not be visible)", got, want)
			}
		})
	}
}

func waitTimeout(t *testing.T, wg *sync.WaitGroup, d time.Duration) {
	t.Helper()
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatal("timed out waiting for the other test")
	}
}

// TestManyParallelClones stresses the clone mutex and connection limits.
func TestManyParallelClones(t *testing.T) {
	for i := range 12 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			pool, _ := New(t)
			var n int
			if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM notes").Scan(&n); err != nil || n != 1 {
				t.Fatalf("count = %d, %v; want the seed row only", n, err)
			}
		})
	}
}

// TestNewURLDropsDatabase checks that the database is gone after the test,
// even when the test leaves its own connection open.
func TestNewURLDropsDatabase(t *testing.T) {
	var name string
	t.Run("inner", func(t *testing.T) {
		u := NewURL(t)
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		name = strings.TrimPrefix(parsed.Path, "/")
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		_ = conn // left open on purpose
	})
	var exists bool
	err := admin.QueryRow(context.Background(),
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil || exists {
		t.Fatalf("database %q still exists=%v after cleanup (err %v)", name, exists, err)
	}
}

func TestTemplateIsLocked(t *testing.T) {
	conn, err := pgx.Connect(context.Background(), Cluster().URL(TemplateName))
	if err == nil {
		conn.Close(context.Background())
		t.Fatal("connecting to the template should be refused")
	}
}

func TestDBName(t *testing.T) {
	for in, wantPrefix := range map[string]string{
		"TestFoo/sub_test#01":   "t_testfoo_sub_test_01_",
		"Test/æøå Ærø":          "t_test_r_",
		strings.Repeat("x", 99): "t_" + strings.Repeat("x", 40) + "_",
	} {
		got := dbName(in)
		if !strings.HasPrefix(got, wantPrefix) || len(got) > 63 {
			t.Errorf("dbName(%q) = %q, want prefix %q and <= 63 bytes", in, got, wantPrefix)
		}
	}
}
