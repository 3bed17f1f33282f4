package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// samtaleFixture is a jobcenter with a caseworker, a nurse of a health centre and a citizen,
// on a fixed clock: Monday 7 December 2026, 09:00 in Denmark.
type samtaleFixture struct {
	*catalogue
	now     time.Time
	citizen int64
}

func newSamtaleFixture(t *testing.T) samtaleFixture {
	t.Helper()
	c := newCatalogue(t)
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, danish(t))
	c.st.Now = func() time.Time { return now }
	return samtaleFixture{catalogue: c, now: now, citizen: c.citizen()}
}

// at is a time on the fixture's Monday plus days, at hh:mm.
func (f samtaleFixture) at(days, hh, mm int) time.Time {
	d := f.now.AddDate(0, 0, days)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, d.Location())
}

func (f samtaleFixture) book(citizen int64, in store.SamtaleInput) (int64, error) {
	if in.Form == "" {
		in.Form = "fysisk"
	}
	return f.st.BookSamtale(f.ctx, f.cwWho, citizen, in)
}

func (f samtaleFixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.st.Pool().QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fieldsOf(t *testing.T, err error, code helhed.Code) map[string]string {
	t.Helper()
	var de *helhed.Error
	if !errors.As(err, &de) || de.Code != code {
		t.Fatalf("err = %v; want a %s error", err, code)
	}
	return de.Fields
}

// Bad input is refused field by field, in Danish, and nothing is saved: an end before the
// start, a booking in the past (only a record of one held), a held samtale in the future, an
// unknown or disabled participant, a held samtale without its outcome.
func TestSamtaleBookingRefusesBadInput(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	if _, err := f.st.CreateUser(f.ctx, who, store.NewUser{Username: "gone", Name: "Gone", UnitID: f.jobcenter, Role: access.RoleCaseworker, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Pool().Exec(f.ctx, `UPDATE users SET disabled_at = now() WHERE username = 'gone'`); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, field, want string
		in                store.SamtaleInput
	}{
		{"end before start", helhed.FieldSamtaleDuration, "slutte efter",
			store.SamtaleInput{StartsAt: f.at(1, 10, 0), EndsAt: f.at(1, 9, 30)}},
		{"in the past, not held", helhed.FieldSamtaleStart, "kun registreres som holdt",
			store.SamtaleInput{StartsAt: f.at(0, 8, 0), EndsAt: f.at(0, 8, 30)}},
		{"held, in the future", helhed.FieldSamtaleHeld, "fremtiden",
			store.SamtaleInput{StartsAt: f.at(1, 10, 0), EndsAt: f.at(1, 10, 30), Held: true, Outcome: "x", OutcomeClass: "sag"}},
		{"held without an outcome", helhed.FieldSamtaleOutcome, "Skriv notatets tekst",
			store.SamtaleInput{StartsAt: f.at(-1, 10, 0), EndsAt: f.at(-1, 10, 30), Held: true, OutcomeClass: "sag"}},
		{"disabled participant", helhed.FieldSamtaleWith, "gone",
			store.SamtaleInput{StartsAt: f.at(1, 10, 0), EndsAt: f.at(1, 10, 30), Participants: []string{"nurse", "gone"}}},
		{"no form", helhed.FieldSamtaleForm, "Vælg",
			store.SamtaleInput{StartsAt: f.at(1, 10, 0), EndsAt: f.at(1, 10, 30), Form: "-"}},
	}
	for _, tc := range cases {
		if tc.in.Form == "-" {
			_, err := f.st.BookSamtale(f.ctx, f.cwWho, f.citizen, store.SamtaleInput{StartsAt: tc.in.StartsAt, EndsAt: tc.in.EndsAt})
			if got := fieldsOf(t, err, helhed.EInvalid)[tc.field]; !strings.Contains(got, tc.want) {
				t.Errorf("%s: %s = %q; want it to say %q", tc.name, tc.field, got, tc.want)
			}
			continue
		}
		_, err := f.book(f.citizen, tc.in)
		if got := fieldsOf(t, err, helhed.EInvalid)[tc.field]; !strings.Contains(got, tc.want) {
			t.Errorf("%s: %s = %q; want it to say %q", tc.name, tc.field, got, tc.want)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM samtaler`) + f.count(t, `SELECT count(*) FROM samtale_participants`) +
		f.count(t, `SELECT count(*) FROM journal_notes`) + f.count(t, `SELECT count(*) FROM audit_events WHERE action LIKE 'samtale.%'`); n != 0 {
		t.Fatalf("%d rows saved by refused bookings; want none", n)
	}
	// The table holds the bounds too, whatever the code does.
	if _, err := f.st.Pool().Exec(f.ctx, `INSERT INTO samtaler (citizen_id, holder_id, unit_id, starts_at, ends_at, form, booked_by)
		VALUES ($1, $2, $3, now(), now() - interval '1 minute', 'fysisk', $2)`, f.citizen, f.cw, f.jobcenter); err == nil {
		t.Error("the table accepted a samtale that ends before it begins")
	}
}

// A double booking of the citizen or of a person taking part is a warning: refused until the
// user confirms, then booked (and audited as booked despite the warning). A samtale that ends
// when the next begins is no clash, and a cancelled one blocks nothing.
func TestSamtaleDoubleBookingWarns(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	first, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(1, 10, 0), EndsAt: f.at(1, 11, 0), Participants: []string{"nurse"}})
	if err != nil {
		t.Fatal(err)
	}
	other := f.citizen2(t)
	// The citizen at 10:30.
	_, err = f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(1, 10, 30), EndsAt: f.at(1, 11, 30)})
	if msg := fieldsOf(t, err, helhed.EConflict)[helhed.FieldSamtaleOverlap]; !strings.Contains(msg, "Borgeren har allerede en samtale 08.12.2026 kl. 10.00") {
		t.Errorf("citizen clash: %q", msg)
	}
	// The caseworker, with another citizen.
	_, err = f.book(other, store.SamtaleInput{StartsAt: f.at(1, 9, 30), EndsAt: f.at(1, 10, 15)})
	if msg := fieldsOf(t, err, helhed.EConflict)[helhed.FieldSamtaleOverlap]; !strings.Contains(msg, "Case Worker har allerede") {
		t.Errorf("caseworker clash: %q", msg)
	}
	// The nurse, who takes part in the first, is asked to another at the same time.
	nurseHolds := store.Who{UserID: f.nurse, RequestID: "t"}
	_, err = f.st.BookSamtale(f.ctx, nurseHolds, other, store.SamtaleInput{StartsAt: f.at(1, 10, 45), EndsAt: f.at(1, 11, 15), Form: "video"})
	if msg := fieldsOf(t, err, helhed.EConflict)[helhed.FieldSamtaleOverlap]; !strings.Contains(msg, "Nurse har allerede") {
		t.Errorf("participant clash: %q", msg)
	}
	if n := f.count(t, `SELECT count(*) FROM samtaler`); n != 1 {
		t.Fatalf("%d samtaler after warnings; want 1", n)
	}
	// Back to back is fine.
	if _, err := f.book(other, store.SamtaleInput{StartsAt: f.at(1, 11, 0), EndsAt: f.at(1, 11, 30)}); err != nil {
		t.Fatalf("back to back: %v", err)
	}
	// Confirmed, the clash is booked.
	if _, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(1, 10, 30), EndsAt: f.at(1, 11, 30), OverlapOK: true}); err != nil {
		t.Fatalf("confirmed double booking: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE action = 'samtale.book' AND detail LIKE '%trods advarsel%'`); n != 1 {
		t.Errorf("%d audit rows of a confirmed double booking; want 1", n)
	}
	// A cancelled samtale blocks nothing.
	if err := f.st.CancelSamtale(f.ctx, f.cwWho, f.citizen, first, 1, "Borgeren er syg"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.book(other, store.SamtaleInput{StartsAt: f.at(1, 10, 0), EndsAt: f.at(1, 10, 20), Participants: []string{"nurse"}}); err != nil {
		t.Errorf("after cancelling, the old slot is still taken: %v", err)
	}
}

// citizen2 is a second citizen of the jobcenter.
func (f samtaleFixture) citizen2(t *testing.T) int64 {
	t.Helper()
	return f.catalogue.citizen()
}

// Recording the outcome writes the journal note in the same transaction: the kind by the
// form (a telephone samtale is a telefonsamtale), dated the day held, in the class chosen, and
// the samtale refers to it. Not before the samtale has begun; not twice. A no-show is recorded
// with a note of its own. A samtale already held is recorded with its outcome at once.
func TestSamtaleOutcomeWritesJournalNote(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	sid, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(0, 13, 0), EndsAt: f.at(0, 13, 45), Form: "telefon"})
	if err != nil {
		t.Fatal(err)
	}
	err = f.st.RecordSamtaleOutcome(f.ctx, f.cwWho, f.citizen, sid, 1, store.SamtaleOutcome{Status: helhed.SamtaleHeld, Text: "Talte om job", Class: "sag"})
	if !strings.Contains(fieldsOf(t, err, helhed.EInvalid)["status"], "ikke begyndt") {
		t.Fatalf("outcome before the start: %v", err)
	}
	f.st.Now = func() time.Time { return f.at(0, 14, 0) }
	if err := f.st.RecordSamtaleOutcome(f.ctx, f.cwWho, f.citizen, sid, 1, store.SamtaleOutcome{Status: helhed.SamtaleHeld,
		Text: "Talte om rygsmerter og job", Class: "helbred"}); err != nil {
		t.Fatal(err)
	}
	got, err := f.st.SamtaleByID(f.ctx, f.citizen, sid)
	if err != nil || got.Status != helhed.SamtaleHeld || got.NoteID == nil {
		t.Fatalf("held samtale: %+v, %v", got, err)
	}
	var kind, class, text string
	var day time.Time
	if err := f.st.Pool().QueryRow(f.ctx, `SELECT kind, class, text, event_date FROM journal_notes WHERE id = $1 AND citizen_id = $2`,
		*got.NoteID, f.citizen).Scan(&kind, &class, &text, &day); err != nil {
		t.Fatal(err)
	}
	if kind != "telefonsamtale" || class != "helbred" || text != "Talte om rygsmerter og job" || day.Format(time.DateOnly) != "2026-12-07" {
		t.Errorf("note: %s %s %q %s", kind, class, text, day)
	}
	if err := f.st.RecordSamtaleOutcome(f.ctx, f.cwWho, f.citizen, sid, 2, store.SamtaleOutcome{Status: helhed.SamtaleNoShow, Class: "sag"}); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("second outcome: %v; want a conflict", err)
	}
	// A no-show.
	f.st.Now = func() time.Time { return f.now }
	ns, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(0, 15, 0), EndsAt: f.at(0, 15, 30)})
	if err != nil {
		t.Fatal(err)
	}
	f.st.Now = func() time.Time { return f.at(0, 16, 0) }
	if err := f.st.RecordSamtaleOutcome(f.ctx, f.cwWho, f.citizen, ns, 1, store.SamtaleOutcome{Status: helhed.SamtaleNoShow, Class: "sag"}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM journal_notes n JOIN samtaler s ON s.note_id = n.id
		WHERE s.id = $1 AND s.status = 'udeblevet' AND n.text = 'Borgeren mødte ikke op til samtalen.'`, ns); n != 1 {
		t.Errorf("no-show note: %d", n)
	}
	// Recorded as held at once.
	held, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(-3, 9, 0), EndsAt: f.at(-3, 9, 30), Held: true,
		Outcome: "Samtale i borgerens hjem", OutcomeClass: "sag"})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM samtaler s JOIN journal_notes n ON n.id = s.note_id
		WHERE s.id = $1 AND s.status = 'afholdt' AND n.event_date = '2026-12-04'`, held); n != 1 {
		t.Errorf("held record: %d", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action IN ('samtale.outcome', 'samtale.book', 'journal.create')`, f.citizen); n != 8 {
		t.Errorf("%d audit rows; want 8 (3 bookings, 2 outcomes, 3 notes)", n)
	}
}

// Moving and cancelling need a reason, refuse a stale version and a samtale that is no longer
// booked, and check the new time as a new booking.
func TestSamtaleRebookAndCancel(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	sid, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(2, 10, 0), EndsAt: f.at(2, 10, 30)})
	if err != nil {
		t.Fatal(err)
	}
	err = f.st.RebookSamtale(f.ctx, f.cwWho, f.citizen, sid, 1, f.at(3, 10, 0), f.at(3, 10, 30), " ", false)
	if fieldsOf(t, err, helhed.EInvalid)[helhed.FieldSamtaleReason] == "" {
		t.Error("rebooking without a reason")
	}
	err = f.st.RebookSamtale(f.ctx, f.cwWho, f.citizen, sid, 1, f.at(-1, 10, 0), f.at(-1, 10, 30), "Ferie", false)
	if fieldsOf(t, err, helhed.EInvalid)[helhed.FieldSamtaleStart] == "" {
		t.Error("rebooking into the past")
	}
	if err := f.st.RebookSamtale(f.ctx, f.cwWho, f.citizen, sid, 1, f.at(3, 10, 0), f.at(3, 10, 30), "Borgeren bad om det", false); err != nil {
		t.Fatal(err)
	}
	if err := f.st.CancelSamtale(f.ctx, f.cwWho, f.citizen, sid, 1, "Gammel version"); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("stale version: %v", err)
	}
	if err := f.st.CancelSamtale(f.ctx, f.cwWho, f.citizen, sid, 2, ""); fieldsOf(t, err, helhed.EInvalid)[helhed.FieldSamtaleReason] == "" {
		t.Error("cancelling without a reason")
	}
	if err := f.st.CancelSamtale(f.ctx, f.cwWho, f.citizen, sid, 2, "Borgeren er i job"); err != nil {
		t.Fatal(err)
	}
	got, err := f.st.SamtaleByID(f.ctx, f.citizen, sid)
	if err != nil || got.Status != helhed.SamtaleCancelled || got.Reason == nil || *got.Reason != "Borgeren er i job" ||
		!got.StartsAt.Equal(f.at(3, 10, 0)) {
		t.Fatalf("cancelled: %+v, %v", got, err)
	}
	if err := f.st.RebookSamtale(f.ctx, f.cwWho, f.citizen, sid, 3, f.at(4, 10, 0), f.at(4, 10, 30), "x", false); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("moving a cancelled samtale: %v", err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action IN ('samtale.rebook', 'samtale.cancel')`, f.citizen); n != 2 {
		t.Errorf("%d audit rows of moves and cancellations; want 2", n)
	}
	// Another citizen's samtale is not found through this one.
	if _, err := f.st.SamtaleByID(f.ctx, f.citizen2(t), sid); helhed.ErrorCode(err) != helhed.ENotFound {
		t.Errorf("samtale through another citizen: %v", err)
	}
}

// The week views: a user's week holds what they hold and what they take part in; a unit's
// week holds its samtaler; each is paged, and only the week asked for.
func TestWeekSamtaler(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	mon, next := helhed.WeekOf(f.now, f.now.Location())
	for i := 0; i < 3; i++ {
		if _, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(i+1, 9, 0), EndsAt: f.at(i+1, 9, 30), Participants: []string{"nurse"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.book(f.citizen, store.SamtaleInput{StartsAt: f.at(8, 9, 0), EndsAt: f.at(8, 9, 30)}); err != nil { // next week
		t.Fatal(err)
	}
	mine, total, err := f.st.WeekSamtaler(f.ctx, store.WeekFilter{UserID: f.cw, From: mon, To: next}, store.Page{Number: 1, PerPage: 2})
	if err != nil || total != 3 || len(mine) != 2 || !mine[0].StartsAt.Equal(f.at(1, 9, 0)) || mine[0].Participants[0] != "Nurse" {
		t.Fatalf("caseworker's week: %d rows of %d, %v: %+v", len(mine), total, err, mine)
	}
	nurse, total, err := f.st.WeekSamtaler(f.ctx, store.WeekFilter{UserID: f.nurse, From: mon, To: next}, store.Page{Number: 1, PerPage: 50})
	if err != nil || total != 3 || len(nurse) != 3 || nurse[0].CitizenUnitID != f.jobcenter {
		t.Fatalf("participant's week: %d, %v", total, err)
	}
	unit, total, err := f.st.WeekSamtaler(f.ctx, store.WeekFilter{UnitID: f.jobcenter, From: next, To: next.AddDate(0, 0, 7)}, store.Page{Number: 1, PerPage: 50})
	if err != nil || total != 1 || len(unit) != 1 {
		t.Fatalf("unit's next week: %d, %v", total, err)
	}
	if _, total, _ := f.st.WeekSamtaler(f.ctx, store.WeekFilter{UnitID: f.health, From: mon, To: next}, store.Page{}); total != 0 {
		t.Errorf("the health centre's week holds %d of the jobcenter's samtaler", total)
	}
}

// The week and the citizen's list use their indexes, not a scan of every samtale
// (docs/queries.md).
func TestSamtaleQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	f := newSamtaleFixture(t)
	ctx := context.Background()
	conn, err := f.st.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]string{
		"holder":      `SELECT id FROM samtaler WHERE holder_id = 1 AND starts_at >= now() AND starts_at < now() + interval '7 days'`,
		"participant": `SELECT samtale_id FROM samtale_participants WHERE user_id = 1 AND starts_at >= now() AND starts_at < now() + interval '7 days'`,
		"unit":        `SELECT id FROM samtaler WHERE unit_id = 1 AND starts_at >= now() AND starts_at < now() + interval '7 days'`,
		"citizen":     `SELECT id FROM samtaler WHERE citizen_id = 1 ORDER BY starts_at DESC LIMIT 20`,
	} {
		var plan strings.Builder
		rows, err := conn.Query(ctx, `EXPLAIN `+q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			_ = rows.Scan(&line)
			plan.WriteString(line + "\n")
		}
		rows.Close()
		if strings.Contains(plan.String(), "Seq Scan") || !strings.Contains(plan.String(), "Index") {
			t.Errorf("%s: plan without its index:\n%s", name, plan.String())
		}
	}
}
