package store

import (
	"cmp"
	"slices"
	"time"
)

// LawEvent is one change the law makes to the reference data: a value begins to apply on Day
// (its valid_from) or stops applying on Day (the day after its valid_to).
type LawEvent struct {
	Day       time.Time
	KindLabel string // the vocabulary, e.g. "Ydelsestyper"
	Value     RefValue
	Begins    bool
}

// LawDay is the changes that take effect on one day.
type LawDay struct {
	Day    time.Time
	Events []LawEvent
}

// LawCalendar lists, from the reference data, what changed when: every dated start and end of
// a value, grouped by the day it takes effect, newest day first; within a day by vocabulary,
// ends before starts, then by the values' order. A start that is not dated (RefUndated) is no
// event. kindLabels names the vocabularies (a kind without a label shows its code). The
// reference data is a few hundred values, so the calendar is built whole, in memory.
func LawCalendar(sets map[string]RefSet, kindLabels map[string]string) []LawDay {
	var events []LawEvent
	for kind, rs := range sets {
		label := cmp.Or(kindLabels[kind], kind)
		for _, v := range rs {
			if !v.Undated() {
				events = append(events, LawEvent{Day: dateUTC(v.ValidFrom), KindLabel: label, Value: v, Begins: true})
			}
			if v.ValidTo != nil {
				events = append(events, LawEvent{Day: dateUTC(*v.ValidTo).AddDate(0, 0, 1), KindLabel: label, Value: v})
			}
		}
	}
	slices.SortFunc(events, func(a, b LawEvent) int {
		if c := b.Day.Compare(a.Day); c != 0 {
			return c
		}
		if c := cmp.Compare(a.KindLabel, b.KindLabel); c != 0 {
			return c
		}
		if a.Begins != b.Begins {
			if b.Begins {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Value.SortOrder, b.Value.SortOrder), cmp.Compare(a.Value.Code, b.Value.Code))
	})
	var days []LawDay
	for _, e := range events {
		if n := len(days); n > 0 && days[n-1].Day.Equal(e.Day) {
			days[n-1].Events = append(days[n-1].Events, e)
			continue
		}
		days = append(days, LawDay{Day: e.Day, Events: []LawEvent{e}})
	}
	return days
}

// SplitLawCalendar divides days (newest first) into those after today — announced, soonest
// first — and the rest, today included, newest first.
func SplitLawCalendar(days []LawDay, today time.Time) (announced, past []LawDay) {
	d := today.Format(time.DateOnly)
	for _, day := range days {
		if day.Day.Format(time.DateOnly) > d {
			announced = append(announced, day)
		} else {
			past = append(past, day)
		}
	}
	slices.Reverse(announced)
	return announced, past
}

// dateUTC is t's calendar date at midnight UTC, so equal dates compare equal.
func dateUTC(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
