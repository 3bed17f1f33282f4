package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// meetingForm is the meeting form: the values as typed, and the form's messages.
type meetingForm struct {
	values meetings.FormValues
	*form.Form
}

// maxMeetingLocation is the domain's bound on a meeting's location (helhed.ValidateMeeting).
const maxMeetingLocation = 200

// maxMeetingDateTime bounds the date and the time as typed; parsing them says the rest.
const maxMeetingDateTime = 100

func decodeMeetingForm(r *http.Request) meetingForm {
	_ = r.ParseForm()
	return meetingForm{Form: form.New(r.PostForm)}
}

// validate reads the form in reading order against the teams the user may plan for and the
// candidates offered, and builds the store input. team is the meeting's own team when editing
// (a meeting keeps its team; the form's is not read), 0 for a new meeting. Date and time are
// a time in Denmark; the domain's bounds (helhed.ValidateMeeting) are asked after the readers.
func (f *meetingForm) validate(teams []store.Team, candidates map[int64]bool, now time.Time, team int64) store.MeetingInput {
	v := &f.values
	v.Version = f.Text("version", "", 20)
	var in store.MeetingInput
	if team != 0 {
		v.Team, in.TeamID = strconv.FormatInt(team, 10), team
	} else {
		v.Team = f.RequiredChoice("team", "Team", func(s string) bool {
			id, err := strconv.ParseInt(s, 10, 64)
			return err == nil && slices.ContainsFunc(teams, func(t store.Team) bool { return t.ID == id })
		})
		if f.Errors["team"] == "" {
			in.TeamID, _ = strconv.ParseInt(v.Team, 10, 64)
		}
	}
	f.Label(helhed.FieldMeetingStart, "Tidspunkt")
	v.Date, v.Time = f.Text("date", "Dato", maxMeetingDateTime), f.Text("time", "Klokkeslæt", maxMeetingDateTime)
	if v.Date != "" || v.Time != "" {
		t, err := time.ParseInLocation("2006-01-02 15:04", v.Date+" "+v.Time, form.Zone)
		if err != nil {
			f.Fail(helhed.FieldMeetingStart, "Angiv dato som ÅÅÅÅ-MM-DD og klokkeslæt som TT:MM")
		} else {
			in.StartsAt = t
		}
	}
	// 10–120 minutes is the domain's bound (helhed.ValidateMeeting); read here as a number.
	slot, ok := f.RequiredInt(helhed.FieldMeetingSlot, "Minutter pr. sag", 10, 120)
	in.SlotMinutes = slot
	if !ok {
		in.SlotMinutes = -1
	}
	v.Slot = f.Values[helhed.FieldMeetingSlot]
	v.Location = f.Text(helhed.FieldMeetingLocation, "Sted", maxMeetingLocation)
	in.Location = v.Location
	member := func(s string) bool {
		id, err := strconv.ParseInt(s, 10, 64)
		return err == nil && candidates[id]
	}
	v.Chair = f.Choice("chair", "Mødeleder", member)
	v.MinuteTaker = f.Choice("minute_taker", "Referent", member)
	if f.Errors["chair"] == "" {
		in.ChairID, _ = strconv.ParseInt(v.Chair, 10, 64)
	}
	if f.Errors["minute_taker"] == "" {
		in.MinuteTakerID, _ = strconv.ParseInt(v.MinuteTaker, 10, 64)
	}
	for k, msg := range fieldErrors(helhed.ValidateMeeting(helhed.MeetingInput{Start: in.StartsAt, SlotMinutes: in.SlotMinutes, Location: in.Location}, now)) {
		f.Fail(k, msg)
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
	p := meetings.FormProps{ID: id, Values: f.values, Errors: f.Errors, Summary: f.SummaryTexts(), Members: members}
	for _, t := range teams {
		p.Teams = append(p.Teams, components.Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name})
	}
	title := "Planlæg møde"
	if id != 0 {
		m, err := s.store.MeetingByID(r.Context(), id)
		if err != nil {
			return err
		}
		title = "Ret mødet – " + meetings.Title(m.TeamName, m.StartsAt)
	}
	return s.page(w, r, status, title, meetings.Form(p))
}

func (s *Server) meetingNewGet(w http.ResponseWriter, r *http.Request) error {
	teams, members, _, err := s.plannableTeams(r.Context(), userFrom(r).UnitID)
	if err != nil {
		return err
	}
	f := meetingForm{values: meetings.FormValues{Slot: "30", Time: "09:00"}, Form: form.New(nil)}
	if len(teams) == 1 {
		f.values.Team = strconv.FormatInt(teams[0].ID, 10)
	}
	if len(teams) == 0 {
		f.Label("team", "Team")
		f.Fail("team", "Din enhed har intet rehabiliteringsteam. Opret det under Teams og medlemmer.")
	}
	return s.renderMeetingForm(w, r, http.StatusOK, 0, f, teams, members)
}

func (s *Server) meetingNewPost(w http.ResponseWriter, r *http.Request) error {
	teams, members, ids, err := s.plannableTeams(r.Context(), userFrom(r).UnitID)
	if err != nil {
		return err
	}
	f := decodeMeetingForm(r)
	in := f.validate(teams, ids, s.now(), 0)
	if !f.OK() {
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, 0, f, teams, members)
	}
	id, err := s.store.CreateMeeting(r.Context(), who(r), in)
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			f.Fail(k, msg)
		}
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, 0, f, teams, members)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Mødet er planlagt. Sagsbehandlerne kan nu sætte borgere på dagsordenen.")
	return redirect(w, r, paths.Meeting(id))
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

// meetingEditable loads a meeting for its edit form: one that has been held is history
// (store.ErrMeetingHeld, 409), whatever the form would change.
func (s *Server) meetingEditable(r *http.Request, mid int64) (store.Meeting, error) {
	m, err := s.store.MeetingByID(r.Context(), mid)
	if err != nil {
		return m, err
	}
	if helhed.MeetingHeld(m.StartsAt, s.now()) {
		return m, store.ErrMeetingHeld
	}
	return m, nil
}

func (s *Server) meetingEditGet(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid := mr.ID
	m, err := s.meetingEditable(r, mid)
	if err != nil {
		return err
	}
	teams, members, _, err := s.meetingEditTeams(r.Context(), m)
	if err != nil {
		return err
	}
	start := m.StartsAt.In(form.Zone)
	f := meetingForm{Form: form.New(nil), values: meetings.FormValues{Team: strconv.FormatInt(m.TeamID, 10),
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

func (s *Server) meetingEditPost(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	mid := mr.ID
	m, err := s.meetingEditable(r, mid)
	if err != nil {
		return err
	}
	teams, members, ids, err := s.meetingEditTeams(r.Context(), m)
	if err != nil {
		return err
	}
	f := decodeMeetingForm(r)
	in := f.validate(teams, ids, s.now(), m.TeamID) // a meeting keeps its team
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, mid, f, teams, members)
	}
	err = s.store.UpdateMeeting(r.Context(), who(r), mid, version, in)
	if err == store.ErrMeetingHeld { // it started while the form was open
		return err
	}
	if helhed.ErrorCode(err) == helhed.EConflict {
		f.Fail("version", helhed.ErrorMessage(err)+" Kontrollér felterne og gem igen for at overskrive.")
		f.values.Version = strconv.Itoa(m.Version)
		return s.renderMeetingForm(w, r, http.StatusConflict, mid, f, teams, members)
	}
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			f.Fail(k, msg)
		}
		return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, mid, f, teams, members)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Mødet er gemt.")
	return redirect(w, r, paths.Meeting(mid))
}
