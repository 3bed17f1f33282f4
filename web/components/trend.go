package components

import (
	"fmt"
	"strconv"
	"strings"
)

// WHO5Thresholds are the WHO-5 limits of the rule set in force, drawn in the trend chart: at or
// below High points to høj (signs of depression), at or below Medium to mellem (reduced
// well-being). Administrators change them by publishing a new rule set.
type WHO5Thresholds struct{ High, Medium int }

// TrendPoint is one WHO-5 measurement in a trend chart.
type TrendPoint struct {
	Label string // the date, as shown
	WHO5  int    // 0–100
	Group string // risk group code ("" for a self-reported point)
	// SelfReported: the citizen answered WHO-5 themself (the citizen area), not a screening;
	// drawn as a square and named so in the description.
	SelfReported bool
}

// anySelfReported reports whether a chart has a self-reported point (for its caption).
func anySelfReported(ps []TrendPoint) bool {
	for _, p := range ps {
		if p.SelfReported {
			return true
		}
	}
	return false
}

// Chart geometry of the WHO-5 trend, in SVG user units. The first and last points sit far
// enough from the edges for their centred date ("30.05.2026") to fit, also in the board's
// larger type (16 units); the SVG would cut it off otherwise.
const (
	trendW, trendH     = 640, 180
	trendLeft, trendR  = 48, 48
	trendTop, trendBot = 16, 28
)

// trendX places point i of n along the x axis.
func trendX(i, n int) int {
	if n <= 1 {
		return trendLeft + (trendW-trendLeft-trendR)/2
	}
	return trendLeft + i*(trendW-trendLeft-trendR)/(n-1)
}

// trendY places a WHO-5 score (0–100) on the y axis.
func trendY(v int) int {
	return trendTop + (100-v)*(trendH-trendTop-trendBot)/100
}

func trendPolyline(ps []TrendPoint) string {
	var b strings.Builder
	for i, p := range ps {
		fmt.Fprintf(&b, "%d,%d ", trendX(i, len(ps)), trendY(p.WHO5))
	}
	return strings.TrimSpace(b.String())
}

// trendChange is the change from the previous point, and whether it is clinically meaningful
// (10 points or more on WHO-5).
func trendChange(ps []TrendPoint, i int) (int, bool) {
	if i == 0 {
		return 0, false
	}
	d := ps[i].WHO5 - ps[i-1].WHO5
	return d, d >= 10 || d <= -10
}

func signed(d int) string {
	if d > 0 {
		return "+" + strconv.Itoa(d)
	}
	return strconv.Itoa(d)
}

// trendDesc is the text alternative of the chart: every point, in words.
func trendDesc(ps []TrendPoint) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s: WHO-5 %d, risikogruppe %s", p.Label, p.WHO5, RiskLabel(p.Group))
		if p.SelfReported {
			parts[i] = fmt.Sprintf("%s: WHO-5 %d, borgerens egen besvarelse", p.Label, p.WHO5)
		}
		if d, sig := trendChange(ps, i); sig {
			parts[i] += fmt.Sprintf(" (ændring %s point)", signed(d))
		}
	}
	return strings.Join(parts, "; ")
}
