package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// decisionCase puts the fixture's citizen on the meeting and records the team's indstilling
// (fleksjob), after the post-team records, returning the case id.
func decisionCase(t *testing.T, f meetingFixture) int64 {
	t.Helper()
	ctx := context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc, err := f.st.AddMeetingCase(ctx, cw, f.meeting, f.citizen, "Fleksjob?")
	if err != nil {
		t.Fatal(err)
	}
	writePostTeam(t, f) // a fleksjob indstilling needs them (lov nr. 1750)
	if err := f.st.RecordIndstilling(ctx, store.Who{UserID: f.member}, f.meeting, mc, 1,
		helhed.Indstilling{Outcome: "fleksjob", Reasons: "Arbejdsevnen er varigt nedsat"}); err != nil {
		t.Fatal(err)
	}
	return mc
}

// omitted is a decision made without a partshøring, with the reason it was left out.
func omitted(outcome string, on time.Time) helhed.Decision {
	return helhed.Decision{Outcome: outcome, Reasons: "LAB § 116: arbejdsevnen er varigt og væsentligt nedsat", DecidedOn: on,
		HearingOmittedReason: "Afgørelsen giver borgeren fuldt medhold"}
}

// The decision stores whether it follows the indstilling, with the indstilling's outcome at
// that moment: a later change of the indstilling does not rewrite it. Reasons are required;
// departing needs its own, explicit reasons and the day of the team's revurdering. A later
// decision supersedes the current one (kept), and only on the current one.
func TestDecisionFollowsOrDepartsFromIndstilling(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc := decisionCase(t, f)
	today := helhed.DanishToday(now)

	noReasons := omitted("fleksjob", today)
	noReasons.Reasons = " "
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, noReasons); helhed.FieldErrorsOf(err)[helhed.FieldDecisionReasons] == "" {
		t.Fatalf("a decision without reasons: %v; want a field error on the reasons", err)
	}
	first, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, omitted("fleksjob", today))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.CaseDecisionRecord(ctx, mc)
	if err != nil {
		t.Fatal(err)
	}
	cur, ok := rec.Current()
	if !ok || cur.ID != first || !cur.FollowsIndstilling || cur.IndstillingOutcome != "fleksjob" || cur.UnitName != "Jobcenter Test" ||
		cur.DecidedByName != "Case Worker" || cur.HearingOmittedReason == "" {
		t.Fatalf("current decision %+v (%v); want the first, following fleksjob", cur, ok)
	}

	// Departing: its own reasons are required and must say why; the day the team saw the case
	// again is required while the setting says so.
	departs := omitted("ressourceforloeb", today)
	for _, tc := range []struct {
		name      string
		departure string
		revurdér  *time.Time
		field     string
	}{
		{"no departure reasons", "", nil, helhed.FieldDeparture},
		{"a word", "Uenig", nil, helhed.FieldDeparture},
		{"no revurdering", strings.Repeat("Borgerens arbejdsevne kan udvikles. ", 3), nil, helhed.FieldRevurdering},
	} {
		d := departs
		d.DepartureReasons, d.RevurderingOn = tc.departure, tc.revurdér
		if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, first, d); helhed.FieldErrorsOf(err)[tc.field] == "" {
			t.Errorf("%s: %v; want a field error on %s", tc.name, err, tc.field)
		}
	}
	departs.DepartureReasons = strings.Repeat("Borgerens arbejdsevne kan udvikles med et ressourceforløb. ", 2)
	departs.RevurderingOn = &today
	// A form made before the first decision is stale: nothing is recorded.
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, departs); !errors.Is(err, store.ErrDecisionChanged) {
		t.Fatalf("a decision on a stale form: %v; want ErrDecisionChanged", err)
	}
	second, err := st.RecordDecision(ctx, cw, f.meeting, mc, first, departs)
	if err != nil {
		t.Fatal(err)
	}
	// The indstilling is changed afterwards to what the municipality decided: the stored
	// decision still departs from the indstilling it was made on.
	if err := st.RecordIndstilling(ctx, store.Who{UserID: f.member}, f.meeting, mc, 2,
		helhed.Indstilling{Outcome: "ressourceforloeb", Reasons: "Ændret"}); err != nil {
		t.Fatal(err)
	}
	rec, err = st.CaseDecisionRecord(ctx, mc)
	if err != nil {
		t.Fatal(err)
	}
	cur, _ = rec.Current()
	if len(rec.Decisions) != 2 || cur.ID != second || cur.FollowsIndstilling || cur.IndstillingOutcome != "fleksjob" ||
		cur.RevurderingOn == nil || cur.DepartureReasons == "" || rec.Decisions[1].ID != first || rec.Decisions[1].SupersededAt == nil {
		t.Fatalf("decisions %+v; want the departing one current, the first superseded and kept", rec.Decisions)
	}
	var follows bool
	if err := st.Pool().QueryRow(ctx, `SELECT follows_indstilling FROM decisions WHERE id = $1`, second).Scan(&follows); err != nil || follows {
		t.Fatalf("stored follows_indstilling = %v (%v) after the indstilling changed; want false", follows, err)
	}
	// The database holds the rule too: a departing decision without its reasons is refused.
	if _, err := st.Pool().Exec(ctx, `UPDATE decisions SET departure_reasons = '' WHERE id = $1`, second); err == nil {
		t.Error("the database accepted a departing decision without departure reasons")
	}
	// When the municipality turns the genforelæggelse off (a dated setting), departing
	// needs its reasons only.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO settings (key, valid_from, value) VALUES ('decision_revurdering_required', '2026-01-01', 'false')`); err != nil {
		t.Fatal(err)
	}
	d := omitted("foertidspension", today)
	d.DepartureReasons = departs.DepartureReasons
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, second, d); err != nil {
		t.Fatalf("departing without revurdering when the setting is off: %v", err)
	}
	if n := auditCount(t, st, f.citizen, store.AuditDecision); n != 3 {
		t.Errorf("%d decision audit rows; want 3", n)
	}
}

// A decision cannot be recorded while a partshøring's deadline is running and no reply is
// recorded; it can once the reply is recorded, or once the deadline has passed (the day after
// it), when the partshøring is closed as "intet svar". Without any partshøring, the reason it
// was left out is required.
func TestDecisionWaitsForThePartshoering(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc := decisionCase(t, f)
	sent := helhed.DanishToday(now)
	deadline := sent.AddDate(0, 0, 14)

	noHearing := omitted("fleksjob", sent)
	noHearing.HearingOmittedReason = ""
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, noHearing); helhed.FieldErrorsOf(err)[helhed.FieldHearingOmitted] == "" {
		t.Fatalf("a decision without partshøring or reason: %v; want a field error", err)
	}
	if days, err := st.HearingDeadlineDays(ctx, sent); err != nil || days != 14 {
		t.Fatalf("default deadline %d days (%v); want the setting's 14", days, err)
	}
	if _, err := st.StartHearing(ctx, cw, f.meeting, mc, helhed.HearingInput{Subject: "x", SentOn: sent, Deadline: sent}); helhed.FieldErrorsOf(err)[helhed.FieldHearingDeadline] == "" {
		t.Fatalf("a deadline on the day sent: %v; want a field error", err)
	}
	hid, err := st.StartHearing(ctx, cw, f.meeting, mc, helhed.HearingInput{Subject: "Lægeattest af 1.12.2026", SentOn: sent, Deadline: deadline})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{now, time.Date(2026, 12, 21, 22, 30, 0, 0, time.UTC)} { // 23.30 Danish time on the deadline day
		st.Now = func() time.Time { return at }
		if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, omitted("fleksjob", sent)); helhed.FieldErrorsOf(err)[helhed.FieldHearing] == "" {
			t.Fatalf("decision at %s while the deadline runs: %v; want a field error on the partshøring", at, err)
		}
	}
	// "Intet svar" only after the deadline; the reply any time.
	if err := st.RecordHearingResult(ctx, cw, f.meeting, mc, hid, 1, helhed.HearingResultInput{Result: helhed.HearingNoResponse}); helhed.FieldErrorsOf(err)[helhed.FieldHearingResult] == "" {
		t.Fatalf("no reply before the deadline: %v; want a field error", err)
	}
	if err := st.RecordHearingResult(ctx, cw, f.meeting, mc, hid, 1, helhed.HearingResultInput{Result: helhed.HearingAnswered,
		ResponseOn: sent.AddDate(0, 0, 3), Summary: "Borgeren er enig"}); err != nil {
		t.Fatal(err)
	}
	// The recorded reply is kept as it was: a second result, on any version, is refused.
	for _, v := range []int{1, 2} {
		if err := st.RecordHearingResult(ctx, cw, f.meeting, mc, hid, v, helhed.HearingResultInput{Result: helhed.HearingAnswered,
			ResponseOn: sent, Summary: "x"}); !errors.Is(err, store.ErrHearingRecorded) {
			t.Fatalf("a second result on version %d: %v; want ErrHearingRecorded", v, err)
		}
	}
	if h, err := st.HearingByID(ctx, mc, hid); err != nil || h.ResponseSummary != "Borgeren er enig" {
		t.Fatalf("hearing after a second result: %+v, %v; want the first reply kept", h, err)
	}
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, noHearing); err != nil {
		t.Fatalf("decision after the reply: %v", err)
	}

	// Another citizen: the deadline passes without a reply. The day after the deadline the
	// decision is allowed and closes the partshøring as "intet svar".
	st.Now = func() time.Time { return now }
	other, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, "111190-1234"), FirstName: "Bo", LastName: "Berg", CaseworkerID: f.caseworker})
	if err != nil {
		t.Fatal(err)
	}
	mc2, err := st.AddMeetingCase(ctx, cw, f.meeting, other, "Jobafklaring?")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordIndstilling(ctx, store.Who{UserID: f.member}, f.meeting, mc2, 1, helhed.Indstilling{Outcome: "jobafklaringsforloeb", Reasons: "r"}); err != nil {
		t.Fatal(err)
	}
	h2, err := st.StartHearing(ctx, cw, f.meeting, mc2, helhed.HearingInput{Subject: "Speciallægeerklæring", SentOn: sent, Deadline: deadline})
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 12, 21, 23, 30, 0, 0, time.UTC) } // 00.30 on 22 December, Danish time
	d := omitted("jobafklaringsforloeb", helhed.DanishToday(st.Now()))
	d.HearingOmittedReason = ""
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc2, 0, d); err != nil {
		t.Fatalf("decision after the deadline passed without a reply: %v", err)
	}
	h, err := st.HearingByID(ctx, mc2, h2)
	if err != nil || h.Result == nil || *h.Result != helhed.HearingNoResponse || h.ResultByName == nil {
		t.Fatalf("partshøring after the decision: %+v (%v); want closed as intet svar", h, err)
	}
	if _, err := st.HearingByID(ctx, mc, h2); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("a partshøring under another case: %v; want not found", err)
	}
}

// A case taken off the agenda keeps its record but takes no partshøring and no decision.
func TestNoDecisionOnAWithdrawnCase(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	mc := decisionCase(t, f)
	// A case with an indstilling is not taken off the agenda: its partshøring and afgørelse
	// stand on it there.
	if err := st.RemoveMeetingCase(ctx, cw, f.meeting, mc); !errors.Is(err, store.ErrCaseDecided) {
		t.Fatalf("removing a case with an indstilling: %v; want ErrCaseDecided", err)
	}
	today := helhed.DanishToday(now)
	// A withdrawn case takes neither (one withdrawn before this rule, with an indstilling,
	// is made by hand here).
	if _, err := st.Pool().Exec(ctx, `UPDATE meeting_cases SET withdrawn_at = now(), withdrawn_by = added_by, position = NULL WHERE id = $1`, mc); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, omitted("fleksjob", today)); !errors.Is(err, store.ErrCaseWithdrawn) {
		t.Fatalf("decision on a withdrawn case: %v; want ErrCaseWithdrawn", err)
	}
	if _, err := st.StartHearing(ctx, cw, f.meeting, mc, helhed.HearingInput{Subject: "x", SentOn: today, Deadline: today.AddDate(0, 0, 14)}); !errors.Is(err, store.ErrCaseWithdrawn) {
		t.Fatalf("partshøring on a withdrawn case: %v; want ErrCaseWithdrawn", err)
	}
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM decisions`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d decisions (%v); want none", n, err)
	}
	// A case without an indstilling takes neither.
	other, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, "111190-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	mc2, err := st.AddMeetingCase(ctx, cw, f.meeting, other, "Jobafklaring?")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc2, 0, omitted("fleksjob", today)); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Fatalf("decision without an indstilling: %v; want invalid", err)
	}
}

// The letter generator reads a decision and a partshøring as plain data, with labels, the
// citizen's address, who decided for which unit and the klagevejledning in force; another
// citizen's id finds nothing. Both are in the citizen's export.
func TestDecisionAndHearingForLetter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	if _, err := st.Pool().Exec(ctx, `UPDATE citizens SET address = 'Torvet 1', postal_code = '4640', city = 'Faxe' WHERE id = $1`, f.citizen); err != nil {
		t.Fatal(err)
	}
	mc := decisionCase(t, f)
	today := helhed.DanishToday(now)
	hid, err := st.StartHearing(ctx, cw, f.meeting, mc, helhed.HearingInput{Subject: "Lægeattest", SentOn: today, Deadline: today.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	hl, err := st.HearingForLetter(ctx, f.citizen, hid)
	if err != nil {
		t.Fatal(err)
	}
	if hl.CitizenName != "Anna Andersen" || hl.Address != "Torvet 1" || hl.City != "Faxe" || hl.Subject != "Lægeattest" ||
		!hl.Deadline.Equal(today.AddDate(0, 0, 14)) || hl.IndstillingLabel != "Fleksjob" || hl.CaseworkerName != "Case Worker" ||
		hl.UnitName != "Jobcenter Test" || hl.TeamName != "Rehabiliteringsteam Test" {
		t.Fatalf("hearing letter %+v", hl)
	}
	if err := st.RecordHearingResult(ctx, cw, f.meeting, mc, hid, 1, helhed.HearingResultInput{Result: helhed.HearingAnswered, ResponseOn: today, Summary: "Enig"}); err != nil {
		t.Fatal(err)
	}
	d := helhed.Decision{Outcome: "ressourceforloeb", Reasons: "LAB § 68", DecidedOn: today, RevurderingOn: &today,
		DepartureReasons: strings.Repeat("Arbejdsevnen kan udvikles. ", 3)}
	did, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, d)
	if err != nil {
		t.Fatal(err)
	}
	dl, err := st.DecisionForLetter(ctx, f.citizen, did)
	if err != nil {
		t.Fatal(err)
	}
	if dl.OutcomeLabel != "Ressourceforløb" || dl.IndstillingLabel != "Fleksjob" || dl.FollowsIndstilling || dl.DepartureReasons == "" ||
		dl.PostalCode != "4640" || dl.CaseworkerName != "Case Worker" || dl.UnitName != "Jobcenter Test" || !dl.DecidedOn.Equal(today) ||
		dl.Superseded || dl.Complaint.Body != "Ankestyrelsen" || dl.Complaint.Weeks != 4 || dl.Complaint.Source == "" {
		t.Fatalf("decision letter %+v", dl)
	}
	// The citizen's art. 15 export has both (the indsigt page shows the outcomes' labels,
	// from their reference kind beside the code).
	ex, err := st.ExportCitizen(ctx, cw, f.citizen)
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string]store.ExportedSection{}
	for _, sec := range ex.Sections {
		sections[sec.Table] = sec
	}
	if d, h := sections["decisions"], sections["hearings"]; len(d.Rows) != 1 || d.Title != "Kommunens afgørelser" || d.Rows[0]["outcome"] != "ressourceforloeb" ||
		d.Rows[0]["indstilling_outcome"] != "fleksjob" || d.Rows[0]["outcome_kind"] != "indstilling" || len(h.Rows) != 1 || h.Title != "Partshøringer" || h.Rows[0]["response_summary"] != "Enig" {
		t.Fatalf("export: decisions %+v, hearings %+v", d, h)
	}
	other, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, "111190-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DecisionForLetter(ctx, other, did); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("another citizen's decision: %v; want not found", err)
	}
	if _, err := st.HearingForLetter(ctx, other, hid); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("another citizen's partshøring: %v; want not found", err)
	}
}

// The caseload shows, in its one query, a partshøring whose deadline passed without a reply
// and an indstilling without a decision; the citizen page's meetings say the same per case.
func TestCaseloadShowsDecisionTasks(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := newMeetingFixture(t, now)
	st, ctx := f.st, context.Background()
	cw := store.Who{UserID: f.caseworker, RequestID: "t"}
	// Indstillinger from before the setting's day were decided outside Helhed.
	if _, err := st.Pool().Exec(ctx, `UPDATE settings SET value = '"2026-12-08"' WHERE key = 'decision_tasks_from'`); err != nil {
		t.Fatal(err)
	}
	mc := decisionCase(t, f)
	row := func() store.CaseloadRow {
		t.Helper()
		rows, _, err := st.ListCitizens(ctx, store.CitizenFilter{CaseworkerID: f.caseworker, UnitID: f.jobcenter}, store.Page{})
		if err != nil || len(rows) != 1 {
			t.Fatalf("caseload %v, %v", rows, err)
		}
		return rows[0]
	}
	if r := row(); r.AwaitingDecision || r.HearingOverdue {
		t.Fatalf("an indstilling from before decision_tasks_from shows as a task: %+v", r)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE settings SET value = '"2026-12-07"' WHERE key = 'decision_tasks_from'`); err != nil {
		t.Fatal(err)
	}
	if r := row(); !r.AwaitingDecision || r.HearingOverdue {
		t.Fatalf("indstilling without decision: %+v; want AwaitingDecision only", r)
	}
	today := helhed.DanishToday(now)
	hid, err := st.StartHearing(ctx, cw, f.meeting, mc, helhed.HearingInput{Subject: "Lægeattest", SentOn: today, Deadline: today.AddDate(0, 0, 14)})
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return time.Date(2026, 12, 21, 12, 0, 0, 0, time.UTC) } // the deadline day
	if r := row(); r.HearingOverdue {
		t.Fatal("the partshøring is overdue on its deadline day")
	}
	st.Now = func() time.Time { return time.Date(2026, 12, 22, 8, 0, 0, 0, time.UTC) }
	if r := row(); !r.HearingOverdue || !r.AwaitingDecision {
		t.Fatalf("the day after the deadline: %+v; want both tasks", r)
	}
	ms, err := st.CitizenMeetings(ctx, f.citizen)
	if err != nil || len(ms) != 1 || !ms[0].HearingOverdue || !ms[0].AwaitingDecision || ms[0].Decision != nil {
		t.Fatalf("citizen meetings %+v (%v); want the case with both tasks", ms, err)
	}
	// "Intet svar" clears the partshøring's task; the decision clears the other.
	if err := st.RecordHearingResult(ctx, cw, f.meeting, mc, hid, 1, helhed.HearingResultInput{Result: helhed.HearingNoResponse}); err != nil {
		t.Fatal(err)
	}
	if r := row(); r.HearingOverdue || !r.AwaitingDecision {
		t.Fatalf("after intet svar: %+v", r)
	}
	if _, err := st.RecordDecision(ctx, cw, f.meeting, mc, 0, helhed.Decision{Outcome: "fleksjob", Reasons: "LAB § 116", DecidedOn: helhed.DanishToday(st.Now())}); err != nil {
		t.Fatal(err)
	}
	if r := row(); r.HearingOverdue || r.AwaitingDecision {
		t.Fatalf("after the decision: %+v; want no task", r)
	}
	ms, err = st.CitizenMeetings(ctx, f.citizen)
	if err != nil || ms[0].Decision == nil || *ms[0].Decision != "fleksjob" || ms[0].AwaitingDecision {
		t.Fatalf("citizen meetings after the decision %+v (%v)", ms, err)
	}
}

func auditCount(t *testing.T, st *store.Store, citizenID int64, action string) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action = $2`,
		citizenID, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
