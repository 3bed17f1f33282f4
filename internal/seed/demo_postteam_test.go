package seed

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/testdb"
)

// The demo shows the post-team records: one worked case has its samlet beskrivelse and the
// sundhedskoordinator's advice (so a fleksjob decision can be shown), another a question still
// waiting for the coordinator.
func TestDemoHasPostTeamRecords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	if _, err := Demo(ctx, pool, Options{Citizens: 40, Seed: 3, Today: time.Date(2026, time.December, 7, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var descriptions, asked, given int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM case_descriptions), count(*), count(advice) FROM health_advice`).
		Scan(&descriptions, &asked, &given); err != nil {
		t.Fatal(err)
	}
	if descriptions != 1 || asked != 2 || given != 1 {
		t.Errorf("demo post-team records: %d descriptions, %d requests, %d answered; want 1, 2, 1", descriptions, asked, given)
	}
}
