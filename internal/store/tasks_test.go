package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// openTasks syncs and lists the user's open tasks as "source key" strings.
func openTasks(t *testing.T, st *store.Store, user, unit int64) map[string]store.Task {
	t.Helper()
	ctx := context.Background()
	if err := st.SyncTasks(ctx, user, unit, store.DefaultTaskRules()); err != nil {
		t.Fatal(err)
	}
	rows, total, err := st.ListTasks(ctx, user, unit, store.Page{Number: 1, PerPage: 200})
	if err != nil || total != len(rows) {
		t.Fatalf("tasks: %d of %d, %v", len(rows), total, err)
	}
	out := map[string]store.Task{}
	for _, r := range rows {
		out[r.Source] = r
	}
	return out
}

// Each source of tasks: the task appears when the case asks for it (on the store's clock and
// within its rule's days), is assigned to the citizen's caseworker, appears once however
// often the list is made, and is closed as resolved when the cause is gone.
func TestTaskGenerationPerSource(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t) // Monday 7.12.2026 09:00
	ctx := f.ctx
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := f.st.Pool().Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	today := helhed.DanishToday(f.now)
	if got := openTasks(t, f.st, f.cw, f.jobcenter); len(got) != 0 {
		t.Fatalf("a new citizen has tasks: %v", got)
	}

	// Follow-up due (citizens.next_follow_up): 8 days ahead is not yet a task, 7 is.
	exec(`UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, f.citizen, today.AddDate(0, 0, 8))
	if _, ok := openTasks(t, f.st, f.cw, f.jobcenter)[store.TaskFollowUp]; ok {
		t.Error("a follow-up 8 days ahead is a task")
	}
	exec(`UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, f.citizen, today.AddDate(0, 0, 7))
	got := openTasks(t, f.st, f.cw, f.jobcenter)
	if task, ok := got[store.TaskFollowUp]; !ok || task.AssigneeID == nil || *task.AssigneeID != f.cw || !task.Due.Equal(today.AddDate(0, 0, 7)) {
		t.Errorf("follow-up task: %+v", task)
	}

	// Consent expiring within 30 days.
	exec(`INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, expires_on, recorded_by)
		VALUES ($1, 'helbred', $2, 'Henvisning', $3, $4, $5)`, f.citizen, f.health, today.AddDate(-1, 0, 0), today.AddDate(0, 0, 30), f.cw)
	// A mentor period ending within the mentor rules' 30 days.
	exec(`INSERT INTO plans (citizen_id, created_by, updated_by) VALUES ($1, $2, $2)`, f.citizen, f.cw)
	exec(`INSERT INTO plan_efforts (plan_id, title, area, status, responsible_unit_id, start_date, end_date, mentor)
		SELECT id, 'Mentor', 'beskaeftigelse', 'i_gang', $2, $3, $4, true FROM plans WHERE citizen_id = $1`,
		f.citizen, f.jobcenter, today.AddDate(0, -5, 0), today.AddDate(0, 0, 20))
	// A referral sent 11 days ago and not received.
	offer := f.offer(store.OfferInput{Name: "Rygestop", ProviderUnitID: f.health})
	rid, err := f.st.CreateReferral(ctx, f.cwWho, store.NewReferral{CitizenID: f.citizen, OfferID: offer, FromUnitID: f.jobcenter, CitizenAccepted: true})
	if err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE referrals SET created_at = $2 WHERE id = $1`, rid, f.now.AddDate(0, 0, -9))
	if _, ok := openTasks(t, f.st, f.cw, f.jobcenter)[store.TaskReferral]; ok {
		t.Error("a referral 9 days old is a task")
	}
	exec(`UPDATE referrals SET created_at = $2 WHERE id = $1`, rid, f.now.AddDate(0, 0, -11))
	// A samtale of the kontaktforløb due: kontanthjælp since 40 days ago, the first of four
	// due on day 46 (within 14 days).
	if _, err := f.st.AddBenefitPeriod(ctx, f.cwWho, store.BenefitPeriod{CitizenID: f.citizen, BenefitCode: "kontanthjaelp", StartDate: today.AddDate(0, 0, -40)}); err != nil {
		t.Fatal(err)
	}
	got = openTasks(t, f.st, f.cw, f.jobcenter)
	for _, src := range []string{store.TaskFollowUp, store.TaskConsent, store.TaskMentor, store.TaskReferral, store.TaskSamtale} {
		if _, ok := got[src]; !ok {
			t.Errorf("no %s task: %v", src, got)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM tasks`); n != 5 {
		t.Errorf("%d tasks after generating three times; want 5, each once", n)
	}

	// The causes go: the referral is received, the samtale is held, the consent withdrawn, the
	// follow-up moved on, the mentor effort ended. Each task is closed as resolved.
	if _, err := f.st.TransitionReferral(ctx, f.nurseWho, f.citizen, rid, 1, helhed.ReferralReceived, ""); err != nil {
		t.Fatal(err)
	}
	f.st.Now = func() time.Time { return f.now.Add(3 * time.Hour) }
	if _, err := f.st.BookSamtale(ctx, f.cwWho, f.citizen, store.SamtaleInput{StartsAt: f.now.Add(time.Hour), EndsAt: f.now.Add(2 * time.Hour),
		Form: "fysisk", Held: true, Outcome: "Jobsamtale", OutcomeClass: "sag"}); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE consents SET withdrawn_at = now(), withdrawn_by = $2 WHERE citizen_id = $1`, f.citizen, f.cw)
	exec(`UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, f.citizen, today.AddDate(0, 3, 0))
	exec(`UPDATE plan_efforts SET status = 'afsluttet'`)
	got = openTasks(t, f.st, f.cw, f.jobcenter)
	if len(got) != 0 {
		t.Errorf("tasks left after their causes went: %v", got)
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE resolved AND done_by IS NULL AND done_at IS NOT NULL`); n != 5 {
		t.Errorf("%d tasks resolved by the case; want 5", n)
	}
	// The second samtale is due 45 days after the first's day: a new task once within 14 days.
	f.st.Now = func() time.Time { return f.now.AddDate(0, 0, 40) }
	if _, ok := openTasks(t, f.st, f.cw, f.jobcenter)[store.TaskSamtale]; !ok {
		t.Error("no task for the second samtale when it comes near")
	}
}

// The partshøring's deadline and the indstilling without a decision: the caseload's own
// conditions ("Partshøringsfrist udløbet", "Afventer afgørelse") as tasks.
func TestTaskGenerationHearingAndDecision(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	if _, err := st.Pool().Exec(ctx, `UPDATE settings SET value = '"2026-12-01"' WHERE key = 'decision_tasks_from'`); err != nil {
		t.Fatal(err)
	}
	mc := decisionCase(t, f)
	got := openTasks(t, st, f.caseworker, f.jobcenter)
	if task, ok := got[store.TaskDecision]; !ok || !strings.Contains(task.Title, "afgørelse") {
		t.Fatalf("no decision task: %v", got)
	}
	today := helhed.DanishToday(now)
	hid, err := st.StartHearing(ctx, cw, f.meeting, mc, helhed.HearingInput{Subject: "Lægeattest", SentOn: today, Deadline: today.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := openTasks(t, st, f.caseworker, f.jobcenter)[store.TaskHearing]; ok {
		t.Error("a partshøring 14 days from its deadline is a task")
	}
	st.Now = func() time.Time { return now.AddDate(0, 0, 11) } // 3 days before the deadline
	if task, ok := openTasks(t, st, f.caseworker, f.jobcenter)[store.TaskHearing]; !ok || !task.Due.Equal(today.AddDate(0, 0, 14)) {
		t.Errorf("partshøring task 3 days before the deadline: %+v", task)
	}
	st.Now = func() time.Time { return now.AddDate(0, 0, 15) } // the deadline has passed
	if _, ok := openTasks(t, st, f.caseworker, f.jobcenter)[store.TaskHearing]; !ok {
		t.Error("no partshøring task after its deadline")
	}
	if err := st.RecordHearingResult(ctx, cw, f.meeting, mc, hid, 1, helhed.HearingResultInput{Result: helhed.HearingNoResponse}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, helhed.Decision{Outcome: "fleksjob", Reasons: "LAB § 116", DecidedOn: helhed.DanishToday(st.Now())}); err != nil {
		t.Fatal(err)
	}
	if got := openTasks(t, st, f.caseworker, f.jobcenter); len(got) != 0 {
		t.Errorf("tasks after the answer and the decision: %v", got)
	}
}

// Manual tasks: for an active caseworker of the citizen's unit or the unit itself; done and
// snooze are the assignee's (or the unit's), audited, on the version read; another unit's
// user gets not found. The badge counts what is due today and not snoozed.
func TestManualTasksDoneAndSnooze(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	ctx := f.ctx
	today := helhed.DanishToday(f.now)
	if _, err := f.st.CreateTask(ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: " ", Due: today}); fieldsOf(t, err, helhed.EInvalid)["title"] == "" {
		t.Error("a task without a title")
	}
	if _, err := f.st.CreateTask(ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: "Ring", Due: today, AssigneeID: f.nurse}); fieldsOf(t, err, helhed.EInvalid)["assignee"] == "" {
		t.Error("a task for a nurse of another unit")
	}
	mine, err := f.st.CreateTask(ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: "Ring til lægen", Due: today, AssigneeID: f.cw})
	if err != nil {
		t.Fatal(err)
	}
	unitTask, err := f.st.CreateTask(ctx, f.cwWho, store.TaskInput{CitizenID: f.citizen, Title: "Find en praktikplads", Due: today.AddDate(0, 0, 3)})
	if err != nil {
		t.Fatal(err)
	}
	colleague, err := f.st.CreateUser(ctx, who, store.NewUser{Username: "kollega", Name: "Kollega", UnitID: f.jobcenter, Role: "sagsbehandler", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.TaskBadge(ctx, f.cw, f.jobcenter); err != nil || n != 1 {
		t.Errorf("badge %d, %v; want 1 (the unit's task is due in 3 days)", n, err)
	}
	if rows, _, _ := f.st.ListTasks(ctx, colleague, f.jobcenter, store.Page{}); len(rows) != 1 || rows[0].ID != unitTask {
		t.Errorf("the colleague sees %v; want the unit's task only", rows)
	}
	// The nurse of another unit cannot touch it.
	if err := f.st.CompleteTask(ctx, f.nurseWho, f.health, mine, 1); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Errorf("another unit completes the task: %v", err)
	}
	if err := f.st.SnoozeTask(ctx, f.cwWho, f.jobcenter, mine, 1, today); fieldsOf(t, err, helhed.EInvalid)["until"] == "" {
		t.Error("snoozed to today")
	}
	if err := f.st.SnoozeTask(ctx, f.cwWho, f.jobcenter, mine, 1, today.AddDate(0, 0, 2)); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.st.TaskBadge(ctx, f.cw, f.jobcenter); n != 0 {
		t.Errorf("badge %d after snoozing; want 0", n)
	}
	f.st.Now = func() time.Time { return f.now.AddDate(0, 0, 2) }
	if rows, _, _ := f.st.ListTasks(ctx, f.cw, f.jobcenter, store.Page{}); len(rows) != 2 {
		t.Errorf("on the snooze day: %d tasks; want both back", len(rows))
	}
	if err := f.st.CompleteTask(ctx, f.cwWho, f.jobcenter, mine, 1); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("stale version: %v", err)
	}
	if err := f.st.CompleteTask(ctx, store.Who{UserID: colleague, RequestID: "t"}, f.jobcenter, unitTask, 1); err != nil {
		t.Fatal(err)
	}
	if err := f.st.CompleteTask(ctx, f.cwWho, f.jobcenter, mine, 2); err != nil {
		t.Fatal(err)
	}
	if err := f.st.CompleteTask(ctx, f.cwWho, f.jobcenter, mine, 3); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("done twice: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE action IN ('task.create', 'task.done', 'task.snooze') AND citizen_id = $1`, f.citizen); n != 5 {
		t.Errorf("%d audit rows; want 5 (2 created, 1 snoozed, 2 done)", n)
	}
}

// The background generation covers every open case, and one instance at a time: while
// another holds the advisory lock it does nothing and says so; afterwards it generates the
// tasks of every caseworker's and every unit's cases in one run.
func TestSyncAllTasksOneInstanceAtATime(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	ctx := f.ctx
	today := helhed.DanishToday(f.now)
	other := f.citizen2(t)
	if _, err := f.st.Pool().Exec(ctx, `UPDATE citizens SET caseworker_id = NULL, next_follow_up = $2 WHERE id = $1`, other, today); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Pool().Exec(ctx, `UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, f.citizen, today); err != nil {
		t.Fatal(err)
	}
	tx, err := f.st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// store.taskLock: another instance is generating.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(0x68656c6865640030)); err != nil {
		t.Fatal(err)
	}
	if ran, err := f.st.SyncAllTasks(ctx, store.DefaultTaskRules()); err != nil || ran {
		t.Fatalf("while another instance generates: ran %v, %v", ran, err)
	}
	if n := f.count(t, `SELECT count(*) FROM tasks`); n != 0 {
		t.Fatalf("%d tasks generated under another instance's lock", n)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if ran, err := f.st.SyncAllTasks(ctx, store.DefaultTaskRules()); err != nil || !ran {
		t.Fatalf("alone: ran %v, %v", ran, err)
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE source = 'opfoelgning' AND ((citizen_id = $1 AND assignee_id = $2)
		OR (citizen_id = $3 AND assignee_id IS NULL AND unit_id = $4))`, f.citizen, f.cw, other, f.jobcenter); n != 2 {
		t.Errorf("%d follow-up tasks; want the caseworker's and the unit's", n)
	}
	// SyncCitizenTasks resolves one citizen's task at once.
	if _, err := f.st.Pool().Exec(ctx, `UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, f.citizen, today.AddDate(0, 2, 0)); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SyncCitizenTasks(ctx, f.citizen, store.DefaultTaskRules()); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM tasks WHERE done_at IS NULL`); n != 1 {
		t.Errorf("%d open tasks after one citizen's follow-up moved; want the other's only", n)
	}
}
