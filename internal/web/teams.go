package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

func (s *Server) teamsView(w http.ResponseWriter, r *http.Request) error {
	return s.renderTeams(w, r, http.StatusOK, meetings.TeamsProps{Unit: strconv.FormatInt(userFrom(r).UnitID, 10)})
}

func (s *Server) renderTeams(w http.ResponseWriter, r *http.Request, status int, p meetings.TeamsProps) error {
	ctx := r.Context()
	teams, err := s.store.ListTeams(ctx)
	if err != nil {
		return err
	}
	for _, t := range teams {
		p.Teams = append(p.Teams, meetings.TeamRow{ID: t.ID, Name: t.Name, Unit: t.UnitName, Members: t.Members})
	}
	p.CanCreate = true
	units, err := s.teamUnits(ctx, userFrom(r))
	if err != nil {
		return err
	}
	p.Units = units
	return s.page(w, r, status, "Rehabiliteringsteams", meetings.Teams(p))
}

// teamUnits are the units a user may make a team's secretariat: a leader their own unit, the
// administrator any unit.
func (s *Server) teamUnits(ctx context.Context, u *currentUser) ([]components.Option, error) {
	if u.Role != access.RoleAdmin {
		return []components.Option{{Value: strconv.FormatInt(u.UnitID, 10), Label: u.UnitName}}, nil
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]components.Option, len(units))
	for i, un := range units {
		out[i] = components.Option{Value: strconv.FormatInt(un.ID, 10), Label: un.Name}
	}
	return out, nil
}

func (s *Server) teamCreatePost(w http.ResponseWriter, r *http.Request) error {
	p := meetings.TeamsProps{Name: strings.TrimSpace(r.PostFormValue("name")), Unit: r.PostFormValue("unit"), Errors: map[string]string{}}
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		p.Errors["name"] = "Angiv teamets navn"
	case n > 100:
		p.Errors["name"] = "Højst 100 tegn"
	}
	units, err := s.teamUnits(r.Context(), userFrom(r))
	if err != nil {
		return err
	}
	unit, _ := strconv.ParseInt(p.Unit, 10, 64)
	if !slices.ContainsFunc(units, func(o components.Option) bool { return o.Value == p.Unit }) {
		p.Errors["unit"] = "Vælg en enhed fra listen"
	}
	var id int64
	if len(p.Errors) == 0 {
		id, err = s.store.CreateTeam(r.Context(), who(r), p.Name, unit)
		if fe := fieldErrors(err); fe != nil {
			p.Errors = fe
		} else if err != nil {
			return err
		}
	}
	if len(p.Errors) > 0 {
		return s.renderTeams(w, r, http.StatusUnprocessableEntity, p)
	}
	s.flash(r, "success", "Teamet er oprettet. Tilføj medlemmerne.")
	return redirect(w, r, paths.Team(id))
}

// mayEditTeam: the administrator, or the leader of the unit that runs the team.
func mayEditTeam(u *currentUser, t store.Team) bool {
	return u.Role == access.RoleAdmin || (u.Role == access.RoleManager && u.UnitID == t.UnitID)
}

func (s *Server) teamView(w http.ResponseWriter, r *http.Request) error {
	return s.renderTeam(w, r, http.StatusOK, "", "", nil)
}

func (s *Server) renderTeam(w http.ResponseWriter, r *http.Request, status int, user, area string, errs map[string]string) error {
	tid, err := urlID(r, "tid")
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, members, err := s.store.TeamByID(ctx, tid)
	if err != nil {
		return err
	}
	rs, err := s.vocab.Sets(ctx, "team_area")
	if err != nil {
		return err
	}
	areas := rs["team_area"]
	p := meetings.TeamProps{ID: t.ID, Name: t.Name, Unit: t.UnitName, CanEdit: mayEditTeam(userFrom(r), t), User: user, Area: area,
		Errors: errs, Areas: options(areas.Current(s.today()))}
	in := map[int64]bool{}
	for _, m := range members {
		in[m.UserID] = true
		p.Members = append(p.Members, meetings.Member{UserID: m.UserID, Name: m.Name, Unit: m.UnitName, Role: m.Role, Area: areas.Label(m.Area)})
	}
	if p.CanEdit {
		cands, err := s.teamCandidates(ctx)
		if err != nil {
			return err
		}
		for _, c := range cands {
			if !in[c.ID] {
				p.Candidates = append(p.Candidates, components.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name + " (" + c.UnitName + ")"})
			}
		}
	}
	return s.page(w, r, status, t.Name, meetings.Team(p))
}

// teamCandidates are the users who may sit on a team: every role that works cases, and the
// rehabiliteringsteam role; never the administrator.
func (s *Server) teamCandidates(ctx context.Context) ([]store.User, error) {
	return s.store.UsersWithRoles(ctx, []string{access.RoleRehabTeam, access.RoleCaseworker, access.RoleManager,
		access.RoleHealth, access.RoleSocial})
}

// teamMemberPost adds a member with the area they represent, or (area "") removes one.
func (s *Server) teamMemberPost(w http.ResponseWriter, r *http.Request) error {
	tid, err := urlID(r, "tid")
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, members, err := s.store.TeamByID(ctx, tid)
	if err != nil {
		return err
	}
	if !mayEditTeam(userFrom(r), t) {
		if err := s.store.Audit(ctx, who(r), 0, store.AuditForbidden, "team.edit "+auditedRoute(r)); err != nil {
			return err
		}
		return &helhed.Error{Code: helhed.EForbidden, Message: "Kun lederen af teamets enhed kan ændre teamet. Forsøget er registreret."}
	}
	user, area := r.PostFormValue("user"), r.PostFormValue("area")
	uid, _ := strconv.ParseInt(user, 10, 64)
	errs := map[string]string{}
	if area == "" {
		if !slices.ContainsFunc(members, func(m store.TeamMember) bool { return m.UserID == uid }) {
			errs["user"] = "Vælg et af teamets medlemmer"
		}
	} else {
		rs, err := s.vocab.Sets(ctx, "team_area")
		if err != nil {
			return err
		}
		if !rs["team_area"].ValidOn(area, s.today()) {
			errs["area"] = "Vælg et område fra listen"
		}
		cands, err := s.teamCandidates(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(cands, func(c store.User) bool { return c.ID == uid }) {
			errs["user"] = "Vælg en medarbejder fra listen"
		}
	}
	if len(errs) > 0 {
		return s.renderTeam(w, r, http.StatusUnprocessableEntity, user, area, errs)
	}
	if err := s.store.SetTeamMember(ctx, who(r), tid, uid, area); err != nil {
		return err
	}
	if area == "" {
		s.flash(r, "success", "Medlemmet er fjernet fra teamet.")
	} else {
		s.flash(r, "success", "Medlemmet er tilføjet.")
	}
	return redirect(w, r, paths.Team(tid))
}
