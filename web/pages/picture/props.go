// Package picture renders the shared picture of one citizen's case: risk group and WHO-5
// trend, the TFA's health tracks and resource profile, the plan's goals with their
// progression and its parallel efforts, and the referrals. The rehabiliteringsteam's board
// and the citizen's "Fælles overblik" show the same sections, so the team and every unit
// around the citizen look at one picture. Props are plain view data, already cut to what the
// viewer may see; no database access happens here.
package picture

import (
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/web/components"
)

// Props is the picture of one citizen's case as one viewer (or one room) may see it. Every
// value that is health or social data is gated (access.Gated): a section the viewer may not
// see says that a consent is missing instead of showing anything.
type Props struct {
	// Screening is the risk group and the WHO-5 trend; RiskGroup is "" when never screened.
	Screening access.Gated[Screening]
	// TFA is the newest concluded TFA, nil when there is none.
	TFA         *TFA
	CitizenGoal access.Gated[string]
	Goals       access.Gated[[]Goal]
	Bars        []access.Gated[components.TimelineBar]
	NextFollow  *time.Time
	HasPlan     bool
	Referrals   []access.Gated[Referral]
	Today       time.Time
	// ID prefixes element ids, so two pictures (or a picture and a page) never clash.
	ID string
	// Board is the shared meeting screen: the efforts are rows whose names are never cut
	// (components.EffortRows) rather than the timeline chart with its fixed label column.
	Board bool
}

// Screening is the current risk group with the WHO-5 trend.
type Screening struct {
	RiskGroup string
	Trend     []components.TrendPoint
	// Thresholds are the WHO-5 limits of the rule set in force, for the chart.
	Thresholds components.WHO5Thresholds
}

// TFA is the summary of a concluded tværfaglig funktionsevneanalyse.
type TFA struct {
	Number      int
	ConcludedAt time.Time
	Tracks      access.Gated[[]Track] // relevant or unclear tracks only
	Resources   []access.Gated[Resource]
}

// Track is one health track of the TFA that bears on the case.
type Track struct {
	Label, Relevance, Description, WorkImpact string
}

// Resource is one element of the resource profile with something written in it.
type Resource struct {
	Label, Resources, Barriers string
}

// Goal is one of the plan's goals with its progression (1–10 at each follow-up).
type Goal struct {
	Text   string
	Points []components.ScorePoint
}

// Latest is the newest score on the goal, 0 when none.
func (g Goal) Latest() int {
	if len(g.Points) == 0 {
		return 0
	}
	return g.Points[len(g.Points)-1].Score
}

// Change is the change from the first to the newest score.
func (g Goal) Change() int {
	if len(g.Points) < 2 {
		return 0
	}
	return g.Points[len(g.Points)-1].Score - g.Points[0].Score
}

// Referral is one referral with its state.
type Referral struct {
	Offer, Unit, State string
	Changed            time.Time
}

func (p Props) id(s string) string { return p.ID + "-" + s }

func itoa(n int) string { return strconv.Itoa(n) }

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
