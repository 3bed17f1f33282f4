package components

import (
	"fmt"
	"strings"
)

// ScorePoint is one progression score (1–10) on a goal at a follow-up.
type ScorePoint struct {
	Label string // the date, as shown
	Score int
}

// Progression chart geometry in SVG user units.
const (
	pgW, pgH     = 480, 150
	pgLeft, pgR  = 30, 16
	pgTop, pgBot = 12, 26
)

func pgX(i, n int) int {
	if n <= 1 {
		return pgLeft + (pgW-pgLeft-pgR)/2
	}
	return pgLeft + i*(pgW-pgLeft-pgR)/(n-1)
}

func pgY(v int) int { return pgTop + (10-v)*(pgH-pgTop-pgBot)/9 }

func pgPolyline(ps []ScorePoint) string {
	var b strings.Builder
	for i, p := range ps {
		fmt.Fprintf(&b, "%d,%d ", pgX(i, len(ps)), pgY(p.Score))
	}
	return strings.TrimSpace(b.String())
}

func progressDesc(ps []ScorePoint) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s: %d af 10", p.Label, p.Score)
	}
	return strings.Join(parts, "; ")
}
