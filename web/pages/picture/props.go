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

	"github.com/helhed/helhed/web/components"
)

// Props is the picture of one citizen's case as one viewer may see it.
type Props struct {
	// Health says whether the viewer may see health data (risk group, WHO-5, TFA health
	// tracks, referrals outside their own unit). When false, those sections say that a
	// consent is missing instead of showing anything.
	Health    bool
	RiskGroup string // current risk group code, "" when never screened
	Trend     []components.TrendPoint
	// TFA is the newest concluded TFA, nil when there is none.
	TFA         *TFA
	CitizenGoal string
	Goals       []Goal
	Bars        []components.TimelineBar
	NextFollow  *time.Time
	HasPlan     bool
	Referrals   []Referral
	// ReferralsHidden counts referrals left out for lack of consent.
	ReferralsHidden int
	Today           time.Time
	// ID prefixes element ids, so two pictures (or a picture and a page) never clash.
	ID string
}

// TFA is the summary of a concluded tværfaglig funktionsevneanalyse.
type TFA struct {
	Number      int
	ConcludedAt time.Time
	Tracks      []Track // relevant or unclear tracks only; empty without health access
	Resources   []Resource
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
