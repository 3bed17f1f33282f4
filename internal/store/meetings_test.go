package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// meetingFixture makes a team in the jobcenter with a member from the region, a meeting
// tomorrow and a citizen of the jobcenter.
type meetingFixture struct {
	st                       *store.Store
	jobcenter, region        int64
	caseworker, member, team int64
	meeting, citizen         int64
	start                    time.Time
}

func newMeetingFixture(t *testing.T, now time.Time) meetingFixture {
	t.Helper()
	st, unit, cw := fixture(t)
	st.Now = func() time.Time { return now }
	ctx := context.Background()
	f := meetingFixture{st: st, jobcenter: unit, caseworker: cw, start: now.Add(24 * time.Hour)}
	var err error
	if f.region, err = st.CreateUnit(ctx, who, "Region Test", "region"); err != nil {
		t.Fatal(err)
	}
	if f.member, err = st.CreateUser(ctx, who, store.NewUser{Username: "rehab", Name: "Rehab Medlem", UnitID: f.region, Role: "rehabteam", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if f.team, err = st.CreateTeam(ctx, who, "Rehabiliteringsteam Test", unit); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTeamMember(ctx, who, f.team, f.member, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	if f.meeting, err = st.CreateMeeting(ctx, store.Who{UserID: cw}, store.MeetingInput{TeamID: f.team, StartsAt: f.start, SlotMinutes: 30, MinuteTakerID: f.member}); err != nil {
		t.Fatal(err)
	}
	if f.citizen, err = st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen", CaseworkerID: cw}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestMeetingAgenda(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}

	caseID, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Skal borgeren i jobafklaringsforløb?")
	if err != nil {
		t.Fatal(err)
	}
	// The same citizen twice on one agenda is a field error, not a second row.
	_, err = st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Igen")
	if fe := helhed.FieldErrorsOf(err); fe["meeting"] == "" {
		t.Fatalf("adding a case twice: err = %v; want a field error on meeting", err)
	}
	other, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, "111190-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := st.AddMeetingCase(ctx, cw, f.meeting, other, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.MeetingByID(ctx, f.meeting)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) != 2 || m.Cases[0].ID != caseID || m.Cases[1].ID != second || m.Cases[1].Position != 2 {
		t.Fatalf("agenda = %+v; want the two cases in the order added", m.Cases)
	}

	// Preparation: a draft, then ready; a stale version is a conflict and changes nothing.
	prep := helhed.Preparation{"wishes": "Vil gerne arbejde med dyr"}
	if err := st.SavePreparation(ctx, cw, f.meeting, caseID, 1, prep, false); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePreparation(ctx, cw, f.meeting, caseID, 1, helhed.Preparation{"wishes": "gammel"}, true); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("stale preparation save: err = %v; want conflict", err)
	}
	c, err := st.MeetingCaseByID(ctx, f.meeting, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Preparation["wishes"] != "Vil gerne arbejde med dyr" || c.PreparedAt != nil || c.Version != 2 {
		t.Fatalf("case after draft save = %+v", c)
	}
	// A case id of this meeting under another meeting's id is not found.
	otherMeeting, err := st.CreateMeeting(ctx, cw, store.MeetingInput{TeamID: f.team, StartsAt: f.start.Add(time.Hour), SlotMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.MeetingCaseByID(ctx, otherMeeting, caseID); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("case under another meeting: err = %v; want not found", err)
	}
	if err := st.SetFocus(ctx, cw, otherMeeting, caseID); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("focus on another meeting's case: err = %v; want not found", err)
	}

	// Indstilling on the version loaded; a second writer on the same version gets a conflict.
	in := helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "Uafklaret helbred"}
	if err := st.RecordIndstilling(ctx, cw, f.meeting, caseID, 2, in); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordIndstilling(ctx, cw, f.meeting, caseID, 2, helhed.Indstilling{Outcome: "fleksjob", Reasons: "x"}); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("second indstilling on a stale version: err = %v; want conflict", err)
	}
	if err := st.SetFocus(ctx, cw, f.meeting, second); err != nil {
		t.Fatal(err)
	}
	m, _ = st.MeetingByID(ctx, f.meeting)
	if fc, ok := m.Focus(); !ok || fc.ID != second {
		t.Fatalf("focus = %v %v; want case %d", fc.ID, ok, second)
	}
	if m.Cases[0].Outcome == nil || *m.Cases[0].Outcome != "jobafklaringsforloeb" {
		t.Fatalf("outcome = %v", m.Cases[0].Outcome)
	}

	// The case with an indstilling stays; removing the other clears the focus on it.
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, caseID); !errors.Is(err, store.ErrCaseDecided) {
		t.Fatalf("removing a case with an indstilling: %v; want ErrCaseDecided", err)
	}
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, second); err != nil {
		t.Fatal(err)
	}
	m, _ = st.MeetingByID(ctx, f.meeting)
	if len(m.Cases) != 1 || m.Cases[0].ID != caseID || m.FocusCaseID != nil {
		t.Fatalf("after removing the second: cases %+v, focus %v", m.Cases, m.FocusCaseID)
	}
}

func TestOnAgendaWindow(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	member := access.User{ID: f.member, UnitID: f.region, Role: access.RoleRehabTeam}
	relAt := func(at time.Time) access.Relation {
		t.Helper()
		st.Now = func() time.Time { return at }
		rel, err := st.Relation(ctx, member, f.citizen)
		if err != nil {
			t.Fatal(err)
		}
		return rel
	}
	if relAt(now).OnAgenda {
		t.Fatal("on agenda before the case was put there")
	}
	st.Now = func() time.Time { return now }
	if _, err := st.AddMeetingCase(ctx, store.Who{UserID: f.caseworker}, f.meeting, f.citizen, "Spørgsmål"); err != nil {
		t.Fatal(err)
	}
	days, err := st.AgendaAccessDays(ctx, now)
	if err != nil || days != 7 {
		t.Fatalf("AgendaAccessDays = %d, %v; want the seeded 7", days, err)
	}
	until := helhed.AgendaAccessUntil(f.start, days)
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{now.Add(-time.Minute), false}, // before it was put on the agenda
		{now.Add(time.Minute), true},
		{f.start, true},
		{until.Add(-time.Minute), true},
		{until, false}, // the window has closed
		{until.AddDate(0, 1, 0), false},
	} {
		if got := relAt(tc.at).OnAgenda; got != tc.want {
			t.Errorf("OnAgenda at %v = %v; want %v", tc.at, got, tc.want)
		}
	}
	// Someone not on the team never is.
	outsider, err := st.CreateUser(ctx, who, store.NewUser{Username: "rehab2", Name: "Ikke Medlem", UnitID: f.region, Role: "rehabteam", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return now.Add(time.Hour) }
	rel, err := st.Relation(ctx, access.User{ID: outsider, UnitID: f.region, Role: access.RoleRehabTeam}, f.citizen)
	if err != nil || rel.OnAgenda {
		t.Fatalf("outsider relation = %+v, %v; want not on agenda", rel, err)
	}
}

func TestMeetingRelationAndSeats(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	rel, err := st.MeetingRelation(ctx, access.User{ID: f.member}, f.meeting)
	if err != nil {
		t.Fatal(err)
	}
	if want := (access.MeetingRelation{TeamUnitID: f.jobcenter, Member: true, MinuteTaker: true}); rel != want {
		t.Errorf("member's relation = %+v; want %+v", rel, want)
	}
	rel, _ = st.MeetingRelation(ctx, access.User{ID: f.caseworker}, f.meeting)
	if rel.Member || rel.Chair || rel.MinuteTaker {
		t.Errorf("caseworker's relation = %+v; want no seat", rel)
	}
	// A chair who is not on the team is refused.
	_, err = st.CreateMeeting(ctx, who, store.MeetingInput{TeamID: f.team, StartsAt: f.start, SlotMinutes: 30, ChairID: f.caseworker})
	if helhed.FieldErrorsOf(err)["chair"] == "" {
		t.Fatalf("chair off the team: err = %v; want a field error on chair", err)
	}
	if _, err := st.MeetingRelation(ctx, access.User{ID: f.member}, 999999); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("unknown meeting: %v", err)
	}
}

// Taking a case off an agenda keeps its forberedende del: it is a document of the case. A case
// the team has given its indstilling in is not taken off at all. The case leaves the agenda (and the team's
// need-to-know access with it) but stays in the citizen's history, marked withdrawn.
func TestWithdrawnCaseKeepsItsRecord(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}

	caseID, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Skal borgeren i ressourceforløb?")
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
	if err := st.SavePreparation(ctx, cw, f.meeting, caseID, 1, helhed.Preparation{"wishes": "Vil arbejde med dyr"}, true); err != nil {
		t.Fatal(err)
	}
	// A case the team has given its indstilling in stays on the agenda: the partshøring and
	// the afgørelse stand on it there.
	in := helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "Uafklaret helbred"}
	if err := st.RecordIndstilling(ctx, cw, f.meeting, second, 1, in); err != nil {
		t.Fatal(err)
	}
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, second); !errors.Is(err, store.ErrCaseDecided) {
		t.Fatalf("removing a case with an indstilling: %v; want ErrCaseDecided", err)
	}
	if err := st.SetFocus(ctx, cw, f.meeting, caseID); err != nil {
		t.Fatal(err)
	}
	member := access.User{ID: f.member, UnitID: f.region, Role: access.RoleRehabTeam}
	if rel, err := st.Relation(ctx, member, f.citizen); err != nil || !rel.OnAgenda {
		t.Fatalf("member relation before withdrawal = %+v, %v; want on agenda", rel, err)
	}

	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, caseID); err != nil {
		t.Fatal(err)
	}

	// The agenda no longer holds it; the next case moves up and the focus is cleared.
	m, err := st.MeetingByID(ctx, f.meeting)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) != 1 || m.Cases[0].ID != second || m.Cases[0].Position != 1 || m.FocusCaseID != nil {
		t.Fatalf("agenda after withdrawal = %+v, focus %v; want only case %d at position 1", m.Cases, m.FocusCaseID, second)
	}
	if len(m.Withdrawn) != 1 || m.Withdrawn[0].ID != caseID {
		t.Fatalf("withdrawn cases = %+v; want case %d", m.Withdrawn, caseID)
	}
	// The record is kept whole.
	c, err := st.MeetingCaseByID(ctx, f.meeting, caseID)
	if err != nil {
		t.Fatalf("withdrawn case: %v; want it kept", err)
	}
	if c.WithdrawnAt == nil || !c.WithdrawnAt.Equal(now) || c.Preparation["wishes"] != "Vil arbejde med dyr" || c.PreparedAt == nil {
		t.Fatalf("withdrawn case = %+v; want its preparation kept, marked withdrawn", c)
	}
	hist, err := st.CitizenMeetings(ctx, f.citizen)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].CaseID != caseID || hist[0].WithdrawnAt == nil {
		t.Fatalf("citizen's meetings = %+v; want the case, marked withdrawn", hist)
	}
	// A withdrawn case is not written to, removed twice or put on the board.
	if err := st.SavePreparation(ctx, cw, f.meeting, caseID, c.Version, helhed.Preparation{"wishes": "x"}, false); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Fatalf("preparing a withdrawn case: err = %v; want invalid", err)
	}
	if err := st.RecordIndstilling(ctx, cw, f.meeting, caseID, c.Version, in); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Fatalf("indstilling on a withdrawn case: err = %v; want invalid", err)
	}
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, caseID); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("removing twice: err = %v; want not found", err)
	}
	if err := st.SetFocus(ctx, cw, f.meeting, caseID); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Fatalf("focus on a withdrawn case: err = %v; want not found", err)
	}
	// The team's need-to-know access ends with the case's place on the agenda.
	if rel, err := st.Relation(ctx, member, f.citizen); err != nil || rel.OnAgenda {
		t.Fatalf("member relation after withdrawal = %+v, %v; want not on agenda", rel, err)
	}
	// The citizen can be put on the same meeting again, as a new case.
	again, err := st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Nyt spørgsmål")
	if err != nil {
		t.Fatalf("adding the citizen again after withdrawal: %v", err)
	}
	if m, _ = st.MeetingByID(ctx, f.meeting); len(m.Cases) != 2 || m.Cases[1].ID != again || m.Cases[1].Position != 2 {
		t.Fatalf("agenda after adding again = %+v", m.Cases)
	}
}
