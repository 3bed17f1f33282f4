package admin

import (
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/format"
)

// LawCalendarProps is the law calendar: the changes after today (soonest first) and those
// that have taken effect (newest first). CanEdit links each value to its edit page.
type LawCalendarProps struct {
	Announced, Past []store.LawDay
	Today           time.Time
	CanEdit         bool
}

// lawChange says what happens to the value on the event's day.
func lawChange(e store.LawEvent) string {
	if e.Begins {
		return "Gælder fra denne dag"
	}
	return "Gælder ikke længere (sidste dag " + format.Date(e.Day.AddDate(0, 0, -1)) + ")"
}
