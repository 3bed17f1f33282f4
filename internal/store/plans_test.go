package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

func TestPlanVersionsConflictAndFollowUp(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	me := store.Who{UserID: uid, RequestID: "test"}
	cid, err := st.CreateCitizen(ctx, me, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	if err := st.CreatePlan(ctx, me, cid, today, 3); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePlanGoals(ctx, me, cid, 1, "Et job", []store.GoalInput{{Text: "Sove bedre"}}); err != nil {
		t.Fatal(err)
	}
	// Two editors both hold version 2: the first save wins, the second gets the conflict and
	// changes nothing.
	if err := st.SavePlanGoals(ctx, me, cid, 2, "Et job på et lager", nil); err != nil {
		t.Fatal(err)
	}
	err = st.SavePlanGoals(ctx, me, cid, 2, "Noget helt andet", nil)
	if helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("stale save: %v; want conflict", err)
	}
	v, err := st.ViewPlan(ctx, me, cid, "plan")
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 3 || v.CitizenGoal != "Et job på et lager" || len(v.Versions) != 3 {
		t.Fatalf("plan after conflict: version %d goal %q versions %d", v.Version, v.CitizenGoal, len(v.Versions))
	}
	a, b, err := st.PlanVersionPair(ctx, me, cid, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if d := helhed.DiffPlans(a, b); len(d) != 1 || d[0].After != "Et job på et lager" {
		t.Fatalf("diff 1→3: %+v", d)
	}

	// A follow-up on a goal moves the due date; a goal id of another plan is refused.
	if err := st.SavePlanGoals(ctx, me, cid, 3, "Et job", []store.GoalInput{{Text: "Gå ture"}}); err != nil {
		t.Fatal(err)
	}
	v, _ = st.ViewPlan(ctx, me, cid, "plan")
	goal := v.Goals[0].ID
	if err := st.AddFollowUp(ctx, me, cid, today.AddDate(0, 1, 0), "", map[int64]int{goal + 1000: 5}, 3); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("foreign goal: %v", err)
	}
	if err := st.AddFollowUp(ctx, me, cid, today.AddDate(0, 1, 0), "Godt i gang", map[int64]int{goal: 6}, 3); err != nil {
		t.Fatal(err)
	}
	v, _ = st.ViewPlan(ctx, me, cid, "plan")
	if len(v.FollowUps) != 1 || v.FollowUps[0].Scores[goal] != 6 {
		t.Fatalf("follow-ups %+v", v.FollowUps)
	}
	if v.NextFollowUp == nil || v.NextFollowUp.Format(time.DateOnly) != "2026-05-10" {
		t.Fatalf("next follow-up %v; want 2026-05-10", v.NextFollowUp)
	}
	rows, _, err := st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit, OverdueOn: time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC)}, store.Page{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("overdue filter after due date: %d rows, %v", len(rows), err)
	}
	rows, _, _ = st.ListCitizens(ctx, store.CitizenFilter{UnitID: unit, OverdueOn: time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC)}, store.Page{})
	if len(rows) != 0 {
		t.Fatal("overdue filter lists a citizen whose follow-up is due today")
	}
}

func TestSettingsInForce(t *testing.T) {
	t.Parallel()
	st, _, _ := fixture(t)
	ctx := context.Background()
	r, err := st.MentorRules(ctx, time.Now())
	if err != nil || r != helhed.DefaultMentorRules() {
		t.Fatalf("mentor rules %+v, %v", r, err)
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO settings (key, valid_from, value) VALUES ('follow_up_interval_months', '2030-01-01', '2')`); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.FollowUpIntervalMonths(ctx, time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC)); n != 3 {
		t.Fatalf("interval before the change %d", n)
	}
	if n, _ := st.FollowUpIntervalMonths(ctx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); n != 2 {
		t.Fatalf("interval after the change %d", n)
	}
}
