package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// The pool the application runs on is the runtime role, not a superuser: the database
// itself refuses UPDATE, DELETE and TRUNCATE of audit rows, whatever the application's code
// does (a trigger alone protects only against code that does not drop it first).
func TestRuntimeRoleCannotChangeAudit(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	var user string
	var super bool
	if err := pool.QueryRow(ctx, `SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&user, &super); err != nil {
		t.Fatal(err)
	}
	if user != store.RuntimeRole || super {
		t.Fatalf("the pool runs as %s (superuser %v); want %s, no superuser", user, super, store.RuntimeRole)
	}
	if err := st.Audit(ctx, who, 7, store.AuditCitizenView, "test"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_events SET detail = 'forfalsket'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		_, err := pool.Exec(ctx, q)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" || !strings.Contains(pgErr.Message, "permission denied for table audit_events") {
			t.Errorf("%s: %v; want permission denied (privilege, not only the trigger)", q, err)
		}
	}
	// The purge is the one way to delete audit rows: a SECURITY DEFINER function with a fixed
	// search_path, which the runtime role may call.
	var definer bool
	var config []string
	if err := pool.QueryRow(ctx, `SELECT prosecdef, coalesce(proconfig, '{}') FROM pg_proc WHERE proname = 'audit_purge'`).Scan(&definer, &config); err != nil {
		t.Fatal(err)
	}
	if !definer || !strings.HasPrefix(strings.Join(config, ","), "search_path=") {
		t.Fatalf("audit_purge: security definer %v, config %v; want a definer with a fixed search_path", definer, config)
	}
	var definers []string
	rows, _ := pool.Query(ctx, `
		SELECT p.proname FROM pg_proc p
		WHERE p.prosecdef AND p.pronamespace = 'public'::regnamespace
		  AND pg_get_functiondef(p.oid) ILIKE '%DELETE FROM%audit_events%' ORDER BY 1`)
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		definers = append(definers, n)
	}
	if rows.Err() != nil || strings.Join(definers, ",") != "audit_purge" {
		t.Fatalf("definer functions deleting audit rows: %v, %v; want only audit_purge", definers, rows.Err())
	}
}

// The runtime role has the ordinary rights on every other table and sequence, so the
// application (and tests that use its pool for fixtures) work as before, and a table a later
// migration adds gets them too (default privileges) unless the migration narrows them on
// purpose (journal_notes, migration 0019).
func TestRuntimeRoleMayUseEveryOtherTable(t *testing.T) {
	t.Parallel()
	pool, url := testdb.New(t)
	ctx := context.Background()
	// A table created by the migrating role after 0015 gets the grants by default.
	owner, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if err := owner.Exec(ctx, `CREATE TABLE later_feature (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x text)`).Close(); err != nil {
		t.Fatal(err)
	}
	rows, _ := pool.Query(ctx, `
		SELECT c.relname,
		       has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'),
		       has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE'),
		       has_table_privilege(c.oid, 'TRUNCATE')
		FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1`)
	var name string
	var sel, ins, upd, del, trunc bool
	n := 0
	for rows.Next() {
		if err := rows.Scan(&name, &sel, &ins, &upd, &del, &trunc); err != nil {
			t.Fatal(err)
		}
		n++
		want := [5]bool{true, true, true, true, false}
		switch name {
		case "audit_events":
			want = [5]bool{true, true, false, false, false}
		case "audit_chain":
			want = [5]bool{true, false, false, false, false}
		case "journal_notes":
			// Written and amended, never rewritten or deleted by the app: UPDATE only of the
			// amended columns (TestRuntimeRoleCannotRewriteOrDeleteNotes), no DELETE.
			want = [5]bool{true, true, false, false, false}
		case "letters":
			// Written and reported on, never rewritten or deleted by the app: UPDATE only of
			// the delivery columns (TestOutboxTransitions), no DELETE.
			want = [5]bool{true, true, false, false, false}
		case "schema_migrations":
			want = [5]bool{false, false, false, false, false}
		}
		if got := [5]bool{sel, ins, upd, del, trunc}; got != want {
			t.Errorf("%s: select/insert/update/delete/truncate = %v; want %v", name, got, want)
		}
	}
	if rows.Err() != nil || n < 30 {
		t.Fatalf("%d tables, %v", n, rows.Err())
	}
	var missing []string
	srows, _ := pool.Query(ctx, `
		SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
		  AND NOT has_sequence_privilege(c.oid, 'USAGE') ORDER BY 1`)
	for srows.Next() {
		_ = srows.Scan(&name)
		missing = append(missing, name)
	}
	if len(missing) > 0 {
		t.Errorf("sequences without USAGE for the runtime role: %v", missing)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO later_feature (x) VALUES ('a')`); err != nil {
		t.Fatalf("a later table is not usable by the runtime role: %v", err)
	}
}
