package pglocal

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The restore drill: a cluster archives its WAL; a base backup is taken; more work is done; a
// restore point is made just before a mistake (every row deleted); the server is lost. The
// database is rebuilt from the base backup and the archive up to the restore point: the work
// after the backup is there, the mistake is not.
func TestPointInTimeRestoreDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	base, err := os.MkdirTemp("", "helhed-pitr-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	if err := os.Chmod(base, 0o755); err != nil { // the server user works below it
		t.Fatal(err)
	}
	archive := filepath.Join(base, "archive")
	if err := PrepareDir(archive); err != nil {
		t.Fatal(err)
	}

	primary, err := Start(ctx, Options{Ephemeral: true, Settings: ArchiveSettings(archive)})
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Stop()
	conn, err := pgx.Connect(ctx, primary.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`CREATE TABLE work (n int PRIMARY KEY)`)
	exec(`INSERT INTO work SELECT generate_series(1, 100)`)
	backup := filepath.Join(base, "base")
	if err := primary.BaseBackup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	exec(`INSERT INTO work SELECT generate_series(101, 250)`) // after the backup: only in the archive
	exec(`SELECT pg_create_restore_point('foer-fejlen')`)
	exec(`DELETE FROM work`) // the mistake
	var segment string
	if err := conn.QueryRow(ctx, `SELECT pg_walfile_name(pg_switch_wal())`).Scan(&segment); err != nil {
		t.Fatal(err)
	}
	for { // the segment holding the mistake reaches the archive
		if _, err := os.Stat(filepath.Join(archive, segment)); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("WAL segment %s never reached the archive", segment)
		case <-time.After(50 * time.Millisecond):
		}
	}
	conn.Close(ctx)
	if err := primary.Kill(); err != nil { // the server is lost
		t.Fatal(err)
	}

	restored, err := Restore(ctx, backup, archive, RecoveryTarget{Name: "foer-fejlen"},
		Options{Ephemeral: true, DataDir: filepath.Join(base, "restored")})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Stop()
	rc, err := pgx.Connect(ctx, restored.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close(ctx)
	var n, max int
	if err := rc.QueryRow(ctx, `SELECT count(*), coalesce(max(n), 0) FROM work`).Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != 250 || max != 250 {
		t.Fatalf("restored to the point before the mistake: %d rows up to %d; want 250 up to 250", n, max)
	}
	// The restored server accepts writes: it was promoted at the target.
	if _, err := rc.Exec(ctx, `INSERT INTO work VALUES (251)`); err != nil {
		t.Fatalf("write after restore: %v", err)
	}
}
