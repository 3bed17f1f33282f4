package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

var limits = store.LoginLimits{FreeFailures: 5, Delay: 30 * time.Second, MaxDelay: 5 * time.Minute,
	IPWindow: 15 * time.Minute, MaxPerIP: 50}

// The documented schedule: five free failures, then 30 s doubling per failure, at most 5 min.
func TestLoginLimitsWait(t *testing.T) {
	for failures, want := range map[int]time.Duration{
		0: 0, 4: 0, 5: 30 * time.Second, 6: time.Minute, 7: 2 * time.Minute, 8: 4 * time.Minute,
		9: 5 * time.Minute, 10: 5 * time.Minute, 1000: 5 * time.Minute,
	} {
		if got := limits.Wait(failures); got != want {
			t.Errorf("Wait(%d) = %v; want %v", failures, got, want)
		}
	}
}

// Two app instances on one database, thirty attempts on one account at once: at most five
// are let through to a password check, and each of those is already counted.
func TestBeginLoginIsAtomic(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	instances := []*store.Store{store.New(pool), store.New(pool)}
	ctx := context.Background()
	const attempts = 30
	waits := make([]time.Duration, attempts)
	errs := make([]error, attempts)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range attempts {
		wg.Go(func() {
			<-start
			waits[i], errs[i] = instances[i%2].BeginLogin(ctx, who, "cw", "203.0.113.7", limits)
		})
	}
	close(start)
	wg.Wait()
	var allowed int
	for i := range attempts {
		if errs[i] != nil {
			t.Fatalf("attempt %d: %v", i, errs[i])
		}
		if waits[i] == 0 {
			allowed++
		}
	}
	if allowed != limits.FreeFailures {
		t.Fatalf("%d of %d concurrent attempts allowed; want %d", allowed, attempts, limits.FreeFailures)
	}
	var counted, throttled int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE username = 'cw'`).Scan(&counted); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1`, store.AuditLoginThrottle).Scan(&throttled); err != nil {
		t.Fatal(err)
	}
	if counted != limits.FreeFailures || throttled != attempts-limits.FreeFailures {
		t.Fatalf("%d failures counted, %d refusals audited; want %d and %d", counted, throttled, limits.FreeFailures, attempts-limits.FreeFailures)
	}
}

// Refused attempts never count, the wait runs from the last counted failure, and a success
// clears the account's count (not other accounts').
func TestBeginLoginWaitsAndClears(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	ctx := context.Background()
	begin := func(user, ip string) time.Duration {
		t.Helper()
		w, err := st.BeginLogin(ctx, who, user, ip, limits)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	for range 5 {
		if w := begin("cw", "203.0.113.7"); w != 0 {
			t.Fatalf("free attempt refused: wait %v", w)
		}
	}
	if w := begin("other", "203.0.113.7"); w != 0 {
		t.Fatalf("another account is held up: wait %v", w)
	}
	now = now.Add(10 * time.Second)
	for range 3 { // refused; must not move the wait
		if w := begin("cw", "198.51.100.1"); w != 20*time.Second {
			t.Fatalf("wait = %v; want the 20 s left of 30 s", w)
		}
	}
	now = now.Add(20 * time.Second)
	if w := begin("cw", "198.51.100.1"); w != 0 {
		t.Fatalf("after the delay: wait %v", w)
	}
	if w := begin("cw", "198.51.100.1"); w != time.Minute {
		t.Fatalf("after the sixth failure: wait %v; want 1m", w)
	}
	if err := st.RecordLoginSuccess(ctx, who, "cw"); err != nil {
		t.Fatal(err)
	}
	if w := begin("cw", "198.51.100.1"); w != 0 {
		t.Fatalf("after a success: wait %v", w)
	}
	// A day later old failures no longer count even without a success.
	for range 6 {
		begin("stale", "192.0.2.1")
	}
	now = now.Add(store.LoginMemory + time.Second)
	if w := begin("stale", "192.0.2.1"); w != 0 {
		t.Fatalf("failures older than a day still count: wait %v", w)
	}
}

// One address failing across many accounts is refused for the window.
func TestBeginLoginLimitsAnAddress(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	lim := limits
	lim.MaxPerIP = 3
	ctx := context.Background()
	for i, user := range []string{"a", "b", "c", "d"} {
		w, err := st.BeginLogin(ctx, who, user, "203.0.113.7", lim)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Duration(0)
		if i == 3 {
			want = lim.IPWindow
		}
		if w != want {
			t.Fatalf("account %d from one address: wait %v; want %v", i+1, w, want)
		}
	}
	if w, err := st.BeginLogin(ctx, who, "d", "198.51.100.1", lim); err != nil || w != 0 {
		t.Fatalf("same account from another address: %v, %v", w, err)
	}
}
