package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/testdb"
)

// indexOnly says whether a plan reads relation through an index-only scan on index and
// otherwise only by the indexes in also, and lists the other ways it reads it.
func indexOnly(nodes []map[string]any, relation, index string, also ...string) (ok bool, other []string) {
	for _, n := range nodes {
		if n["Relation Name"] != relation {
			continue
		}
		if n["Node Type"] == "Index Only Scan" && n["Index Name"] == index {
			ok = true
			continue
		}
		if name, _ := n["Index Name"].(string); n["Node Type"] == "Index Scan" && slices.Contains(also, name) {
			continue
		}
		name, _ := n["Index Name"].(string)
		other = append(other, n["Node Type"].(string)+" "+name)
	}
	return ok && len(other) == 0, other
}

// ownerConn connects to the test database as its owner (VACUUM and ANALYZE need it), with
// synchronous commits: the test cluster commits asynchronously, and VACUUM marks a page
// all-visible only when the commits of its rows are on disk (the hint bits), as they are in
// production.
func ownerConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	if _, err := conn.Exec(ctx, `SET synchronous_commit = on`); err != nil {
		t.Fatal(err)
	}
	return conn
}

// vacuumAllVisible vacuums and analyses tables until every page of each is marked
// all-visible, as a quiet production table is. A VACUUM on a busy test cluster can leave
// pages unmarked (a transaction of another test still running when it looked), and
// PostgreSQL prices index-only scans by the share of marked pages: a plan test would then
// see the plan of a table being written, not the one it checks.
func vacuumAllVisible(t *testing.T, conn *pgx.Conn, tables ...string) {
	t.Helper()
	ctx := context.Background()
	for try := 0; ; try++ {
		if _, err := conn.Exec(ctx, `VACUUM ANALYZE `+strings.Join(tables, ", ")); err != nil {
			t.Fatal(err)
		}
		var unmarked int64
		if err := conn.QueryRow(ctx, `SELECT coalesce(sum(relpages - relallvisible), 0) FROM pg_class WHERE oid = ANY($1::regclass[])`,
			tables).Scan(&unmarked); err != nil {
			t.Fatal(err)
		}
		if unmarked == 0 {
			return
		}
		if try == 50 {
			t.Fatalf("%d pages of %v still not all-visible after %d vacuums", unmarked, tables, try+1)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

var prepared atomic.Int64

// explainPlan plans q with args as the app runs it: a custom plan, with the arguments in
// hand, or (generic) the generic plan PostgreSQL caches for a prepared statement after its
// fifth use, which must do without them.
func explainPlan(t *testing.T, conn *pgx.Conn, generic bool, q string, args ...any) []map[string]any {
	t.Helper()
	ctx := context.Background()
	if generic {
		if _, err := conn.Exec(ctx, `SET plan_cache_mode = force_generic_plan`); err != nil {
			t.Fatal(err)
		}
		defer conn.Exec(ctx, `RESET plan_cache_mode`) //nolint:errcheck // the next plan sets what it needs
		name := fmt.Sprintf("plan%d", prepared.Add(1))
		if _, err := conn.Exec(ctx, "PREPARE "+name+" AS "+q); err != nil {
			t.Fatal(err)
		}
		// EXECUTE takes its arguments as literals (a utility statement has no parameters).
		lits := make([]string, len(args))
		for i, a := range args {
			switch v := a.(type) {
			case int, int64:
				lits[i] = fmt.Sprint(v)
			case bool:
				lits[i] = fmt.Sprint(v)
			case string:
				lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
			case time.Time:
				lits[i] = "'" + v.Format(time.RFC3339Nano) + "'"
			case []string:
				quoted := make([]string, len(v))
				for j, e := range v {
					quoted[j] = "'" + strings.ReplaceAll(e, "'", "''") + "'"
				}
				lits[i] = "ARRAY[" + strings.Join(quoted, ", ") + "]::text[]"
			default:
				t.Fatalf("no literal for %T", a)
			}
		}
		q, args = "EXECUTE "+name+"("+strings.Join(lits, ", ")+")", nil
	}
	var raw []byte
	if err := conn.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+q, args...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	return planNodes(t, raw)
}

// TestInboxAndInvitationsAreIndexOnly plans the provider's inbox (its page and its tab
// counts) and a health professional's TFA invitations on data shaped like five years of a
// municipality: 60 000 referrals to three units, most of them finished, and ten professionals
// who each took part in 2 000 TFAs, 40 of them still open. Each must read its big table through its
// covering index alone (migration 0045); before, the inbox read one table row per referral
// in the tab and the invitations one per participation and per open draft.
func TestInboxAndInvitationsAreIndexOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.New(t)
	conn := ownerConn(t, url) // the owner, with synchronous commits
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := conn.QueryRow(ctx, q, args...).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	jobcenter := id(`INSERT INTO units (name, kind) VALUES ('Jobcenter', 'jobcenter') RETURNING id`)
	health := id(`INSERT INTO units (name, kind) VALUES ('Sundhedscenter', 'sundhedscenter') RETURNING id`)
	social := id(`INSERT INTO units (name, kind) VALUES ('Socialforvaltningen', 'socialforvaltning') RETURNING id`)
	cw := id(`INSERT INTO users (username, name, unit_id, role, password_hash) VALUES ('cw', 'Sagsbehandler', $1, 'sagsbehandler', 'x') RETURNING id`, jobcenter)
	if _, err := conn.Exec(ctx, `INSERT INTO users (username, name, unit_id, role, password_hash)
		SELECT 'sp' || i, 'Sygeplejerske ' || i, $1, 'sundhedsmedarbejder', 'x' FROM generate_series(0, 9) i`, health); err != nil {
		t.Fatal(err)
	}
	nurse := id(`SELECT id FROM users WHERE username = 'sp3'`)
	offer := id(`INSERT INTO offers (name, opgavetype, provider_unit_id, capacity) VALUES ('Motion', 'ot06', $1, 100000) RETURNING id`, health)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO citizens (cpr, first_name, last_name, unit_id)
		 SELECT lpad(i::text, 10, '0'), 'Borger', 'Nr' || i, $1 FROM generate_series(1, 4000) i`, []any{jobcenter}},
		// Nine in ten referrals finished, the rest spread over the open states.
		{`INSERT INTO referrals (citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, citizen_accepted, created_at)
		 SELECT c.id, $2, $3, $1, CASE WHEN i % 3 = 0 THEN $4::bigint WHEN i % 3 = 1 THEN $5::bigint ELSE $1::bigint END,
		        CASE WHEN i % 10 < 9 THEN 'afsluttet' ELSE (ARRAY['sendt','modtaget','accepteret','venteliste','startet'])[1 + (i / 10) % 5] END,
		        true, now() - make_interval(days => i % 1800)
		 FROM generate_series(1, 60000) i JOIN citizens c ON c.cpr = lpad((1 + i % 4000)::text, 10, '0')`, []any{jobcenter, offer, cw, health, social}},
		// 20 000 TFAs, each with one of the ten nurses; the last 400 still drafts.
		{`INSERT INTO assessments (citizen_id, number, created_by, updated_by, concluded_at)
		 SELECT c.id, 1 + i / 4000, $1, $1, CASE WHEN i > 19600 THEN NULL ELSE now() END
		 FROM generate_series(1, 20000) i JOIN citizens c ON c.cpr = lpad((1 + i % 4000)::text, 10, '0')`, []any{cw}},
		{`INSERT INTO assessment_participants (assessment_id, user_id, unit_id, unit_kind, profession)
		 SELECT a.id, (SELECT id FROM users WHERE username = 'sp' || a.id % 10), $1, 'sundhedscenter', 'sygeplejerske'
		 FROM assessments a`, []any{health}},
	} {
		if _, err := conn.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	vacuumAllVisible(t, conn, "referrals", "assessments", "assessment_participants")
	// Each statement is planned twice: with its arguments in hand (a custom plan, as the
	// first five runs of a prepared statement) and as the generic plan PostgreSQL caches
	// after that, which must do without them.
	explain := func(generic bool, q string, args ...any) []map[string]any {
		t.Helper()
		return explainPlan(t, conn, generic, q, args...)
	}
	for _, generic := range []bool{false, true} {
		plan := map[bool]string{false: "custom plan", true: "generic plan"}[generic]
		for _, tab := range [][]helhed.ReferralState{
			{helhed.ReferralSent, helhed.ReferralReceived},
			{helhed.ReferralWaitlisted},
			{helhed.ReferralAccepted, helhed.ReferralStarted},
		} {
			q, args := listReferralsSQL(ReferralFilter{ToUnitID: health, States: tab, OldestFirst: true}, Page{Number: 1, PerPage: 50}.normalize())
			// The page is chosen in the index; its 50 rows are then read by their ids.
			if ok, other := indexOnly(explain(generic, q, args...), "referrals", "referrals_inbox_idx", "referrals_pkey"); !ok {
				t.Errorf("%s, inbox tab %v: referrals read through %v, want an index-only scan on referrals_inbox_idx and the page's rows by id", plan, tab, other)
			}
		}
		if ok, other := indexOnly(explain(generic, referralCountsSQL, health), "referrals", "referrals_inbox_idx"); !ok {
			t.Errorf("%s, inbox counts: referrals read through %v, want only an index-only scan on referrals_inbox_idx", plan, other)
		}
		nodes := explain(generic, invitedAssessmentsSQL, nurse, health)
		if ok, other := indexOnly(nodes, "assessment_participants", "assessment_participants_user_idx"); !ok {
			t.Errorf("%s, invitations: participations read through %v, want only an index-only scan on assessment_participants_user_idx", plan, other)
		}
		if ok, other := indexOnly(nodes, "assessments", "assessments_open_idx"); !ok {
			t.Errorf("%s, invitations: drafts read through %v, want only an index-only scan on assessments_open_idx", plan, other)
		}
		// The drafts once, not once per participation.
		for _, node := range nodes {
			if node["Relation Name"] == "assessments" && node["Parent Relationship"] == "Inner" && node["Node Type"] != "Hash" {
				t.Errorf("%s, invitations: the drafts are probed once per participation (%v)", plan, node["Node Type"])
			}
		}
	}

	// And the statements still answer: 40 open drafts, the inbox's first page of 50.
	st := New(pool)
	inv, err := st.pool.Query(ctx, invitedAssessmentsSQL, nurse, health)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for inv.Next() {
		rows++
	}
	if inv.Err() != nil || rows != 40 {
		t.Errorf("invitations: %d rows (%v), want 40", rows, inv.Err())
	}
	refs, total, err := st.ListReferrals(ctx, ReferralFilter{ToUnitID: health, States: []helhed.ReferralState{helhed.ReferralSent, helhed.ReferralReceived}, OldestFirst: true}, Page{Number: 1, PerPage: 50})
	if err != nil || len(refs) != 50 || total != 800 {
		t.Errorf("inbox: %d rows of %d (%v), want 50 of 800", len(refs), total, err)
	}
}
