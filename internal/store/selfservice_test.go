package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// The citizen's own actions are audited as a distinct actor: no user, an action with the
// self. prefix, which the audit chain hashes like any other column, so the chain still
// verifies and the actor kind cannot be changed afterwards unnoticed.
func TestCitizensOwnActionsAreAuditedAsTheCitizen(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	a, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "0203851233"), FirstName: "Anna", LastName: "A"})
	if err != nil {
		t.Fatal(err)
	}
	self := store.Who{Citizen: a, RequestID: "self"}
	if err := st.CreateConsents(ctx, self, store.NewConsent{CitizenID: a, Information: store.ConsentHealth, UnitIDs: []int64{unit},
		Purpose: "Min plan", GivenOn: st.Now()}); err != nil {
		t.Fatal(err)
	}
	cs, err := st.ListConsents(ctx, a)
	if err != nil || len(cs) != 1 || cs[0].RecordedBy != store.ByCitizen {
		t.Fatalf("the citizen's consent: %+v %v; want recorded by %q", cs, err, store.ByCitizen)
	}
	if err := st.WithdrawConsent(ctx, self, a, cs[0].ID); err != nil {
		t.Fatal(err)
	}
	if cs, _ = st.ListConsents(ctx, a); cs[0].WithdrawnBy == nil || *cs[0].WithdrawnBy != store.ByCitizen {
		t.Errorf("withdrawn by %v; want the citizen", cs[0].WithdrawnBy)
	}
	rows, err := st.Pool().Query(ctx, `SELECT user_id IS NULL, action FROM audit_events WHERE request_id = 'self' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for rows.Next() {
		var noUser bool
		var action string
		if err := rows.Scan(&noUser, &action); err != nil {
			t.Fatal(err)
		}
		if !noUser || store.ActorOf(action) != store.ActorCitizen {
			t.Errorf("%s: user %v, actor %s; want the citizen", action, !noUser, store.ActorOf(action))
		}
		actions = append(actions, action)
	}
	if strings.Join(actions, " ") != "self.consent.create self.consent.withdraw" {
		t.Errorf("actions %v", actions)
	}
	if store.ActorOf("consent.withdraw") != store.ActorStaff {
		t.Error("a staff action reads as the citizen's")
	}
	if l := store.AuditActionLabel("self.consent.withdraw"); l != "Borgeren tilbagekaldte selv et samtykke" {
		t.Errorf("label %q", l)
	}
	if n, err := st.SelfActions(ctx, a, time.Now().Add(-time.Hour)); err != nil || n != 2 {
		t.Errorf("own actions: %d %v; want 2", n, err)
	}
	// The look-ups leave the citizen's own actions out and name no one.
	ls, total, err := st.Lookups(ctx, a, store.Page{Number: 1, PerPage: 50})
	if err != nil || total != len(ls) || total == 0 {
		t.Fatalf("look-ups %d of %d: %v", len(ls), total, err)
	}
	for _, l := range ls {
		if strings.Contains(l.Action, "Borgeren") {
			t.Errorf("the look-ups list the citizen's own action %q", l.Action)
		}
	}
	// Paged: the total comes with every page, and past the last page too.
	for _, n := range []int{1, 2, total + 5} {
		page, all, err := st.Lookups(ctx, a, store.Page{Number: n, PerPage: 1})
		want := 1
		if n > total {
			want = 0
		}
		if err != nil || all != total || len(page) != want {
			t.Errorf("page %d of 1: %d rows, total %d (%v); want %d rows, total %d", n, len(page), all, err, want, total)
		}
	}
	c, err := st.VerifyAudit(ctx)
	if err != nil || c.Broken != nil {
		t.Fatalf("the audit chain with the citizen's rows: %+v %v", c.Broken, err)
	}
}

// Ids the citizen sends are looked up within their own case: another citizen's samtale, goal
// or case is not found, and nothing is written.
func TestCitizensOwnDataStaysWithinTheirCase(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	ids := map[string]int64{}
	for _, c := range []struct{ name, cpr string }{{"a", "0203851233"}, {"b", "0304861234"}} {
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, c.cpr), FirstName: c.name, LastName: "X"})
		if err != nil {
			t.Fatal(err)
		}
		ids[c.name] = id
		if err := st.CreatePlan(ctx, w, id, st.Now(), 3); err != nil {
			t.Fatal(err)
		}
		if err := st.SavePlanGoals(ctx, w, id, 1, "", []store.GoalInput{{Text: "Mål " + c.name}}); err != nil {
			t.Fatal(err)
		}
	}
	a, b := ids["a"], ids["b"]
	var goalB, goalA int64
	if err := st.Pool().QueryRow(ctx, `SELECT (SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.citizen_id = $1),
		(SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.citizen_id = $2)`, a, b).Scan(&goalA, &goalB); err != nil {
		t.Fatal(err)
	}
	samB, err := st.BookSamtale(ctx, w, b, store.SamtaleInput{StartsAt: st.Now().Add(24 * time.Hour), EndsAt: st.Now().Add(25 * time.Hour), Form: "fysisk"})
	if err != nil {
		t.Fatal(err)
	}
	self := store.Who{Citizen: a, RequestID: "self"}
	if err := st.RateGoal(ctx, self, a, goalB, 3); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("rating another citizen's goal: %v; want not found", err)
	}
	if _, err := st.AddWHO5SelfReport(ctx, self, a, samB, [5]int{1, 1, 1, 1, 1}); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("WHO-5 before another citizen's samtale: %v; want not found", err)
	}
	if err := st.AddSelfComment(ctx, self, a, 999999, "x"); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("comment on a case that is not theirs: %v; want not found", err)
	}
	if _, err := st.AddWHO5SelfReport(ctx, self, a, 0, [5]int{6, 1, 1, 1, 1}); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Errorf("an answer outside 0–5: %v; want invalid", err)
	}
	if err := st.RateGoal(ctx, self, a, goalA, 3); err != nil {
		t.Fatal(err)
	}
	if id, err := st.AddWHO5SelfReport(ctx, self, a, 0, [5]int{5, 4, 3, 2, 1}); err != nil || id == 0 {
		t.Fatal(err)
	}
	rs, err := st.WHO5SelfReports(ctx, a)
	if err != nil || len(rs) != 1 || rs[0].WHO5 != 60 {
		t.Errorf("self-reports %+v %v; want one of 60", rs, err)
	}
	if got, err := st.GoalRatings(ctx, a); err != nil || got[goalA] != 3 || len(got) != 1 {
		t.Errorf("goal ratings %v %v", got, err)
	}
	if n, _ := st.SelfActions(ctx, b, time.Now().Add(-time.Hour)); n != 0 {
		t.Errorf("%d actions on the other citizen's case", n)
	}
}
