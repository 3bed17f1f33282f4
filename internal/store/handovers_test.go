package store_test

import (
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// handoverFixture adds to the samtale fixture a second jobcenter with a caseworker, a
// colleague in the first, a disabled caseworker and a leader.
type handoverFixture struct {
	samtaleFixture
	jobcenter2, cw2, colleague, gone, leader int64
}

func newHandoverFixture(t *testing.T) handoverFixture {
	t.Helper()
	f := handoverFixture{samtaleFixture: newSamtaleFixture(t)}
	var err error
	if f.jobcenter2, err = f.st.CreateUnit(f.ctx, who, "Jobcenter Nord", "jobcenter"); err != nil {
		t.Fatal(err)
	}
	user := func(name string, unit int64, role string) int64 {
		t.Helper()
		id, err := f.st.CreateUser(f.ctx, who, store.NewUser{Username: name, Name: name, UnitID: unit, Role: role, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.cw2 = user("cw2", f.jobcenter2, access.RoleCaseworker)
	f.colleague = user("kollega", f.jobcenter, access.RoleCaseworker)
	f.gone = user("fratraadt", f.jobcenter, access.RoleCaseworker)
	f.leader = user("leder", f.jobcenter, access.RoleManager)
	if _, err := f.st.Pool().Exec(f.ctx, `UPDATE users SET disabled_at = now() WHERE id = $1`, f.gone); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f handoverFixture) canView(t *testing.T, user, unit int64, role string, citizen int64) bool {
	t.Helper()
	u := access.User{ID: user, UnitID: unit, Role: role}
	rel, err := f.st.Relation(f.ctx, u, citizen)
	if err != nil {
		t.Fatal(err)
	}
	return access.CanCitizen(u, access.ViewCitizen, rel)
}

// A handover to another unit: the case, its open tasks and its booked samtaler move; the note
// is a journal note of kind overdragelse (class sag); the new holder gets a task; the former
// holder's relation no longer gives access; the journal note and the move are audited.
func TestHandOverToAnotherUnit(t *testing.T) {
	t.Parallel()
	f := newHandoverFixture(t)
	if !f.canView(t, f.cw, f.jobcenter, access.RoleCaseworker, f.citizen) {
		t.Fatal("the caseworker does not see their own citizen before the handover")
	}
	task, err := f.st.CreateTask(f.ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: "Ring", Due: f.now, AssigneeID: f.cw})
	if err != nil {
		t.Fatal(err)
	}
	sam, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(2, 10, 0), EndsAt: f.at(2, 10, 30)})
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.st.HandOver(f.ctx, f.cwWho, f.citizen, store.HandoverInput{ToUnitID: f.jobcenter2, ToCaseworkerID: f.cw2,
		Note: "Borgeren flytter til Nord. Mangler lægeattest."})
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.st.CitizenByID(f.ctx, f.citizen)
	if err != nil || c.UnitID != f.jobcenter2 || c.CaseworkerID == nil || *c.CaseworkerID != f.cw2 {
		t.Fatalf("citizen after handover: unit %d caseworker %v, %v", c.UnitID, c.CaseworkerID, err)
	}
	if f.canView(t, f.cw, f.jobcenter, access.RoleCaseworker, f.citizen) {
		t.Error("the former holder still sees the citizen after a handover to another unit")
	}
	if !f.canView(t, f.cw2, f.jobcenter2, access.RoleCaseworker, f.citizen) {
		t.Error("the new holder does not see the citizen")
	}
	if n := f.count(t, `SELECT count(*) FROM handovers h JOIN journal_notes n ON n.id = h.note_id
		WHERE h.id = $1 AND h.citizen_id = $2 AND h.from_unit_id = $3 AND h.from_caseworker_id = $4 AND h.to_unit_id = $5
		  AND h.to_caseworker_id = $6 AND NOT h.bulk AND n.kind = 'overdragelse' AND n.class = 'sag'
		  AND n.text = 'Borgeren flytter til Nord. Mangler lægeattest.'`,
		id, f.citizen, f.jobcenter, f.cw, f.jobcenter2, f.cw2); n != 1 {
		t.Errorf("handover row with its journal note: %d", n)
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE id = $1 AND assignee_id = $2 AND unit_id = $3 AND done_at IS NULL`, task, f.cw2, f.jobcenter2); n != 1 {
		t.Error("the open task did not follow the case")
	}
	if n := f.count(t, `SELECT count(*) FROM samtaler WHERE id = $1 AND holder_id = $2 AND unit_id = $3`, sam, f.cw2, f.jobcenter2); n != 1 {
		t.Error("the booked samtale did not follow the case")
	}
	got := openTasks(t, f.st, f.cw2, f.jobcenter2)
	if h, ok := got[store.TaskHandover]; !ok || h.AssigneeID == nil || *h.AssigneeID != f.cw2 || h.CitizenID == nil || *h.CitizenID != f.citizen {
		t.Errorf("the new holder's handover task: %+v (of %v)", h, got)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action = $2 AND user_id = $3
		AND detail LIKE 'overdragelse % fra enhed %, sagsbehandler % til enhed %, sagsbehandler %'`, f.citizen, store.AuditHandover, f.cw); n != 1 {
		t.Errorf("%d handover audit rows; want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action = $2 AND detail LIKE '%overdragelse%'`,
		f.citizen, store.AuditNoteCreate); n != 1 {
		t.Errorf("%d audit rows of the handover note; want 1", n)
	}
	// The new holder's generated tasks are theirs from now on (SyncTasks does not close the
	// handover task: its cause is the handover, not the case).
	if _, ok := openTasks(t, f.st, f.cw2, f.jobcenter2)[store.TaskHandover]; !ok {
		t.Error("generating tasks closed the handover task")
	}
}

// Within the unit, the former caseworker still sees the citizen (the unit holds the case), and
// only the former caseworker's tasks move to the colleague.
func TestHandOverWithinTheUnit(t *testing.T) {
	t.Parallel()
	f := newHandoverFixture(t)
	mine, _ := f.st.CreateTask(f.ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: "Ring", Due: f.now, AssigneeID: f.cw})
	unit, _ := f.st.CreateTask(f.ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: "Fælles", Due: f.now})
	if _, err := f.st.HandOver(f.ctx, f.cwWho, f.citizen, store.HandoverInput{ToUnitID: f.jobcenter, ToCaseworkerID: f.colleague, Note: "Ferie."}); err != nil {
		t.Fatal(err)
	}
	if !f.canView(t, f.cw, f.jobcenter, access.RoleCaseworker, f.citizen) {
		t.Error("a caseworker of the case-holding unit lost access by a handover within the unit")
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE id = $1 AND assignee_id = $2`, mine, f.colleague); n != 1 {
		t.Error("the former caseworker's task did not move to the colleague")
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE id = $1 AND assignee_id IS NULL`, unit); n != 1 {
		t.Error("the unit's shared task was given to a person")
	}
}

// Bad input: a disabled user, a unit that cannot hold cases (no caseworker), a caseworker of
// another unit than the one chosen, no note, and the case's own holder — each a Danish message
// beside its field, and nothing saved.
func TestHandOverRefusesBadInput(t *testing.T) {
	t.Parallel()
	f := newHandoverFixture(t)
	cases := []struct {
		name  string
		in    store.HandoverInput
		field string
		want  string
	}{
		{"disabled user", store.HandoverInput{ToUnitID: f.jobcenter, ToCaseworkerID: f.gone, Note: "x"}, store.FieldHandoverCaseworker, "deaktiveret"},
		{"unit without the role", store.HandoverInput{ToUnitID: f.health, Note: "x"}, store.FieldHandoverUnit, "ingen aktive sagsbehandlere"},
		{"nurse as caseworker", store.HandoverInput{ToUnitID: f.health, ToCaseworkerID: f.nurse, Note: "x"}, store.FieldHandoverCaseworker, "ikke sagsbehandler"},
		{"caseworker of another unit", store.HandoverInput{ToUnitID: f.jobcenter, ToCaseworkerID: f.cw2, Note: "x"}, store.FieldHandoverCaseworker, "hører ikke til"},
		{"no note", store.HandoverInput{ToUnitID: f.jobcenter2, Note: " "}, store.FieldHandoverNote, ""},
		{"to its own holder", store.HandoverInput{ToUnitID: f.jobcenter, ToCaseworkerID: f.cw, Note: "x"}, store.FieldHandoverCaseworker, "allerede"},
		{"leader as caseworker", store.HandoverInput{ToUnitID: f.jobcenter, ToCaseworkerID: f.leader, Note: "x"}, store.FieldHandoverCaseworker, "ikke sagsbehandler"},
	}
	for _, tc := range cases {
		_, err := f.st.HandOver(f.ctx, f.cwWho, f.citizen, tc.in)
		msg, ok := fieldsOf(t, err, helhed.EInvalid)[tc.field]
		if !ok || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %v; want %q beside %s", tc.name, err, tc.want, tc.field)
		}
	}
	for _, q := range []string{`SELECT count(*) FROM handovers`, `SELECT count(*) FROM journal_notes`,
		`SELECT count(*) FROM tasks`, `SELECT count(*) FROM audit_events WHERE action = 'citizen.handover'`} {
		if n := f.count(t, q); n != 0 {
			t.Errorf("%s = %d after refused handovers", q, n)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM citizens WHERE id = $1 AND unit_id = $2 AND caseworker_id = $3`, f.citizen, f.jobcenter, f.cw); n != 1 {
		t.Error("a refused handover moved the citizen")
	}
}

// The leader hands over all of a departing caseworker's open cases in one step: every one
// moves with its note, task and audit rows; a closed case and another caseworker's case stay;
// a count that changed since the preview moves nothing.
func TestHandOverCaseload(t *testing.T) {
	t.Parallel()
	f := newHandoverFixture(t)
	leaderWho := store.Who{UserID: f.leader, RequestID: "bulk"}
	second, third := f.citizen2(t), f.citizen2(t)
	closed := f.citizen2(t)
	if _, err := f.st.Pool().Exec(f.ctx, `UPDATE citizens SET closed_at = now(), closed_reason = 'job' WHERE id = $1`, closed); err != nil {
		t.Fatal(err)
	}
	others := f.citizen2(t)
	if _, err := f.st.Pool().Exec(f.ctx, `UPDATE citizens SET caseworker_id = $2 WHERE id = $1`, others, f.colleague); err != nil {
		t.Fatal(err)
	}
	rows, total, err := f.st.CaseworkerCitizens(f.ctx, f.jobcenter, f.cw, store.Page{Number: 1, PerPage: 2})
	if err != nil || total != 3 || len(rows) != 2 {
		t.Fatalf("preview: %d rows of %d, %v", len(rows), total, err)
	}
	in := store.HandoverInput{ToUnitID: f.jobcenter2, ToCaseworkerID: f.cw2, Note: "Sagsbehandleren er fratrådt."}
	if _, err := f.st.HandOverCaseload(f.ctx, leaderWho, f.jobcenter, f.cw, in, 2); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("a stale count: %v; want a conflict", err)
	}
	if n := f.count(t, `SELECT count(*) FROM handovers`); n != 0 {
		t.Fatalf("%d handovers after a stale count", n)
	}
	if _, err := f.st.HandOverCaseload(f.ctx, leaderWho, f.jobcenter2, f.cw, in, 3); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Errorf("a caseworker of another unit than the leader's: %v; want not found", err)
	}
	n, err := f.st.HandOverCaseload(f.ctx, leaderWho, f.jobcenter, f.cw, in, 3)
	if err != nil || n != 3 {
		t.Fatalf("bulk handover: %d, %v", n, err)
	}
	for _, c := range []int64{f.citizen, second, third} {
		if f.canView(t, f.cw, f.jobcenter, access.RoleCaseworker, c) || !f.canView(t, f.cw2, f.jobcenter2, access.RoleCaseworker, c) {
			t.Errorf("citizen %d: access did not move", c)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM handovers WHERE bulk AND handed_by = $1 AND note_id IS NOT NULL`, f.leader); n != 3 {
		t.Errorf("%d bulk handover rows; want 3", n)
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE source = 'overdragelse' AND assignee_id = $1`, f.cw2); n != 3 {
		t.Errorf("%d handover tasks; want 3", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE action = 'citizen.handover' AND user_id = $1`, f.leader); n != 3 {
		t.Errorf("%d handover audit rows; want 3", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE action = 'caseload.handover' AND detail LIKE '3 sager fra sagsbehandler %'`); n != 1 {
		t.Errorf("%d caseload handover audit rows; want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM citizens WHERE id IN ($1, $2) AND unit_id = $3`, closed, others, f.jobcenter); n != 2 {
		t.Error("a closed case or another caseworker's case was moved")
	}
}
