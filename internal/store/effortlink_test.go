package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// effortOf returns the status, referral and end date of the plan efforts linked to referral rid.
func effortOf(t *testing.T, st *store.Store, rid int64) (status string, n int, end *time.Time) {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), `SELECT status, end_date FROM plan_efforts WHERE referral_id = $1 AND removed_at IS NULL`, rid)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		n++
		if err := rows.Scan(&status, &end); err != nil {
			t.Fatal(err)
		}
	}
	return status, n, end
}

// Every pair of referral states, against PostgreSQL: a referral in state from with its plan
// effort is moved to state to. An allowed move moves the effort's status to what the new state
// stands for (henvist → i gang → afsluttet / afbrudt) in the same transaction, with a new plan
// version; a refused move leaves both as they were.
func TestEveryReferralTransitionMovesTheLinkedEffort(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen", CaseworkerID: uid})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePlan(ctx, w, id, st.Now(), 3); err != nil {
		t.Fatal(err)
	}
	offer, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: unit, Capacity: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// What each state stands for, written out here rather than asked of the code.
	want := map[helhed.ReferralState]string{
		helhed.ReferralSent: "henvist", helhed.ReferralReceived: "henvist", helhed.ReferralAccepted: "henvist",
		helhed.ReferralWaitlisted: "henvist", helhed.ReferralStarted: "i_gang", helhed.ReferralCompleted: "afsluttet",
		helhed.ReferralRejected: "afbrudt", helhed.ReferralNoShow: "afbrudt", helhed.ReferralDiscontinued: "afbrudt",
		helhed.ReferralCancelled: "afbrudt",
	}
	pairs, moved := 0, 0
	for _, from := range helhed.ReferralStates {
		for _, to := range helhed.ReferralStates {
			pairs++
			rid, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
			if err != nil {
				t.Fatal(err)
			}
			// Put the referral and its effort in state from, as the owner (the test's setup).
			if _, err := st.Pool().Exec(ctx, `UPDATE referrals SET state = $2 WHERE id = $1`, rid, from); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Pool().Exec(ctx, `UPDATE plan_efforts SET status = $2 WHERE referral_id = $1`, rid, want[from]); err != nil {
				t.Fatal(err)
			}
			v, err := st.ViewPlan(ctx, w, id, "test")
			if err != nil {
				t.Fatal(err)
			}
			var version int
			if err := st.Pool().QueryRow(ctx, `SELECT version FROM referrals WHERE id = $1`, rid).Scan(&version); err != nil {
				t.Fatal(err)
			}
			got, err := st.TransitionReferral(ctx, w, id, rid, version, to, "Begrundelse")
			status, n, end := effortOf(t, st, rid)
			if n != 1 {
				t.Fatalf("%s → %s: %d efforts linked to the referral; want 1", from, to, n)
			}
			after, verr := st.ViewPlan(ctx, w, id, "test")
			if verr != nil {
				t.Fatal(verr)
			}
			if !helhed.CanTransition(from, to) {
				if err == nil {
					t.Errorf("%s → %s was allowed", from, to)
				}
				if status != want[from] || after.Version != v.Version {
					t.Errorf("%s → %s refused, but the effort is %s (plan %d → %d); want %s unchanged", from, to, status, v.Version, after.Version, want[from])
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s → %s: %v", from, to, err)
			}
			moved++
			if status != want[got] {
				t.Errorf("%s → %s: the effort is %s; want %s", from, to, status, want[got])
			}
			if changed := want[from] != want[got]; changed != (after.Version == v.Version+1) || !changed && after.Version != v.Version {
				t.Errorf("%s → %s: plan version %d → %d (effort %s → %s)", from, to, v.Version, after.Version, want[from], want[got])
			}
			if got.Terminal() != (end != nil) {
				t.Errorf("%s → %s: end date %v; want one exactly when the referral has ended", from, to, end)
			}
		}
	}
	if pairs != 100 || moved != 19 {
		t.Fatalf("%d pairs, %d allowed moves; want 100 and 19", pairs, moved)
	}
}

// A referral sent from the plan (an effort chosen) or from the catalogue lands in the plan as
// one effort: the planned effort for the offer is linked rather than doubled, a new one is
// added otherwise; without a plan nothing is added; and the effort form cannot overwrite the
// status the referral keeps.
func TestReferralAndEffortAreOne(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	citizen := func(cpr string) int64 {
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, cpr), FirstName: "Ole", LastName: "Hansen", CaseworkerID: uid})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	offer, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: unit, Capacity: 10, Contact: "ips@kommune.dk"})
	if err != nil {
		t.Fatal(err)
	}
	// Without a plan: the referral is sent, no effort appears.
	noPlan := citizen("020385-1233")
	rid, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: noPlan, OfferID: offer, FromUnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	if _, n, _ := effortOf(t, st, rid); n != 0 {
		t.Fatal("an effort appeared without a plan")
	}
	// From the catalogue, with a plan: a new effort for the offer, henvist.
	id := citizen("030486-1234")
	if err := st.CreatePlan(ctx, w, id, st.Now(), 3); err != nil {
		t.Fatal(err)
	}
	rid, err = st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	v, err := st.ViewPlan(ctx, w, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Efforts) != 1 || v.Efforts[0].Title != "IPS" || v.Efforts[0].Status != "henvist" || v.Efforts[0].ReferralID == nil ||
		*v.Efforts[0].ReferralID != rid || v.Efforts[0].Area != "beskaeftigelse" || v.Efforts[0].Contact != "ips@kommune.dk" {
		t.Fatalf("the catalogue referral's effort: %+v", v.Efforts)
	}
	// A planned effort for the offer is linked, not doubled.
	planned, err := st.SaveEffort(ctx, w, id, v.Version, 0, store.EffortInput{OfferID: &offer, Title: "IPS med mentor", Area: "beskaeftigelse",
		Status: "planlagt", ResponsibleUnitID: unit, StartDate: st.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rid2, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	v, _ = st.ViewPlan(ctx, w, id, "test")
	if len(v.Efforts) != 2 {
		t.Fatalf("%d efforts after referring the planned one; want 2 (no double keying)", len(v.Efforts))
	}
	for _, e := range v.Efforts {
		if e.ID == planned && (e.ReferralID == nil || *e.ReferralID != rid2 || e.Status != "henvist") {
			t.Fatalf("the planned effort was not linked: %+v", e)
		}
	}
	// From the plan: the effort chosen is the one linked, even for another offer.
	other, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "Mentor", Opgavetype: "ot03", ProviderUnitID: unit, Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	free, err := st.SaveEffort(ctx, w, id, v.Version, 0, store.EffortInput{Title: "Mentorstøtte", Area: "beskaeftigelse",
		Status: "planlagt", ResponsibleUnitID: unit, StartDate: st.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rid3, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: other, FromUnitID: unit, EffortID: free})
	if err != nil {
		t.Fatal(err)
	}
	if status, n, _ := effortOf(t, st, rid3); n != 1 || status != "henvist" {
		t.Fatalf("the effort chosen in the plan: %d linked, %s", n, status)
	}
	if _, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: other, FromUnitID: unit, EffortID: free}); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("referring an effort that already has a referral: %v; want not found", err)
	}
	// The effort form keeps the referral's status.
	v, _ = st.ViewPlan(ctx, w, id, "test")
	if _, err := st.SaveEffort(ctx, w, id, v.Version, free, store.EffortInput{Title: "Mentorstøtte", Area: "beskaeftigelse",
		Status: "afsluttet", ResponsibleUnitID: unit, StartDate: st.Now()}); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := effortOf(t, st, rid3); status != "henvist" {
		t.Fatalf("the effort form set a referred effort to %s", status)
	}
	// The referral moves it.
	if _, err := st.TransitionReferral(ctx, w, id, rid3, 1, helhed.ReferralAccepted, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TransitionReferral(ctx, w, id, rid3, 2, helhed.ReferralStarted, ""); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := effortOf(t, st, rid3); status != "i_gang" {
		t.Fatalf("started referral, effort %s; want i_gang", status)
	}
}

// The no-show warning query: open referrals of the given citizens with at least threshold
// no-shows; excused absences and ended referrals do not count, nor other citizens.
func TestReferralsWithRepeatedNoShows(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	offer, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: unit, Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	started := func(cpr string) (int64, int64) {
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, cpr), FirstName: "A", LastName: "B", CaseworkerID: uid})
		if err != nil {
			t.Fatal(err)
		}
		rid, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
		if err != nil {
			t.Fatal(err)
		}
		for v, to := range []helhed.ReferralState{helhed.ReferralAccepted, helhed.ReferralStarted} {
			if _, err := st.TransitionReferral(ctx, w, id, rid, v+1, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		return id, rid
	}
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	a, ra := started("020385-1233")
	b, rb := started("030486-1234")
	for d, m := range map[int]string{2: store.NoShow, 3: store.NoShow, 4: store.Excused, 5: store.NoShow} {
		if err := st.RecordAttendance(ctx, w, a, ra, store.PeriodSession, day(d), m, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []int{2, 3} {
		if err := st.RecordAttendance(ctx, w, b, rb, store.PeriodSession, day(d), store.NoShow, ""); err != nil {
			t.Fatal(err)
		}
	}
	// The same session recorded again is corrected, not counted twice.
	if err := st.RecordAttendance(ctx, w, b, rb, store.PeriodSession, day(3), store.NoShow, "igen"); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordAttendance(ctx, w, b, rb, store.PeriodWeek, day(3), store.NoShow, ""); err == nil {
		t.Fatal("a week recorded from a Tuesday")
	}
	threshold, err := st.NoShowWarningThreshold(ctx, st.Now())
	if err != nil || threshold != 3 {
		t.Fatalf("threshold %d (%v); want the setting's 3", threshold, err)
	}
	ws, err := st.ReferralsWithRepeatedNoShows(ctx, []int64{a, b}, threshold)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].ReferralID != ra || ws[0].NoShows != 3 || ws[0].CitizenID != a || ws[0].OfferName != "IPS" {
		t.Fatalf("warnings %+v; want citizen a's referral with 3 no-shows", ws)
	}
	if ws, _ := st.ReferralsWithRepeatedNoShows(ctx, []int64{b}, threshold); len(ws) != 0 {
		t.Fatalf("2 no-shows warn: %+v", ws)
	}
	if _, err := st.TransitionReferral(ctx, w, a, ra, 3, helhed.ReferralCompleted, ""); err != nil {
		t.Fatal(err)
	}
	if ws, _ := st.ReferralsWithRepeatedNoShows(ctx, []int64{a, b}, threshold); len(ws) != 0 {
		t.Fatalf("an ended referral warns: %+v", ws)
	}
}

// Referrals made before the citizen had a plan are pulled into the plan when it is created, in
// the same transaction and version: each becomes an effort linked to it, with the status its
// state stands for (ended ones with an end date). Showing the plan again adds nothing, an
// effort the caseworker removed does not come back, and from then on every allowed
// transition, from every state, moves the pulled-in effort like any other.
func TestReferralsBeforeThePlanArePulledIn(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	offer, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: unit, Capacity: 1000, Contact: "ips@kommune.dk"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[helhed.ReferralState]string{
		helhed.ReferralSent: "henvist", helhed.ReferralReceived: "henvist", helhed.ReferralAccepted: "henvist",
		helhed.ReferralWaitlisted: "henvist", helhed.ReferralStarted: "i_gang", helhed.ReferralCompleted: "afsluttet",
		helhed.ReferralRejected: "afbrudt", helhed.ReferralNoShow: "afbrudt", helhed.ReferralDiscontinued: "afbrudt",
		helhed.ReferralCancelled: "afbrudt",
	}
	pairs, moved := 0, 0
	for i, from := range helhed.ReferralStates {
		// One citizen per state from: a referral for every state to, all made before the plan.
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, fmt.Sprintf("0203%02d-1233", 60+i)),
			FirstName: "Ole", LastName: "Hansen", CaseworkerID: uid})
		if err != nil {
			t.Fatal(err)
		}
		rids := map[helhed.ReferralState]int64{}
		for _, to := range helhed.ReferralStates {
			rid, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
			if err != nil {
				t.Fatal(err)
			}
			if _, n, _ := effortOf(t, st, rid); n != 0 {
				t.Fatal("an effort appeared without a plan")
			}
			if _, err := st.Pool().Exec(ctx, `UPDATE referrals SET state = $2 WHERE id = $1`, rid, from); err != nil {
				t.Fatal(err)
			}
			rids[to] = rid
		}
		if err := st.CreatePlan(ctx, w, id, st.Now(), 3); err != nil {
			t.Fatal(err)
		}
		v, err := st.ViewPlan(ctx, w, id, "test")
		if err != nil {
			t.Fatal(err)
		}
		if v.Version != 1 || len(v.Efforts) != len(rids) {
			t.Fatalf("%s: plan version %d with %d efforts; want version 1 with the %d referrals", from, v.Version, len(v.Efforts), len(rids))
		}
		var snapshot string
		if err := st.Pool().QueryRow(ctx, `SELECT snapshot::text FROM plan_versions WHERE plan_id = $1 AND version = 1`, v.ID).Scan(&snapshot); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(snapshot, `"IPS"`) {
			t.Errorf("%s: version 1's snapshot lacks the pulled-in efforts: %s", from, snapshot)
		}
		for _, e := range v.Efforts {
			if e.ReferralID == nil || e.Title != "IPS" || e.Status != want[from] || e.Area != "beskaeftigelse" || e.Contact != "ips@kommune.dk" ||
				e.ResponsibleUnitID != unit || from.Terminal() != (e.EndDate != nil) {
				t.Fatalf("%s: pulled-in effort %+v", from, e)
			}
		}
		// Showing the plan again pulls in nothing more.
		if again, err := st.ViewPlan(ctx, w, id, "test"); err != nil || again.Version != 1 || len(again.Efforts) != len(rids) {
			t.Fatalf("%s: shown again, version %d with %d efforts (%v)", from, again.Version, len(again.Efforts), err)
		}
		for _, to := range helhed.ReferralStates {
			pairs++
			rid := rids[to]
			before, err := st.ViewPlan(ctx, w, id, "test")
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.TransitionReferral(ctx, w, id, rid, 1, to, "Begrundelse")
			status, n, end := effortOf(t, st, rid)
			if n != 1 {
				t.Fatalf("%s → %s: %d efforts linked; want 1", from, to, n)
			}
			after, verr := st.ViewPlan(ctx, w, id, "test")
			if verr != nil {
				t.Fatal(verr)
			}
			if !helhed.CanTransition(from, to) {
				if err == nil {
					t.Errorf("%s → %s was allowed", from, to)
				}
				if status != want[from] || after.Version != before.Version {
					t.Errorf("%s → %s refused, but the effort is %s (plan %d → %d)", from, to, status, before.Version, after.Version)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s → %s: %v", from, to, err)
			}
			moved++
			if status != want[got] {
				t.Errorf("%s → %s: the pulled-in effort is %s; want %s", from, to, status, want[got])
			}
			if changed := want[from] != want[got]; changed != (after.Version == before.Version+1) {
				t.Errorf("%s → %s: plan version %d → %d", from, to, before.Version, after.Version)
			}
			if got.Terminal() != (end != nil) {
				t.Errorf("%s → %s: end date %v; want one exactly when the referral has ended", from, to, end)
			}
		}
	}
	if pairs != 100 || moved != 19 {
		t.Fatalf("%d pairs, %d allowed moves; want 100 and 19", pairs, moved)
	}

	// A plan that existed before this rule (made when a referral was still left out): showing it
	// pulls the earlier referral in once, in a new version; a removed effort stays removed.
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "040587-1235"), FirstName: "Ida", LastName: "Holm", CaseworkerID: uid})
	if err != nil {
		t.Fatal(err)
	}
	rid, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePlan(ctx, w, id, st.Now(), 3); err != nil {
		t.Fatal(err)
	}
	// Undo the pull-in, as the plan would look if made before it existed.
	if _, err := st.Pool().Exec(ctx, `DELETE FROM plan_efforts WHERE referral_id = $1`, rid); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE plans SET created_at = created_at + interval '1 second' WHERE citizen_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	v, err := st.ViewPlan(ctx, w, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	if status, n, _ := effortOf(t, st, rid); n != 1 || status != "henvist" || v.Version != 2 || len(v.Efforts) != 1 {
		t.Fatalf("shown: %d linked (%s), version %d, %d efforts; want the referral pulled in as version 2", n, status, v.Version, len(v.Efforts))
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE plan_efforts SET removed_at = now() WHERE referral_id = $1`, rid); err != nil {
		t.Fatal(err)
	}
	if v, err := st.ViewPlan(ctx, w, id, "test"); err != nil || len(v.Efforts) != 0 || v.Version != 2 {
		t.Fatalf("a removed effort came back: %d efforts, version %d (%v)", len(v.Efforts), v.Version, err)
	}
	// A referral made after the plan is linked when made; one never linked (from before this
	// rule) and made after the plan is not pulled in.
	if _, err := st.Pool().Exec(ctx, `UPDATE plans SET created_at = created_at - interval '1 second' WHERE citizen_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	late, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `DELETE FROM plan_efforts WHERE referral_id = $1`, late); err != nil {
		t.Fatal(err)
	}
	if v, err := st.ViewPlan(ctx, w, id, "test"); err != nil || len(v.Efforts) != 0 {
		t.Fatalf("a referral from after the plan was pulled in: %d efforts (%v)", len(v.Efforts), err)
	}
}
