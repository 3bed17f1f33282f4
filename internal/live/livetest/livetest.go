// Package livetest gives tests a live.Hub whose connection they can cut and keep down, as a
// database restart or a network cut would, to see what depends on it do without it.
package livetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/testlimit"
)

// Hub is a live.Hub on a pool of its own.
type Hub struct {
	*live.Hub
	url  string
	name string // the pool's application_name, by which Cut finds its connection
	down atomic.Bool
}

var hubs atomic.Int64

// New makes a hub listening on channel of the database at databaseURL (a superuser's, as
// testdb gives: Cut terminates a connection). Close runs in t.Cleanup.
func New(t testing.TB, databaseURL, channel string) *Hub {
	t.Helper()
	h := &Hub{url: databaseURL, name: fmt.Sprintf("livetest-%d", hubs.Add(1))}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = h.name
	cfg.BeforeConnect = func(context.Context, *pgx.ConnConfig) error {
		if h.down.Load() {
			return errors.New("livetest: the connection is cut")
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	h.Hub = live.NewHub(pool, channel, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(h.Hub.Close) // runs first
	return h
}

// WaitListening returns once the hub listens (after its first subscription, or Restore).
func (h *Hub) WaitListening(t testing.TB) {
	t.Helper()
	h.waitFor(t, true)
}

// Cut terminates the hub's listening connection and refuses it a new one until Restore. It
// returns once the hub knows it is not listening.
func (h *Hub) Cut(t testing.TB) {
	t.Helper()
	h.down.Store(true)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, h.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `
		SELECT count(pg_terminate_backend(pid))::int FROM pg_stat_activity WHERE application_name = $1`, h.name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("livetest: terminated %d connections of the hub; want its one listening connection", n)
	}
	h.waitFor(t, false)
}

// Restore lets the hub connect again and returns once it listens.
func (h *Hub) Restore(t testing.TB) {
	t.Helper()
	h.down.Store(false)
	h.waitFor(t, true)
}

// waitFor polls until Listening is want, for at most 10 s scaled for the machine's load (the
// hub's pause between reconnects grows to 5 s).
func (h *Hub) waitFor(t testing.TB, want bool) {
	t.Helper()
	testlimit.Eventually(t, 10*time.Second, fmt.Sprintf("livetest: hub listening = %v", want),
		func() bool { return h.Listening() == want })
}
