package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// Meeting mode: who was in the room for a case and the citizen's comments to the
// indstilling, written by the chair or the minute-taker on the case page (the same seats that
// write the indstilling, access.RecordIndstilling), and the chair's "teamet drøfter" on the
// shared screen.

// minutesOf fills the case page's attendance and comments, and their forms for the chair and
// the minute-taker. The comments are health data, like the indstilling's reasons: shown
// through the viewer's sight, and rewritten only by a recorder who may read them.
func (s *Server) minutesOf(ctx context.Context, p *meetings.CaseProps, mc store.MeetingCase, u access.User, mrel access.MeetingRelation, sight access.Sight) error {
	p.CanRecordMinutes = access.CanMeeting(u, access.RecordIndstilling, mrel) && mc.WithdrawnAt == nil
	if mc.AttendanceRecordedAt != nil || p.CanRecordMinutes {
		room, err := s.store.RoomMembers(ctx, mc.MeetingID)
		if err != nil {
			return err
		}
		if mc.AttendanceRecordedAt != nil {
			p.Attendance = attendanceView(mc, room)
		}
		p.AttendanceForm.Citizen = mc.CitizenAttended != nil && *mc.CitizenAttended
		p.AttendanceForm.Bisidder = mc.BisidderAttended != nil && *mc.BisidderAttended
		for _, m := range room {
			id := strconv.FormatInt(m.ID, 10)
			p.AttendanceForm.Members = append(p.AttendanceForm.Members, components.Option{Value: id, Label: m.Name})
			if slices.Contains(mc.MembersPresent, m.ID) {
				p.AttendanceForm.Selected = append(p.AttendanceForm.Selected, id)
			}
		}
	}
	if mc.CommentsRecordedAt != nil {
		p.Comments = access.Gate(sight, access.CitizenComments, mc.CitizenComments)
		p.CommentsBy, p.CommentsAt = deref(mc.CommentsByName), *mc.CommentsRecordedAt
	}
	p.CommentsForm.Show = p.CanRecordMinutes && mc.Outcome != nil && sight.Sees(access.CitizenComments.Class)
	if p.CommentsForm.Show {
		p.CommentsForm.Text = mc.CitizenComments
	}
	return nil
}

// attendanceView is a case's recorded attendance with the names of the room's members.
func attendanceView(mc store.MeetingCase, room []store.RoomMember) *meetings.AttendanceView {
	a := &meetings.AttendanceView{Citizen: mc.CitizenAttended != nil && *mc.CitizenAttended,
		Bisidder: mc.BisidderAttended != nil && *mc.BisidderAttended, Room: len(room), By: deref(mc.AttendanceByName)}
	if mc.AttendanceRecordedAt != nil {
		a.At = *mc.AttendanceRecordedAt
	}
	for _, m := range room {
		if slices.Contains(mc.MembersPresent, m.ID) {
			a.Members = append(a.Members, m.Name)
		}
	}
	return a
}

// attendancePost records who was in the room while the team handled the case: the chair or
// the minute-taker only.
func (s *Server) attendancePost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc, mrel, rel := q.Case, q.Meeting, q.Rel
	if _, err := s.authorizeMeeting(r, mc.MeetingID, access.RecordIndstilling); err != nil {
		return err
	}
	if mc.WithdrawnAt != nil {
		return s.withdrawnCase(w, r, mc)
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	a := store.Attendance{Citizen: f.Bool("citizen_attended", "Borgeren"), Bisidder: f.Bool("bisidder_attended", "Bisidder")}
	for _, v := range r.PostForm[store.FieldMembersPresent] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			f.Fail(store.FieldMembersPresent, "Vælg kun mødets deltagere")
			break
		}
		a.Members = append(a.Members, id)
	}
	var err error
	if f.OK() {
		err = s.store.RecordCaseAttendance(r.Context(), who(r), mc.MeetingID, mc.ID, a)
	}
	if fe := fieldErrors(err); fe != nil || !f.OK() {
		msg := f.Errors[store.FieldMembersPresent]
		if msg == "" {
			msg = fe[store.FieldMembersPresent]
		}
		return s.renderMeetingCase(w, r, http.StatusUnprocessableEntity, mc, mrel, rel, nil, nil, func(p *meetings.CaseProps) {
			p.AttendanceForm.Citizen, p.AttendanceForm.Bisidder, p.AttendanceForm.Error = a.Citizen, a.Bisidder, msg
			p.AttendanceForm.Selected = r.PostForm[store.FieldMembersPresent]
		})
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Fremmødet er gemt.")
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID)+"#fremmoede")
}

// commentsPost records the citizen's comments to the indstilling: the chair or the
// minute-taker, who must be able to read what they replace (the comments are health data).
func (s *Server) commentsPost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc, mrel, rel := q.Case, q.Meeting, q.Rel
	if _, err := s.authorizeMeeting(r, mc.MeetingID, access.RecordIndstilling); err != nil {
		return err
	}
	if mc.WithdrawnAt != nil {
		return s.withdrawnCase(w, r, mc)
	}
	if !access.SightOf(userFrom(r).access(), rel).Sees(access.CitizenComments.Class) {
		return s.denied(r, mc.CitizenID, "borgerens bemærkninger: kan ikke læse dem uden samtykke")
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	text := f.Text(store.FieldCitizenComments, "Borgerens bemærkninger", store.MaxCitizenComments)
	var err error
	if f.OK() {
		err = s.store.RecordCitizenComments(r.Context(), who(r), mc.MeetingID, mc.ID, text)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
	}
	if !f.OK() {
		return s.renderMeetingCase(w, r, http.StatusUnprocessableEntity, mc, mrel, rel, nil, nil, func(p *meetings.CaseProps) {
			p.CommentsForm.Text, p.CommentsForm.Error = r.PostFormValue(store.FieldCitizenComments), f.Errors[store.FieldCitizenComments]
			p.CommentsForm.Show = true
		})
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Borgerens bemærkninger er gemt.")
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID)+"#bemaerkninger")
}

// deliberatePost switches "teamet drøfter" (droefter=ja|nej): while the team deliberates,
// the shared screens show only that, not the case. The chair switches it, like the focus.
func (s *Server) deliberatePost(w http.ResponseWriter, r *http.Request, mr meetingReq) error {
	var on bool
	switch r.PostFormValue("droefter") {
	case "ja":
		on = true
	case "nej":
	default:
		return &helhed.Error{Code: helhed.EInvalid, Message: "Vælg, om teamet drøfter sagen."}
	}
	if err := s.store.SetDeliberating(r.Context(), who(r), mr.ID, on); err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return redirect(w, r, paths.Board(mr.ID))
}
