package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/testdb"
)

// planNodes flattens an EXPLAIN (FORMAT JSON) plan into its nodes.
func planNodes(t *testing.T, raw []byte) []map[string]any {
	t.Helper()
	var doc []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc) != 1 {
		t.Fatalf("plan %s: %v", raw, err)
	}
	var out []map[string]any
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		out = append(out, n)
		kids, _ := n["Plans"].([]any)
		for _, k := range kids {
			walk(k.(map[string]any))
		}
	}
	walk(doc[0].Plan)
	return out
}

// explainSearch plans SearchCitizens's statement as the app runs it (a custom plan).
func explainSearch(t *testing.T, conn interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, f CitizenFilter) []map[string]any {
	t.Helper()
	q, args := searchSQL(f, helhed.DanishToday(time.Now()))
	var raw []byte
	if err := conn.QueryRow(context.Background(), "EXPLAIN (FORMAT JSON) "+q, append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	return planNodes(t, raw)
}

// citizensAccess says how a plan reads the citizens table to find the matches: the index
// names used on it and whether it scans it whole.
func citizensAccess(nodes []map[string]any) (indexes []string, seqScan bool) {
	for _, n := range nodes {
		if n["Relation Name"] == "citizens" && n["Node Type"] == "Seq Scan" {
			seqScan = true
		}
		if name, ok := n["Index Name"].(string); ok && strings.HasPrefix(name, "citizens_") && name != "citizens_pkey" {
			indexes = append(indexes, name)
		}
	}
	return indexes, seqScan
}

// TestSearchPlanUsesIndexes plans the search on 40 000 citizens in two units of 20 000 —
// enough that a unit's rows span hundreds of pages and a whole-table scan is priced as what
// it is — and checks the planner reads the matches through an index: a rare name through the
// unit+trigram index of migration 0042, a CPR number through the unique CPR index, a common
// name in the unit's name order or the trigram index. Without migration
// 0042's index the rare name falls back to filtering the unit's 20 000 index entries, which
// the test also shows, so it can fail.
func TestSearchPlanUsesIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := testdb.New(t)
	conn := ownerConn(t, url) // the owner, with synchronous commits
	var units [2]int64
	for i, name := range []string{"Jobcenter Nord", "Jobcenter Syd"} {
		if err := conn.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ($1, 'jobcenter') RETURNING id`, name).Scan(&units[i]); err != nil {
			t.Fatal(err)
		}
	}
	// 40 surnames (each about 2.5 % of a unit, like Denmark's commonest), 60 first names,
	// and one rare surname: 12 Xylofonsen in each unit.
	if _, err := conn.Exec(ctx, `
		INSERT INTO citizens (cpr, first_name, last_name, unit_id)
		SELECT lpad(i::text, 10, '0'),
		       (ARRAY['Anne','Peter','Mikkel','Lone','Mads','Hanne','Søren','Karen','Jens','Mette'])[1 + i % 10] || (i % 6)::text,
		       CASE WHEN i % 1667 = 0 THEN 'Xylofonsen' ELSE 'Efternavn' || lpad((i % 40)::text, 2, '0') END,
		       CASE WHEN i % 2 = 0 THEN $1::bigint ELSE $2::bigint END
		FROM generate_series(1, 40000) i`, units[0], units[1]); err != nil {
		t.Fatal(err)
	}
	vacuumAllVisible(t, conn, "citizens")

	for _, c := range []struct {
		name string
		f    CitizenFilter
		want []string // any of them
	}{
		{"rare name", CitizenFilter{UnitID: units[0], Name: "xylofon"}, []string{"citizens_unit_name_trgm_idx"}},
		{"first and last name", CitizenFilter{UnitID: units[1], Name: "Mette3 Xylofonsen"}, []string{"citizens_unit_name_trgm_idx"}},
		{"CPR number", CitizenFilter{UnitID: units[0], CPR: helhed.CPR("0000001234")}, []string{"citizens_cpr_idx"}},
		// 500 matches: the unit's name order (stopping after SearchCap+1) or the trigram
		// index, as the statistics make the costs come out; never the whole table.
		{"common name", CitizenFilter{UnitID: units[0], Name: "efternavn07"}, []string{"citizens_unit_idx", "citizens_unit_name_trgm_idx"}},
	} {
		idx, seq := citizensAccess(explainSearch(t, conn, c.f))
		if seq || len(idx) == 0 || !slices.Contains(c.want, idx[0]) {
			t.Errorf("%s: citizens read through %v (seq scan %v), want %s", c.name, idx, seq, c.want)
		}
	}

	// Walking the unit in name order, the name is compared from the index entry: the stored
	// search_name (migration 0053), not lower(first || ' ' || last) computed per entry from
	// the name columns (and a table read for every entry on a page changed since the last
	// vacuum). The walk is forced here, as the planner chooses it for common names.
	if _, err := conn.Exec(ctx, `SET enable_bitmapscan = off`); err != nil {
		t.Fatal(err)
	}
	walked := false
	for _, n := range explainSearch(t, conn, CitizenFilter{UnitID: units[0], Name: "efternavn07"}) {
		if n["Index Name"] != "citizens_unit_idx" {
			continue
		}
		walked = true
		filter, _ := n["Filter"].(string)
		if n["Node Type"] != "Index Only Scan" || !strings.Contains(filter, "search_name") || strings.Contains(filter, "lower(") {
			t.Errorf("the name-order walk: %v with filter %q, want an index-only scan comparing search_name", n["Node Type"], filter)
		}
	}
	if !walked {
		t.Error("with bitmap scans off, the common name is not found in the unit's name order")
	}
	if _, err := conn.Exec(ctx, `RESET enable_bitmapscan`); err != nil {
		t.Fatal(err)
	}

	// Without the index the rare name is found by filtering the unit's entries.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // the drop is only for this plan
	if _, err := tx.Exec(ctx, `DROP INDEX citizens_unit_name_trgm_idx`); err != nil {
		t.Fatal(err)
	}
	if idx, _ := citizensAccess(explainSearch(t, tx, CitizenFilter{UnitID: units[0], Name: "xylofon"})); len(idx) > 0 && idx[0] == "citizens_unit_name_trgm_idx" {
		t.Errorf("without the index the plan still names it: %v", idx)
	}
}

// TestSearchCitizensCapsTheCount checks what the search returns: the first page in name
// order, the exact count up to SearchCap, and "more" beyond it.
func TestSearchCitizensCapsTheCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	st := New(pool)
	unit, err := st.CreateUnit(ctx, Who{RequestID: "test"}, "Jobcenter Test", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateUnit(ctx, Who{RequestID: "test"}, "Jobcenter Andet", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `
		INSERT INTO citizens (cpr, first_name, last_name, unit_id)
		SELECT lpad(i::text, 10, '0'), 'Borger' || lpad(i::text, 3, '0'),
		       CASE WHEN i <= 120 THEN 'Hansen' WHEN i <= 130 THEN 'Holm' ELSE 'Hansen' END,
		       CASE WHEN i <= 130 THEN $1::bigint ELSE $2::bigint END
		FROM generate_series(1, 140) i`, unit, other); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f         CitizenFilter
		rows      int
		total     int
		more      bool
		firstName string
	}{
		{CitizenFilter{UnitID: unit, Name: "hansen"}, 50, SearchCap, true, "Borger001"},
		{CitizenFilter{UnitID: unit, Name: "HOLM"}, 10, 10, false, "Borger121"},
		{CitizenFilter{UnitID: unit, Name: "borger13"}, 1, 1, false, "Borger130"}, // Borger131..140 are another unit's
		{CitizenFilter{UnitID: unit, CPR: helhed.CPR("0000000125")}, 1, 1, false, "Borger125"},
		{CitizenFilter{UnitID: unit, CPR: helhed.CPR("0000000135")}, 0, 0, false, ""},
		{CitizenFilter{UnitID: unit, Name: "100%"}, 0, 0, false, ""},
	} {
		res, err := st.SearchCitizens(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		first := ""
		if len(res.Rows) > 0 {
			first = res.Rows[0].FirstName
		}
		if len(res.Rows) != c.rows || res.Total != c.total || res.More != c.more || first != c.firstName {
			t.Errorf("%+v: %d rows, total %d, more %v, first %q; want %d, %d, %v, %q",
				c.f, len(res.Rows), res.Total, res.More, first, c.rows, c.total, c.more, c.firstName)
		}
	}
}
