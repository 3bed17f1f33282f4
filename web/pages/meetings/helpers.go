package meetings

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/web/format"
)

func itoa(n int) string { return strconv.Itoa(n) }

func prepOrder(ss []PrepSection) []string {
	out := make([]string, 0, len(ss)+1)
	for _, s := range ss {
		out = append(out, s.Key)
	}
	return append(out, "version")
}

// withdrawnText says when and by whom a case was taken off the agenda, and that its record is
// kept.
func withdrawnText(p CaseProps) string {
	t := "Sagen blev taget af dagsordenen " + format.DateTime(*p.WithdrawnAt)
	if p.WithdrawnBy != "" {
		t += " af " + p.WithdrawnBy
	}
	return t + ". Den forberedende del og en eventuel indstilling er bevaret i borgerens sag og kan ikke længere ændres."
}

// weekLabel names a week by its ISO number and Monday: "Uge 49 (30.11.2026)".
func weekLabel(monday time.Time) string {
	_, wk := monday.ISOWeek()
	return "Uge " + strconv.Itoa(wk) + " (" + monday.Format("02.01.2006") + ")"
}
