package seed

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/testdb"
)

// The worked demo cases have a journal a customer can read: each worked citizen's notes, of
// more than one kind and class, dated before today, every text its own.
func TestDemoCasesHaveAJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	today := time.Date(2026, time.December, 7, 0, 0, 0, 0, time.UTC)
	pool, _ := testdb.New(t)
	if _, err := Demo(ctx, pool, Options{Citizens: 40, Seed: 3, Today: today}); err != nil {
		t.Fatal(err)
	}
	var notes, citizens, texts, kinds, classes int
	var latest time.Time
	if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT citizen_id), count(DISTINCT text), count(DISTINCT kind),
		count(DISTINCT class), max(event_date) FROM journal_notes`).Scan(&notes, &citizens, &texts, &kinds, &classes, &latest); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, dc := range demoCases {
		want += len(dc.notes)
	}
	if notes != want || citizens != len(demoCases) || texts != notes || kinds < 3 || classes != 3 || !latest.Before(today) {
		t.Errorf("demo journal: %d notes (want %d) on %d citizens, %d distinct texts, %d kinds, %d classes, latest %s",
			notes, want, citizens, texts, kinds, classes, latest.Format(time.DateOnly))
	}
}
