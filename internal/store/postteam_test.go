package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// writePostTeam gives the fixture's citizen both post-team records: a samlet beskrivelse by
// the caseworker and advice from the region's member (the sundhedskoordinator).
func writePostTeam(t *testing.T, f meetingFixture) {
	t.Helper()
	ctx := context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	if _, err := f.st.SaveDescription(ctx, cw, f.citizen, 0, helhed.Preparation{"health": "Kroniske rygsmerter"}); err != nil {
		t.Fatal(err)
	}
	id, err := f.st.RequestHealthAdvice(ctx, cw, f.citizen, f.region, "Hvilke skånehensyn?")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.GiveHealthAdvice(ctx, store.Who{UserID: f.member}, f.citizen, id, 1, "Ingen tunge løft"); err != nil {
		t.Fatal(err)
	}
}

// The samlet beskrivelse is one record per citizen, saved on the version the form was loaded
// on: a second writer on a stale version is a conflict that changes nothing; every save is
// audited.
func TestCaseDescriptionLocksAndAudits(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}

	if _, ok, err := st.CaseDescriptionOf(ctx, f.citizen); err != nil || ok {
		t.Fatalf("before any save: ok=%v, %v", ok, err)
	}
	if _, err := st.SaveDescription(ctx, cw, f.citizen, 0, helhed.Preparation{}); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Fatalf("an empty description: %v; want invalid", err)
	}
	v1, err := st.SaveDescription(ctx, cw, f.citizen, 0, helhed.Preparation{"education": "Faglært tømrer", "health": "Diskusprolaps"})
	if err != nil || v1 != 1 {
		t.Fatalf("first save: version %d, %v", v1, err)
	}
	// Two forms opened on no description: the second create is a conflict, not a second row.
	if _, err := st.SaveDescription(ctx, cw, f.citizen, 0, helhed.Preparation{"education": "Anden"}); !errors.Is(err, store.ErrDescriptionChanged) {
		t.Fatalf("a second create: %v; want ErrDescriptionChanged", err)
	}
	v2, err := st.SaveDescription(ctx, cw, f.citizen, v1, helhed.Preparation{"education": "Faglært tømrer", "health": "Diskusprolaps, opereret 2025"})
	if err != nil || v2 != 2 {
		t.Fatalf("second save: version %d, %v", v2, err)
	}
	// A form loaded on version 1 is stale now.
	if _, err := st.SaveDescription(ctx, cw, f.citizen, v1, helhed.Preparation{"education": "Overskriver"}); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("a stale save: %v; want a conflict", err)
	}
	d, ok, err := st.CaseDescriptionOf(ctx, f.citizen)
	if err != nil || !ok || d.Version != 2 || d.Sections["health"] != "Diskusprolaps, opereret 2025" || d.UpdatedByName != "Case Worker" {
		t.Fatalf("description after a refused stale save: %+v, %v, %v", d, ok, err)
	}
	if n := auditRows(t, st, store.AuditDescriptionSave, f.caseworker); n != 2 {
		t.Errorf("%d description.save rows; want 2 (the two saves, not the refused ones)", n)
	}
	if _, err := st.SaveDescription(ctx, cw, 999999, 0, helhed.Preparation{"health": "x"}); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("a missing citizen: %v; want not found", err)
	}
}

// The caseworker asks the region; only a user of the region (the sundhedskoordinator) answers.
// The answer is saved on the version loaded: a stale correction is a conflict. Both steps are
// audited; the request opens the citizen to the region (Relation.AdviceRequested).
func TestHealthAdviceFromTheCoordinator(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	coordinator := access.User{ID: f.member, UnitID: f.region, Role: access.RoleRehabTeam}

	if rel, err := st.Relation(ctx, coordinator, f.citizen); err != nil || rel.AdviceRequested {
		t.Fatalf("before a request: %+v, %v", rel, err)
	}
	if _, err := st.RequestHealthAdvice(ctx, cw, f.citizen, f.jobcenter, "Spørgsmål"); helhed.FieldErrorsOf(err)[helhed.FieldAdviceUnit] == "" {
		t.Fatalf("asking a jobcenter: %v; want a field error on the unit", err)
	}
	if _, err := st.RequestHealthAdvice(ctx, cw, f.citizen, f.region, " "); helhed.FieldErrorsOf(err)[helhed.FieldAdviceQuestion] == "" {
		t.Fatalf("no question: %v; want a field error", err)
	}
	id, err := st.RequestHealthAdvice(ctx, cw, f.citizen, f.region, "Kan borgeren arbejde 12 timer om ugen?")
	if err != nil {
		t.Fatal(err)
	}
	if rel, err := st.Relation(ctx, coordinator, f.citizen); err != nil || !rel.AdviceRequested || !access.CanCitizen(coordinator, access.WriteHealthAdvice, rel) {
		t.Fatalf("after the request: %+v, %v; want the region asked", rel, err)
	}
	if have, err := st.PostTeamRecords(ctx, f.citizen); err != nil || have.Advice {
		t.Fatalf("an unanswered request counts as advice: %+v, %v", have, err)
	}
	// The caseworker cannot answer in the coordinator's name, whatever the handler allows.
	if err := st.GiveHealthAdvice(ctx, cw, f.citizen, id, 1, "Ja"); !errors.Is(err, store.ErrNotAdviceUnit) {
		t.Fatalf("the caseworker answers: %v; want ErrNotAdviceUnit", err)
	}
	member := store.Who{UserID: f.member, RequestID: "t"}
	if err := st.GiveHealthAdvice(ctx, member, f.citizen, id, 1, "Ja, 12 timer med pauser; ingen tunge løft."); err != nil {
		t.Fatal(err)
	}
	// A second form loaded on version 1 is stale.
	if err := st.GiveHealthAdvice(ctx, member, f.citizen, id, 1, "Overskriver"); !errors.Is(err, store.ErrAdviceChanged) {
		t.Fatalf("a stale correction: %v; want ErrAdviceChanged", err)
	}
	if err := st.GiveHealthAdvice(ctx, member, f.citizen, id, 2, "Ja, 12 timer med pauser."); err != nil {
		t.Fatalf("a correction on the current version: %v", err)
	}
	a, err := st.HealthAdviceByID(ctx, f.citizen, id)
	if err != nil || a.Advice == nil || *a.Advice != "Ja, 12 timer med pauser." || a.GivenByName == nil || *a.GivenByName != "Rehab Medlem" ||
		a.Question != "Kan borgeren arbejde 12 timer om ugen?" || a.RequestedByName != "Case Worker" || a.GivenAt == nil || a.Version != 3 {
		t.Fatalf("advice: %+v, %v", a, err)
	}
	if have, err := st.PostTeamRecords(ctx, f.citizen); err != nil || !have.Advice || have.Description {
		t.Fatalf("records: %+v, %v", have, err)
	}
	if n := auditRows(t, st, store.AuditAdviceRequest, f.caseworker); n != 1 {
		t.Errorf("%d health_advice.request rows; want 1", n)
	}
	if n := auditRows(t, st, store.AuditAdviceGive, f.member); n != 2 {
		t.Errorf("%d health_advice.give rows; want 2", n)
	}
	if _, err := st.HealthAdviceByID(ctx, 999999, id); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("advice of another citizen: %v; want not found", err)
	}
	// The answered request keeps the region's access for the window, then it ends.
	st.Now = func() time.Time { return now.AddDate(0, 0, store.ReferralAccessDays+1) }
	if _, err := st.Pool().Exec(ctx, `UPDATE health_advice SET given_at = now() - interval '40 days' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if rel, err := st.Relation(ctx, coordinator, f.citizen); err != nil || rel.AdviceRequested {
		t.Fatalf("long after the answer: %+v, %v; want no relation", rel, err)
	}
}

// A fleksjob or førtidspension indstilling and afgørelse are refused until the case has both
// records (the setting in force), with a Danish message naming what is missing; other
// outcomes are not affected; before the setting's first day nothing is required.
func TestFleksjobNeedsThePostTeamRecords(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	err = st.RecordIndstilling(ctx, store.Who{UserID: f.member}, f.meeting, mc, 1, helhed.Indstilling{Outcome: "fleksjob", Reasons: "Varigt nedsat"})
	msg := helhed.FieldErrorsOf(err)[helhed.FieldOutcome]
	if !strings.Contains(msg, helhed.PostTeamDescription) || !strings.Contains(msg, helhed.PostTeamAdvice) || !strings.Contains(msg, "lov nr. 1750") {
		t.Fatalf("a fleksjob indstilling without the records: %v (%q); want both named", err, msg)
	}
	if c, err := st.MeetingCaseByID(ctx, f.meeting, mc); err != nil || c.Outcome != nil || c.Version != 1 {
		t.Fatalf("the refused indstilling was saved: %+v, %v", c, err)
	}
	// Jobafklaring needs neither.
	if err := st.RecordIndstilling(ctx, store.Who{UserID: f.member}, f.meeting, mc, 1,
		helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "Afklaring"}); err != nil {
		t.Fatalf("a jobafklaring indstilling: %v", err)
	}
	// A decision of førtidspension departing from it is refused too; only the description missing now.
	if _, err := st.SaveDescription(ctx, cw, f.citizen, 0, helhed.Preparation{"health": "Svær depression"}); err != nil {
		t.Fatal(err)
	}
	today := helhed.DanishToday(now)
	fp := helhed.Decision{Outcome: "foertidspension", Reasons: "Arbejdsevnen kan ikke forbedres", DecidedOn: today,
		DepartureReasons: strings.Repeat("Arbejdsevnen er varigt nedsat. ", 3), RevurderingOn: &today, HearingOmittedReason: "Fuldt medhold"}
	_, err = st.RecordDecision(ctx, cw, f.meeting, mc, 0, fp)
	msg = helhed.FieldErrorsOf(err)[helhed.FieldDecisionOutcome]
	if !strings.Contains(msg, "Sagen mangler: "+helhed.PostTeamAdvice+".") || strings.Contains(msg, "Sagen mangler: "+helhed.PostTeamDescription) {
		t.Fatalf("a førtidspension decision without advice: %v (%q); want the advice named as missing", err, msg)
	}
	writeAdvice := func() {
		id, err := st.RequestHealthAdvice(ctx, cw, f.citizen, f.region, "Kan arbejdsevnen udvikles?")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.GiveHealthAdvice(ctx, store.Who{UserID: f.member}, f.citizen, id, 1, "Nej, ikke realistisk."); err != nil {
			t.Fatal(err)
		}
	}
	writeAdvice()
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, fp); err != nil {
		t.Fatalf("a førtidspension decision with both records: %v", err)
	}
	// The rule is the setting: with none in force (before 1.2.2026) nothing is required.
	rule, err := st.PostTeamRule(ctx, time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC))
	if err != nil || rule.Requires("fleksjob") {
		t.Fatalf("the rule on 31.1.2026: %+v, %v; want none", rule, err)
	}
	if rule, err := st.PostTeamRule(ctx, today); err != nil || !rule.Requires("fleksjob") || !rule.Requires("foertidspension") || rule.Requires("ordinaer") {
		t.Fatalf("the rule in force: %+v, %v", rule, err)
	}
}
