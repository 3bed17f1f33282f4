package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/pglocal"
	"github.com/helhed/helhed/internal/seed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// Back up a seeded database and restore it into a fresh cluster: every table has the same
// row count and the same content checksum.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	src, dst := startCluster(t), startCluster(t)
	if err := migrations.Up(ctx, src.URL("helhed")); err != nil {
		t.Fatal(err)
	}
	pool, err := store.OpenPool(ctx, src.URL("helhed"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Demo(ctx, pool, seed.Options{Citizens: 200, Seed: 3, Today: time.Now()}); err != nil {
		t.Fatal(err)
	}
	pool.Close()

	file := filepath.Join(t.TempDir(), "helhed.dump")
	var out bytes.Buffer
	env := func(k string) string { return map[string]string{"DATABASE_URL": src.URL("helhed")}[k] }
	if err := run(ctx, []string{"backup", "--out", file}, env, &out, os.Stderr); err != nil {
		t.Fatal(err)
	}
	env = func(k string) string { return map[string]string{"DATABASE_URL": dst.URL("helhed")}[k] }
	if err := run(ctx, []string{"restore", "--in", file}, env, &out, os.Stderr); err != nil {
		t.Fatal(err)
	}

	a, b := checksums(t, src.URL("helhed")), checksums(t, dst.URL("helhed"))
	if len(a) < 10 {
		t.Fatalf("only %d tables checked", len(a))
	}
	for tbl, sum := range a {
		if b[tbl] != sum {
			t.Errorf("table %s differs after restore: %s vs %s", tbl, sum, b[tbl])
		}
	}
}

// startCluster starts a throwaway PostgreSQL cluster with an empty database "helhed", stopped
// when the test ends.
func startCluster(t *testing.T) *pglocal.Cluster {
	t.Helper()
	ctx := context.Background()
	c, err := pglocal.Start(ctx, pglocal.Options{Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE helhed`); err != nil {
		t.Fatal(err)
	}
	return c
}

// checksums returns "rows:md5" of every table's full content in a stable order.
func checksums(t *testing.T, url string) map[string]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tbl := range tables {
		var sum string
		// Table names come from the catalogue, quoted by the server; no user input.
		q := `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` + pgx.Identifier{tbl}.Sanitize() + ` t`
		if err := conn.QueryRow(ctx, q).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		out[tbl] = sum
	}
	return out
}
