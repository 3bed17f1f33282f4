package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// CreateConsents applies helhed.ValidateConsent whoever calls, and the database refuses a
// consent without a purpose or expiring no later than it was given even when written directly.
func TestConsentRulesHoldInTheStoreAndDatabase(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cid, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	today := st.Now()
	far := today.AddDate(50, 0, 0)
	for name, c := range map[string]store.NewConsent{
		"blank purpose":  {Purpose: "   ", GivenOn: today},
		"given in 1990":  {Purpose: "x", GivenOn: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
		"expires far on": {Purpose: "x", GivenOn: today, ExpiresOn: &far},
	} {
		c.CitizenID, c.Information, c.UnitIDs = cid, store.ConsentHealth, []int64{unit}
		if err := st.CreateConsents(ctx, store.Who{UserID: uid}, c); helhed.ErrorCode(err) != helhed.EInvalid {
			t.Errorf("%s: %v; want invalid", name, err)
		}
	}
	for name, q := range map[string]string{
		"blank purpose":         `INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, recorded_by) VALUES ($1, 'helbred', $2, E' \n', current_date, $3)`,
		"purpose of 501":        `INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, recorded_by) VALUES ($1, 'helbred', $2, '` + strings.Repeat("x", 501) + `', current_date, $3)`,
		"expires the day given": `INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, expires_on, recorded_by) VALUES ($1, 'helbred', $2, 'x', current_date, current_date, $3)`,
	} {
		if _, err := st.Pool().Exec(ctx, q, cid, unit, uid); err == nil || !strings.Contains(err.Error(), "check constraint") {
			t.Errorf("%s written directly: %v; want a check constraint violation", name, err)
		}
	}
}

// A consent given today is recorded after the Danish midnight too: at 00.30 Danish time the
// day is already the new one, while the instant is still the day before in UTC. The form
// offers the Danish day, and the store must check against the same day.
func TestConsentGivenTodayAfterDanishMidnight(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cid, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 12, 21, 23, 30, 0, 0, time.UTC) } // 00.30 on 22 December, Danish time
	today := time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC)
	if err := st.CreateConsents(ctx, store.Who{UserID: uid}, store.NewConsent{CitizenID: cid, Information: store.ConsentHealth,
		UnitIDs: []int64{unit}, Purpose: "Henvisning til sundhedscentret", GivenOn: today}); err != nil {
		t.Fatalf("a consent given on the Danish day (22 December) at 00.30: %v", err)
	}
	// And it is in force at once: for the referral gate, HasConsent and the access relation.
	if ok, err := st.HasConsent(ctx, cid, unit, store.ConsentHealth, st.Now()); !ok || err != nil {
		t.Errorf("HasConsent at 00.30 on the day it was given: %v %v; want true", ok, err)
	}
	if rel, err := st.Relation(ctx, access.User{ID: uid, UnitID: unit, Role: "sagsbehandler"}, cid); err != nil || !rel.HealthConsent {
		t.Errorf("the access relation at 00.30 on the day it was given: health consent %v (%v); want true", rel.HealthConsent, err)
	}
	tomorrow := today.AddDate(0, 0, 1)
	if err := st.CreateConsents(ctx, store.Who{UserID: uid}, store.NewConsent{CitizenID: cid, Information: store.ConsentHealth,
		UnitIDs: []int64{unit}, Purpose: "x", GivenOn: tomorrow}); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Fatalf("a consent given on 23 December, recorded on the 22nd: %v; want invalid", err)
	}
}
