package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// A new table holding citizen data must be added to the export: this walks the foreign keys
// from citizens in the migrated schema and compares.
func TestExportCoversEveryCitizenTable(t *testing.T) {
	t.Parallel()
	st, _, _ := fixture(t)
	tables, err := st.CitizenTables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	covered := store.ExportSectionTables()
	for _, tbl := range tables {
		if !slices.Contains(covered, tbl) {
			t.Errorf("table %s references citizens but is not in the citizen export (store/export.go)", tbl)
		}
	}
}

func TestExportHasOnlyThisCitizen(t *testing.T) {
	t.Parallel()
	st, unit, cw := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: cw, RequestID: "t"}
	a, _ := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	b, _ := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "030486-1234"), FirstName: "Bo", LastName: "Berg"})
	for _, id := range []int64{a, b} {
		if _, err := st.CreateScreening(ctx, w, id, st.Now(), helhed.ScreeningAnswers{Diet: "god"}, store.Conditions{Notes: "note " + string(rune('A'+id%2))},
			helhed.Result{RuleSetVersion: 1, Group: helhed.RiskLow}); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateConsents(ctx, w, store.NewConsent{CitizenID: id, Information: "helbred", UnitIDs: []int64{unit}, Purpose: "p", GivenOn: st.Now()}); err != nil {
			t.Fatal(err)
		}
		offer, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: unit, Capacity: 5})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.ViewCitizen(ctx, w, a); err != nil {
		t.Fatal(err)
	}
	ex, err := st.ExportCitizen(ctx, w, a)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(ex)
	if !strings.Contains(string(raw), "Andersen") || strings.Contains(string(raw), "Berg") || strings.Contains(string(raw), "0304861234") {
		t.Fatalf("export of A is wrong or leaks B: %s", raw)
	}
	counts := map[string]int{}
	for _, s := range ex.Sections {
		counts[s.Table] = len(s.Rows)
		for _, r := range s.Rows {
			if cid, ok := r["citizen_id"]; ok && cid != float64(a) {
				t.Errorf("%s row of citizen %v in A's export", s.Table, cid)
			}
		}
	}
	if counts["citizens"] != 1 || counts["screenings"] != 1 || counts["consents"] != 1 || counts["referrals"] != 1 || counts["referral_events"] != 1 {
		t.Fatalf("section counts %v", counts)
	}
	var views int
	for _, l := range ex.Lookups {
		if l.Action == store.AuditCitizenView {
			views++
		}
	}
	if views != 1 {
		t.Fatalf("look-ups: %d views; want 1", views)
	}
	if strings.Contains(string(raw), `"user_id"`) {
		t.Fatal("look-ups reveal employee identities")
	}
}
