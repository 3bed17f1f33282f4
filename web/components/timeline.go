package components

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimelineBar is one effort on the plan's timeline.
type TimelineBar struct {
	Label  string
	Area   string // area code: the bar's colour class (the area is also written in the label)
	Status string // status label, for the text alternative
	Start  time.Time
	End    *time.Time // nil: open-ended, drawn to the edge with an arrow
}

// Timeline geometry in SVG user units.
const (
	tlW, tlLeft, tlRight = 720, 220, 12
	tlTop, tlRow, tlAxis = 8, 30, 26
)

// timeline is the computed layout of a set of bars.
type timeline struct {
	from, to time.Time
	bars     []TimelineBar
	today    time.Time
}

func newTimeline(bars []TimelineBar, today time.Time) timeline {
	tl := timeline{bars: bars, today: day(today)}
	for i, b := range bars {
		s := day(b.Start)
		e := s
		if b.End != nil {
			e = day(*b.End)
		} else if tl.today.After(e) {
			e = tl.today
		}
		if i == 0 || s.Before(tl.from) {
			tl.from = s
		}
		if i == 0 || e.After(tl.to) {
			tl.to = e
		}
	}
	if len(bars) == 0 {
		tl.from, tl.to = tl.today, tl.today
	}
	// Whole months on the axis, and at least three of them.
	tl.from = time.Date(tl.from.Year(), tl.from.Month(), 1, 0, 0, 0, 0, time.UTC)
	tl.to = time.Date(tl.to.Year(), tl.to.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	if min3 := tl.from.AddDate(0, 3, 0); tl.to.Before(min3) {
		tl.to = min3
	}
	return tl
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (tl timeline) height() int { return tlTop + len(tl.bars)*tlRow + tlAxis }

// x places a day on the axis.
func (tl timeline) x(t time.Time) int {
	span := tl.to.Sub(tl.from).Hours()
	f := day(t).Sub(tl.from).Hours() / span
	return tlLeft + int(f*float64(tlW-tlLeft-tlRight))
}

func (tl timeline) barX(b TimelineBar) int { return tl.x(b.Start) }

// barW is at least 4 units so a one-day effort still shows.
func (tl timeline) barW(b TimelineBar) int {
	end := tl.to
	if b.End != nil {
		end = day(*b.End).AddDate(0, 0, 1) // the last day is included
	}
	return max(4, tl.x(end)-tl.x(b.Start))
}

func (tl timeline) rowY(i int) int { return tlTop + i*tlRow }

// months are the axis ticks: the first of each month, labelled "jan 26".
func (tl timeline) months() []time.Time {
	var out []time.Time
	step := 1
	if n := int(tl.to.Sub(tl.from).Hours() / 24 / 30); n > 12 {
		step = (n + 11) / 12
	}
	for m := tl.from; m.Before(tl.to); m = m.AddDate(0, step, 0) {
		out = append(out, m)
	}
	return out
}

var shortMonths = [...]string{"jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

func monthLabel(t time.Time) string {
	return shortMonths[t.Month()-1] + " " + strconv.Itoa(t.Year()%100)
}

func (tl timeline) showToday() bool { return !tl.today.Before(tl.from) && tl.today.Before(tl.to) }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// svgN formats an SVG coordinate.
func svgN(n int) string { return strconv.Itoa(n) }

// timelineDesc is the chart's text alternative; the page also shows the same data as a table.
func timelineDesc(bars []TimelineBar) string {
	parts := make([]string, len(bars))
	for i, b := range bars {
		end := "uden slutdato"
		if b.End != nil {
			end = "til " + b.End.Format("02.01.2006")
		}
		parts[i] = fmt.Sprintf("%s: fra %s %s (%s)", b.Label, b.Start.Format("02.01.2006"), end, b.Status)
	}
	return strings.Join(parts, "; ")
}

func areaClass(area string) string { return "timeline-bar timeline-" + area }

// rowsW is the width, in SVG user units, of an EffortRows bar.
const rowsW = 1000

// frac places a day on an EffortRows bar (0–rowsW).
func (tl timeline) frac(t time.Time) int {
	span := tl.to.Sub(tl.from).Hours()
	return int(day(t).Sub(tl.from).Hours() / span * rowsW)
}

// fracW is a bar's width on an EffortRows bar: to its last day (included), or to the axis's
// end when open-ended, and at least 4 units so a one-day effort still shows.
func (tl timeline) fracW(b TimelineBar) int {
	end := tl.to
	if b.End != nil {
		end = day(*b.End).AddDate(0, 0, 1)
	}
	return max(4, tl.frac(end)-tl.frac(b.Start))
}

// span is the axis's months in words, "jan 26–jun 26".
func (tl timeline) span() string {
	return monthLabel(tl.from) + "–" + monthLabel(tl.to.AddDate(0, -1, 0))
}

// period is an effort's dates, "07.11.2026–07.04.2027" or "fra 07.11.2026".
func period(b TimelineBar) string {
	if b.End == nil {
		return "fra " + b.Start.Format("02.01.2006")
	}
	return b.Start.Format("02.01.2006") + "–" + b.End.Format("02.01.2006")
}
