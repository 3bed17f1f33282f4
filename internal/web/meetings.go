package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// authorizeMeeting is the object-level gate of every meeting route: the user's seat on the
// meeting's team, asked of the policy. A refusal is audited; a meeting one may not see is
// not found, so its existence is not revealed.
func (s *Server) authorizeMeeting(r *http.Request, meetingID int64, a access.Action) (access.MeetingRelation, error) {
	u := userFrom(r)
	rel, err := s.store.MeetingRelation(r.Context(), u.access(), meetingID)
	if err != nil {
		return rel, err
	}
	if access.CanMeeting(u.access(), a, rel) {
		return rel, nil
	}
	if err := s.store.Audit(r.Context(), who(r), 0, store.AuditForbidden, string(a)+" "+auditedRoute(r)); err != nil {
		return rel, err
	}
	if a == access.ViewMeeting {
		return rel, helhed.ErrNotFound
	}
	return rel, &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne handling på mødet. Forsøget er registreret."}
}

// upcomingFrom is where "upcoming" meetings begin: the start of today, so today's meetings
// stay on the list all day.
func upcomingFrom(now time.Time) time.Time { return form.Today(now) }

func (s *Server) meetingsView(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	q := r.URL.Query()
	f := store.MeetingFilter{ViewerID: u.ID, Upcoming: q.Get("afholdte") != "true", From: upcomingFrom(s.now())}
	// Jobcenter staff bring cases to any team's meeting; everyone else sees the teams they sit on.
	if u.Role != access.RoleCaseworker && u.Role != access.RoleManager {
		f.MemberID = u.ID
	}
	pageNo, _ := strconv.Atoi(q.Get("side"))
	items, total, err := s.store.ListMeetings(r.Context(), f, store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	p := meetings.ListProps{Upcoming: f.Upcoming, Total: total, CanPlan: access.Can(u.access(), access.PlanMeetings),
		CanTeams: access.Can(u.access(), access.ManageTeams)}
	for _, m := range items {
		p.Items = append(p.Items, meetings.ListItem{ID: m.ID, Team: m.TeamName, Location: m.Location, Start: m.StartsAt,
			Cases: m.Cases, Ready: m.Ready, Decided: m.Decided, Member: m.Member})
	}
	p.Pages = components.PageInfo{Page: max(pageNo, 1), PerPage: 50, Total: total, URL: func(n int) string {
		v := r.URL.Query()
		v.Set("side", strconv.Itoa(n))
		return "/moeder?" + v.Encode()
	}}
	// The leader of a unit that runs teams sees its figures beside the held meetings.
	if !f.Upcoming && access.Can(u.access(), access.ViewManagement) {
		if err := s.meetingFigures(r, u.UnitID, &p); err != nil {
			return err
		}
	}
	return s.page(w, r, http.StatusOK, "Rehabiliteringsteam", meetings.List(p))
}

// meetingFigures fills the leader's figures of the unit's held meetings, twelve weeks a page
// (uge-side): cases, mean days from the agenda to the meeting, and the indstillinger by
// outcome, every figure suppressed below helhed.MinCell like the other management pages.
func (s *Server) meetingFigures(r *http.Request, unitID int64, p *meetings.ListProps) error {
	ctx := r.Context()
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("uge-side"))
	pageNo = min(max(pageNo, 1), 1000)
	const perPage = 12
	weeks, total, err := s.store.MeetingFigures(ctx, unitID, s.now(), store.Page{Number: pageNo, PerPage: perPage})
	if err != nil {
		return err
	}
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	p.ShowFigures = true
	for _, wk := range weeks {
		row := meetings.FigureWeek{Week: wk.Week, Cases: cell(helhed.Figure{Kind: helhed.FigureCount, Value: float64(wk.Cases), N: wk.Cases}),
			Days: cell(helhed.Figure{Kind: helhed.FigureDays, Value: wk.MeanDays, N: wk.Cases})}
		counts := map[string]int{}
		var order []string
		for _, o := range wk.Outcomes {
			if counts[o] == 0 {
				order = append(order, o)
			}
			counts[o]++
		}
		for _, o := range order {
			row.Outcomes = append(row.Outcomes, store.RefSet(outcomes).Label(o)+": "+
				helhed.Figure{Kind: helhed.FigureCount, Value: float64(counts[o]), N: counts[o]}.Text())
		}
		p.Figures = append(p.Figures, row)
	}
	p.FigurePages = components.PageInfo{Page: pageNo, PerPage: perPage, Total: total, URL: func(n int) string {
		v := r.URL.Query()
		v.Set("uge-side", strconv.Itoa(n))
		return "/moeder?" + v.Encode() + "#moedetal"
	}}
	return nil
}

// meetingView is the agenda. Each case shows the citizen's name only to a viewer who may see
// that citizen (a team member inside the access window, the case-holding unit); the read of
// the agenda is audited.
func (s *Server) meetingView(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid, mrel := mr.ID, mr.Rel
	ctx := r.Context()
	u := userFrom(r).access()
	m, err := s.store.MeetingByID(ctx, mid)
	if err != nil {
		return err
	}
	agenda, err := s.agenda(ctx, u, m)
	if err != nil {
		return err
	}
	days, err := s.store.AgendaAccessDays(ctx, m.StartsAt)
	if err != nil {
		return err
	}
	p := meetings.MeetingProps{ID: m.ID, Team: m.TeamName, Location: m.Location, Start: m.StartsAt, SlotMinutes: m.SlotMinutes,
		Chair: deref(m.ChairName), MinuteTaker: deref(m.MinuteTakerName), Cases: agenda,
		CanEdit: access.CanMeeting(u, access.EditMeeting, mrel) && !helhed.MeetingHeld(m.StartsAt, s.now()), CanFocus: access.CanMeeting(u, access.MoveFocus, mrel),
		AccessUntil: helhed.AgendaAccessUntil(m.StartsAt, days)}
	// The citizens the agenda names to this viewer; the others are shown without a name.
	var named []int64
	for _, c := range agenda {
		if c.Name != "" {
			named = append(named, c.CitizenID)
		}
	}
	if err := s.store.AuditList(ctx, who(r), store.AuditMeetingView, "møde "+strconv.FormatInt(mid, 10)+": dagsorden", named); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, meetings.Title(m.TeamName, m.StartsAt), meetings.Meeting(p))
}

// agenda labels a meeting's cases for one viewer: names only where the viewer may see the
// citizen, decided in one query for the whole agenda.
func (s *Server) agenda(ctx context.Context, u access.User, m store.Meeting) ([]meetings.AgendaCase, error) {
	rels, err := s.store.Relations(ctx, u, agendaCitizens(m))
	if err != nil {
		return nil, err
	}
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return nil, err
	}
	return agendaRows(m, outcomes, func(citizenID int64) (view, prepare bool) {
		rel := rels[citizenID]
		return access.CanCitizen(u, access.ViewCitizen, rel), access.CanCitizen(u, access.PrepareMeetingCase, rel)
	}), nil
}

// agendaCitizens are the citizens on a meeting's agenda.
func agendaCitizens(m store.Meeting) []int64 {
	ids := make([]int64, len(m.Cases))
	for i, c := range m.Cases {
		ids[i] = c.CitizenID
	}
	return ids
}

// agendaRows labels a meeting's cases; may says, per citizen, whether the viewer may see
// the citizen and prepare the case.
func agendaRows(m store.Meeting, outcomes store.RefSet, may func(citizenID int64) (view, prepare bool)) []meetings.AgendaCase {
	out := make([]meetings.AgendaCase, len(m.Cases))
	for i, c := range m.Cases {
		a := meetings.AgendaCase{ID: c.ID, CitizenID: c.CitizenID, Position: c.Position,
			Slot: helhed.SlotStart(m.StartsAt, m.SlotMinutes, c.Position), Ready: c.PreparedAt != nil,
			Missing: len(c.Preparation.Missing()), Focus: m.FocusCaseID != nil && *m.FocusCaseID == c.ID}
		if view, prepare := may(c.CitizenID); view {
			a.Name, a.Question, a.Caseworker = c.CitizenName, c.Question, deref(c.CaseworkerName)
			a.CitizenHref = paths.Citizen(c.CitizenID)
			a.CanPrepare = prepare
		}
		if c.Outcome != nil {
			a.Outcome = outcomes.Label(*c.Outcome)
		}
		out[i] = a
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
