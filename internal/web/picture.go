package web

import (
	"context"
	"strings"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/picture"
)

// loadPicture gathers the shared picture of a citizen's case (picture.Props) for a viewer of
// unit viewerUnit: the caller has checked access.ViewCitizen and passes health, whether
// access.ViewHealthData holds; health data (screenings, the TFA's health tracks, referrals
// to other units than the viewer's) is read only then, so a withdrawn consent hides it on
// the very next render. The caller audits the read.

// pictureSources are the records a picture was made from, for pages that show more of them
// (the shared overview lists who is responsible for each effort).
type pictureSources struct {
	plan      *store.PlanView
	referrals []store.Referral // those the viewer may see
	refs      map[string]store.RefSet
}

func (s *Server) loadPicture(ctx context.Context, viewerUnit int64, health bool, citizenID int64, idPrefix string) (picture.Props, pictureSources, error) {
	var src pictureSources
	p := picture.Props{Health: health, Today: s.now(), ID: idPrefix}
	rs, err := s.vocab.Sets(ctx, "health_track", "resource_element", "effort_area", "effort_status")
	if err != nil {
		return p, src, err
	}
	src.refs = rs
	if p.Health {
		scs, err := s.store.ListScreenings(ctx, citizenID)
		if err != nil {
			return p, src, err
		}
		for _, sc := range scs {
			p.Trend = append(p.Trend, components.TrendPoint{Label: format.ShortDate(sc.ScreenedOn), WHO5: sc.WHO5, Group: sc.FinalGroup})
		}
		if n := len(scs); n > 0 {
			p.RiskGroup = scs[n-1].FinalGroup
		}
	}
	a, ok, err := s.store.LatestConcludedAssessment(ctx, citizenID, p.Health)
	if err != nil {
		return p, src, err
	}
	if ok {
		t := &picture.TFA{Number: a.Number, ConcludedAt: *a.ConcludedAt}
		for _, tr := range rs["health_track"] {
			ans, ok := a.Tracks[tr.Code]
			if !ok || (ans.Relevance != helhed.RelevanceRelevant && ans.Relevance != helhed.RelevanceUnclear) {
				continue
			}
			t.Tracks = append(t.Tracks, picture.Track{Label: tr.Label, Relevance: ans.Relevance.Label(),
				Description: ans.Description, WorkImpact: ans.WorkImpact})
		}
		for _, el := range rs["resource_element"] {
			ans := a.Resources[el.Code]
			if strings.TrimSpace(ans.Resources+ans.Barriers) == "" {
				continue
			}
			t.Resources = append(t.Resources, picture.Resource{Label: el.Label, Resources: ans.Resources, Barriers: ans.Barriers})
		}
		p.TFA = t
	}
	v, ok, err := s.store.PlanForOverview(ctx, citizenID)
	if err != nil {
		return p, src, err
	}
	if ok {
		src.plan = &v
		p.HasPlan, p.CitizenGoal, p.NextFollow = true, v.CitizenGoal, v.NextFollowUp
		for _, g := range v.Goals {
			goal := picture.Goal{Text: g.Text}
			for _, f := range v.FollowUps {
				if n, ok := f.Scores[g.ID]; ok {
					goal.Points = append(goal.Points, components.ScorePoint{Label: format.ShortDate(f.HeldOn), Score: n})
				}
			}
			p.Goals = append(p.Goals, goal)
		}
		for _, e := range v.Efforts {
			p.Bars = append(p.Bars, components.TimelineBar{Label: e.Title + " (" + rs["effort_area"].Label(e.Area) + ")",
				Area: e.Area, Status: rs["effort_status"].Label(e.Status), Start: e.StartDate, End: e.EndDate})
		}
	}
	refs, _, err := s.store.ListReferrals(ctx, store.ReferralFilter{CitizenID: citizenID}, store.Page{Number: 1, PerPage: 50})
	if err != nil {
		return p, src, err
	}
	// Which offers a citizen is referred to tells of their health and social situation:
	// outside the case-holding unit, only a consent shows referrals to units other than
	// the viewer's own.
	for _, x := range refs {
		if !p.Health && x.ToUnitID != viewerUnit {
			p.ReferralsHidden++
			continue
		}
		src.referrals = append(src.referrals, x)
		p.Referrals = append(p.Referrals, picture.Referral{Offer: x.OfferName, Unit: x.ToUnitName, State: x.State.Label(), Changed: x.StateChangedAt})
	}
	return p, src, nil
}
