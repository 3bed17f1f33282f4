package web

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// A request that changes nothing in the session moves its deadline without a write for up to
// a minute; a change of data, a bigger move, or a delete in between is always written.
func TestSessionStoreSkipsOnlyIdleTouches(t *testing.T) {
	pool, _ := testdb.New(t)
	s := newSessionStore(store.New(pool), 30*time.Minute, 0) // slack: one minute
	ctx := context.Background()
	stored := func() time.Time {
		t.Helper()
		var e time.Time
		if err := pool.QueryRow(ctx, `SELECT expiry FROM sessions WHERE token = 'tok'`).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	t0 := time.Now().Add(30 * time.Minute).Truncate(time.Millisecond)
	if err := s.Commit("tok", []byte("data"), t0); err != nil {
		t.Fatal(err)
	}
	// Same data, deadline 30 s later: skipped.
	if err := s.Commit("tok", []byte("data"), t0.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := stored(); !got.Equal(t0) {
		t.Fatalf("an idle touch within a minute was written: expiry %v, want %v", got, t0)
	}
	// Same data, deadline more than a minute later: written.
	t1 := t0.Add(90 * time.Second)
	if err := s.Commit("tok", []byte("data"), t1); err != nil {
		t.Fatal(err)
	}
	if got := stored(); !got.Equal(t1) {
		t.Fatalf("a touch after a minute was skipped: expiry %v, want %v", got, t1)
	}
	// Changed data: written at once, whatever the deadline.
	if err := s.Commit("tok", []byte("flash"), t1); err != nil {
		t.Fatal(err)
	}
	if b, found, err := s.Find("tok"); err != nil || !found || string(b) != "flash" {
		t.Fatalf("changed data not written: %q %v %v", b, found, err)
	}
	// An earlier deadline (the absolute lifetime) is written too.
	if err := s.Commit("tok", []byte("flash"), t1.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := stored(); !got.Equal(t1.Add(-time.Second)) {
		t.Fatalf("an earlier deadline was skipped: %v", got)
	}
	// After a delete (logout), the next commit writes again rather than trust the record.
	if err := s.Delete("tok"); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit("tok", []byte("flash"), t1); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.Find("tok"); err != nil || !found {
		t.Fatalf("commit after delete not written: %v %v", found, err)
	}
}

// With a short idle timeout the slack shrinks with it, so an active user is never logged out.
func TestSessionStoreSlackFollowsIdleTimeout(t *testing.T) {
	for idle, want := range map[time.Duration]time.Duration{30 * time.Minute: time.Minute, 5 * time.Minute: 30 * time.Second, time.Second: 100 * time.Millisecond} {
		if got := newSessionStore(nil, idle, 0).slack; got != want {
			t.Errorf("idle %v: slack %v; want %v", idle, got, want)
		}
	}
}
