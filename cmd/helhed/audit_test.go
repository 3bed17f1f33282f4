package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// `helhed audit verify` walks the audit chain: it passes on an intact log, names the first
// row a superuser changed behind the triggers' back and fails (a non-zero exit), and fails
// when a head noted earlier is no longer in the chain.
func TestAuditVerifyCommand(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t)
	url := c.URL("helhed")
	if err := migrations.Up(ctx, url); err != nil {
		t.Fatal(err)
	}
	pool, err := store.OpenPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	for range 10 {
		if err := st.Audit(ctx, store.Who{RequestID: "test"}, 7, store.AuditCitizenView, "borgeroverblik"); err != nil {
			t.Fatal(err)
		}
	}
	env := func(k string) string { return map[string]string{"DATABASE_URL": url}[k] }
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify"}, env, &out, os.Stderr); err != nil || !strings.Contains(out.String(), "kæde er hel") {
		t.Fatalf("intact log: %v, %q", err, out.String())
	}
	head, err := st.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "-head", head.String()}, env, &out, os.Stderr); err != nil {
		t.Fatalf("the current head: %v, %q", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"audit", "verify", "-head", "11:" + strings.Repeat("ab", 32)}, env, &out, os.Stderr); err == nil {
		t.Fatalf("a head beyond the chain passed: %q", out.String())
	}

	var victim int64
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, `SELECT id FROM audit_events WHERE seq = 4`).Scan(&victim); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`ALTER TABLE audit_events DISABLE TRIGGER USER`,
		`UPDATE audit_events SET citizen_id = 8 WHERE seq = 4`, `ALTER TABLE audit_events ENABLE TRIGGER USER`} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	out.Reset()
	err = run(ctx, []string{"audit", "verify"}, env, &out, os.Stderr)
	if err == nil || !strings.Contains(out.String(), "id "+strconv.FormatInt(victim, 10)) {
		t.Fatalf("tampered row %d: %v, %q", victim, err, out.String())
	}
}

// The server's seal job puts audited requests' rows into the chain in the background, and the
// shutdown seals what the last requests wrote.
func TestAuditSealJob(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t)
	url := c.URL("helhed")
	if err := migrations.Up(ctx, url); err != nil {
		t.Fatal(err)
	}
	pool, err := store.OpenPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	unsealed := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE seq IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	write := func(n int) {
		for range n {
			if err := st.Audit(ctx, store.Who{RequestID: "test"}, 7, store.AuditCitizenView, "borgeroverblik"); err != nil {
				t.Fatal(err)
			}
		}
	}

	write(5)
	jobCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { sealAudit(jobCtx, st, log, 20*time.Millisecond); close(done) }()
	for i := 0; unsealed() > 0; i++ {
		if i == 500 {
			t.Fatalf("%d rows still unsealed while the job runs", unsealed())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	<-done

	write(3)
	if n := unsealed(); n != 3 {
		t.Fatalf("unsealed rows with the job stopped: %d, want 3", n)
	}
	sealAuditAtShutdown(st, log)
	if n := unsealed(); n != 0 {
		t.Fatalf("unsealed rows after the shutdown's seal: %d", n)
	}
	if c, err := st.VerifyAudit(ctx); err != nil || c.Broken != nil || c.Rows != 8 {
		t.Fatalf("chain after the job: %+v, %v", c, err)
	}
}
