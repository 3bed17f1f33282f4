package helhed

import (
	"strings"
	"time"
	_ "time/tzdata" // the deletion date is a Danish calendar date, also where the OS has no zoneinfo
	"unicode/utf8"
)

// danish is the time zone the retention period is counted in: a case closed at 00:30 on
// 1 January, Danish time, was closed in the new year.
var danish = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic("helhed: Europe/Copenhagen: " + err.Error()) // embedded by time/tzdata: cannot happen
	}
	return loc
}()

// Retention years an administrator may set: at least one year, at most a lifetime's archive.
const (
	MinRetentionYears = 1
	MaxRetentionYears = 50
)

// CaseDeletionDue returns when a case closed at closedAt may be deleted, with the retention
// period of years counted from the end of the year of closure: 1 January of the year
// closure+1+years, Danish time. A case closed in 2026 with five years is deleted on
// 1 January 2032.
func CaseDeletionDue(closedAt time.Time, years int) time.Time {
	return time.Date(closedAt.In(danish).Year()+1+years, time.January, 1, 0, 0, 0, 0, danish)
}

// CaseDeletionCutoff returns the instant before which a case must have been closed to be due
// for deletion at now: closedAt < CaseDeletionCutoff(now, years) exactly when
// !now.Before(CaseDeletionDue(closedAt, years)). The retention job asks the database with it.
func CaseDeletionCutoff(now time.Time, years int) time.Time {
	return time.Date(now.In(danish).Year()-years, time.January, 1, 0, 0, 0, 0, danish)
}

// RetentionDay is the Danish calendar day of t, as a date (midnight UTC, like a parsed
// form date): the day a retention setting is in force on.
func RetentionDay(t time.Time) time.Time {
	y, m, d := t.In(danish).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Grace periods an administrator's shortening of the retention period waits, in days.
const (
	MinRetentionGraceDays = 1
	MaxRetentionGraceDays = 365
)

// Field names of the closure and legal-hold forms.
const (
	FieldCloseReason = "close_reason"
	FieldHoldReason  = "hold_reason"
)

// CheckReason validates the reason for closing a case or placing a legal hold: required, at
// most 500 characters. It returns the trimmed reason, or an invalid error on field.
func CheckReason(field, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	msg := ""
	switch {
	case reason == "":
		msg = "Angiv en begrundelse"
	case utf8.RuneCountInString(reason) > 500:
		msg = "Højst 500 tegn"
	}
	if msg != "" {
		return reason, &Error{Code: EInvalid, Message: "Begrundelsen mangler eller er for lang", Fields: map[string]string{field: msg}}
	}
	return reason, nil
}
