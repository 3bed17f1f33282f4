package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// TestSAMLReplayCache: an assertion ID is accepted once, across instances and at the same
// moment; an ID whose assertion has expired is dropped.
func TestSAMLReplayCache(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	a, b := store.New(pool), store.New(pool)
	now := time.Now()
	a.Now = func() time.Time { return now }
	b.Now = a.Now
	if err := a.SAMLReplayCache().Consume("id-1", now.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := b.SAMLReplayCache().Consume("id-1", now.Add(5*time.Minute)); !errors.Is(err, saml.ErrAssertionReplayed) {
		t.Errorf("replay on the other instance: %v", err)
	}

	// Ten instances given one new assertion at once: one accepts it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	accepted := 0
	for range 10 {
		wg.Go(func() {
			if err := store.New(pool).SAMLReplayCache().Consume("id-2", now.Add(5*time.Minute)); err == nil {
				mu.Lock()
				accepted++
				mu.Unlock()
			} else if !errors.Is(err, saml.ErrAssertionReplayed) {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if accepted != 1 {
		t.Errorf("%d instances accepted one assertion", accepted)
	}

	// After id-1's assertion has expired, its row is dropped at the next use.
	later := now.Add(10 * time.Minute)
	a.Now = func() time.Time { return later }
	if err := a.SAMLReplayCache().Consume("id-3", later.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM saml_assertions WHERE id IN ('id-1', 'id-2')`).Scan(&n); err != nil || n != 0 {
		t.Errorf("expired IDs kept: %d %v", n, err)
	}
}
