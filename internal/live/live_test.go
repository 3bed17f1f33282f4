package live_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/testlimit"
)

func TestMain(m *testing.M) {
	os.Exit(testdb.Main(m, func(context.Context, string) error { return nil }))
}

const channel = "helhed_live"

func newHub(t *testing.T) (*live.Hub, *pgxpool.Pool) {
	t.Helper()
	pool, _ := testdb.New(t)
	h := live.NewHub(pool, channel, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(h.Close)
	return h, pool
}

func notify(t *testing.T, pool *pgxpool.Pool, topic string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `SELECT pg_notify($1, $2)`, channel, topic); err != nil {
		t.Fatal(err)
	}
}

// wait fails unless sub is woken within d, a limit for an idle machine scaled for this one
// (a NOTIFY that reaches the hub late on a loaded machine is slow, not lost).
func wait(t *testing.T, sub *live.Sub, d time.Duration, what string) {
	t.Helper()
	limit, desc := testlimit.Describe(d)
	select {
	case <-sub.C:
	case <-time.After(limit):
		t.Fatalf("%s: no wake-up within %s", what, desc)
	}
}

// quiet fails if sub is woken within d.
func quiet(t *testing.T, sub *live.Sub, d time.Duration, what string) {
	t.Helper()
	select {
	case <-sub.C:
		t.Fatalf("%s: woken, but should not be", what)
	case <-time.After(d):
	}
}

func TestTopicsWakeTheirSubscribersOnly(t *testing.T) {
	t.Parallel()
	h, pool := newHub(t)
	ctx := context.Background()
	a1, err := h.Subscribe(ctx, "meeting:1")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := h.Subscribe(ctx, "meeting:1")
	b, _ := h.Subscribe(ctx, "meeting:2")

	before, otherBefore := a1.Seq(), b.Seq()
	notify(t, pool, "meeting:1")
	wait(t, a1, time.Second, "first subscriber of meeting:1")
	wait(t, a2, time.Second, "second subscriber of meeting:1")
	quiet(t, b, 200*time.Millisecond, "subscriber of meeting:2")
	// Screens woken by the same change see the same sequence number (they share its render);
	// another topic's number does not move.
	if a1.Seq() <= before || a1.Seq() != a2.Seq() || b.Seq() != otherBefore {
		t.Errorf("Seq: before %d, after %d and %d; other topic %d → %d", before, a1.Seq(), a2.Seq(), otherBefore, b.Seq())
	}

	// A NOTIFY in a transaction that rolls back is never delivered.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, 'meeting:2')`, channel); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	quiet(t, b, 200*time.Millisecond, "after a rolled-back notify")

	// A closed subscription is not woken.
	a2.Close()
	notify(t, pool, "meeting:1")
	wait(t, a1, time.Second, "remaining subscriber")
	quiet(t, a2, 200*time.Millisecond, "closed subscriber")
}

func TestBurstsCoalesce(t *testing.T) {
	t.Parallel()
	h, pool := newHub(t)
	sub, err := h.Subscribe(context.Background(), "meeting:7")
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		notify(t, pool, "meeting:7")
	}
	wait(t, sub, time.Second, "burst")
	// Twenty notifications may arrive as one or a few wake-ups, never twenty queued ones.
	time.Sleep(200 * time.Millisecond)
	n := 0
	for len(sub.C) > 0 {
		<-sub.C
		n++
	}
	if n > 1 {
		t.Errorf("%d wake-ups still queued after a burst; want at most 1 (coalesced)", n)
	}
}

func TestReconnectWakesEveryone(t *testing.T) {
	t.Parallel()
	h, pool := newHub(t)
	ctx := context.Background()
	sub, err := h.Subscribe(ctx, "meeting:3")
	if err != nil {
		t.Fatal(err)
	}
	// Kill the listening connection, as a database restart or a network cut would.
	var killed int
	if err := pool.QueryRow(ctx, `
		SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity
		WHERE datname = current_database() AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()`).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed != 1 {
		t.Fatalf("terminated %d listening connections; want 1", killed)
	}
	// After reconnecting, the hub wakes every subscriber: notifications sent while it was
	// away are lost, so every screen re-renders the current state.
	wait(t, sub, 3*time.Second, "reconnect")
	notify(t, pool, "meeting:3")
	wait(t, sub, 2*time.Second, "notification after the reconnect")
}

func TestCloseEndsStreams(t *testing.T) {
	t.Parallel()
	h, _ := newHub(t)
	sub, err := h.Subscribe(context.Background(), "meeting:1")
	if err != nil {
		t.Fatal(err)
	}
	h.Close()
	select {
	case <-sub.Done():
	case <-time.After(testlimit.Scale(time.Second)):
		t.Fatal("Done not closed by Close")
	}
	if _, err := h.Subscribe(context.Background(), "meeting:1"); err == nil {
		t.Error("Subscribe on a closed hub succeeded")
	}
	h.Close() // idempotent
}
