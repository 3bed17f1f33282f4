package seed

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/testdb"
)

// TestCitizensScale bulk-loads 20 000 citizens and logs the rate. The only
// time limit is generous (60 s), so a slow CI machine does not make it flaky;
// the rate is for reading, e.g. `go test -run Scale -v ./internal/seed`.
func TestCitizensScale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)

	var unitID int64
	if err := pool.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ('Jobcenter Skala', 'jobcenter') RETURNING id`).Scan(&unitID); err != nil {
		t.Fatal(err)
	}
	var caseworkers []int64
	for _, u := range []string{"a", "b", "c", "d", "e"} {
		var id int64
		if err := pool.QueryRow(ctx, `
			INSERT INTO users (username, name, unit_id, role, password_hash)
			VALUES ($1, $1, $2, 'sagsbehandler', 'x') RETURNING id`, "sb-"+u, unitID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		caseworkers = append(caseworkers, id)
	}

	const n = 20000
	opts := Options{Seed: 7, Today: testToday}
	start := time.Now()
	if err := Citizens(ctx, pool, unitID, caseworkers, n, opts); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	var citizens, periods int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM citizens), (SELECT count(*) FROM benefit_periods)`).
		Scan(&citizens, &periods); err != nil {
		t.Fatal(err)
	}
	t.Logf("Citizens: %d citizens and %d benefit periods in %v: %.0f citizens/s",
		citizens, periods, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds())
	if citizens != n {
		t.Errorf("%d citizens, want %d", citizens, n)
	}
	if per := float64(periods) / float64(citizens); per < 1.8 || per > 3 {
		t.Errorf("%.2f benefit periods per citizen, want about 2.5", per)
	}
	if elapsed > 60*time.Second {
		t.Errorf("Citizens(%d) took %v; 100 000 must load well within a minute", n, elapsed)
	}

	// Every caseworker got citizens, in visibly different numbers.
	rows, _ := pool.Query(ctx, `SELECT count(*) FROM citizens GROUP BY caseworker_id ORDER BY 1`)
	loads, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if len(loads) != len(caseworkers) || loads[0] == loads[len(loads)-1] {
		t.Errorf("caseloads %v: want %d different ones", loads, len(caseworkers))
	}

	// The ids came from the identity sequence, so ordinary inserts still work.
	if _, err := pool.Exec(ctx, `INSERT INTO citizens (cpr, first_name, last_name, unit_id)
		VALUES ('0101010000', 'Ny', 'Borger', $1)`, unitID); err != nil {
		t.Errorf("insert after Citizens: %v", err)
	}

	// The same seed again skips the CPR numbers now taken instead of failing.
	if err := Citizens(ctx, pool, unitID, caseworkers, 100, opts); err != nil {
		t.Errorf("second Citizens with the same seed: %v", err)
	}
}

// TestCopyIntoIdentity pins the PostgreSQL behaviour insertCitizens relies
// on: INSERT refuses an explicit id for a GENERATED ALWAYS column, COPY
// accepts it.
func TestCopyIntoIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	var unitID int64
	if err := pool.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ('U', 'jobcenter') RETURNING id`).Scan(&unitID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO citizens (id, cpr, first_name, last_name, unit_id)
		VALUES (1000, '0202020000', 'A', 'B', $1)`, unitID); err == nil {
		t.Error("INSERT with an explicit id was accepted; GENERATED ALWAYS should refuse it")
	}
	n, err := pool.CopyFrom(ctx, pgx.Identifier{"citizens"}, []string{"id", "cpr", "first_name", "last_name", "unit_id"},
		pgx.CopyFromRows([][]any{{int64(1000), "0202020000", "A", "B", unitID}}))
	if err != nil || n != 1 {
		t.Fatalf("COPY with an explicit id: %d rows, %v", n, err)
	}
}
