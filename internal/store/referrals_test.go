package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// catalogue is a fixture: a jobcenter with a caseworker, a health centre with a nurse, a
// social administration, and helpers to make offers, citizens and referrals.
type catalogue struct {
	t                         *testing.T
	st                        *store.Store
	jobcenter, health, social int64
	cw, nurse                 int64
	cwWho, nurseWho           store.Who
	ctx                       context.Context
	citizens                  int
}

func newCatalogue(t *testing.T) *catalogue {
	t.Helper()
	st, jobcenter, cw := fixture(t)
	ctx := context.Background()
	c := &catalogue{t: t, st: st, jobcenter: jobcenter, cw: cw, ctx: ctx}
	var err error
	if c.health, err = st.CreateUnit(ctx, who, "Sundhedscenter Test", "sundhedscenter"); err != nil {
		t.Fatal(err)
	}
	if c.social, err = st.CreateUnit(ctx, who, "Socialforvaltning Test", "socialforvaltning"); err != nil {
		t.Fatal(err)
	}
	if c.nurse, err = st.CreateUser(ctx, who, store.NewUser{Username: "nurse", Name: "Nurse", UnitID: c.health, Role: access.RoleHealth, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	c.cwWho = store.Who{UserID: cw, RequestID: "test"}
	c.nurseWho = store.Who{UserID: c.nurse, RequestID: "test"}
	return c
}

func (c *catalogue) offer(in store.OfferInput) int64 {
	c.t.Helper()
	if in.Opgavetype == "" {
		in.Opgavetype = "ot06"
	}
	if in.Capacity == 0 {
		in.Capacity = 10
	}
	id, err := c.st.CreateOffer(c.ctx, who, in)
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

// citizen makes a citizen of the jobcenter with a fresh CPR number.
func (c *catalogue) citizen() int64 {
	c.t.Helper()
	c.citizens++
	cpr := mustCPR(c.t, fmt.Sprintf("%02d%02d80-1234", 1+c.citizens%28, 1+c.citizens/28))
	id, err := c.st.CreateCitizen(c.ctx, who, c.jobcenter, store.CitizenInput{CPR: cpr, FirstName: "Borger", LastName: fmt.Sprint(c.citizens), CaseworkerID: c.cw})
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

// consent records a current consent for information to unit.
func (c *catalogue) consent(citizenID, unitID int64, information string) {
	c.t.Helper()
	_, err := c.st.Pool().Exec(c.ctx, `
		INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, recorded_by)
		VALUES ($1, $2, $3, 'Henvisning', current_date - 1, $4)`, citizenID, information, unitID, c.cw)
	if err != nil {
		c.t.Fatal(err)
	}
}

// refer sends a new citizen (with consent and acceptance) to offer and returns citizen and
// referral ids.
func (c *catalogue) refer(offerID, unitID int64) (int64, int64) {
	c.t.Helper()
	cid := c.citizen()
	c.consent(cid, unitID, "helbred")
	c.consent(cid, unitID, "sociale_forhold")
	id, err := c.st.CreateReferral(c.ctx, c.cwWho, store.NewReferral{CitizenID: cid, OfferID: offerID, FromUnitID: c.jobcenter, CitizenAccepted: true})
	if err != nil {
		c.t.Fatal(err)
	}
	return cid, id
}

// move runs transitions on a referral, failing the test on an error.
func (c *catalogue) move(cid, id int64, states ...helhed.ReferralState) {
	c.t.Helper()
	for _, to := range states {
		var version int
		if err := c.st.Pool().QueryRow(c.ctx, `SELECT version FROM referrals WHERE id = $1`, id).Scan(&version); err != nil {
			c.t.Fatal(err)
		}
		got, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cid, id, version, to, "begrundelse")
		if err != nil {
			c.t.Fatalf("referral %d → %s: %v", id, to, err)
		}
		if got != to {
			c.t.Fatalf("referral %d → %s ended in %s", id, to, got)
		}
	}
}

func (c *catalogue) state(id int64) (helhed.ReferralState, int) {
	c.t.Helper()
	var st string
	var version int
	if err := c.st.Pool().QueryRow(c.ctx, `SELECT state, version FROM referrals WHERE id = $1`, id).Scan(&st, &version); err != nil {
		c.t.Fatal(err)
	}
	return helhed.ReferralState(st), version
}

func (c *catalogue) count(q string, args ...any) int {
	c.t.Helper()
	var n int
	if err := c.st.Pool().QueryRow(c.ctx, q, args...).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}

func TestCatalogueFiltersAndFreeSeats(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	rygestop := c.offer(store.OfferInput{Name: "Rygestop på jobcentret", Description: "Gruppeforløb med nikotinerstatning",
		Opgavetype: "ot06", ProviderUnitID: c.health, TargetRisk: []string{"mellem", "lav"}, KRAMS: []string{"rygning"}, Capacity: 3})
	motion := c.offer(store.OfferInput{Name: "Motion og livsstil", Description: "Træning to gange om ugen",
		Opgavetype: "ot06", ProviderUnitID: c.health, TargetRisk: []string{"hoej", "mellem"}, KRAMS: []string{"motion", "kost"},
		TargetBenefits: []string{"sygedagpenge"}, Capacity: 2})
	angst := c.offer(store.OfferInput{Name: "Mestringsforløb for angst", Description: "Kognitiv gruppe",
		Opgavetype: "ot04", ProviderUnitID: c.health, TargetRisk: []string{"hoej"}, Capacity: 8})
	c.offer(store.OfferInput{Name: "Familieterapi", Description: "Samtaler med hele familien",
		Opgavetype: "ot10", ProviderUnitID: c.social, TargetRisk: []string{"hoej"}, Capacity: 5})
	c.offer(store.OfferInput{Name: "Gammelt rygestopkursus", Opgavetype: "ot06", ProviderUnitID: c.health,
		KRAMS: []string{"rygning"}, Capacity: 5, Retired: true})

	// Rygestop: one accepted, one started, one waiting, one sent, one completed → 2 of 3 seats.
	for _, states := range [][]helhed.ReferralState{
		{helhed.ReferralAccepted},
		{helhed.ReferralAccepted, helhed.ReferralStarted},
		{helhed.ReferralAccepted, helhed.ReferralStarted, helhed.ReferralCompleted},
		{helhed.ReferralWaitlisted},
		nil,
	} {
		cid, id := c.refer(rygestop, c.health)
		c.move(cid, id, states...)
	}
	// Motion: both seats taken, then one accept goes to the waiting list.
	for range 2 {
		cid, id := c.refer(motion, c.health)
		c.move(cid, id, helhed.ReferralAccepted)
	}
	cid, id := c.refer(motion, c.health)
	if got, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cid, id, 1, helhed.ReferralAccepted, ""); err != nil || got != helhed.ReferralWaitlisted {
		t.Fatalf("accept on a full offer: %s, %v; want venteliste", got, err)
	}

	type seats struct {
		Name                        string
		Taken, Free, Waiting, Total int
	}
	list := func(f store.OfferFilter) ([]seats, int) {
		t.Helper()
		os, total, err := c.st.ListOffers(c.ctx, f, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var out []seats
		for _, o := range os {
			out = append(out, seats{o.Name, o.SeatsTaken, o.FreeSeats(), o.Waiting, o.Capacity})
		}
		return out, total
	}
	got, total := list(store.OfferFilter{})
	want := []seats{
		{"Mestringsforløb for angst", 0, 8, 0, 8}, // ot04
		{"Motion og livsstil", 2, 0, 1, 2},        // ot06, by name
		{"Rygestop på jobcentret", 2, 1, 1, 3},    // ot06
		{"Familieterapi", 0, 5, 0, 5},             // ot10
	}
	if diff := cmp.Diff(want, got); diff != "" || total != 4 {
		t.Fatalf("active catalogue (total %d), -want +got:\n%s", total, diff)
	}
	names := func(f store.OfferFilter) []string {
		t.Helper()
		rows, _ := list(f)
		var out []string
		for _, r := range rows {
			out = append(out, r.Name)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    store.OfferFilter
		want []string
	}{
		{"opgavetype", store.OfferFilter{Opgavetype: "ot06"}, []string{"Motion og livsstil", "Rygestop på jobcentret"}},
		{"provider", store.OfferFilter{ProviderUnitID: c.social}, []string{"Familieterapi"}},
		{"risk group", store.OfferFilter{Risk: "hoej"}, []string{"Mestringsforløb for angst", "Motion og livsstil", "Familieterapi"}},
		{"KRAMS factor", store.OfferFilter{KRAMS: "rygning"}, []string{"Rygestop på jobcentret"}},
		{"benefit group", store.OfferFilter{Benefit: "sygedagpenge"}, []string{"Motion og livsstil"}},
		{"free text in description", store.OfferFilter{Text: "GRUPPE"}, []string{"Mestringsforløb for angst", "Rygestop på jobcentret"}},
		{"free text LIKE wildcards escaped", store.OfferFilter{Text: "%"}, nil},
		{"combined", store.OfferFilter{Risk: "mellem", KRAMS: "motion"}, []string{"Motion og livsstil"}},
		{"retired included on request", store.OfferFilter{KRAMS: "rygning", IncludeRetired: true}, []string{"Gammelt rygestopkursus", "Rygestop på jobcentret"}},
	} {
		if diff := cmp.Diff(tc.want, names(tc.f)); diff != "" {
			t.Errorf("filter %s, -want +got:\n%s", tc.name, diff)
		}
	}
	page2, total, err := c.st.ListOffers(c.ctx, store.OfferFilter{}, store.Page{Number: 2, PerPage: 3})
	if err != nil || len(page2) != 1 || page2[0].Name != "Familieterapi" || total != 4 {
		t.Fatalf("page 2 of 3 per page: %d rows, total %d, %v", len(page2), total, err)
	}
	o, err := c.st.OfferByID(c.ctx, angst)
	if err != nil || o.OpgavetypeLabel != "Kognitiv terapi, mindfulness og lign." || o.ProviderKind != "sundhedscenter" {
		t.Fatalf("OfferByID: %+v, %v", o, err)
	}
}

// Twenty people accept twenty referrals to an offer with five seats at the same moment:
// exactly five get a seat, fifteen go on the waiting list, nobody sees an error.
func TestConcurrentAcceptNeverOverbooks(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	offer := c.offer(store.OfferInput{Name: "Livsstilsforløb", ProviderUnitID: c.health, Capacity: 5})
	type ref struct{ cid, id int64 }
	refs := make([]ref, 20)
	for i := range refs {
		refs[i].cid, refs[i].id = c.refer(offer, c.health)
	}
	var wg sync.WaitGroup
	start := make(chan struct{})
	results := make([]helhed.ReferralState, len(refs))
	errs := make([]error, len(refs))
	for i, r := range refs {
		wg.Go(func() {
			<-start
			results[i], errs[i] = c.st.TransitionReferral(c.ctx, c.nurseWho, r.cid, r.id, 1, helhed.ReferralAccepted, "")
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent accepts returned errors: %v", err)
	}
	counts := map[helhed.ReferralState]int{}
	for _, s := range results {
		counts[s]++
	}
	want := map[helhed.ReferralState]int{helhed.ReferralAccepted: 5, helhed.ReferralWaitlisted: 15}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Fatalf("returned states, -want +got:\n%s", diff)
	}
	stored := c.count(`SELECT count(*) FROM referrals WHERE offer_id = $1 AND state = 'accepteret'`, offer)
	waiting := c.count(`SELECT count(*) FROM referrals WHERE offer_id = $1 AND state = 'venteliste'`, offer)
	if stored != 5 || waiting != 15 {
		t.Fatalf("stored: %d accepteret, %d venteliste; want 5 and 15", stored, waiting)
	}
	if n := c.count(`SELECT count(*) FROM referral_events e JOIN referrals r ON r.id = e.referral_id WHERE r.offer_id = $1 AND e.from_state IS NOT NULL`, offer); n != 20 {
		t.Fatalf("%d transition events; want 20", n)
	}
}

// The waiting list is a queue: a new referral cannot take a freed seat while others wait, a
// waiting one cannot be accepted while the offer is full, and when a seat frees the oldest
// waiting referral gets it.
func TestWaitingListAndFreedSeats(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	offer := c.offer(store.OfferInput{Name: "Mentorhus", ProviderUnitID: c.health, Capacity: 1})
	cidA, a := c.refer(offer, c.health)
	c.move(cidA, a, helhed.ReferralAccepted)
	cidB, b := c.refer(offer, c.health)
	c.move(cidB, b, helhed.ReferralWaitlisted)

	_, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cidB, b, 2, helhed.ReferralAccepted, "")
	if helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("accepting a waiting referral on a full offer: %v; want a conflict", err)
	}
	if st, v := c.state(b); st != helhed.ReferralWaitlisted || v != 2 {
		t.Fatalf("after the refused accept: %s v%d", st, v)
	}
	c.move(cidA, a, helhed.ReferralStarted, helhed.ReferralCompleted) // the seat frees

	cidC, cc := c.refer(offer, c.health)
	if got, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cidC, cc, 1, helhed.ReferralAccepted, ""); err != nil || got != helhed.ReferralWaitlisted {
		t.Fatalf("a new referral while one waits: %s, %v; want venteliste (no queue jumping)", got, err)
	}
	if got, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cidB, b, 2, helhed.ReferralAccepted, ""); err != nil || got != helhed.ReferralAccepted {
		t.Fatalf("the oldest waiting referral on the freed seat: %s, %v", got, err)
	}

	// The lists: the inbox by age, a tab by state, the caseworker's by latest change, paged.
	ids := func(f store.ReferralFilter, pg store.Page) ([]int64, int) {
		t.Helper()
		rs, total, err := c.st.ListReferrals(c.ctx, f, pg)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out, total
	}
	if got, total := ids(store.ReferralFilter{ToUnitID: c.health, OldestFirst: true}, store.Page{PerPage: 2}); !cmp.Equal(got, []int64{a, b}) || total != 3 {
		t.Fatalf("inbox oldest first, page 1 of 2 per page: %v (total %d)", got, total)
	}
	if got, _ := ids(store.ReferralFilter{ToUnitID: c.health, States: []helhed.ReferralState{helhed.ReferralWaitlisted}}, store.Page{}); !cmp.Equal(got, []int64{cc}) {
		t.Fatalf("waiting list: %v", got)
	}
	if got, _ := ids(store.ReferralFilter{FromUserID: c.cw}, store.Page{}); !cmp.Equal(got, []int64{b, cc, a}) {
		t.Fatalf("caseworker's list by latest change: %v; want %v", got, []int64{b, cc, a})
	}
	if got, _ := ids(store.ReferralFilter{ToUnitID: c.social}, store.Page{}); len(got) != 0 {
		t.Fatalf("another unit's inbox: %v", got)
	}
}

func TestIllegalTransitionChangesNothing(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	offer := c.offer(store.OfferInput{Name: "Fysioterapeutisk træning", ProviderUnitID: c.health})
	cid, id := c.refer(offer, c.health)
	c.move(cid, id, helhed.ReferralAccepted, helhed.ReferralStarted, helhed.ReferralCompleted)
	before, version := c.state(id)
	events := c.count(`SELECT count(*) FROM referral_events WHERE referral_id = $1`, id)
	audits := c.count(`SELECT count(*) FROM audit_events WHERE citizen_id = $1`, cid)

	for _, tc := range []struct {
		name    string
		cid     int64
		version int
		to      helhed.ReferralState
		reason  string
		code    helhed.Code
	}{
		{"afsluttet → sendt", cid, version, helhed.ReferralSent, "", helhed.EConflict},
		{"afsluttet → accepteret", cid, version, helhed.ReferralAccepted, "", helhed.EConflict},
		{"unknown state", cid, version, helhed.ReferralState("slettet"), "", helhed.EInvalid},
		{"stale version", cid, version - 1, helhed.ReferralCancelled, "", helhed.EConflict},
		{"wrong citizen", cid + 1000, version, helhed.ReferralCancelled, "", helhed.ENotFound},
	} {
		_, err := c.st.TransitionReferral(c.ctx, c.nurseWho, tc.cid, id, tc.version, tc.to, tc.reason)
		if got := helhed.ErrorCode(err); got != tc.code {
			t.Errorf("%s: %v (%s); want %s", tc.name, err, got, tc.code)
		}
		if helhed.ErrorMessage(err) == "" {
			t.Errorf("%s: no Danish message", tc.name)
		}
	}
	// A reason is required for afbrudt.
	cid2, id2 := c.refer(offer, c.health)
	c.move(cid2, id2, helhed.ReferralAccepted)
	_, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cid2, id2, 2, helhed.ReferralDiscontinued, "  ")
	var de *helhed.Error
	if !errors.As(err, &de) || de.Fields[helhed.FieldReferralReason] == "" {
		t.Fatalf("afbrudt without a reason: %v; want a field error on the reason", err)
	}

	after, v2 := c.state(id)
	if after != before || v2 != version {
		t.Fatalf("state %s v%d after refused moves; want %s v%d", after, v2, before, version)
	}
	if n := c.count(`SELECT count(*) FROM referral_events WHERE referral_id = $1`, id); n != events {
		t.Fatalf("%d events after refused moves; want %d", n, events)
	}
	if n := c.count(`SELECT count(*) FROM audit_events WHERE citizen_id = $1`, cid); n != audits {
		t.Fatalf("%d audit rows after refused moves; want %d", n, audits)
	}
}

func TestReferralNeedsConsentAndAcceptance(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	health := c.offer(store.OfferInput{Name: "Den korte rådgivende samtale om alkohol", ProviderUnitID: c.health})
	jobs := c.offer(store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: c.jobcenter})
	retired := c.offer(store.OfferInput{Name: "Udgået", ProviderUnitID: c.health, Retired: true})
	cid := c.citizen()
	send := func(offer int64, accepted bool) error {
		_, err := c.st.CreateReferral(c.ctx, c.cwWho, store.NewReferral{CitizenID: cid, OfferID: offer, FromUnitID: c.jobcenter,
			Note: "Drikker 25 genstande om ugen", CitizenAccepted: accepted})
		return err
	}
	fields := func(err error) []string {
		var de *helhed.Error
		if !errors.As(err, &de) || de.Code != helhed.EInvalid {
			t.Fatalf("%v: want a validation error", err)
		}
		var out []string
		for _, f := range []string{store.FieldReferralOffer, store.FieldReferralAccepted} {
			if de.Fields[f] != "" {
				out = append(out, f)
			}
		}
		return out
	}
	if diff := cmp.Diff([]string{"offer", "citizen_accepted"}, fields(send(health, false))); diff != "" {
		t.Fatalf("no consent, not accepted: %s", diff)
	}
	c.consent(cid, c.social, "helbred") // consent to the wrong unit does not count
	if diff := cmp.Diff([]string{"offer"}, fields(send(health, true))); diff != "" {
		t.Fatalf("consent to another unit: %s", diff)
	}
	_, err := c.st.Pool().Exec(c.ctx, `
		INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, withdrawn_at, recorded_by)
		VALUES ($1, 'helbred', $2, 'Henvisning', current_date - 10, now(), $3)`, cid, c.health, c.cw)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"offer"}, fields(send(health, true))); diff != "" {
		t.Fatalf("withdrawn consent: %s", diff)
	}
	if diff := cmp.Diff([]string{"offer"}, fields(send(retired, true))); diff != "" {
		t.Fatalf("retired offer: %s", diff)
	}
	if diff := cmp.Diff([]string{"offer"}, fields(send(999999, true))); diff != "" {
		t.Fatalf("unknown offer: %s", diff)
	}
	if n := c.count(`SELECT count(*) FROM referrals WHERE citizen_id = $1`, cid); n != 0 {
		t.Fatalf("%d referrals saved by refused attempts", n)
	}
	// Employment offers need neither (ret og pligt, same administration).
	if err := send(jobs, false); err != nil {
		t.Fatalf("referral to a jobcenter offer: %v", err)
	}
	c.consent(cid, c.health, "helbred")
	if err := send(health, true); err != nil {
		t.Fatalf("with consent and acceptance: %v", err)
	}

	// The health centre now has a relation to the citizen (access.Relation.ReferralToUnit).
	rel, err := c.st.Relation(c.ctx, access.User{ID: c.nurse, UnitID: c.health, Role: access.RoleHealth}, cid)
	if err != nil || !rel.ReferralToUnit {
		t.Fatalf("relation of the provider: %+v, %v", rel, err)
	}
	rel, _ = c.st.Relation(c.ctx, access.User{ID: 1, UnitID: c.social, Role: access.RoleSocial}, cid)
	if rel.ReferralToUnit {
		t.Fatal("a unit without a referral has a relation")
	}
}

func TestOpenReferralChangesNothingAndChecksConsent(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	offer := c.offer(store.OfferInput{Name: "Livsstilsforløb", ProviderUnitID: c.health})
	cid, id := c.refer(offer, c.health)

	d, err := c.st.OpenReferral(c.ctx, c.cwWho, cid, id, c.jobcenter)
	if err != nil || d.State != helhed.ReferralSent {
		t.Fatalf("caseworker opens: %s, %v; want still sendt", d.State, err)
	}
	// The provider opening it changes nothing: receipt is a transition of its own.
	d, err = c.st.OpenReferral(c.ctx, c.nurseWho, cid, id, c.health)
	if err != nil || d.State != helhed.ReferralSent || !d.ViewerConsent || len(d.Events) != 1 || d.Version != 1 {
		t.Fatalf("provider opens: %s v%d consent %v, %d events, %v; want sendt v1 with consent, 1 event", d.State, d.Version, d.ViewerConsent, len(d.Events), err)
	}
	if n, _, _ := c.st.ReferralBadge(c.ctx, c.nurse, c.health, true, false); n != 1 {
		t.Fatalf("provider badge after opening: %d; want 1 (not yet received)", n)
	}
	if _, err := c.st.TransitionReferral(c.ctx, c.nurseWho, cid, id, 1, helhed.ReferralReceived, ""); err != nil {
		t.Fatal(err)
	}
	d, err = c.st.OpenReferral(c.ctx, c.nurseWho, cid, id, c.health)
	if err != nil || d.State != helhed.ReferralReceived || len(d.Events) != 2 {
		t.Fatalf("after receipt: %s, %d events, %v", d.State, len(d.Events), err)
	}
	if d.Events[1].ByName == nil || *d.Events[1].ByName != "Nurse" || *d.Events[1].FromState != helhed.ReferralSent {
		t.Fatalf("receipt event: %+v", d.Events[1])
	}
	if _, err := c.st.OpenReferral(c.ctx, c.nurseWho, cid+1, id, c.health); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("referral under another citizen: %v; want not found", err)
	}
	// The caseworker's badge counts the change they have not seen; opening it clears it.
	if _, n, _ := c.st.ReferralBadge(c.ctx, c.cw, c.jobcenter, false, true); n != 1 {
		t.Fatalf("caseworker badge: %d; want 1", n)
	}
	if n, _, _ := c.st.ReferralBadge(c.ctx, c.nurse, c.health, true, false); n != 0 {
		t.Fatalf("provider badge after receipt: %d; want 0", n)
	}
	if _, err := c.st.OpenReferral(c.ctx, c.cwWho, cid, id, c.jobcenter); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := c.st.ReferralBadge(c.ctx, c.cw, c.jobcenter, false, true); n != 0 {
		t.Fatalf("caseworker badge after opening: %d; want 0", n)
	}
}

func TestUpdateOfferConflict(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	in := store.OfferInput{Name: "Livsstilsforløb", ProviderUnitID: c.health, Opgavetype: "ot06", Capacity: 12,
		StartDates: []time.Time{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}}
	id := c.offer(in)
	in.Capacity = 14
	if err := c.st.UpdateOffer(c.ctx, who, id, 1, in); err != nil {
		t.Fatal(err)
	}
	in.Capacity = 16
	if err := c.st.UpdateOffer(c.ctx, who, id, 1, in); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("stale update: %v; want conflict", err)
	}
	o, _ := c.st.OfferByID(c.ctx, id)
	if o.Capacity != 14 || o.Version != 2 || len(o.StartDates) != 1 {
		t.Fatalf("after conflict: capacity %d version %d dates %v", o.Capacity, o.Version, o.StartDates)
	}
	if err := c.st.UpdateOffer(c.ctx, who, 999999, 1, in); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("missing offer: %v", err)
	}
	if n := c.count(`SELECT count(*) FROM audit_events WHERE action IN ('offer.create', 'offer.update') AND detail LIKE $1`, fmt.Sprintf("tilbud %d %%", id)); n != 2 {
		t.Fatalf("%d audit rows; want create + one update", n)
	}
}

// The offer's seat counts are kept by a trigger in SQL; the states it counts must be the
// domain's (HoldsSeat, the waiting list) for every state, through every change of state,
// and when a referral goes with its deleted citizen.
func TestSeatCountsFollowTheDomain(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	offer := c.offer(store.OfferInput{Name: "Tælleforløb", ProviderUnitID: c.health, Capacity: 50})
	counts := func() (held, waiting int) {
		t.Helper()
		if err := c.st.Pool().QueryRow(c.ctx, `SELECT seats_taken, waiting FROM offers WHERE id = $1`, offer).Scan(&held, &waiting); err != nil {
			t.Fatal(err)
		}
		return held, waiting
	}
	var wantHeld, wantWaiting int
	var ids []int64
	cid := c.citizen()
	for _, st := range helhed.ReferralStates {
		var id int64
		if err := c.st.Pool().QueryRow(c.ctx, `
			INSERT INTO referrals (citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, citizen_accepted)
			VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING id`, cid, offer, c.cw, c.jobcenter, c.health, st).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if st.HoldsSeat() {
			wantHeld++
		}
		if st == helhed.ReferralWaitlisted {
			wantWaiting++
		}
		if held, waiting := counts(); held != wantHeld || waiting != wantWaiting {
			t.Fatalf("after a referral in %s: seats %d, waiting %d; want %d, %d", st, held, waiting, wantHeld, wantWaiting)
		}
	}
	// Every referral moved to every state, one after the other.
	for _, to := range helhed.ReferralStates {
		if _, err := c.st.Pool().Exec(c.ctx, `UPDATE referrals SET state = $2 WHERE id = ANY($1)`, ids, to); err != nil {
			t.Fatal(err)
		}
		wantHeld, wantWaiting = 0, 0
		if to.HoldsSeat() {
			wantHeld = len(ids)
		}
		if to == helhed.ReferralWaitlisted {
			wantWaiting = len(ids)
		}
		if held, waiting := counts(); held != wantHeld || waiting != wantWaiting {
			t.Fatalf("all in %s: seats %d, waiting %d; want %d, %d", to, held, waiting, wantHeld, wantWaiting)
		}
	}
	if _, err := c.st.Pool().Exec(c.ctx, `UPDATE referrals SET state = 'startet' WHERE id = ANY($1)`, ids); err != nil {
		t.Fatal(err)
	}
	if _, err := c.st.Pool().Exec(c.ctx, `DELETE FROM citizens WHERE id = $1`, cid); err != nil {
		t.Fatal(err)
	}
	if held, waiting := counts(); held != 0 || waiting != 0 {
		t.Fatalf("after the citizen was deleted: seats %d, waiting %d; want 0, 0", held, waiting)
	}
}
