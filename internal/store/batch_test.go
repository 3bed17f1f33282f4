package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/dbtrace"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// TestBatchReadsAsTheReadsAlone: the reads queued in a Batch go in one round trip and give
// what each read sent on its own gives, a citizen with a plan and one without alike.
func TestBatchReadsAsTheReadsAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(testdb.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = &dbtrace.Tracer{}
	cfg.AfterConnect = store.AsRuntimeRole
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st, unit, uid := fixtureOn(t, pool)
	w := store.Who{UserID: uid, RequestID: "test"}
	withPlan, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	without, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "030486-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePlan(ctx, w, withPlan, time.Now(), 3); err != nil {
		t.Fatal(err)
	}
	u := access.User{ID: uid, UnitID: unit, Role: access.RoleCaseworker}
	rel, err := st.Relation(ctx, u, withPlan)
	if err != nil {
		t.Fatal(err)
	}
	sight := access.SightOf(u, rel)
	if _, err := st.CreateNote(ctx, w, withPlan, sight, store.NoteInput{Kind: "samtale", EventDate: st.Now(), Class: "sag", Text: "Et notat"}); err != nil {
		t.Fatal(err)
	}
	classes := []string{"sag"}
	page := store.Page{Number: 1, PerPage: 3}

	for _, id := range []int64{withPlan, without} {
		b := st.Batch()
		refs := b.ListReferrals(store.ReferralFilter{CitizenID: id}, page)
		noShows := b.ReferralsWithRepeatedNoShows([]int64{id}, 1)
		docs := b.ListDocuments(id, classes, page)
		letters := b.ListLetters(id, classes, page)
		tfas := b.ListAssessments(id)
		plan := b.PlanForOverview(id)
		desc := b.CaseDescriptionOf(id)
		advice := b.CitizenHealthAdvice(id)
		meetings := b.CitizenMeetings(id)
		upcoming := b.UpcomingMeetings(time.Now(), 30)
		notes := b.NoteSummary(id, sight, 3)
		contact := b.NextContact(id)
		cctx, counter := dbtrace.WithCounter(ctx)
		if err := b.Send(cctx); err != nil {
			t.Fatal(err)
		}
		if n := counter.RoundTrips(); n != 1 {
			t.Errorf("citizen %d: the batch took %d round trips, want 1", id, n)
		}

		same := func(what string, batched, alone any, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if d := cmp.Diff(alone, batched); d != "" {
				t.Errorf("citizen %d: %s batched differs from alone (-alone +batched):\n%s", id, what, d)
			}
		}
		r, total, err := st.ListReferrals(ctx, store.ReferralFilter{CitizenID: id}, page)
		same("referrals", refs.Value(), store.Counted[store.Referral]{Rows: r, Total: total}, err)
		ns, err := st.ReferralsWithRepeatedNoShows(ctx, []int64{id}, 1)
		same("no-shows", noShows.Value(), ns, err)
		dl, err := st.ListDocuments(ctx, id, classes, page)
		same("documents", docs.Value(), dl, err)
		ll, err := st.ListLetters(ctx, id, classes, page)
		same("letters", letters.Value(), ll, err)
		as, err := st.ListAssessments(ctx, id)
		same("TFAs", tfas.Value(), as, err)
		pv, ok, err := st.PlanForOverview(ctx, id)
		same("plan", plan.Value(), store.Maybe[store.PlanView]{Value: pv, OK: ok}, err)
		if got := plan.Value().OK; got != (id == withPlan) {
			t.Errorf("citizen %d: plan found %v", id, got)
		}
		d, ok, err := st.CaseDescriptionOf(ctx, id)
		same("description", desc.Value(), store.Maybe[store.CaseDescription]{Value: d, OK: ok}, err)
		ha, err := st.CitizenHealthAdvice(ctx, id)
		same("advice", advice.Value(), ha, err)
		cm, err := st.CitizenMeetings(ctx, id)
		same("meetings", meetings.Value(), cm, err)
		um, err := st.UpcomingMeetings(ctx, time.Now(), 30)
		same("upcoming", upcoming.Value(), um, err)
		nl, nt, err := st.NoteSummary(ctx, id, sight, 3)
		same("notes", notes.Value(), store.Counted[store.Note]{Rows: nl, Total: nt}, err)
		if id == withPlan && notes.Value().Total != 1 {
			t.Errorf("notes: %+v, want the one written", notes.Value())
		}
		cd, err := st.NextContact(ctx, id)
		same("contact", contact.Value(), cd, err)
	}

	// An empty batch sends nothing; a read that fails fails Send, and its result is not there.
	cctx, counter := dbtrace.WithCounter(ctx)
	if err := st.Batch().Send(cctx); err != nil || counter.RoundTrips() != 0 {
		t.Errorf("empty batch: %v, %d round trips", err, counter.RoundTrips())
	}
	b := st.Batch()
	gone := b.NextContact(-1)
	if err := b.Send(ctx); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Errorf("a read of a citizen that does not exist: %v, want not found", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("the value of a failed read was given")
		}
	}()
	gone.Value()
}
