package failover_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/pglocal"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// writer creates citizens through the store as fast as it can and keeps the ids whose
// creation the store acknowledged (returned without error). A failed write is retried with
// a new citizen after a short pause, as a user would press the button again.
type writer struct {
	st   *store.Store
	unit int64

	mu       sync.Mutex
	acked    []int64
	failures int
	lastAck  time.Time
}

func (w *writer) run(ctx context.Context) {
	r := rand.New(rand.NewPCG(7, 7))
	from, to := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2004, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := 0; ctx.Err() == nil; i++ {
		id, err := w.st.CreateCitizen(ctx, store.Who{RequestID: "failover"}, w.unit, store.CitizenInput{
			CPR: helhed.FictitiousCPR(r, from, to), FirstName: "Skriver", LastName: fmt.Sprintf("Nr %d", i)})
		w.mu.Lock()
		if err == nil {
			w.acked = append(w.acked, id)
			w.lastAck = time.Now()
		} else if ctx.Err() == nil {
			w.failures++
		}
		w.mu.Unlock()
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
}

func (w *writer) state() (acked int, failures int, lastAck time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.acked), w.failures, w.lastAck
}

// waitFor polls cond every 20 ms until it holds or ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The primary is killed (SIGKILL, as a crash) while a writer runs, and the synchronous hot
// standby is promoted. The application's pool, given both servers in one URL, reconnects to
// the new primary without a restart; every write acknowledged before the crash is there; the
// audit chain is intact; the live-update listener reconnects and delivers notifications.
func TestFailoverLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two PostgreSQL servers")
	}
	// Generous: pg_basebackup and two server starts on a busy machine.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	primary, err := pglocal.Start(ctx, pglocal.Options{Ephemeral: true, Settings: map[string]string{
		"synchronous_commit": "on", // the test clusters' default is off
	}})
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
	if in, err := standby.InRecovery(ctx); err != nil || !in {
		t.Fatalf("standby in recovery: %v, %v; want true", in, err)
	}
	// Now that there is a standby, a commit returns only once the standby has flushed its WAL.
	// (Set before it exists, every commit would wait for it.)
	pc, err := pgx.Connect(ctx, primary.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Exec(ctx, `ALTER SYSTEM SET synchronous_standby_names = '*'`); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Exec(ctx, `SELECT pg_reload_conf()`); err != nil {
		t.Fatal(err)
	}
	pc.Close(ctx)
	waitFor(ctx, t, "the standby to replicate synchronously", func() bool {
		c, err := pgx.Connect(ctx, primary.URL("postgres"))
		if err != nil {
			return false
		}
		defer c.Close(ctx)
		var n int
		_ = c.QueryRow(ctx, `SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync' AND state = 'streaming'`).Scan(&n)
		return n == 1
	})

	// Both servers in one URL: libpq's and pgx's multi-host form. target_session_attrs makes a
	// new connection skip a server that is down or read-only, so the pool finds whichever is
	// the primary now.
	dbURL := (&url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/helhed",
		Host:     fmt.Sprintf("127.0.0.1:%d,127.0.0.1:%d", primary.Port(), standby.Port()),
		RawQuery: "sslmode=disable&target_session_attrs=read-write&connect_timeout=2"}).String()
	pool, err := store.OpenPool(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	unit, err := st.CreateUnit(ctx, store.Who{RequestID: "failover"}, "Jobcenter Failover", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}

	hub := live.NewHub(pool, store.LiveChannel, slog.New(slog.DiscardHandler))
	defer hub.Close()
	sub, err := hub.Subscribe(ctx, "meeting:1")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	w := &writer{st: st, unit: unit}
	wctx, stopWriter := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); w.run(wctx) }()
	defer func() { stopWriter(); <-done }()
	waitFor(ctx, t, "100 acknowledged writes on the primary", func() bool { n, _, _ := w.state(); return n >= 100 })

	if err := primary.Kill(); err != nil {
		t.Fatal(err)
	}
	waitFor(ctx, t, "the writer to notice the primary is gone", func() bool { _, f, _ := w.state(); return f > 0 })
	atKill, _, _ := w.state()

	if err := standby.Promote(ctx); err != nil {
		t.Fatal(err)
	}
	promoted := time.Now()
	waitFor(ctx, t, "writes to succeed on the promoted standby", func() bool { n, _, _ := w.state(); return n > atKill })
	_, _, first := w.state()
	serving := first.Sub(promoted)
	waitFor(ctx, t, "100 more writes", func() bool { n, _, _ := w.state(); return n >= atKill+100 })
	stopWriter()
	<-done
	acked, failures, _ := w.state()
	t.Logf("%d writes acknowledged (%d before the crash), %d failed during the failover; serving again %v after promotion",
		acked, atKill, failures, serving.Round(time.Millisecond))
	// The target is 10 s; the bound only catches a pool that never comes back on its own
	// (it would wait for the whole timeout), not a slow machine.
	if serving > time.Minute {
		t.Errorf("writes resumed %v after promotion", serving)
	}

	// Every acknowledged write is on the new primary, read there directly.
	nc, err := pgx.Connect(ctx, standby.URL("helhed"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close(ctx)
	var found int
	if err := nc.QueryRow(ctx, `SELECT count(*) FROM citizens WHERE id = ANY($1)`, w.acked).Scan(&found); err != nil {
		t.Fatal(err)
	}
	if found != acked {
		t.Fatalf("%d of %d acknowledged citizens are on the promoted standby: %d writes lost", found, acked, acked-found)
	}
	check, err := st.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if check.Broken != nil {
		t.Fatalf("audit chain broken after failover at seq %d: %s", check.Broken.Seq, check.Broken.Reason)
	}

	// Live updates: the listener lost its connection with the primary and reconnects through
	// the same pool. Its reconnect wakes every subscriber once (notifications may have been
	// missed), so one wake-up proves nothing; two rounds in a row, each a notification sent on
	// the new primary and received, do.
	drain := func() {
		for {
			select {
			case <-sub.C:
			default:
				return
			}
		}
	}
	inARow := 0
	waitFor(ctx, t, "live notifications on the new primary", func() bool {
		drain()
		if _, err := nc.Exec(ctx, `SELECT pg_notify($1, 'meeting:1')`, store.LiveChannel); err != nil {
			t.Fatal(err)
		}
		select {
		case <-sub.C:
			inARow++
		case <-time.After(500 * time.Millisecond):
			inARow = 0
		}
		return inARow == 2
	})
}
