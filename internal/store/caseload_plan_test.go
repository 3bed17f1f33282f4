package store

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/testdb"
)

// TestCaseloadPageIsCutFirst runs the caseload's statement (page 2 of a caseworker's 1 500
// citizens, each with two ended benefit periods and a current one) and requires that the
// current benefit is looked up for the page's 50 rows only, index-only in
// benefit_periods_current_idx (migration 0052). Before, the benefit was joined to every
// citizen of the caseload and the page cut afterwards: 1 500 look-ups, each reading the
// citizen's periods from the table to find the open one.
func TestCaseloadPageIsCutFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := testdb.New(t)
	conn := ownerConn(t, url) // the owner, with synchronous commits
	var unit, cw int64
	if err := conn.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ('Jobcenter', 'jobcenter') RETURNING id`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `INSERT INTO users (username, name, unit_id, role, password_hash)
		VALUES ('cw', 'Sagsbehandler', $1, 'sagsbehandler', 'x') RETURNING id`, unit).Scan(&cw); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		// 6 000 citizens in the unit, a quarter of them the caseworker's.
		`INSERT INTO citizens (cpr, first_name, last_name, unit_id, caseworker_id)
		 SELECT lpad(i::text, 10, '0'), 'Borger', 'Nr' || i, $1, CASE WHEN i % 4 = 0 THEN $2::bigint END
		 FROM generate_series(1, 6000) i`,
		`INSERT INTO benefit_periods (citizen_id, benefit_code, start_date, end_date)
		 SELECT c.id, 'kontanthjaelp', date '2020-01-01' + k * 400, CASE WHEN k < 2 THEN date '2020-01-01' + k * 400 + 300 END
		 FROM citizens c, generate_series(0, 2) k WHERE $1::bigint > 0 AND $2::bigint > 0`,
	} {
		if _, err := conn.Exec(ctx, q, unit, cw); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	vacuumAllVisible(t, conn, "citizens", "benefit_periods")
	q, args := listCitizensSQL(CitizenFilter{CaseworkerID: cw, UnitID: unit}, Page{Number: 2, PerPage: 50}.normalize(), time.Now())
	var raw []byte
	if err := conn.QueryRow(ctx, "EXPLAIN (ANALYZE, FORMAT JSON) "+q, args...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	looked := 0.0
	for _, n := range planNodes(t, raw) {
		if n["Relation Name"] != "benefit_periods" {
			continue
		}
		if n["Node Type"] != "Index Only Scan" || n["Index Name"] != "benefit_periods_current_idx" {
			t.Errorf("benefit_periods read by %v %v, want an index-only scan of benefit_periods_current_idx", n["Node Type"], n["Index Name"])
		}
		looked += n["Actual Loops"].(float64)
	}
	if looked != 50 {
		t.Errorf("current benefit looked up %v times, want once for each of the page's 50 rows", looked)
	}

	// And it answers: the page's rows, their current benefit, the caseload's count.
	rows, _ := conn.Query(ctx, q, args...)
	rs, total, err := collectCaseloadRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 50 || total != 1500 || rs[0].BenefitSince == nil || rs[0].BenefitSince.Year() != 2022 {
		t.Fatalf("page 2: %d rows, total %d; want 50 of 1 500, each with its 2022 period (first: %+v)", len(rs), total, rs)
	}
}
