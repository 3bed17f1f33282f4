package store_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// danish is the zone the retention period is counted in.
func danish(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// fillCitizen gives citizen id a row in every kind of table that holds citizen data: benefit
// period, screening, consent, referral with its history, TFA with a participant, plan with
// goal, effort (linked to the referral), versions, follow-up with a score, journal notes, the
// samlet beskrivelse and the sundhedsfaglig rådgivning — and
// the links between them (plan → TFA, effort → referral, correction → note) that the
// deletion must untangle.
func fillCitizen(t *testing.T, st *store.Store, unit, uid, offer, id int64) {
	t.Helper()
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "test"}
	today := st.Now()
	if _, err := st.AddBenefitPeriod(ctx, w, store.BenefitPeriod{CitizenID: id, BenefitCode: "kontanthjaelp", StartDate: today.AddDate(-1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateScreening(ctx, w, id, today, helhed.ScreeningAnswers{Diet: "god"}, store.Conditions{Notes: "Rygsmerter"},
		helhed.Result{RuleSetVersion: 1, Group: helhed.RiskLow}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateConsents(ctx, w, store.NewConsent{CitizenID: id, Information: "helbred", UnitIDs: []int64{unit}, Purpose: "p", GivenOn: today}); err != nil {
		t.Fatal(err)
	}
	rid, err := st.CreateReferral(ctx, w, store.NewReferral{CitizenID: id, OfferID: offer, FromUnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	// The provider's attendance and report (migration 0033).
	for v, to := range []helhed.ReferralState{helhed.ReferralAccepted, helhed.ReferralStarted} {
		if _, err := st.TransitionReferral(ctx, w, id, rid, v+1, to, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RecordAttendance(ctx, w, id, rid, store.PeriodWeek, time.Date(2026, 5, 25, 0, 0, 0, 0, time.UTC), store.NoShow, "Syg"); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteReferralReport(ctx, w, id, rid, store.ReportStatus, "Godt i gang"); err != nil {
		t.Fatal(err)
	}
	aid, _, err := st.StartAssessment(ctx, w, id, "Sagsbehandler")
	if err != nil {
		t.Fatal(err)
	}
	// A section written and a TFA conference recorded (migration 0031).
	if _, err := st.SaveAssessmentSection(ctx, w, id, aid, access.SectionEmployment, 0, store.AssessmentInput{
		Resources: map[string]helhed.ResourceAnswer{"uddannelse": {Resources: "Faglært"}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordConference(ctx, w, id, aid, today, true, []int64{uid}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePlan(ctx, w, id, today, 3); err != nil {
		t.Fatal(err)
	}
	if err := st.SavePlanGoals(ctx, w, id, 1, "Et job", []store.GoalInput{{Text: "Sove bedre"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveEffort(ctx, w, id, 2, 0, store.EffortInput{Title: "IPS", Area: "beskaeftigelse", Status: "henvist",
		ResponsibleUnitID: unit, StartDate: today}); err != nil {
		t.Fatal(err)
	}
	v, err := st.ViewPlan(ctx, w, id, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddFollowUp(ctx, w, id, today, "Godt i gang", map[int64]int{v.Goals[0].ID: 6}, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddSelfRating(ctx, w, id, today, helhed.RatingSomewhatBetter); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE plans SET assessment_id = $2 WHERE citizen_id = $1`, id, aid); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE plan_efforts SET referral_id = $2 WHERE plan_id = (SELECT id FROM plans WHERE citizen_id = $1)
		AND NOT EXISTS (SELECT 1 FROM plan_efforts WHERE referral_id = $2)`, id, rid); err != nil {
		t.Fatal(err)
	}
	// A rehabiliteringsteam case with its preparation and indstilling, in focus on the board.
	team, err := st.CreateTeam(ctx, w, "Team "+strconv.FormatInt(id, 10), unit)
	if err != nil {
		t.Fatal(err)
	}
	mid, err := st.CreateMeeting(ctx, w, store.MeetingInput{TeamID: team, StartsAt: today.Add(24 * time.Hour), SlotMinutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	mc, err := st.AddMeetingCase(ctx, w, mid, id, "Jobafklaring?")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordIndstilling(ctx, w, mid, mc, 1, helhed.Indstilling{Outcome: "andet", Reasons: "Helbred"}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetFocus(ctx, w, mid, mc); err != nil {
		t.Fatal(err)
	}
	// Meeting mode (migration 0034): the attendance and the citizen's comments go with the case.
	if err := st.RecordCaseAttendance(ctx, w, mid, mc, store.Attendance{Citizen: true, Bisidder: true}); err != nil {
		t.Fatal(err)
	}
	if err := st.RecordCitizenComments(ctx, w, mid, mc, "Jeg er enig, men vil gerne starte på deltid"); err != nil {
		t.Fatal(err)
	}
	// A journal note and its correction (a link between two of the citizen's own rows).
	all := access.SightOf(access.User{ID: uid, UnitID: unit, Role: access.RoleCaseworker}, access.Relation{CitizenUnitID: unit})
	note, err := st.CreateNote(ctx, w, id, all, store.NoteInput{Kind: "samtale", Class: "helbred", EventDate: today, Text: "Samtale om helbredet"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateNote(ctx, w, id, all, store.NoteInput{Kind: "samtale", Class: "sag", EventDate: today, Text: "Rettelse", CorrectsID: note}); err != nil {
		t.Fatal(err)
	}
	// A samtale held with a participant, its outcome a journal note, and one booked.
	mentor := "deltager" + strconv.FormatInt(id, 10)
	if _, err := st.CreateUser(ctx, w, store.NewUser{Username: mentor, Name: "Mentor", UnitID: unit, Role: access.RoleCaseworker, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.BookSamtale(ctx, w, id, store.SamtaleInput{StartsAt: today.Add(-2 * time.Hour), EndsAt: today.Add(-time.Hour),
		Form: "fysisk", Place: "Jobcentret", Participants: []string{mentor}, Held: true, Outcome: "Samtale om job", OutcomeClass: "sag"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.BookSamtale(ctx, w, id, store.SamtaleInput{StartsAt: today.Add(48 * time.Hour), EndsAt: today.Add(49 * time.Hour),
		Form: "video", OverlapOK: true}); err != nil {
		t.Fatal(err)
	}
	if err := st.ExemptFromContact(ctx, w, id, store.ContactExemption{Reason: "konkret_vurdering", From: today, Note: "Selv i job"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateTask(ctx, w, store.TaskInput{CitizenID: id, Title: "Ring til borgeren", Due: today}); err != nil {
		t.Fatal(err)
	}
	// A lægeattest of two pieces.
	if _, err := st.AddDocument(ctx, w, id, store.NewDocument{Title: "Lægeattest", Type: "laegeattest", Filename: "attest.pdf"},
		bytes.NewReader(pdfOf(store.ChunkSize+100))); err != nil {
		t.Fatal(err)
	}
	// The partshøring before the municipality's afgørelse, answered, and the afgørelse.
	hid, err := st.StartHearing(ctx, w, mid, mc, helhed.HearingInput{Subject: "Lægeattest", SentOn: today, Deadline: today.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordHearingResult(ctx, w, mid, mc, hid, 1, helhed.HearingResultInput{Result: helhed.HearingAnswered,
		ResponseOn: today, Summary: "Enig"}); err != nil {
		t.Fatal(err)
	}
	dec, err := st.RecordDecision(ctx, w, mid, mc, 0, helhed.Decision{Outcome: "andet", Reasons: "Helbred", DecidedOn: helhed.DanishToday(today)})
	if err != nil {
		t.Fatal(err)
	}
	// The post-team records: the samlet beskrivelse, and advice asked of a region and given.
	if _, err := st.SaveDescription(ctx, w, id, 0, helhed.Preparation{"health": "Ryglidelse"}); err != nil {
		t.Fatal(err)
	}
	region, err := st.CreateUnit(ctx, w, "Region "+strconv.FormatInt(id, 10), "region")
	if err != nil {
		t.Fatal(err)
	}
	coordinator, err := st.CreateUser(ctx, w, store.NewUser{Username: "koordinator" + strconv.FormatInt(id, 10), Name: "Koordinator",
		UnitID: region, Role: "rehabteam", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	adv, err := st.RequestHealthAdvice(ctx, w, id, region, "Kan borgeren arbejde 10 timer?")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.GiveHealthAdvice(ctx, store.Who{UserID: coordinator}, id, adv, 1, "Ja, med skånehensyn"); err != nil {
		t.Fatal(err)
	}
	// The afgørelse's letter, its document and note, in the outbox.
	if _, err := st.SendLetter(ctx, w, id, store.LetterInput{Kind: store.LetterAfgoerelse, Subject: "Afgørelse", DecisionID: dec,
		MeetingCaseID: mc, HearingID: hid}, bytes.NewReader(pdfOf(500))); err != nil {
		t.Fatal(err)
	}
	// A handover (with its journal note and task): to the unit's shared list, or to the
	// caseworker when the case has none.
	c, err := st.CitizenByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	to := store.HandoverInput{ToUnitID: unit, Note: "Overdraget ved ferie"}
	if c.CaseworkerID == nil {
		to.ToCaseworkerID = uid
	}
	if _, err := st.HandOver(ctx, w, id, to); err != nil {
		t.Fatal(err)
	}
	// The citizen's own, in the citizen area (migration 0037): WHO-5 before the booked
	// samtale, a rating of a goal, comments on the plan and the indstilling, a consent and a
	// document.
	self := store.Who{Citizen: id, RequestID: "test"}
	var samtale, goal int64
	if err := st.Pool().QueryRow(ctx, `SELECT (SELECT max(id) FROM samtaler WHERE citizen_id = $1),
		(SELECT min(g.id) FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.citizen_id = $1)`, id).Scan(&samtale, &goal); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddWHO5SelfReport(ctx, self, id, samtale, [5]int{3, 3, 3, 3, 3}); err != nil {
		t.Fatal(err)
	}
	if err := st.RateGoal(ctx, self, id, goal, 2); err != nil {
		t.Fatal(err)
	}
	for _, c := range []int64{0, mc} {
		if err := st.AddSelfComment(ctx, self, id, c, "Min kommentar"); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateConsents(ctx, self, store.NewConsent{CitizenID: id, Information: "helbred", UnitIDs: []int64{region}, Purpose: "p", GivenOn: today}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddDocument(ctx, self, id, store.NewDocument{Title: "Min attest", Type: "laegeattest", Filename: "min.pdf"},
		bytes.NewReader(pdfOf(300))); err != nil {
		t.Fatal(err)
	}
}

// tableCounts counts the rows of every table that references citizens.
func tableCounts(t *testing.T, st *store.Store, tables []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tbl := range tables {
		var n int
		// The table name comes from the database's own catalogue, quoted as an identifier.
		if err := st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM `+pgx.Identifier{tbl}.Sanitize()).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", tbl, err)
		}
		out[tbl] = n
	}
	return out
}

// exportCounts returns how many rows of each table belong to one citizen, through the export
// (which TestExportCoversEveryCitizenTable keeps complete).
func exportCounts(t *testing.T, st *store.Store, id int64) map[string]int {
	t.Helper()
	ex, err := st.ExportCitizen(context.Background(), who, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, s := range ex.Sections {
		out[s.Table] = len(s.Rows)
	}
	return out
}

// Closed cases are deleted on the store's clock when the retention period, counted from the
// end of the year of closure, has run out: every row of the citizen in every table that
// references citizens goes, nobody else's, and one audit row without personal data stays. A
// case on legal hold survives until the hold is lifted; a case closed later and an open case
// stay.
func TestClosedCasesAreDeletedAfterRetention(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cph := danish(t)
	w := store.Who{UserID: uid, RequestID: "test"}
	st.Now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, cph) }
	offer, err := st.CreateOffer(ctx, w, store.OfferInput{Name: "IPS", Opgavetype: "ot08", ProviderUnitID: unit, Capacity: 50})
	if err != nil {
		t.Fatal(err)
	}
	citizen := func(cpr, name string) int64 {
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, cpr), FirstName: name, LastName: "Testesen", CaseworkerID: uid})
		if err != nil {
			t.Fatal(err)
		}
		fillCitizen(t, st, unit, uid, offer, id)
		return id
	}
	expired, held, later, open := citizen("020385-1233", "Udløbet"), citizen("030486-1234", "Slettestop"),
		citizen("040587-1235", "Senere"), citizen("050688-1236", "Åben")

	for _, id := range []int64{expired, held} {
		if err := st.CloseCase(ctx, w, id, "Borgeren er i ordinært job"); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CloseCase(ctx, w, expired, "igen"); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("closing a closed case: %v; want conflict", err)
	}
	if err := st.SetLegalHold(ctx, w, held, "Verserende klagesag i Ankestyrelsen"); err != nil {
		t.Fatal(err)
	}
	// Closed, reopened and closed again the next year: the clock runs from the last closure.
	if err := st.CloseCase(ctx, w, later, "Flyttet"); err != nil {
		t.Fatal(err)
	}
	if err := st.ReopenCase(ctx, w, later); err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, cph) }
	if err := st.CloseCase(ctx, w, later, "Flyttet igen"); err != nil {
		t.Fatal(err)
	}
	if err := st.ReopenCase(ctx, w, open); helhed.ErrorCode(err) != helhed.EConflict {
		t.Fatalf("reopening an open case: %v; want conflict", err)
	}
	if err := st.CloseCase(ctx, w, 999999, "x"); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("closing a missing citizen: %v; want not found", err)
	}
	c, err := st.CitizenByID(ctx, expired)
	if err != nil || c.ClosedAt == nil || c.ClosedReason != "Borgeren er i ordinært job" || c.ClosedByName == nil {
		t.Fatalf("closed citizen: %+v %v", c, err)
	}

	tables, err := st.CitizenTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	own := exportCounts(t, st, expired)
	before := tableCounts(t, st, tables)

	// The last moment of 2031, Danish time: five years after the end of 2026 have not passed.
	st.Now = func() time.Time { return time.Date(2031, 12, 31, 23, 59, 59, 0, cph) }
	if gone, err := st.DeleteExpiredCases(ctx); err != nil || len(gone) != 0 {
		t.Fatalf("on 31.12.2031: deleted %v, %v; want nothing", gone, err)
	}
	st.Now = func() time.Time { return time.Date(2032, 1, 1, 0, 0, 0, 0, cph) }
	gone, err := st.DeleteExpiredCases(ctx)
	if err != nil || !slices.Equal(gone, []int64{expired}) {
		t.Fatalf("on 1.1.2032: deleted %v, %v; want only %d", gone, err, expired)
	}

	after := tableCounts(t, st, tables)
	for _, tbl := range tables {
		if own[tbl] == 0 {
			t.Errorf("the fixture gives the citizen no row in %s: fill it in fillCitizen so its deletion is tested", tbl)
		}
		if after[tbl] != before[tbl]-own[tbl] {
			t.Errorf("%s: %d rows before, %d of the deleted citizen, %d after; want %d", tbl, before[tbl], own[tbl], after[tbl], before[tbl]-own[tbl])
		}
	}
	if _, err := st.CitizenByID(ctx, expired); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("the deleted citizen still loads: %v", err)
	}
	for _, id := range []int64{held, later, open} {
		if got := exportCounts(t, st, id); got["plans"] != 1 || got["referral_events"] == 0 {
			t.Errorf("citizen %d lost data with the deletion of another: %v", id, got)
		}
	}
	var n int
	var userID *int64
	var detail string
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) OVER (), user_id, detail FROM audit_events WHERE citizen_id = $1 AND action = $2`,
		expired, store.AuditCitizenDelete).Scan(&n, &userID, &detail); err != nil || n != 1 || userID != nil || detail != store.DeletionDetail {
		t.Fatalf("deletion audit: %d rows, user %v, detail %q, %v; want one row by the system with the standard text", n, userID, detail, err)
	}

	// Lifting the hold lets the next run delete the held case; the later one waits for 2033.
	if err := st.ClearLegalHold(ctx, w, held); err != nil {
		t.Fatal(err)
	}
	if gone, err := st.DeleteExpiredCases(ctx); err != nil || !slices.Equal(gone, []int64{held}) {
		t.Fatalf("after the hold is lifted: deleted %v, %v; want %d", gone, err, held)
	}
	st.Now = func() time.Time { return time.Date(2033, 1, 1, 0, 0, 0, 0, cph) }
	if gone, err := st.DeleteExpiredCases(ctx); err != nil || !slices.Equal(gone, []int64{later}) {
		t.Fatalf("on 1.1.2033: deleted %v, %v; want %d", gone, err, later)
	}
	if _, err := st.CitizenByID(ctx, open); err != nil {
		t.Fatalf("the open case is gone: %v", err)
	}
}

// Deleting a citizen must never be refused and never leave a row behind, whichever table a
// later feature adds: every table that references citizens, directly or through others, is
// reached from citizens by ON DELETE CASCADE, and no link between citizen tables may refuse
// the delete (NO ACTION, RESTRICT) — a link that is not the table's way to the citizen may
// be SET NULL.
func TestCitizenDeletionCascadesEverywhere(t *testing.T) {
	t.Parallel()
	st, _, _ := fixture(t)
	ctx := context.Background()
	tables, err := st.CitizenTables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := st.Pool().Query(ctx, `
		WITH RECURSIVE cascaded(tbl) AS (
			SELECT 'citizens'::regclass
			UNION
			SELECT c.conrelid::regclass FROM pg_constraint c JOIN cascaded r ON c.confrelid = r.tbl
			WHERE c.contype = 'f' AND c.confdeltype = 'c'
		)
		SELECT tbl::text FROM cascaded`)
	if err != nil {
		t.Fatal(err)
	}
	var cascaded []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		cascaded = append(cascaded, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		if !slices.Contains(cascaded, tbl) {
			t.Errorf("%s references citizens but is not reached from citizens by ON DELETE CASCADE: its rows would outlive a deleted case", tbl)
		}
	}
	bad, err := st.Pool().Query(ctx, `
		SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, c.confdeltype::text
		FROM pg_constraint c
		WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY($1) AND c.confdeltype NOT IN ('c', 'n')`, tables)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	for bad.Next() {
		var name, from, to, action string
		if err := bad.Scan(&name, &from, &to, &action); err != nil {
			t.Fatal(err)
		}
		t.Errorf("foreign key %s (%s → %s) has ON DELETE %q: deleting a citizen could be refused; use CASCADE or SET NULL", name, from, to, action)
	}
}

// The retention run works on the store's clock: audit rows older than the audit retention
// period are deleted and younger ones kept, failed logins older than a day stop counting, and
// expired cases go in the same run.
func TestRetentionRunUsesTheStoreClock(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	// The store's clock runs 20 days ahead of the database's: the cutoffs must come from it.
	now := time.Now().Add(20 * 24 * time.Hour).Truncate(time.Second)
	st.Now = func() time.Time { return now }
	day := 24 * time.Hour
	// The old rows come first in the audit chain, as rows written on their day would; the
	// purge removes the chain's oldest part (TestAuditPurgeKeepsChainVerifiable).
	if _, err := st.Pool().Exec(ctx, `
		INSERT INTO audit_events (at, action) VALUES ($1, 'old'), ($2, 'edge-young'), ($3, 'young')`,
		now.Add(-200*day), now.Add(-183*day+time.Hour), now.Add(-170*day)); err != nil {
		t.Fatal(err)
	}
	unit, err := st.CreateUnit(ctx, who, "Jobcenter Test", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	uid, err := st.CreateUser(ctx, who, store.NewUser{Username: "cw", Name: "Case Worker", UnitID: unit, Role: "sagsbehandler", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO login_failures (username, ip, at) VALUES ('x', 'ip', $1), ('y', 'ip', $2)`,
		now.Add(-25*time.Hour), now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateCitizen(ctx, store.Who{UserID: uid}, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "A", LastName: "B"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE citizens SET closed_at = $2, closed_reason = 'x' WHERE id = $1`, id, now.AddDate(-7, 0, 0)); err != nil {
		t.Fatal(err)
	}

	res, err := st.RunRetention(ctx, 183*day)
	if err != nil {
		t.Fatal(err)
	}
	if res.AuditRows != 1 || !slices.Equal(res.Cases, []int64{id}) {
		t.Fatalf("run: %+v; want 1 audit row and case %d", res, id)
	}
	var actions []string
	rows, _ := st.Pool().Query(ctx, `SELECT action FROM audit_events WHERE action IN ('old', 'young', 'edge-young') ORDER BY action`)
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		actions = append(actions, a)
	}
	if !slices.Equal(actions, []string{"edge-young", "young"}) {
		t.Fatalf("audit rows left: %v; want the two younger than 183 days on the store's clock", actions)
	}
	var failures int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM login_failures`).Scan(&failures); err != nil || failures != 1 {
		t.Fatalf("login failures left: %d, %v; want the one from the last day", failures, err)
	}
}

// A retention period is a dated setting: the one in force on the day counts, and no setting
// means no deletion rather than a guess.
func TestCaseRetentionYearsIsDated(t *testing.T) {
	t.Parallel()
	st, _, uid := fixture(t)
	ctx := context.Background()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	if n, err := st.CaseRetentionYears(ctx, day("2026-01-01")); err != nil || n != 5 {
		t.Fatalf("default: %d, %v; want 5", n, err)
	}
	if from, err := st.SetCaseRetentionYears(ctx, store.Who{UserID: uid}, day("2027-01-01"), 10, "Ny bevaringsbestemmelse"); err != nil || !from.Equal(day("2027-01-01")) {
		t.Fatalf("a longer period from 2027: from %v, %v", from, err)
	}
	if _, err := st.SetCaseRetentionYears(ctx, store.Who{UserID: uid}, day("2027-01-01"), 0, ""); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Fatalf("0 years: %v; want invalid", err)
	}
	for d, want := range map[string]int{"2026-12-31": 5, "2027-01-01": 10, "2040-01-01": 10} {
		if n, err := st.CaseRetentionYears(ctx, day(d)); err != nil || n != want {
			t.Errorf("on %s: %d, %v; want %d", d, n, err, want)
		}
	}
	if _, err := st.Pool().Exec(ctx, `DELETE FROM settings WHERE key = $1`, store.SettingCaseRetention); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteExpiredCases(ctx); err == nil {
		t.Fatal("the job ran without a retention period in force")
	}
}

// Retention deletes a case's documents with it, their content included, and nobody else's:
// the pieces go by the cascade from documents, so none can be left behind.
func TestRetentionDeletesDocumentsAndTheirContent(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	cph := danish(t)
	w := store.Who{UserID: uid, RequestID: "test"}
	st.Now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, cph) }
	var docs []store.Document
	citizens := map[string]int64{}
	// In this order: docs[0] and docs[1] are the deleted citizen's.
	for _, c := range []struct{ cpr, name string }{{"020385-1233", "Slettes"}, {"030486-1234", "Bliver"}} {
		cpr, name := c.cpr, c.name
		id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, cpr), FirstName: name, LastName: "Testesen"})
		if err != nil {
			t.Fatal(err)
		}
		citizens[name] = id
		for _, size := range []int{100, 3*store.ChunkSize + 1} {
			d, err := st.AddDocument(ctx, w, id, store.NewDocument{Title: "Attest", Type: "laegeattest", Filename: "a.pdf"}, bytes.NewReader(pdfOf(size)))
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d)
		}
	}
	if err := st.CloseCase(ctx, w, citizens["Slettes"], "Flyttet"); err != nil {
		t.Fatal(err)
	}
	pieces := func(citizen int64) (n int) {
		t.Helper()
		if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM document_chunks c JOIN documents d ON d.id = c.document_id WHERE d.citizen_id = $1`,
			citizen).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if pieces(citizens["Slettes"]) != 5 || pieces(citizens["Bliver"]) != 5 {
		t.Fatalf("pieces before: %d and %d; want 5 each", pieces(citizens["Slettes"]), pieces(citizens["Bliver"]))
	}
	st.Now = func() time.Time { return time.Date(2032, 1, 1, 0, 0, 0, 0, cph) }
	if gone, err := st.DeleteExpiredCases(ctx); err != nil || !slices.Equal(gone, []int64{citizens["Slettes"]}) {
		t.Fatalf("deleted %v, %v", gone, err)
	}
	var orphans, left int
	if err := st.Pool().QueryRow(ctx, `
		SELECT (SELECT count(*) FROM document_chunks c WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = c.document_id)),
		       (SELECT count(*) FROM document_chunks WHERE document_id = ANY($1))`,
		[]int64{docs[0].ID, docs[1].ID}).Scan(&orphans, &left); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 || left != 0 {
		t.Fatalf("after retention: %d pieces without a document, %d pieces of the deleted documents", orphans, left)
	}
	if docs, chunks := documentRows(t, st); docs != 2 || chunks != 5 {
		t.Fatalf("the other citizen's documents: %d documents, %d pieces; want 2 and 5", docs, chunks)
	}
	for _, d := range docs[2:] {
		if b := readAll(t, st, d); !bytes.Equal(b, pdfOf(int(d.Size))) {
			t.Fatalf("the other citizen's document %d changed", d.ID)
		}
	}
}
