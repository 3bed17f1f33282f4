package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// The board's timer starts when a case comes on the screen, not when "Vis" is pressed again
// on the case already shown; "teamet drøfter" hides a case until the next one comes on.
func TestFocusStartsTimerAndEndsDeliberation(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	first, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Ressourceforløb?")
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, "111190-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := st.AddMeetingCase(ctx, cw, f.meeting, other, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	meeting := func() store.Meeting {
		t.Helper()
		m, err := st.MeetingByID(ctx, f.meeting)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := meeting(); m.FocusStartedAt != nil || m.Deliberating {
		t.Fatalf("new meeting: started %v, deliberating %t; want neither", m.FocusStartedAt, m.Deliberating)
	}
	if err := st.SetFocus(ctx, cw, f.meeting, first); err != nil {
		t.Fatal(err)
	}
	if err := st.SetDeliberating(ctx, cw, f.meeting, true); err != nil {
		t.Fatal(err)
	}
	if m := meeting(); m.FocusStartedAt == nil || !m.FocusStartedAt.Equal(now) || !m.Deliberating {
		t.Fatalf("after focus and deliberation: started %v, deliberating %t; want %v and true", m.FocusStartedAt, m.Deliberating, now)
	}
	st.Now = func() time.Time { return now.Add(10 * time.Minute) }
	if err := st.SetFocus(ctx, cw, f.meeting, first); err != nil { // the same case again
		t.Fatal(err)
	}
	if m := meeting(); !m.FocusStartedAt.Equal(now) || !m.Deliberating {
		t.Fatalf("same case again: started %v, deliberating %t; want the timer and the state kept", m.FocusStartedAt, m.Deliberating)
	}
	if err := st.SetFocus(ctx, cw, f.meeting, second); err != nil {
		t.Fatal(err)
	}
	if m := meeting(); !m.FocusStartedAt.Equal(now.Add(10*time.Minute)) || m.Deliberating {
		t.Fatalf("next case: started %v, deliberating %t; want a new start and the case shown", m.FocusStartedAt, m.Deliberating)
	}
	if err := st.SetFocus(ctx, cw, f.meeting, 0); err != nil {
		t.Fatal(err)
	}
	if m := meeting(); m.FocusStartedAt != nil {
		t.Fatalf("no case on the screen: started %v; want none", m.FocusStartedAt)
	}
	if n := auditRows(t, st, store.AuditMeetingDeliberate, f.caseworker); n != 1 {
		t.Errorf("%d deliberation audit rows; want 1", n)
	}
}

// Attendance is recorded whole and audited; only the meeting's room can be marked present,
// and a case taken off the agenda cannot be changed.
func TestRecordCaseAttendance(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Ressourceforløb?")
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.MeetingCaseByID(ctx, f.meeting, mc)
	if err != nil {
		t.Fatal(err)
	}
	if c.CitizenAttended != nil || c.AttendanceRecordedAt != nil || len(c.MembersPresent) != 0 {
		t.Fatalf("new case: attendance %+v; want none recorded", c)
	}
	minutes := store.Who{UserID: f.member, RequestID: "t"}
	// The caseworker has no seat in the room.
	err = st.RecordCaseAttendance(ctx, minutes, f.meeting, mc, store.Attendance{Citizen: true, Members: []int64{f.member, f.caseworker}})
	var he *helhed.Error
	if !errors.As(err, &he) || he.Code != helhed.EInvalid || he.Fields[store.FieldMembersPresent] == "" {
		t.Fatalf("a member outside the room: %v; want a field error", err)
	}
	if err := st.RecordCaseAttendance(ctx, minutes, f.meeting, mc, store.Attendance{Citizen: true, Members: []int64{f.member, f.member}}); err != nil {
		t.Fatal(err)
	}
	c, err = st.MeetingCaseByID(ctx, f.meeting, mc)
	if err != nil {
		t.Fatal(err)
	}
	if c.CitizenAttended == nil || !*c.CitizenAttended || c.BisidderAttended == nil || *c.BisidderAttended ||
		!slices.Equal(c.MembersPresent, []int64{f.member}) || c.AttendanceRecordedAt == nil || c.AttendanceByName == nil {
		t.Fatalf("recorded attendance = %+v; want the citizen and one member, no bisidder", c)
	}
	if n := auditRows(t, st, store.AuditMeetingAttendance, f.member); n != 1 {
		t.Errorf("%d attendance audit rows; want 1", n)
	}
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, mc); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordCaseAttendance(ctx, minutes, f.meeting, mc, store.Attendance{}); !errors.Is(err, store.ErrCaseWithdrawn) {
		t.Fatalf("attendance on a withdrawn case: %v; want ErrCaseWithdrawn", err)
	}
}

// The citizen's comments need an indstilling to comment on, are bounded and audited.
func TestRecordCitizenComments(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Ressourceforløb?")
	if err != nil {
		t.Fatal(err)
	}
	minutes := store.Who{UserID: f.member, RequestID: "t"}
	var he *helhed.Error
	if err := st.RecordCitizenComments(ctx, minutes, f.meeting, mc, "Enig"); !errors.As(err, &he) || he.Fields[store.FieldCitizenComments] == "" {
		t.Fatalf("comments before the indstilling: %v; want a field error", err)
	}
	if err := st.RecordIndstilling(ctx, minutes, f.meeting, mc, 1, helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "Uafklaret helbred"}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordCitizenComments(ctx, minutes, f.meeting, mc, strings.Repeat("x", store.MaxCitizenComments+1)); !errors.As(err, &he) || he.Code != helhed.EInvalid {
		t.Fatalf("too long comments: %v; want invalid", err)
	}
	if err := st.RecordCitizenComments(ctx, minutes, f.meeting, mc, "  Enig, men jeg vil starte på deltid  "); err != nil {
		t.Fatal(err)
	}
	c, err := st.MeetingCaseByID(ctx, f.meeting, mc)
	if err != nil {
		t.Fatal(err)
	}
	if c.CitizenComments != "Enig, men jeg vil starte på deltid" || c.CommentsRecordedAt == nil || !c.CommentsRecordedAt.Equal(now) || c.CommentsByName == nil {
		t.Fatalf("comments = %q at %v by %v; want them trimmed, dated and signed", c.CitizenComments, c.CommentsRecordedAt, c.CommentsByName)
	}
	if n := auditRows(t, st, store.AuditCitizenComments, f.member); n != 1 {
		t.Errorf("%d comments audit rows; want 1", n)
	}
}

// The leader's meeting figures count a week's cases (not the withdrawn), the mean days from
// the agenda to the meeting and the outcomes, newest week first, a page of weeks at a time;
// meetings not yet held and other units' teams do not count.
func TestMeetingFigures(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // a Monday
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	// f.meeting is tomorrow; a second meeting a week later.
	later, err := st.CreateMeeting(ctx, cw, store.MeetingInput{TeamID: f.team, StartsAt: f.start.AddDate(0, 0, 7), SlotMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	var citizens []int64
	for i, cpr := range []string{"111190-1234", "120390-1234", "130590-1234"} {
		id, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, cpr), FirstName: "B" + strconv.Itoa(i), LastName: "Berg"})
		if err != nil {
			t.Fatal(err)
		}
		citizens = append(citizens, id)
	}
	add := func(meeting, citizen int64) int64 {
		t.Helper()
		id, err := st.AddMeetingCase(ctx, cw, meeting, citizen, "?")
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := add(f.meeting, f.citizen)
	add(f.meeting, citizens[0])
	gone := add(f.meeting, citizens[1])
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, gone); err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return now.Add(48 * time.Hour) }
	add(later, citizens[2])
	if err := st.RecordIndstilling(ctx, cw, f.meeting, first, 1, helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "x"}); err != nil {
		t.Fatal(err)
	}
	weeks, total, err := st.MeetingFigures(ctx, f.jobcenter, now.AddDate(0, 0, 30), store.Page{Number: 1, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2 || len(weeks) != 1 || weeks[0].Cases != 1 || weeks[0].MeanDays < 5.9 || weeks[0].MeanDays > 6.1 {
		t.Fatalf("first page = %+v of %d weeks; want the later week: 1 case, 6 days", weeks, total)
	}
	weeks, _, err = st.MeetingFigures(ctx, f.jobcenter, now.AddDate(0, 0, 30), store.Page{Number: 2, PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(weeks) != 1 || weeks[0].Cases != 2 || weeks[0].MeanDays < 0.9 || weeks[0].MeanDays > 1.1 ||
		len(weeks[0].Outcomes) != 1 || weeks[0].Outcomes[0] != "jobafklaringsforloeb" || weeks[0].Week.Format(time.DateOnly) != "2026-11-30" {
		t.Fatalf("second page = %+v; want the week of 30 November: 2 cases, 1 day, one jobafklaringsforløb", weeks)
	}
	// Not yet held, and another unit's teams, do not count.
	if weeks, total, err := st.MeetingFigures(ctx, f.jobcenter, now, store.Page{Number: 1, PerPage: 10}); err != nil || total != 0 || len(weeks) != 0 {
		t.Fatalf("before the meetings: %+v, %d, %v; want none", weeks, total, err)
	}
	if _, total, err := st.MeetingFigures(ctx, f.region, now.AddDate(0, 0, 30), store.Page{Number: 1, PerPage: 10}); err != nil || total != 0 {
		t.Fatalf("another unit: %d weeks, %v; want none", total, err)
	}
}
