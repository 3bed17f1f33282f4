package store

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/testdb"
)

// TestUpcomingMeetingsPlan: the citizen page's list of meetings ahead is an index range that
// stops after the n it shows, in its custom and its generic plan alike (so PostgreSQL keeps
// the generic one instead of planning every page), on five years of weekly meetings of
// eight teams. The rows are the next n in start order.
func TestUpcomingMeetingsPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, url := testdb.New(t)
	conn := ownerConn(t, url) // the owner, with synchronous commits
	now := time.Now()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO units (name, kind) VALUES ('Jobcenter', 'jobcenter')`, nil},
		{`INSERT INTO users (username, name, unit_id, role, password_hash)
		  SELECT 'cw', 'Sagsbehandler', id, 'sagsbehandler', 'x' FROM units`, nil},
		{`INSERT INTO rehab_teams (unit_id, name) SELECT u.id, 'Team ' || i FROM units u, generate_series(1, 8) i`, nil},
		{`INSERT INTO meetings (team_id, starts_at, created_by)
		  SELECT t.id, $1::timestamptz + make_interval(weeks => w - 200, hours => t.id::int), (SELECT id FROM users)
		  FROM rehab_teams t, generate_series(1, 260) w`, []any{now}},
	} {
		if _, err := conn.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	vacuumAllVisible(t, conn, "meetings", "rehab_teams")
	for _, generic := range []bool{false, true} {
		var viaIndex, sorted bool
		for _, n := range explainPlan(t, conn, generic, upcomingMeetingsSQL, now, int64(30)) {
			if n["Relation Name"] == "meetings" && n["Index Name"] == "meetings_starts_idx" {
				viaIndex = true
			}
			if n["Node Type"] == "Sort" {
				sorted = true
			}
		}
		if !viaIndex || sorted {
			t.Errorf("generic plan %v: meetings_starts_idx used %v, sorted %v; want the index range in order", generic, viaIndex, sorted)
		}
	}

	got, err := New(pool).UpcomingMeetings(ctx, now, 30)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 30 {
		t.Fatalf("%d meetings, want 30", len(got))
	}
	for i, m := range got {
		if m.StartsAt.Before(now) || (i > 0 && m.StartsAt.Before(got[i-1].StartsAt)) || m.TeamName == "" {
			t.Errorf("meeting %d: %+v (after %v, in order, with its team)", i, m, now)
		}
	}
}
