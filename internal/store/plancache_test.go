package store

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/testdb"
)

// TestPlanlessCitizenKeepsThePreparedStatements: most citizens have no plan, and every
// citizen page asks for it. pgx forgets (and deallocates) every prepared statement of a batch
// that ends in an error, and PostgreSQL can reuse a statement's plan only after five runs of
// the same prepared statement; so a missing plan reported as an error of the batch had the
// plan's six statements prepared and planned afresh on almost every page. On one connection,
// the statements must survive asking for a plan that is not there.
func TestPlanlessCitizenKeepsThePreparedStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testdb.NewURL(t)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 1 // one connection: its prepared statements are the ones counted
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := New(pool)
	var unit, citizen int64
	if err := pool.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ('Jobcenter', 'jobcenter') RETURNING id`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `INSERT INTO citizens (cpr, first_name, last_name, unit_id) VALUES ('0101901234', 'Uden', 'Plan', $1) RETURNING id`, unit).Scan(&citizen); err != nil {
		t.Fatal(err)
	}
	prepared := func() int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_prepared_statements
			WHERE (statement LIKE '%FROM plan_goals%' OR statement LIKE '%next_follow_up FROM citizens%')
			  AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 3 {
		if _, ok, err := st.PlanForOverview(ctx, citizen); err != nil || ok {
			t.Fatalf("PlanForOverview of a citizen without a plan: ok %v, %v", ok, err)
		}
		if n := prepared(); n != 2 {
			t.Fatalf("after %d look-ups of a missing plan, %d of the plan's two checked statements are prepared, want 2", i+1, n)
		}
	}
}
