package web

import (
	"context"
	"strings"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/picture"
)

// loadPicture gathers the shared picture of a citizen's case (picture.Props) as sight may see
// it: the caller has checked access.ViewCitizen, computed the sight (one viewer's, or the
// room's on the board) and audits the read. Health data is read from the database only when
// the sight may see it, and every classified value is gated by the classification, so a
// withdrawn consent hides it on the very next render.

// pictureSources are the records a picture was made from, for pages that show more of them
// (the shared overview lists who is responsible for each effort).
type pictureSources struct {
	plan      *store.PlanView
	referrals []store.Referral // those the viewer may see
	refs      map[string]store.RefSet
}

func (s *Server) loadPicture(ctx context.Context, sight access.Sight, citizenID int64, idPrefix string) (picture.Props, pictureSources, error) {
	var src pictureSources
	p := picture.Props{Today: s.today(), ID: idPrefix}
	rs, err := s.vocab.Sets(ctx, "health_track", "resource_element", "effort_area", "effort_status")
	if err != nil {
		return p, src, err
	}
	src.refs = rs
	health := sight.Sees(access.Health)
	var sc picture.Screening
	if health {
		scs, err := s.store.ListScreenings(ctx, citizenID)
		if err != nil {
			return p, src, err
		}
		for _, x := range scs {
			sc.Trend = append(sc.Trend, components.TrendPoint{Label: format.ShortDate(x.ScreenedOn), WHO5: x.WHO5, Group: x.FinalGroup})
		}
		if len(scs) > 0 {
			if sc.Thresholds, err = s.who5Thresholds(ctx); err != nil {
				return p, src, err
			}
		}
		if n := len(scs); n > 0 {
			sc.RiskGroup = scs[n-1].FinalGroup
		}
	}
	p.Screening = access.Gate(sight, access.ScreeningRecord, sc)
	a, ok, err := s.store.LatestConcludedAssessment(ctx, citizenID, health)
	if err != nil {
		return p, src, err
	}
	if ok {
		t := &picture.TFA{Number: a.Number, ConcludedAt: *a.ConcludedAt}
		var tracks []picture.Track
		for _, tr := range rs["health_track"] {
			ans, ok := a.Tracks[tr.Code]
			if !ok || (ans.Relevance != helhed.RelevanceRelevant && ans.Relevance != helhed.RelevanceUnclear) {
				continue
			}
			tracks = append(tracks, picture.Track{Label: tr.Label, Relevance: ans.Relevance.Label(),
				Description: ans.Description, WorkImpact: ans.WorkImpact})
		}
		t.Tracks = access.Gate(sight, access.AssessmentTracks, tracks)
		for _, el := range rs["resource_element"] {
			ans := a.Resources[el.Code]
			if strings.TrimSpace(ans.Resources+ans.Barriers) == "" {
				continue
			}
			t.Resources = append(t.Resources, access.GateRow(sight, access.ResourceElement(el.Code), access.AssessmentResources,
				picture.Resource{Label: el.Label, Resources: ans.Resources, Barriers: ans.Barriers}))
		}
		p.TFA = t
	}
	v, ok, err := s.store.PlanForOverview(ctx, citizenID)
	if err != nil {
		return p, src, err
	}
	if ok {
		src.plan = &v
		p.HasPlan, p.NextFollow = true, v.NextFollowUp
		p.CitizenGoal = access.Gate(sight, access.PlanCitizenGoal, v.CitizenGoal)
		var goals []picture.Goal
		for _, g := range v.Goals {
			goal := picture.Goal{Text: g.Text}
			for _, f := range v.FollowUps {
				if n, ok := f.Scores[g.ID]; ok {
					goal.Points = append(goal.Points, components.ScorePoint{Label: format.ShortDate(f.HeldOn), Score: n})
				}
			}
			goals = append(goals, goal)
		}
		p.Goals = access.Gate(sight, access.PlanGoalText, goals)
		for _, e := range v.Efforts {
			p.Bars = append(p.Bars, access.GateRow(sight, e.Row(), access.PlanEffort, components.TimelineBar{
				Label: e.Title + " (" + rs["effort_area"].Label(e.Area) + ")",
				Area:  e.Area, Status: rs["effort_status"].Label(e.Status), Start: e.StartDate, End: e.EndDate}))
		}
	}
	refs, _, err := s.store.ListReferrals(ctx, store.ReferralFilter{CitizenID: citizenID}, store.Page{Number: 1, PerPage: 50})
	if err != nil {
		return p, src, err
	}
	// Which offers a citizen is referred to tells of their health and social situation: a
	// referral is classified by the unit it went to, and that unit sees its own.
	for _, x := range refs {
		g := access.GateRow(sight, x.Row(), access.ReferralState,
			picture.Referral{Offer: x.OfferName, Unit: x.ToUnitName, State: x.State.Label(), Changed: x.StateChangedAt})
		if !g.Withheld() {
			src.referrals = append(src.referrals, x)
		}
		p.Referrals = append(p.Referrals, g)
	}
	return p, src, nil
}

// sightNote is what an audit row of a read adds when the reader saw less than the whole case:
// which classes were withheld.
func sightNote(s access.Sight) string {
	if s.Whole() {
		return ""
	}
	var out []string
	if !s.Sees(access.Health) {
		out = append(out, "helbred")
	}
	if !s.Sees(access.Social) {
		out = append(out, "sociale forhold")
	}
	if len(out) == 0 {
		return ""
	}
	return " (uden samtykke: " + strings.Join(out, ", ") + " tilbageholdt)"
}
