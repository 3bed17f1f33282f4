package helhed

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCaseDeletionDue(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, cph)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		closed string
		years  int
		want   string
	}{
		{"2026-06-01 12:00", 5, "2032-01-01 00:00"},
		{"2026-01-01 00:30", 5, "2032-01-01 00:00"}, // New Year's night in Denmark is already the new year
		{"2025-12-31 23:59", 5, "2031-01-01 00:00"},
		{"2026-12-31 23:59", 1, "2028-01-01 00:00"},
	} {
		got := CaseDeletionDue(at(tc.closed), tc.years)
		if !got.Equal(at(tc.want)) {
			t.Errorf("closed %s, %d years: due %s; want %s", tc.closed, tc.years, got, tc.want)
		}
	}
	// 2025-12-31 23:30 UTC is 2026-01-01 00:30 in Denmark.
	if got := CaseDeletionDue(time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), 5); !got.Equal(at("2032-01-01 00:00")) {
		t.Errorf("closed on New Year's night (UTC): due %s; want 1 January 2032, Danish time", got)
	}
}

// The cutoff the job asks the database with agrees with the due date shown to users, on
// every boundary.
func TestCaseDeletionCutoffAgreesWithDue(t *testing.T) {
	start := time.Date(2025, 12, 30, 0, 0, 0, 0, time.UTC)
	for _, years := range []int{1, 5, 10} {
		for closed := start; closed.Before(start.AddDate(0, 0, 4)); closed = closed.Add(90 * time.Minute) {
			due := CaseDeletionDue(closed, years)
			for _, now := range []time.Time{due.Add(-time.Second), due, due.Add(time.Second)} {
				deleted := closed.Before(CaseDeletionCutoff(now, years))
				if want := !now.Before(due); deleted != want {
					t.Fatalf("closed %s, %d years, now %s: deleted=%v; want %v", closed, years, now, deleted, want)
				}
			}
		}
	}
}

func TestCheckReason(t *testing.T) {
	if r, err := CheckReason(FieldCloseReason, "  Borgeren er i job  "); err != nil || r != "Borgeren er i job" {
		t.Fatalf("good reason: %q %v", r, err)
	}
	for _, bad := range []string{"", "   ", strings.Repeat("x", 501)} {
		_, err := CheckReason(FieldHoldReason, bad)
		var de *Error
		if !errors.As(err, &de) || de.Fields[FieldHoldReason] == "" {
			t.Errorf("reason of %d characters: %v; want a field error", len(bad), err)
		}
	}
}
