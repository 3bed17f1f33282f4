package web

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/testlimit"
)

// The in-memory reference data follows a change made anywhere — here in plain SQL, as an
// administrator might — on the next use after the change is announced.
func TestVocabularyFollowsChanges(t *testing.T) {
	pool, _ := testdb.New(t)
	hub := live.NewHub(pool, store.LiveChannel, slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(hub.Close)
	v := newVocabulary(store.New(pool), hub)
	ctx := context.Background()
	label := func() string {
		t.Helper()
		rs, err := v.Values(ctx, "indstilling")
		if err != nil {
			t.Fatal(err)
		}
		return rs.Label("fleksjob")
	}
	if got := label(); got != "Fleksjob" {
		t.Fatalf("label = %q", got)
	}
	if _, err := pool.Exec(ctx, `UPDATE ref_values SET label = 'Fleksjob (ny lov)' WHERE kind = 'indstilling' AND code = 'fleksjob'`); err != nil {
		t.Fatal(err)
	}
	testlimit.Eventually(t, 2*time.Second, "the cached vocabulary following the change", func() bool { return label() == "Fleksjob (ny lov)" })
	// A change rolled back is never announced, and the copy stays as it is.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE ref_values SET label = 'Fortrudt' WHERE kind = 'indstilling' AND code = 'fleksjob'`); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	time.Sleep(200 * time.Millisecond)
	if got := label(); got != "Fleksjob (ny lov)" {
		t.Fatalf("after a rolled-back change: %q", got)
	}
}
