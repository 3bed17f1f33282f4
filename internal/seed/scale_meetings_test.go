package seed

import (
	"context"
	"testing"

	"github.com/helhed/helhed/internal/testdb"
)

// A small scale run makes rehabiliteringsteams with five years of meetings: eight cases a
// meeting, never a citizen twice on one agenda, the team's own citizens, an indstilling in
// every held case and none in tomorrow's, which is fully prepared for the board's load test.
func TestScaleMeetings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := testdb.New(t)
	rep, err := Scale(ctx, pool, ScaleOptions{Citizens: 2000, Staff: 60, AuditRows: 100, Password: "scale-password-1", Seed: 3, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	// 4 teams × 2 meetings a week × 5 years, plus tomorrow's.
	if rep.Meetings < 4*2*52*5 || rep.MeetingCases != 8*rep.Meetings {
		t.Fatalf("%d meetings with %d cases; want about 2 000 with 8 each", rep.Meetings, rep.MeetingCases)
	}
	var badUnit, heldUndecided, upcomingDecided, tomorrow, tomorrowReady int
	if err := pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE c.unit_id <> t.unit_id),
		       count(*) FILTER (WHERE m.starts_at < $1::date AND mc.outcome IS NULL),
		       count(*) FILTER (WHERE m.starts_at >= $1::date AND mc.outcome IS NOT NULL),
		       count(*) FILTER (WHERE m.starts_at::date = $1::date + 1),
		       count(*) FILTER (WHERE m.starts_at::date = $1::date + 1 AND mc.prepared_at IS NOT NULL)
		FROM meeting_cases mc JOIN meetings m ON m.id = mc.meeting_id JOIN rehab_teams t ON t.id = m.team_id
		JOIN citizens c ON c.id = mc.citizen_id`, testToday).Scan(&badUnit, &heldUndecided, &upcomingDecided, &tomorrow, &tomorrowReady); err != nil {
		t.Fatal(err)
	}
	if badUnit != 0 || heldUndecided != 0 || upcomingDecided != 0 {
		t.Errorf("%d cases of another unit's citizens, %d held cases without an indstilling, %d upcoming with one", badUnit, heldUndecided, upcomingDecided)
	}
	if tomorrow != 4*8 || tomorrowReady != tomorrow {
		t.Errorf("tomorrow: %d cases, %d prepared; want 32, all prepared", tomorrow, tomorrowReady)
	}
	var chairs int
	if err := pool.QueryRow(ctx, `SELECT count(DISTINCT chair_id) FROM meetings WHERE chair_id IN
		(SELECT user_id FROM rehab_team_members)`).Scan(&chairs); err != nil || chairs != 1 {
		t.Errorf("chairs on the team: %d (%v); want leder001 for all", chairs, err)
	}
}
