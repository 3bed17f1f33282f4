package store

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/testdb"
)

// TestNavBadgesPlans plans the navigation's counts, asked for on every page, on 30 000 tasks
// of 40 caseworkers in two units (most done, a tenth unassigned): each combination of counts
// is its own statement, and its plans — custom and generic — read the tasks from indexes
// alone. The counts equal the plain definition for every combination.
func TestNavBadgesPlans(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.New(t)
	conn := ownerConn(t, url) // the owner, with synchronous commits
	var units [2]int64
	for i, name := range []string{"Jobcenter Nord", "Jobcenter Syd"} {
		if err := conn.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ($1, 'jobcenter') RETURNING id`, name).Scan(&units[i]); err != nil {
			t.Fatal(err)
		}
	}
	today := helhed.DanishToday(time.Now())
	for _, q := range []string{
		`INSERT INTO users (username, name, unit_id, role, password_hash)
		 SELECT 'cw' || i, 'Sagsbehandler ' || i, CASE WHEN i % 2 = 0 THEN $1::bigint ELSE $2::bigint END, 'sagsbehandler', 'x'
		 FROM generate_series(1, 40) i WHERE $3::date IS NOT NULL`,
		`INSERT INTO tasks (unit_id, assignee_id, source, title, due, snoozed_until, done_at)
		 SELECT u.unit_id, CASE WHEN (i / 40) % 10 = 0 THEN NULL ELSE u.id END, 'manuel', 'Opgave ' || i,
		        $3::date + (i % 60 - 40), CASE WHEN i % 7 = 0 THEN $3::date + 3 END,
		        CASE WHEN (i / 40) % 10 BETWEEN 1 AND 7 THEN now() END
		 FROM generate_series(1, 30000) i JOIN users u ON u.username = 'cw' || (1 + i % 40)
		 WHERE $1::bigint > 0 AND $2::bigint > 0`,
	} {
		if _, err := conn.Exec(ctx, q, units[0], units[1], today); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	vacuumAllVisible(t, conn, "tasks", "referrals", "users")
	var user int64
	if err := conn.QueryRow(ctx, `SELECT id FROM users WHERE username = 'cw2'`).Scan(&user); err != nil {
		t.Fatal(err)
	}

	var b NavBadges
	q, args, _ := navBadgesSQL(user, units[0], today, true, true, true, &b)
	for _, generic := range []bool{false, true} {
		plan := map[bool]string{false: "custom plan", true: "generic plan"}[generic]
		nodes := explainPlan(t, conn, generic, q, args...)
		idx := map[string]bool{}
		for _, n := range nodes {
			rel, _ := n["Relation Name"].(string)
			if rel != "tasks" { // the referral counts' plans: TestInboxAndInvitationsAreIndexOnly
				continue
			}
			name, _ := n["Index Name"].(string)
			if n["Node Type"] != "Index Only Scan" {
				t.Errorf("%s: %s read by %s %s, want index-only scans", plan, rel, n["Node Type"], name)
			}
			idx[name] = true
		}
		for _, want := range []string{"tasks_assignee_open_idx", "tasks_unit_unassigned_idx"} {
			if !idx[want] {
				t.Errorf("%s: %s not used (%v)", plan, want, idx)
			}
		}
	}

	// The counts, for every combination, against the plain definition.
	st := New(pool)
	var wantTasks int
	if err := conn.QueryRow(ctx, `
		SELECT count(*) FROM tasks WHERE done_at IS NULL AND (assignee_id = $1 OR (assignee_id IS NULL AND unit_id = $2))
		  AND due <= $3 AND (snoozed_until IS NULL OR snoozed_until <= $3)`, user, units[0], today).Scan(&wantTasks); err != nil {
		t.Fatal(err)
	}
	if wantTasks == 0 {
		t.Fatal("no tasks due: the data does not test the count")
	}
	for _, c := range []struct{ tasks, inbox, own bool }{
		{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true},
		{true, true, false}, {true, false, true}, {false, true, true}, {true, true, true},
	} {
		got, err := st.NavBadges(ctx, user, units[0], c.tasks, c.inbox, c.own)
		if err != nil {
			t.Fatal(err)
		}
		want := NavBadges{}
		if c.tasks {
			want.Tasks = wantTasks
		}
		if got != want {
			t.Errorf("%+v: %+v, want %+v", c, got, want)
		}
	}
	if n, err := st.TaskBadge(ctx, user, units[0]); err != nil || n != wantTasks {
		t.Errorf("TaskBadge = %d (%v), want %d", n, err, wantTasks)
	}
}
