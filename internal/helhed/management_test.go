package helhed

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDurations(t *testing.T) {
	tests := []struct {
		days         Durations
		mean, median float64
	}{
		{Durations{100, 200, 400}, 233.333, 200},
		{Durations{400, 100, 200, 300}, 250, 250},
		{Durations{7}, 7, 7},
		{Durations{-3, 0, 5000000, 2}, 1250000 - 0.25, 1}, // wide range: sorted, not counted
		{Durations{5, 5, 5, 9, 1, 1}, 26.0 / 6, 5},
	}
	for _, tc := range tests {
		before := append(Durations(nil), tc.days...)
		if m := tc.days.Mean(); math.Abs(m.Value-tc.mean) > 0.001 || m.N != len(tc.days) {
			t.Errorf("Mean(%v) = %v over %d; want %v", tc.days, m.Value, m.N, tc.mean)
		}
		if m := tc.days.Median(); m.Value != tc.median {
			t.Errorf("Median(%v) = %v; want %v", tc.days, m.Value, tc.median)
		}
		if diff := cmp.Diff(before, tc.days); diff != "" {
			t.Errorf("Median sorted its input: %s", diff)
		}
	}
	if !(Durations{}).Median().Empty() || !(Durations{}).Mean().Empty() {
		t.Error("no durations should give empty figures")
	}
}

func TestQuarters(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	for in, want := range map[string]string{"2026-01-31": "2026 K1", "2026-05-02": "2026 K2", "2026-09-30": "2026 K3", "2026-12-01": "2026 K4"} {
		if got := QuarterLabel(Quarter(d(in))); got != want {
			t.Errorf("quarter of %s = %s; want %s", in, got, want)
		}
	}
	p := Period{From: d("2025-12-01"), To: d("2026-11-01")}
	if p.Months() != 12 || !p.Contains(d("2026-11-01")) || p.Contains(d("2025-11-01")) || p.Contains(d("2026-12-01")) {
		t.Errorf("period %v: %d months", p, p.Months())
	}
}

func TestSummariseOutcomes(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	cells := []OutcomeCell{
		{Month: d("2026-02-01"), Benefit: "kontanthjaelp", Exit: "job", Risk: "hoej", WithPlan: true, Days: Durations{100, 200}},
		{Month: d("2026-05-01"), Benefit: "kontanthjaelp", Exit: "uddannelse", Risk: "", Days: Durations{400}},
		{Month: d("2026-05-01"), Benefit: "sygedagpenge", Exit: "job", Risk: "lav", Days: Durations{50}},
		{Month: d("2025-03-01"), Benefit: "kontanthjaelp", Exit: "andet", Risk: "hoej", Days: Durations{900, 700}}, // baseline
		{Month: d("2024-01-01"), Benefit: "kontanthjaelp", Exit: "andet", Days: Durations{1}},                      // neither
	}
	o := SummariseOutcomes(cells, Period{d("2026-01-01"), d("2026-12-01")}, Period{d("2025-01-01"), d("2025-12-01")},
		[]string{"sygedagpenge", "kontanthjaelp"})
	if o.Total.N() != 4 || o.Total.Days.Mean().Value != 187.5 || o.Total.Days.Median().Value != 150 {
		t.Errorf("total: n %d, mean %v, median %v", o.Total.N(), o.Total.Days.Mean().Value, o.Total.Days.Median().Value)
	}
	if o.Total.Exits["job"] != 3 || o.Total.ExitShare("job").Value != 75 {
		t.Errorf("exits to job: %v", o.Total.Exits)
	}
	if o.BaselineTotal.N() != 2 || o.BaselineTotal.Days.Mean().Value != 800 {
		t.Errorf("baseline: %v", o.BaselineTotal.Days)
	}
	keys := func(gs []OutcomeGroup) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.Key)
		}
		return out
	}
	if diff := cmp.Diff([]string{"sygedagpenge", "kontanthjaelp"}, keys(o.ByBenefit)); diff != "" {
		t.Errorf("benefit order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hoej", "lav", ""}, keys(o.ByRisk)); diff != "" {
		t.Errorf("risk groups (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"med", "uden"}, keys(o.ByPlan)); diff != "" {
		t.Errorf("plan groups (-want +got):\n%s", diff)
	}
	if o.ByPlan[0].N() != 2 || o.ByPlan[1].N() != 2 {
		t.Errorf("with/without plan: %d/%d", o.ByPlan[0].N(), o.ByPlan[1].N())
	}
	// The trend runs from the baseline's first quarter to the period's last, empty quarters
	// included.
	if len(o.Quarters) != 8 || o.Quarters[0].Key != "2025-01-01" || o.Quarters[7].Key != "2026-10-01" {
		t.Fatalf("quarters: %v", keys(o.Quarters))
	}
	if o.Quarters[0].N() != 2 || o.Quarters[4].N() != 2 || o.Quarters[5].N() != 2 || o.Quarters[6].N() != 0 {
		t.Errorf("quarter counts: %d %d %d %d", o.Quarters[0].N(), o.Quarters[4].N(), o.Quarters[5].N(), o.Quarters[6].N())
	}
}

func TestAcceptanceRate(t *testing.T) {
	got := AcceptanceRate(map[ReferralState]int{ReferralSent: 7, ReferralReceived: 3, ReferralCancelled: 2,
		ReferralRejected: 10, ReferralAccepted: 5, ReferralWaitlisted: 5, ReferralStarted: 10, ReferralCompleted: 10})
	if got.Part != 30 || got.N != 40 || got.Value != 75 {
		t.Errorf("acceptance = %d of %d (%v %%); want 30 of 40", got.Part, got.N, got.Value)
	}
}
