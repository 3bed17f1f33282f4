package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/meetings"
)

// meetingForm is the typed meeting form: values as typed and Danish errors.
type meetingForm struct {
	values meetings.FormValues
	errors map[string]string
}

func decodeMeetingForm(r *http.Request) meetingForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return meetingForm{values: meetings.FormValues{Team: v("team"), Date: v("date"), Time: v("time"), Slot: v("slot_minutes"),
		Location: v("location"), Chair: v("chair"), MinuteTaker: v("minute_taker"), Version: v("version")}, errors: map[string]string{}}
}

// validate checks the form against the teams the user may plan for and the candidates
// offered, and builds the store input. Date and time are read in the server's time zone.
func (f *meetingForm) validate(teams []store.Team, candidates map[int64]bool, now time.Time) store.MeetingInput {
	v := f.values
	in := store.MeetingInput{Location: v.Location}
	team, err := strconv.ParseInt(v.Team, 10, 64)
	if err != nil || !slices.ContainsFunc(teams, func(t store.Team) bool { return t.ID == team }) {
		f.errors["team"] = "Vælg et af din enheds teams"
	} else {
		in.TeamID = team
	}
	in.SlotMinutes, err = strconv.Atoi(v.Slot)
	if err != nil {
		in.SlotMinutes = -1
	}
	if v.Date != "" || v.Time != "" {
		t, err := time.ParseInLocation("2006-01-02 15:04", v.Date+" "+v.Time, time.Local)
		if err != nil {
			f.errors["starts_at"] = "Angiv dato som ÅÅÅÅ-MM-DD og klokkeslæt som TT:MM"
		} else {
			in.StartsAt = t
		}
	}
	if fe := fieldErrors(helhed.ValidateMeeting(helhed.MeetingInput{Start: in.StartsAt, SlotMinutes: in.SlotMinutes, Location: in.Location}, now)); fe != nil {
		for k, msg := range fe {
			if f.errors[k] == "" {
				f.errors[k] = msg
			}
		}
	}
	for field, raw := range map[string]string{"chair": v.Chair, "minute_taker": v.MinuteTaker} {
		if raw == "" {
			continue
		}
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !candidates[id] {
			f.errors[field] = "Vælg et medlem af teamet"
			continue
		}
		if field == "chair" {
			in.ChairID = id
		} else {
			in.MinuteTakerID = id
		}
	}
	return in
}

// plannableTeams are the teams the user may plan meetings for (those run by their unit), and
// their members as chair and minute-taker candidates.
func (s *Server) plannableTeams(ctx context.Context, unitID int64) ([]store.Team, []components.Option, map[int64]bool, error) {
	all, err := s.store.ListTeams(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var teams []store.Team
	var opts []components.Option
	ids := map[int64]bool{}
	for _, t := range all {
		if t.UnitID != unitID {
			continue
		}
		teams = append(teams, t)
		_, members, err := s.store.TeamByID(ctx, t.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, m := range members {
			if !ids[m.UserID] {
				ids[m.UserID] = true
				opts = append(opts, components.Option{Value: strconv.FormatInt(m.UserID, 10), Label: m.Name + " (" + t.Name + ")"})
			}
		}
	}
	return teams, opts, ids, nil
}

func (s *Server) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, id int64, f meetingForm, teams []store.Team, members []components.Option) error {
	p := meetings.FormProps{ID: id, Values: f.values, Errors: f.errors, Members: members}
	for _, t := range teams {
		p.Teams = append(p.Teams, components.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name})
	}
	title := "Planlæg møde"
	if id != 0 {
		title = "Ret mødet"
	}
	return s.page(w, r, status, title, meetings.Form(p))
}

func (s *Server) meetingNewGet(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireCan(r, access.PlanMeetings); err != nil {
		return err
	}
	teams, members, _, err := s.plannableTeams(r.Context(), userFrom(r).UnitID)
	if err != nil {
		return err
	}
	f := meetingForm{values: meetings.FormValues{Slot: "30", Time: "09:00"}, errors: map[string]string{}}
	if len(teams) == 1 {
		f.values.Team = strconv.FormatInt(teams[0].ID, 10)
	}
	if len(teams) == 0 {
		f.errors["team"] = "Din enhed har intet rehabiliteringsteam. Opret det under Teams og medlemmer."
	}
	return s.renderMeetingForm(w, r, http.StatusOK, 0, f, teams, members)
}

func (s *Server) meetingNewPost(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireCan(r, access.PlanMeetings); err != nil {
		return err
	}
	teams, members, ids, err := s.plannableTeams(r.Context(), userFrom(r).UnitID)
	if err != nil {
		return err
	}
	f := decodeMeetingForm(r)
	in := f.validate(teams, ids, s.now())
	if len(f.errors) > 0 {
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, 0, f, teams, members)
	}
	id, err := s.store.CreateMeeting(r.Context(), who(r), in)
	if fe := fieldErrors(err); fe != nil {
		f.errors = fe
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, 0, f, teams, members)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Mødet er planlagt. Sagsbehandlerne kan nu sætte borgere på dagsordenen.")
	return redirect(w, r, meetings.Href(id))
}

// meetingEditTeams returns the meeting's own team (the only choice when editing) and its
// members as candidates.
func (s *Server) meetingEditTeams(ctx context.Context, m store.Meeting) ([]store.Team, []components.Option, map[int64]bool, error) {
	t, members, err := s.store.TeamByID(ctx, m.TeamID)
	if err != nil {
		return nil, nil, nil, err
	}
	opts := make([]components.Option, len(members))
	ids := map[int64]bool{}
	for i, mb := range members {
		opts[i] = components.Option{Value: strconv.FormatInt(mb.UserID, 10), Label: mb.Name}
		ids[mb.UserID] = true
	}
	return []store.Team{t}, opts, ids, nil
}

func (s *Server) meetingEditGet(w http.ResponseWriter, r *http.Request) error {
	mid, _, err := s.meetingParam(r, access.EditMeeting)
	if err != nil {
		return err
	}
	m, err := s.store.MeetingByID(r.Context(), mid)
	if err != nil {
		return err
	}
	teams, members, _, err := s.meetingEditTeams(r.Context(), m)
	if err != nil {
		return err
	}
	start := m.StartsAt.Local()
	f := meetingForm{errors: map[string]string{}, values: meetings.FormValues{Team: strconv.FormatInt(m.TeamID, 10),
		Date: start.Format(time.DateOnly), Time: start.Format("15:04"), Slot: strconv.Itoa(m.SlotMinutes), Location: m.Location,
		Version: strconv.Itoa(m.Version)}}
	if m.ChairID != nil {
		f.values.Chair = strconv.FormatInt(*m.ChairID, 10)
	}
	if m.MinuteTakerID != nil {
		f.values.MinuteTaker = strconv.FormatInt(*m.MinuteTakerID, 10)
	}
	return s.renderMeetingForm(w, r, http.StatusOK, mid, f, teams, members)
}

func (s *Server) meetingEditPost(w http.ResponseWriter, r *http.Request) error {
	mid, _, err := s.meetingParam(r, access.EditMeeting)
	if err != nil {
		return err
	}
	m, err := s.store.MeetingByID(r.Context(), mid)
	if err != nil {
		return err
	}
	teams, members, ids, err := s.meetingEditTeams(r.Context(), m)
	if err != nil {
		return err
	}
	f := decodeMeetingForm(r)
	f.values.Team = strconv.FormatInt(m.TeamID, 10) // a meeting keeps its team
	in := f.validate(teams, ids, s.now())
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		f.errors["version"] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	if len(f.errors) > 0 {
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, mid, f, teams, members)
	}
	err = s.store.UpdateMeeting(r.Context(), who(r), mid, version, in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		f.errors["version"] = helhed.ErrorMessage(err) + " Kontrollér felterne og gem igen for at overskrive."
		f.values.Version = strconv.Itoa(m.Version)
		return s.renderMeetingForm(w, r, http.StatusConflict, mid, f, teams, members)
	}
	if fe := fieldErrors(err); fe != nil {
		f.errors = fe
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, mid, f, teams, members)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Mødet er gemt.")
	return redirect(w, r, meetings.Href(mid))
}

func (s *Server) teamsView(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireCan(r, access.ManageTeams); err != nil {
		return err
	}
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
	if err := s.requireCan(r, access.ManageTeams); err != nil {
		return err
	}
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
	return redirect(w, r, meetings.TeamHref(id))
}

// mayEditTeam: the administrator, or the leader of the unit that runs the team.
func mayEditTeam(u *currentUser, t store.Team) bool {
	return u.Role == access.RoleAdmin || (u.Role == access.RoleManager && u.UnitID == t.UnitID)
}

func (s *Server) teamView(w http.ResponseWriter, r *http.Request) error {
	return s.renderTeam(w, r, http.StatusOK, "", "", nil)
}

func (s *Server) renderTeam(w http.ResponseWriter, r *http.Request, status int, user, area string, errs map[string]string) error {
	if err := s.requireCan(r, access.ManageTeams); err != nil {
		return err
	}
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
		Errors: errs, Areas: options(areas.Current(s.now()))}
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
	if err := s.requireCan(r, access.ManageTeams); err != nil {
		return err
	}
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
		if err := s.store.Audit(ctx, who(r), 0, store.AuditForbidden, "team.edit "+r.URL.Path); err != nil {
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
		if !rs["team_area"].ValidOn(area, s.now()) {
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
	return redirect(w, r, meetings.TeamHref(tid))
}
