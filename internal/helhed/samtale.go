package helhed

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Fields of the samtale forms used as keys in Error.Fields.
const (
	FieldSamtaleStart    = "date"
	FieldSamtaleDuration = "duration"
	FieldSamtaleForm     = "form"
	FieldSamtalePlace    = "place"
	FieldSamtaleWith     = "participants"
	FieldSamtaleHeld     = "held"
	FieldSamtaleOutcome  = "outcome"
	FieldSamtaleReason   = "reason"
	FieldSamtaleOverlap  = "overlap_ok"
)

// SamtaleStatus is where a booked conversation stands: the program's own codes, held by a
// CHECK in migration 0028.
type SamtaleStatus string

// The states of a samtale.
const (
	SamtaleBooked    SamtaleStatus = "booket"
	SamtaleHeld      SamtaleStatus = "afholdt"
	SamtaleCancelled SamtaleStatus = "aflyst"
	SamtaleNoShow    SamtaleStatus = "udeblevet"
)

// SamtaleStatuses lists every state (TestFixedCodesFollowTheDomain checks the CHECK agrees).
var SamtaleStatuses = []SamtaleStatus{SamtaleBooked, SamtaleHeld, SamtaleCancelled, SamtaleNoShow}

// Label is the state in Danish.
func (s SamtaleStatus) Label() string {
	switch s {
	case SamtaleBooked:
		return "Booket"
	case SamtaleHeld:
		return "Afholdt"
	case SamtaleCancelled:
		return "Aflyst"
	case SamtaleNoShow:
		return "Udeblevet"
	}
	return string(s)
}

// Bounds of a samtale: a duration from 5 minutes to 8 hours (the table's CHECK holds the upper
// bound), a place and a reason of a sensible length.
const (
	MinSamtaleMinutes = 5
	MaxSamtaleMinutes = 8 * 60
	MaxSamtalePlace   = 200
	MaxSamtaleReason  = 1000
)

// SamtaleTimeProblems checks a samtale's time against now: the end after the start, a
// duration within bounds, and a start in the past only when the samtale is recorded as held
// (a booking is for the future; a conversation that has happened is a record of it). The
// messages are keyed by field and in Danish; an empty map means the time is fine.
func SamtaleTimeProblems(start, end, now time.Time, held bool) map[string]string {
	out := map[string]string{}
	switch {
	case !end.After(start):
		out[FieldSamtaleDuration] = "Samtalen skal slutte efter, at den begynder"
	case end.Sub(start) < MinSamtaleMinutes*time.Minute:
		out[FieldSamtaleDuration] = fmt.Sprintf("En samtale varer mindst %d minutter", MinSamtaleMinutes)
	case end.Sub(start) > MaxSamtaleMinutes*time.Minute:
		out[FieldSamtaleDuration] = fmt.Sprintf("En samtale varer højst %d timer", MaxSamtaleMinutes/60)
	}
	switch {
	case held && start.After(now):
		out[FieldSamtaleHeld] = "En samtale, der ligger i fremtiden, kan ikke være holdt. Fjern hakket, eller ret tidspunktet"
	case !held && start.Before(now):
		out[FieldSamtaleStart] = "Tidspunktet er passeret. En samtale i fortiden kan kun registreres som holdt: sæt hak i »Samtalen er holdt«, og skriv udfaldet"
	}
	return out
}

// SamtaleTextProblem checks a free text of a samtale (a reason, an outcome): required, and at
// most max characters. "" means it is fine.
func SamtaleTextProblem(text string, max int) string {
	switch n := utf8.RuneCountInString(text); {
	case strings.TrimSpace(text) == "":
		return "Skal udfyldes"
	case n > max:
		return fmt.Sprintf("Højst %d tegn (teksten er %d tegn)", max, n)
	}
	return ""
}

// Overlaps reports whether [aStart, aEnd) and [bStart, bEnd) share a moment: a samtale that
// ends at 10:00 does not clash with one that begins at 10:00.
func Overlaps(aStart, aEnd, bStart, bEnd time.Time) bool {
	return aStart.Before(bEnd) && bStart.Before(aEnd)
}

// WeekOf returns the Monday 00:00 (Danish time, in loc) of the ISO week that holds t, and the
// Monday after it.
func WeekOf(t time.Time, loc *time.Location) (time.Time, time.Time) {
	t = t.In(loc)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	wd := (int(d.Weekday()) + 6) % 7 // Monday = 0
	mon := d.AddDate(0, 0, -wd)
	return mon, mon.AddDate(0, 0, 7)
}

// ParseISOWeek reads "2026-W50" as the Monday 00:00 of that ISO week in loc.
func ParseISOWeek(s string, loc *time.Location) (time.Time, bool) {
	var y, w int
	if n, err := fmt.Sscanf(s, "%4d-W%2d", &y, &w); err != nil || n != 2 || len(s) != 8 || w < 1 || w > 53 || y < 2000 || y > 2100 {
		return time.Time{}, false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, loc)
	mon, _ := WeekOf(jan4, loc)
	mon = mon.AddDate(0, 0, 7*(w-1))
	if yy, ww := mon.ISOWeek(); yy != y || ww != w {
		return time.Time{}, false
	}
	return mon, true
}

// ISOWeek names the ISO week of t as "2026-W50".
func ISOWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}
