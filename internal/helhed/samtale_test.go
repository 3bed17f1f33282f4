package helhed

import (
	"testing"
	"time"
)

// The time rules of a samtale at their boundaries: the end must come after the start; 5
// minutes to 8 hours; a start in the past only as a record of one held, a held one not in
// the future.
func TestSamtaleTimeProblems(t *testing.T) {
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, cph)
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	for _, tc := range []struct {
		name       string
		start      time.Time
		length     time.Duration
		held       bool
		wantFields []string
	}{
		{"future booking", now.Add(m(1)), m(30), false, nil},
		{"starting now is not the past", now, m(30), false, nil},
		{"a minute ago, booked", now.Add(-m(1)), m(30), false, []string{FieldSamtaleStart}},
		{"a minute ago, held", now.Add(-m(1)), m(30), true, nil},
		{"held in the future", now.Add(m(1)), m(30), true, []string{FieldSamtaleHeld}},
		{"end before start", now.Add(m(60)), -m(1), false, []string{FieldSamtaleDuration}},
		{"end at start", now.Add(m(60)), 0, false, []string{FieldSamtaleDuration}},
		{"4 minutes", now.Add(m(60)), m(4), false, []string{FieldSamtaleDuration}},
		{"5 minutes", now.Add(m(60)), m(5), false, nil},
		{"8 hours", now.Add(m(60)), m(480), false, nil},
		{"8 hours and a minute", now.Add(m(60)), m(481), false, []string{FieldSamtaleDuration}},
	} {
		got := SamtaleTimeProblems(tc.start, tc.start.Add(tc.length), now, tc.held)
		if len(got) != len(tc.wantFields) {
			t.Errorf("%s: %v; want problems in %v", tc.name, got, tc.wantFields)
			continue
		}
		for _, f := range tc.wantFields {
			if got[f] == "" {
				t.Errorf("%s: no message for %s: %v", tc.name, f, got)
			}
		}
	}
}

func TestOverlapsIsHalfOpen(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 12, 7, h, m, 0, 0, time.UTC) }
	if Overlaps(at(9, 0), at(10, 0), at(10, 0), at(11, 0)) {
		t.Error("back to back counts as a clash")
	}
	if !Overlaps(at(9, 0), at(10, 1), at(10, 0), at(11, 0)) {
		t.Error("a minute's overlap is no clash")
	}
	if !Overlaps(at(9, 0), at(12, 0), at(10, 0), at(11, 0)) {
		t.Error("one inside the other is no clash")
	}
}

func TestISOWeeks(t *testing.T) {
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	for _, tc := range []struct {
		week string
		mon  string
		ok   bool
	}{
		{"2026-W50", "2026-12-07", true},
		{"2026-W01", "2025-12-29", true},
		{"2026-W53", "2026-12-28", true}, // 2026 has 53 ISO weeks
		{"2027-W53", "", false},
		{"2026-W00", "", false},
		{"2026-50", "", false},
		{"", "", false},
	} {
		mon, ok := ParseISOWeek(tc.week, cph)
		if ok != tc.ok || (ok && mon.Format(time.DateOnly) != tc.mon) {
			t.Errorf("ParseISOWeek(%q) = %s, %v; want %s, %v", tc.week, mon, ok, tc.mon, tc.ok)
		}
		if ok && ISOWeek(mon) != tc.week {
			t.Errorf("ISOWeek(%s) = %s; want %s", mon, ISOWeek(mon), tc.week)
		}
	}
	// Sunday evening belongs to the week that began on Monday; DST does not move Monday.
	mon, next := WeekOf(time.Date(2026, 3, 29, 23, 30, 0, 0, cph), cph)
	if mon.Format(time.DateOnly) != "2026-03-23" || next.Format(time.DateOnly) != "2026-03-30" || next.Hour() != 0 {
		t.Errorf("WeekOf(29.3.2026 23:30) = %s, %s", mon, next)
	}
}
