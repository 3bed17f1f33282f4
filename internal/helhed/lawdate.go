package helhed

import (
	"fmt"
	"time"
)

var monthNames = [...]string{"januar", "februar", "marts", "april", "maj", "juni", "juli",
	"august", "september", "oktober", "november", "december"}

// MonthName is the Danish name of month m, "juli".
func MonthName(m time.Month) string { return monthNames[m-1] }

// LongDate renders a calendar date the Danish way, "1. juli 2025".
func LongDate(t time.Time) string {
	return fmt.Sprintf("%d. %s %d", t.Day(), MonthName(t.Month()), t.Year())
}

// OutOfForce says in Danish why a record dated day may not use a value of the reference data
// that is in force from `from` to `to` (inclusive; nil: no end), naming its source (the law,
// e.g. "Lov nr. 1655 af 30.12.2024"), or returns "" when the value is in force on day. The
// dates are the law's, kept as data (ref_values), so a change of the law needs no release:
// "Uddannelseshjælp er afskaffet fra 1. juli 2025 (Lov nr. 1655 af 30.12.2024)". Dates are
// compared as calendar dates, each in its own location.
func OutOfForce(label, source string, from time.Time, to *time.Time, day time.Time) string {
	cite := ""
	if source != "" {
		cite = " (" + source + ")"
	}
	d := day.Format(time.DateOnly)
	switch {
	case d < from.Format(time.DateOnly):
		return label + " gælder først fra " + LongDate(from) + cite + "."
	case to != nil && d > to.Format(time.DateOnly):
		return label + " er afskaffet fra " + LongDate(to.AddDate(0, 0, 1)) + cite + "."
	}
	return ""
}
