package helhed

import (
	"testing"
	"time"
)

// The validity of a value at its boundaries, with the dates of the kontanthjælp reform:
// uddannelseshjælp from 1.1.2014 (lov nr. 894 af 4.7.2013) to 30.6.2025, abolished from
// 1.7.2025 by lov nr. 1655 af 30.12.2024 (docs/law.md). The last day in force is accepted,
// the day after is refused; so is the day before the first day. A day typed in a form is
// midnight in Danish time, a date from the database midnight UTC: both are the same date.
func TestOutOfForceAtTheBoundaries(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	dk := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, time.FixedZone("CEST", 2*3600))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	const label, source = "Uddannelseshjælp", "Lov nr. 1655 af 30.12.2024"
	from, to := utc("2014-01-01"), utc("2025-06-30")
	tests := []struct {
		name string
		day  time.Time
		want string
	}{
		{"the day before it began", dk("2013-12-31"), "Uddannelseshjælp gælder først fra 1. januar 2014 (Lov nr. 1655 af 30.12.2024)."},
		{"its first day", dk("2014-01-01"), ""},
		{"in 2024", dk("2024-03-01"), ""},
		{"its last day, 30.06.2025", dk("2025-06-30"), ""},
		{"the day of the reform, 01.07.2025", dk("2025-07-01"), "Uddannelseshjælp er afskaffet fra 1. juli 2025 (Lov nr. 1655 af 30.12.2024)."},
		{"in November 2026", dk("2026-11-01"), "Uddannelseshjælp er afskaffet fra 1. juli 2025 (Lov nr. 1655 af 30.12.2024)."},
	}
	for _, tc := range tests {
		if got := OutOfForce(label, source, from, &to, tc.day); got != tc.want {
			t.Errorf("%s: %q; want %q", tc.name, got, tc.want)
		}
	}
	if got := OutOfForce("Kontanthjælp", "", utc("1900-01-01"), nil, dk("2099-12-31")); got != "" {
		t.Errorf("a value without an end: %q", got)
	}
	if got := OutOfForce("Ny ydelse", "", utc("2027-01-01"), nil, dk("2026-12-31")); got != "Ny ydelse gælder først fra 1. januar 2027." {
		t.Errorf("without a source: %q", got)
	}
}
