package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// At WHO-5 ≤ 28 the result prompts the caseworker to encourage the citizen to see their own
// doctor; recording that it was done stores who and when with the screening and audits it in
// the same transaction. A screening above the cut-off, or a second record, is refused.
func TestGPEncouragementIsStoredAndAudited(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
	c.st.Now = func() time.Time { return at }
	rs, err := c.st.CurrentRuleSet(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	if rs.GPCutoff() != 28 || rs.BMIHigh10 != 300 {
		t.Fatalf("rule set in force: GP cut-off %d, BMI limit %d; want 28 and 300 (migration 0025)", rs.GPCutoff(), rs.BMIHigh10)
	}
	screen := func(citizen int64, who5 [5]int) int64 {
		t.Helper()
		a := helhed.ScreeningAnswers{Diet: "god", Smoking: "aldrig", Sleep: "sjaeldent", ActiveMinutesPerDay: 60, WHO5: who5,
			SelfHealth: "mindre_godt", WorkImpact: helhed.ImpactNone, HeightCm: 175, WeightKg: 70, Hash: "aldrig", Drugs: "aldrig"}
		sid, err := c.st.CreateScreening(ctx, c.cwWho, citizen, at, a, store.Conditions{}, helhed.Score(a, rs))
		if err != nil {
			t.Fatal(err)
		}
		return sid
	}
	low := c.citizen()
	sid := screen(low, [5]int{1, 1, 1, 2, 2}) // WHO-5 28
	if err := c.st.RecordGPEncouragement(ctx, c.cwWho, low, sid); err != nil {
		t.Fatal(err)
	}
	sc, err := c.st.ViewScreening(ctx, c.cwWho, low, sid, true)
	if err != nil {
		t.Fatal(err)
	}
	if sc.GPEncouragedAt == nil || !sc.GPEncouragedAt.Equal(at) || sc.GPEncouragedBy == nil || *sc.GPEncouragedBy != "Case Worker" {
		t.Errorf("stored: at %v by %v; want %v by Case Worker", sc.GPEncouragedAt, sc.GPEncouragedBy, at)
	}
	var self string
	if err := c.st.Pool().QueryRow(ctx, `SELECT self_rated_health FROM screenings WHERE id = $1`, sid).Scan(&self); err != nil || self != "mindre_godt" {
		t.Errorf("self_rated_health = %q (%v); want mindre_godt", self, err)
	}
	var n int
	var detail string
	if err := c.st.Pool().QueryRow(ctx, `SELECT count(*) OVER (), detail FROM audit_events WHERE action = $1 AND citizen_id = $2 AND user_id = $3`,
		store.AuditScreeningGP, low, c.cw).Scan(&n, &detail); err != nil || n != 1 || detail != "screening "+itoa(sid)+": WHO-5 28 ≤ 28" {
		t.Errorf("audit rows %d, detail %q (%v); want one naming the screening and the cut-off", n, detail, err)
	}
	if store.AuditActionLabel(store.AuditScreeningGP) != "Opfordret til egen læge" {
		t.Error("the audit action has no Danish label")
	}

	var he *helhed.Error
	if err := c.st.RecordGPEncouragement(ctx, c.cwWho, low, sid); !errors.As(err, &he) || he.Code != helhed.EConflict {
		t.Errorf("second record: %v; want a conflict", err)
	}
	high := c.citizen()
	sid32 := screen(high, [5]int{1, 1, 2, 2, 2}) // WHO-5 32: above the cut-off
	if err := c.st.RecordGPEncouragement(ctx, c.cwWho, high, sid32); !errors.As(err, &he) || he.Code != helhed.EInvalid {
		t.Errorf("WHO-5 32: %v; want refused as invalid", err)
	}
	if err := c.st.RecordGPEncouragement(ctx, c.cwWho, high, sid); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("another citizen's screening: %v; want not found", err)
	}
	if got := auditCount(t, c.st, high, store.AuditScreeningGP); got != 0 {
		t.Errorf("refused records audited %d times", got)
	}
	// A self-rated health code outside the vocabulary is refused beside its field.
	a := helhed.ScreeningAnswers{SelfHealth: "super"}
	_, err = c.st.CreateScreening(ctx, c.cwWho, high, at, a, store.Conditions{}, helhed.Score(a, rs))
	if !errors.As(err, &he) || he.Fields[helhed.FieldSelfHealth] == "" {
		t.Errorf("unknown self-rated health: %v; want a field error", err)
	}
}
