package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helhed/helhed/internal/store"
)

// The law calendar from a handful of values: an undated start is no event, an end takes
// effect the day after the value's last day, days come newest first and the announced ones
// (after today) apart, soonest first.
func TestLawCalendar(t *testing.T) {
	t.Parallel()
	end := func(s string) *time.Time { d := date(s); return &d }
	sets := map[string]store.RefSet{
		"benefit_type": {
			{Code: "kontanthjaelp", Label: "Kontanthjælp", SortOrder: 10, ValidFrom: store.RefUndated},
			{Code: "uddannelseshjaelp", Label: "Uddannelseshjælp", SortOrder: 20, ValidFrom: date("2014-01-01"), ValidTo: end("2025-06-30"),
				Source: "Lov nr. 1655 af 30.12.2024"},
			{Code: "integrationsydelse", Label: "Integrationsydelse", SortOrder: 40, ValidFrom: date("2015-09-01"), ValidTo: end("2025-06-30")},
			{Code: "ny", Label: "Ny ydelse", SortOrder: 95, ValidFrom: date("2027-01-01")},
		},
		"legal_basis": {
			{Code: "sel_11", Label: "Serviceloven § 11", ValidFrom: store.RefUndated, ValidTo: end("2023-12-31")},
			{Code: "bl_29", Label: "Barnets lov § 29", ValidFrom: date("2024-01-01")},
		},
	}
	days := store.LawCalendar(sets, map[string]string{"benefit_type": "Ydelsestyper"})
	type ev struct {
		day, kind, code string
		begins          bool
	}
	var got []ev
	for _, d := range days {
		for _, e := range d.Events {
			if !e.Day.Equal(d.Day) {
				t.Errorf("event %s on %s grouped under %s", e.Value.Code, e.Day, d.Day)
			}
			got = append(got, ev{d.Day.Format(time.DateOnly), e.KindLabel, e.Value.Code, e.Begins})
		}
	}
	want := []ev{
		{"2027-01-01", "Ydelsestyper", "ny", true},
		{"2025-07-01", "Ydelsestyper", "uddannelseshjaelp", false},
		{"2025-07-01", "Ydelsestyper", "integrationsydelse", false},
		{"2024-01-01", "legal_basis", "sel_11", false},
		{"2024-01-01", "legal_basis", "bl_29", true},
		{"2015-09-01", "Ydelsestyper", "integrationsydelse", true},
		{"2014-01-01", "Ydelsestyper", "uddannelseshjaelp", true},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(ev{})); diff != "" {
		t.Errorf("calendar (-want +got):\n%s", diff)
	}
	if len(days) != 5 {
		t.Errorf("%d days; want 5", len(days))
	}

	announced, past := store.SplitLawCalendar(days, date("2026-12-07"))
	if len(announced) != 1 || announced[0].Day.Format(time.DateOnly) != "2027-01-01" || len(past) != 4 ||
		past[0].Day.Format(time.DateOnly) != "2025-07-01" {
		t.Errorf("split on 7.12.2026: %d announced, %d past (first %v)", len(announced), len(past), past)
	}
	if announced, past := store.SplitLawCalendar(days, date("2025-06-30")); len(announced) != 2 ||
		announced[0].Day.Format(time.DateOnly) != "2025-07-01" || past[0].Day.Format(time.DateOnly) != "2024-01-01" {
		t.Errorf("on 30.6.2025 the reform is announced: %d announced, %d past", len(announced), len(past))
	}
	if announced, past := store.SplitLawCalendar(days, date("2025-07-01")); len(announced) != 1 || past[0].Day.Format(time.DateOnly) != "2025-07-01" {
		t.Errorf("on the day of a change it has happened: %d announced, first past %v", len(announced), past[0].Day)
	}
}
