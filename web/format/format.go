// Package format renders dates, durations and numbers the Danish way for the templates.
package format

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
)

// Date renders "3. marts 2025".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return helhed.LongDate(t)
}

// DatePtr renders a nullable date, or "–".
func DatePtr(t *time.Time) string {
	if t == nil {
		return "–"
	}
	return Date(*t)
}

// ShortDate renders "03.03.2025".
func ShortDate(t time.Time) string { return t.Format("02.01.2006") }

// DateTime renders "03.03.2025 kl. 14.05", Danish time whatever the server's zone.
func DateTime(t time.Time) string { return t.In(form.Zone).Format("02.01.2006 kl. 15.04") }

// Clock renders the Danish time of day, "14.05".
func Clock(t time.Time) string { return t.In(form.Zone).Format("15.04") }

// ISODate renders a date for <input type="date">.
func ISODate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Since renders the length of a period in Danish years and months: "1 år og 2 mdr.", "3 mdr.",
// "12 dage".
func Since(from, to time.Time) string {
	if to.Before(from) {
		return ""
	}
	y, m, _ := to.Date()
	fy, fm, _ := from.Date()
	months := (y-fy)*12 + int(m-fm)
	if to.Day() < from.Day() {
		months--
	}
	switch {
	case months <= 0:
		days := int(to.Sub(from).Hours() / 24)
		if days == 1 {
			return "1 dag"
		}
		return strconv.Itoa(days) + " dage"
	case months < 12:
		return strconv.Itoa(months) + " mdr."
	case months%12 == 0:
		return strconv.Itoa(months/12) + " år"
	default:
		return fmt.Sprintf("%d år og %d mdr.", months/12, months%12)
	}
}

// Int renders 12345 as "12.345".
func Int(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// MonthYear renders "marts 2025".
func MonthYear(t time.Time) string { return helhed.MonthName(t.Month()) + " " + strconv.Itoa(t.Year()) }

// ShortMonth renders "mar. 25", "maj 25" for chart axes.
func ShortMonth(t time.Time) string {
	m := helhed.MonthName(t.Month())
	if len(m) > 4 {
		m = m[:3] + "."
	}
	return m + " " + t.Format("06")
}

// OrDash renders s, or "–" when it is empty (an unknown or missing value in a table).
func OrDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
