package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/migrations"
)

// unindexedForeignKeysSQL lists every foreign key of the schema whose columns are not the
// leading columns (in any order) of a valid B-tree index on the referencing table. Without
// one, every delete of a referenced row (the retention job deleting a citizen, a cascade
// through a plan) makes PostgreSQL scan the whole referencing table, once per deleted row. A
// partial index serves only when its predicate is "one of the key's columns IS NOT NULL": a
// row with a NULL in its key references nothing, and PostgreSQL's look-up (col = $1) implies
// the predicate, so it uses the index.
const unindexedForeignKeysSQL = `
	SELECT c.conrelid::regclass::text, c.conname::text,
	       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
	        FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
	        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
	FROM pg_constraint c
	WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
	  AND NOT EXISTS (
	      SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
	      WHERE i.indrelid = c.conrelid AND i.indisvalid AND am.amname = 'btree'
	        AND (i.indpred IS NULL OR pg_get_expr(i.indpred, i.indrelid) IN (
	                 SELECT format('(%I IS NOT NULL)', a.attname) FROM pg_attribute a
	                 WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)))
	        AND (SELECT array_agg(k ORDER BY k) FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(k, ord)
	             WHERE u.ord <= cardinality(c.conkey))
	          = (SELECT array_agg(k ORDER BY k) FROM unnest(c.conkey) k))
	ORDER BY 1, 2`

// unindexedForeignKeys returns "table (columns) [constraint]" for every foreign key without an
// index that serves it.
func unindexedForeignKeys(t *testing.T, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}) []string {
	t.Helper()
	rows, _ := q.Query(context.Background(), unindexedForeignKeysSQL)
	missing, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
		var table, name, cols string
		err := row.Scan(&table, &name, &cols)
		return table + " (" + cols + ") [" + name + "]", err
	})
	if err != nil {
		t.Fatal(err)
	}
	return missing
}

// Every foreign key has an index that starts with its columns (migration 0017), read from the
// catalogue so a new table or key is held to the rule the moment it is migrated.
func TestEveryForeignKeyHasAnIndex(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	for _, m := range unindexedForeignKeys(t, pool) {
		t.Errorf("foreign key without an index: %s; add an index that begins with these columns in a migration", m)
	}
}

// The rule can fail: a key without an index is named, and so is one whose only index starts
// elsewhere or is partial on another condition; an index on its column, or partial on "the
// column IS NOT NULL", satisfies it. (Before migration 0017 this test named 38 keys.)
func TestForeignKeyIndexRuleCatchesMissingIndexes(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	exec := func(q string) {
		t.Helper()
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	named := func() bool {
		t.Helper()
		for _, m := range unindexedForeignKeys(t, tx) {
			if m == "fk_probe (parent_id) [fk_probe_parent_id_fkey]" {
				return true
			}
		}
		return false
	}
	exec(`RESET ROLE`) // the tables' owner, to create the probe tables; rolled back at the end
	exec(`CREATE TABLE fk_probe_parent (id int PRIMARY KEY)`)
	exec(`CREATE TABLE fk_probe (id int PRIMARY KEY, parent_id int REFERENCES fk_probe_parent, other int)`)
	if !named() {
		t.Fatal("a foreign key without any index is not named")
	}
	exec(`CREATE INDEX ON fk_probe (other, parent_id)`)
	exec(`CREATE INDEX ON fk_probe (parent_id) WHERE other IS NULL`)
	if !named() {
		t.Fatal("a foreign key served only by an index that starts elsewhere or has another predicate is not named")
	}
	exec(`CREATE INDEX ON fk_probe (parent_id) WHERE parent_id IS NOT NULL`)
	if named() {
		t.Fatal("a foreign key with a partial index WHERE its column IS NOT NULL is still named")
	}
}

// pgCode returns the SQLSTATE and constraint of a PostgreSQL error, or "" when err is not one.
func pgCode(err error) (code, constraint string) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code, pgErr.ConstraintName
	}
	return "", ""
}

// A reference code that ref_values does not have is refused by the database itself, whoever
// writes it; a value in use cannot be deleted from under its records; the constant kind column
// cannot be written (migration 0017).
func TestReferenceCodesCannotDangle(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cid, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	pool := st.Pool()
	if _, err := pool.Exec(ctx, `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'kontanthjaelp', '2025-01-01')`, cid); err != nil {
		t.Fatalf("a known code is refused: %v", err)
	}
	for _, c := range []struct {
		name, sql, constraint string
	}{
		{"unknown benefit type", `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'borgerloen', '2025-01-01')`,
			"benefit_periods_benefit_code_fkey"},
		// A code of another vocabulary is as unknown as a made-up one.
		{"exit reason as benefit type", `INSERT INTO benefit_periods (citizen_id, benefit_code, start_date) VALUES ($1, 'job', '2025-01-01')`,
			"benefit_periods_benefit_code_fkey"},
		{"unknown visitation category", `UPDATE citizens SET visitation_code = 'sdp_kategori_9' WHERE id = $1`,
			"citizens_visitation_code_fkey"},
		{"unknown consent information", `INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, recorded_by)
			VALUES ($1, 'oekonomi', ` + fmt.Sprint(unit) + `, 'Henvisning', current_date, ` + fmt.Sprint(uid) + `)`,
			"consents_information_fkey"},
		{"unknown unit kind", `UPDATE units SET kind = 'hospital' WHERE id = ` + fmt.Sprint(unit) + ` AND $1 > 0`, "units_kind_fkey"},
	} {
		_, err := pool.Exec(ctx, c.sql, cid)
		if code, constraint := pgCode(err); code != "23503" || constraint != c.constraint {
			t.Errorf("%s: got %v; want a foreign key violation of %s", c.name, err, c.constraint)
		}
	}
	// Values are retired, never deleted: a value in use stays.
	_, err = pool.Exec(ctx, `DELETE FROM ref_values WHERE kind = 'benefit_type' AND code = 'kontanthjaelp'`)
	if code, _ := pgCode(err); code != "23503" {
		t.Errorf("deleting a benefit type in use: got %v; want a foreign key violation", err)
	}
	_, err = pool.Exec(ctx, `UPDATE benefit_periods SET benefit_code_kind = 'exit_reason' WHERE citizen_id = $1`, cid)
	if err == nil {
		t.Error("the constant kind column of a reference code could be written")
	}
}

// Every vocabulary is held by a foreign key from each column that stores its codes, except the
// two whose codes are keys of JSON documents (the TFA's tracks and resource elements). A new
// vocabulary whose column has no key fails here.
func TestEveryVocabularyIsReferencedByKey(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	rows, _ := pool.Query(context.Background(), `
		SELECT k.kind, coalesce(string_agg(fk.tbl || '.' || fk.col, ', ' ORDER BY fk.tbl, fk.col), '')
		FROM ref_kinds k LEFT JOIN (
		    SELECT c.conrelid::regclass::text AS tbl, code.attname::text AS col,
		           pg_get_expr(d.adbin, d.adrelid) AS kind_expr
		    FROM pg_constraint c
		    JOIN pg_attribute kind ON kind.attrelid = c.conrelid AND kind.attnum = c.conkey[1]
		    JOIN pg_attribute code ON code.attrelid = c.conrelid AND code.attnum = c.conkey[2]
		    JOIN pg_attrdef d ON d.adrelid = c.conrelid AND d.adnum = kind.attnum
		    WHERE c.contype = 'f' AND c.confrelid = 'ref_values'::regclass AND kind.attgenerated = 's'
		      AND c.confkey = (SELECT ARRAY[k.attnum, v.attnum]::int2[] FROM pg_attribute k, pg_attribute v
		                       WHERE k.attrelid = 'ref_values'::regclass AND k.attname = 'kind'
		                         AND v.attrelid = 'ref_values'::regclass AND v.attname = 'code')
		) fk ON fk.kind_expr = quote_literal(k.kind) || '::text'
		GROUP BY k.kind ORDER BY k.kind`)
	got := map[string]string{}
	var kind, cols string
	if _, err := pgx.ForEachRow(rows, []any{&kind, &cols}, func() error { got[kind] = cols; return nil }); err != nil {
		t.Fatal(err)
	}
	documentKeys := map[string]bool{"health_track": true, "resource_element": true}
	if len(got) < 15 {
		t.Fatalf("only %d vocabularies found: %v", len(got), got)
	}
	for kind, cols := range got {
		switch {
		case cols == "" && !documentKeys[kind]:
			t.Errorf("vocabulary %s: no column references ref_values for it (a code column X needs X_kind GENERATED ALWAYS AS ('%s') STORED and a foreign key, as in migration 0017)", kind, kind)
		case cols != "" && documentKeys[kind]:
			t.Errorf("vocabulary %s is referenced by %s; drop it from the document-key exceptions here", kind, cols)
		}
	}
}

// The codes the domain fixes in Go are the only ones their columns accept: each of the
// domain's values goes in, and a misspelt one is refused by a CHECK (migration 0017).
func TestFixedCodesFollowTheDomain(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	pool := c.st.Pool()
	offer := c.offer(store.OfferInput{Name: "Kontrolforløb", ProviderUnitID: c.health})
	cid := c.citizen()
	var sid, rid int64
	if err := pool.QueryRow(c.ctx, `
		INSERT INTO screenings (citizen_id, screened_on, answers, rule_set_version, who5, computed_group, final_group, created_by)
		VALUES ($1, current_date, '{}', 1, 50, 'lav', 'lav', $2) RETURNING id`, cid, c.cw).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	if err := pool.QueryRow(c.ctx, `
		INSERT INTO referrals (citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, citizen_accepted)
		VALUES ($1, $2, $3, $4, $5, 'sendt', true) RETURNING id`, cid, offer, c.cw, c.jobcenter, c.health).Scan(&rid); err != nil {
		t.Fatal(err)
	}
	accepts := func(what, q string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(c.ctx, q, args...); err != nil {
			t.Errorf("%s refused: %v", what, err)
		}
	}
	refuses := func(what, constraint, q string, args ...any) {
		t.Helper()
		_, err := pool.Exec(c.ctx, q, args...)
		if code, got := pgCode(err); code != "23514" || got != constraint {
			t.Errorf("%s: got %v; want a CHECK violation of %s", what, err, constraint)
		}
	}
	for _, g := range helhed.RiskGroups {
		accepts("risk group "+string(g), `UPDATE citizens SET risk_group = $2 WHERE id = $1`, cid, g)
		accepts("screening group "+string(g), `UPDATE screenings SET computed_group = $2, final_group = $2 WHERE id = $1`, sid, g)
	}
	accepts("no risk group (never screened)", `UPDATE citizens SET risk_group = NULL WHERE id = $1`, cid)
	refuses("risk group høj", "citizens_risk_group_check", `UPDATE citizens SET risk_group = 'høj' WHERE id = $1`, cid)
	refuses("computed group HOEJ", "screenings_computed_group_check", `UPDATE screenings SET computed_group = 'HOEJ', override_reason = 'x' WHERE id = $1`, sid)
	refuses("final group moderat", "screenings_final_group_check",
		`UPDATE screenings SET final_group = 'moderat', override_reason = 'x' WHERE id = $1`, sid)
	accepts("every KRAMS factor", `UPDATE screenings SET krams_risks = $2 WHERE id = $1`, sid, helhed.KRAMSCodes)
	refuses("KRAMS factor stress", "screenings_krams_risks_check", `UPDATE screenings SET krams_risks = '{kost,stress}' WHERE id = $1`, sid)
	for _, s := range helhed.ReferralStates {
		accepts("referral event to "+string(s), `INSERT INTO referral_events (referral_id, from_state, to_state) VALUES ($1, $2, $2)`, rid, s)
	}
	accepts("the creation event (no from state)", `INSERT INTO referral_events (referral_id, from_state, to_state) VALUES ($1, NULL, 'sendt')`, rid)
	refuses("referral event to 'sent'", "referral_events_to_state_check",
		`INSERT INTO referral_events (referral_id, from_state, to_state) VALUES ($1, 'sendt', 'sent')`, rid)
	refuses("referral event from 'modtagen'", "referral_events_from_state_check",
		`INSERT INTO referral_events (referral_id, from_state, to_state) VALUES ($1, 'modtagen', 'accepteret')`, rid)
	// A journal note's class is one of the classes an author may choose (migration 0019).
	for _, cl := range access.NoteClasses {
		accepts("note class "+cl.String(), `INSERT INTO journal_notes (citizen_id, kind, class, event_date, text, author_id, unit_id)
			VALUES ($1, 'samtale', $2, current_date, 'x', $3, $4)`, cid, cl.String(), c.cw, c.jobcenter)
	}
	refuses("note class 'health'", "journal_notes_class_check", `INSERT INTO journal_notes (citizen_id, kind, class, event_date, text, author_id, unit_id)
		VALUES ($1, 'samtale', 'health', current_date, 'x', $2, $3)`, cid, c.cw, c.jobcenter)
	// A task's source is one of the domain's (migration 0030).
	for _, src := range store.TaskSources {
		key := "k"
		if src == store.TaskManual {
			key = ""
		}
		accepts("task source "+src, `INSERT INTO tasks (citizen_id, source, source_key, title, due, unit_id) VALUES ($1, $2, $3, 'x', current_date, $4)`,
			cid, src, key, c.jobcenter)
	}
	refuses("task source 'manual'", "tasks_source_check", `INSERT INTO tasks (citizen_id, source, source_key, title, due, unit_id)
		VALUES ($1, 'manual', 'k', 'x', current_date, $2)`, cid, c.jobcenter)
	// A samtale's state is one of the domain's (migration 0028).
	for _, st := range helhed.SamtaleStatuses {
		accepts("samtale status "+string(st), `INSERT INTO samtaler (citizen_id, holder_id, unit_id, starts_at, ends_at, form, status, reason, booked_by)
			VALUES ($1, $2, $3, now(), now() + interval '1 hour', 'fysisk', $4, 'Begrundelse', $2)`, cid, c.cw, c.jobcenter, string(st))
	}
	refuses("samtale status 'held'", "samtaler_status_check", `INSERT INTO samtaler (citizen_id, holder_id, unit_id, starts_at, ends_at, form, status, booked_by)
		VALUES ($1, $2, $3, now(), now() + interval '1 hour', 'fysisk', 'held', $2)`, cid, c.cw, c.jobcenter)
}

// Migration 0017 checks the data before it changes anything: a code that ref_values does not
// have, or a fixed code outside the domain's list, stops it with the column, the codes and what
// to do. After the rows are corrected and the version is set back (docs/operations.md), it
// applies.
func TestMigration0017StopsOnCodesItWouldRefuse(t *testing.T) {
	t.Parallel()
	url := testdb.NewURL(t)
	ctx := context.Background()
	if err := migrations.DownTo(ctx, url, 16); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO units (name, kind) VALUES ('Hospital', 'hospital')`)
	exec(`INSERT INTO citizens (cpr, first_name, last_name, unit_id, risk_group, visitation_code)
		SELECT '0203850000', 'Ole', 'Hansen', id, 'høj', 'jobparat' FROM units WHERE name = 'Hospital'`)
	err = migrations.Up(ctx, url)
	if err == nil {
		t.Fatal("migration 0017 applied over codes it refuses")
	}
	msg := err.Error()
	for _, want := range []string{"migration 0017", "units.kind: codes not in reference data 'unit_kind': 'hospital' (1 rows)",
		"citizens.risk_group: not a risk group", "'høj' (1 rows)", "SET version = 16, dirty = false"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not say %q:\n%.600s", want, msg)
		}
	}
	if strings.Contains(msg, "visitation_code:") {
		t.Errorf("the error names a column whose codes are all known:\n%.600s", msg)
	}
	var changed bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'units'::regclass AND attname = 'kind_kind')
		OR EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'plans_assessment_idx')`).Scan(&changed); err != nil {
		t.Fatal(err)
	}
	if changed {
		t.Error("the stopped migration left part of its changes")
	}
	exec(`UPDATE units SET kind = 'region' WHERE name = 'Hospital'`)
	exec(`UPDATE citizens SET risk_group = 'hoej' WHERE cpr = '0203850000'`)
	exec(`UPDATE schema_migrations SET version = 16, dirty = false`)
	if err := migrations.Up(ctx, url); err != nil {
		t.Fatalf("after correcting the rows: %.600s", err)
	}
}
