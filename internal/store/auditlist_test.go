package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/store"
)

// A list view is one audit row with the ids of the citizens it showed, so "who looked at
// citizen X" finds lists as well as the citizen's own page: the audit search by citizen and
// the citizen's art. 15 export (when and why, not by whom) both include it.
func TestListViewsAreFoundByCitizen(t *testing.T) {
	t.Parallel()
	st, unit, cw := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: cw, RequestID: "t"}
	a, _ := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	b, _ := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "030486-1234"), FirstName: "Bo", LastName: "Berg"})
	c, _ := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "040587-1235"), FirstName: "Cille", LastName: "Carlsen"})
	if err := st.AuditList(ctx, w, store.AuditCaseloadView, "liste: mine", []int64{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := st.AuditList(ctx, w, store.AuditCaseloadView, "liste: mine", nil); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		citizen int64
		want    int
	}{{a, 1}, {b, 1}, {c, 0}} {
		evs, _, err := st.SearchAudit(ctx, store.AuditFilter{CitizenID: tc.citizen, Action: store.AuditCaseloadView}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != tc.want {
			t.Errorf("list views found for citizen %d: %d; want %d", tc.citizen, len(evs), tc.want)
		}
		for _, e := range evs {
			if !slices.Equal(e.CitizenIDs, []int64{a, b}) || e.Detail != "liste: mine" {
				t.Errorf("list view row: %+v", e)
			}
		}
	}
	ex, err := st.ExportCitizen(ctx, w, a)
	if err != nil {
		t.Fatal(err)
	}
	var lists int
	for _, l := range ex.Lookups {
		if l.Action == store.AuditCaseloadView {
			lists++
		}
	}
	raw, _ := json.Marshal(ex.Lookups)
	if lists != 1 || strings.Contains(string(raw), "Case Worker") || strings.Contains(string(raw), "Berg") {
		t.Fatalf("A's look-ups: %d list views; %s", lists, raw)
	}
	if ex, err := st.ExportCitizen(ctx, w, c); err != nil || slices.ContainsFunc(ex.Lookups, func(l store.Lookup) bool { return l.Action == store.AuditCaseloadView }) {
		t.Fatalf("C was on no list: %+v, %v", ex.Lookups, err)
	}
}
