package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// letterFixture is a citizen with a case on an agenda, its indstilling and a partshøring.
type letterFixture struct {
	meetingFixture
	mc, hearing int64
	cw          store.Who
}

func newLetterFixture(t *testing.T) letterFixture {
	t.Helper()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	f := letterFixture{meetingFixture: newMeetingFixture(t, now)}
	f.cw = store.Who{UserID: f.caseworker, RequestID: "t"}
	f.mc = decisionCase(t, f.meetingFixture)
	today := helhed.DanishToday(now)
	var err error
	if f.hearing, err = f.st.StartHearing(context.Background(), f.cw, f.meeting, f.mc,
		helhed.HearingInput{Subject: "Lægeattest om arbejdsevnen", SentOn: today, Deadline: today.AddDate(0, 0, 14)}); err != nil {
		t.Fatal(err)
	}
	return f
}

// letterCounts counts the rows a letter makes: documents, their pieces, notes and letters.
func letterCounts(t *testing.T, st *store.Store) [4]int {
	t.Helper()
	var n [4]int
	if err := st.Pool().QueryRow(context.Background(), `SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_chunks),
		(SELECT count(*) FROM journal_notes), (SELECT count(*) FROM letters)`).Scan(&n[0], &n[1], &n[2], &n[3]); err != nil {
		t.Fatal(err)
	}
	return n
}

// Sending a letter keeps, in one transaction, the PDF as a document of type brev til borger
// (a partshøring is health data unless the caseworker chooses otherwise), a journal note of
// kind partshøring that says which letter was sent, and the letter in the outbox linking both
// and the partshøring; each is audited.
func TestSendLetterKeepsDocumentNoteAndOutboxRow(t *testing.T) {
	t.Parallel()
	f := newLetterFixture(t)
	st, ctx := f.st, context.Background()
	pdf := pdfOf(store.ChunkSize + 10)
	l, err := st.SendLetter(ctx, f.cw, f.citizen, store.LetterInput{Kind: store.LetterPartshoering, Subject: "Partshøring om fleksjob",
		HearingID: f.hearing, MeetingCaseID: f.mc}, bytes.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	if l.State != store.LetterOutbox || l.Class != "helbred" || l.Kind != store.LetterPartshoering || l.SentAt != nil ||
		l.HearingID == nil || *l.HearingID != f.hearing || l.CreatedByName != "Case Worker" || l.Filename != "partshoering-2026-12-07.pdf" {
		t.Fatalf("letter %+v", l)
	}
	d, err := st.DocumentByID(ctx, f.citizen, l.DocumentID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Type != "brev_til_borger" || d.Class != "helbred" || d.Title != "Partshøring om fleksjob" || d.ContentType != "application/pdf" ||
		d.Size != int64(len(pdf)) {
		t.Fatalf("document %+v", d)
	}
	var kind, class, text string
	if err := st.Pool().QueryRow(ctx, `SELECT kind, class, text FROM journal_notes WHERE id = $1 AND citizen_id = $2`,
		l.JournalNoteID, f.citizen).Scan(&kind, &class, &text); err != nil {
		t.Fatal(err)
	}
	if kind != "partshoering" || class != "helbred" || !strings.Contains(text, "Partshøring om fleksjob") || !strings.Contains(text, "udbakken") {
		t.Fatalf("note %s/%s %q", kind, class, text)
	}
	for _, a := range []string{store.AuditLetterSend, store.AuditDocumentUpload, store.AuditNoteCreate} {
		var n int
		if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1 AND citizen_id = $2`, a, f.citizen).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit %s: %d rows (%v); want 1", a, n, err)
		}
	}
	// An indkaldelse is case data by default, and a note of kind andet.
	in, err := st.SendLetter(ctx, f.cw, f.citizen, store.LetterInput{Kind: store.LetterIndkaldelse, Subject: "Indkaldelse til samtale"},
		bytes.NewReader(pdfOf(100)))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Pool().QueryRow(ctx, `SELECT kind FROM journal_notes WHERE id = $1`, in.JournalNoteID).Scan(&kind); err != nil || kind != "andet" ||
		in.Class != "sag" {
		t.Fatalf("indkaldelse: note kind %q (%v), class %q", kind, err, in.Class)
	}

	// The list shows the letters of the classes asked for, newest first, and counts the rest.
	all, err := st.ListLetters(ctx, f.citizen, []string{"sag", "helbred", "social"}, store.Page{Number: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Rows) != 2 || all.Rows[0].ID != in.ID || all.Shown != 2 || all.Waiting != 2 || all.Withheld != 0 {
		t.Fatalf("list %+v", all)
	}
	caseOnly, err := st.ListLetters(ctx, f.citizen, []string{"sag"}, store.Page{Number: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(caseOnly.Rows) != 1 || caseOnly.Rows[0].ID != in.ID || caseOnly.Shown != 1 || caseOnly.Withheld != 1 {
		t.Fatalf("list of case data %+v", caseOnly)
	}
	none, err := st.ListLetters(ctx, f.citizen, nil, store.Page{Number: 1, PerPage: 10})
	if err != nil || len(none.Rows) != 0 || none.Withheld != 2 {
		t.Fatalf("list without classes %+v (%v)", none, err)
	}
}

// A letter is kept whole or not at all: a refused PDF, a note that cannot be written, a kind
// that does not exist, and a partshøring of another citizen leave no document, piece, note or
// letter behind.
func TestSendLetterFailureKeepsNothing(t *testing.T) {
	t.Parallel()
	f := newLetterFixture(t)
	st, ctx := f.st, context.Background()
	other, err := st.CreateCitizen(ctx, who, f.jobcenter, store.CitizenInput{CPR: mustCPR(t, "111190-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	before := letterCounts(t, st)
	ok := store.LetterInput{Kind: store.LetterPartshoering, Subject: "Partshøring", HearingID: f.hearing}
	for _, tc := range []struct {
		name    string
		citizen int64
		in      func(store.LetterInput) store.LetterInput
		pdf     []byte
		check   func(error) bool
	}{
		{"not a PDF", f.citizen, func(in store.LetterInput) store.LetterInput { return in }, []byte("<html>brev</html>"),
			func(err error) bool { return helhed.FieldErrorsOf(err)[store.DocumentFieldFile] != "" }},
		{"the note fails after the document", f.citizen, func(in store.LetterInput) store.LetterInput { in.NoteKind = "ukendt"; return in },
			pdfOf(store.ChunkSize * 2), func(err error) bool { return err != nil }},
		{"the letter fails after the document and the note", f.citizen, func(in store.LetterInput) store.LetterInput {
			in.Kind = "ukendt"
			in.NoteKind = "andet"
			return in
		}, pdfOf(500), func(err error) bool { return helhed.FieldErrorsOf(err)[store.LetterFieldKind] != "" }},
		{"another citizen's partshøring", other, func(in store.LetterInput) store.LetterInput { return in }, pdfOf(500),
			func(err error) bool { return errors.Is(err, helhed.ErrNotFound) }},
		{"no subject", f.citizen, func(in store.LetterInput) store.LetterInput { in.Subject = " "; return in }, pdfOf(500),
			func(err error) bool { return helhed.FieldErrorsOf(err)[store.LetterFieldSubject] != "" }},
		{"an unknown class", f.citizen, func(in store.LetterInput) store.LetterInput { in.Class = "hemmelig"; return in }, pdfOf(500),
			func(err error) bool { return helhed.FieldErrorsOf(err)[store.LetterFieldClass] != "" }},
	} {
		_, err := st.SendLetter(ctx, f.cw, tc.citizen, tc.in(ok), bytes.NewReader(tc.pdf))
		if !tc.check(err) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if after := letterCounts(t, st); after != before {
			t.Errorf("%s: documents, pieces, notes, letters %v → %v; want nothing kept", tc.name, before, after)
		}
	}
	var audits int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action IN ('letter.send', 'document.upload', 'journal.create')`).Scan(&audits); err != nil || audits != 0 {
		t.Fatalf("%d audit rows of refused letters (%v)", audits, err)
	}
}

// The outbox is the letters waiting for the integration, oldest first. The integration's
// report moves a letter out of it: a failure with its message (which a later confirmation
// keeps), or delivery with its reference. A letter confirmed sent cannot be reported on
// again; an unknown letter is not found; the runtime role cannot rewrite or delete a letter.
func TestOutboxTransitions(t *testing.T) {
	t.Parallel()
	f := newLetterFixture(t)
	st, ctx := f.st, context.Background()
	helhedItself := store.Who{RequestID: "outbox"}
	send := func(subject string) store.Letter {
		t.Helper()
		l, err := st.SendLetter(ctx, f.cw, f.citizen, store.LetterInput{Kind: store.LetterIndkaldelse, Subject: subject}, bytes.NewReader(pdfOf(300)))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	first, second := send("Første"), send("Anden")
	out, err := st.Outbox(ctx, helhedItself, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].ID != first.ID || out[1].ID != second.ID || out[0].CPR != "0203851233" || out[0].Name != "Anna Andersen" ||
		out[0].DocumentID != first.DocumentID || out[0].ContentType != "application/pdf" || len(out[0].SHA256) != 64 {
		t.Fatalf("outbox %+v", out)
	}
	if d, err := st.OutboxDocument(ctx, first.ID); err != nil || d.ID != first.DocumentID {
		t.Fatalf("outbox document %+v (%v)", d, err)
	}

	if err := st.MarkLetterFailed(ctx, helhedItself, first.ID, "Borgeren er fritaget for Digital Post"); err != nil {
		t.Fatal(err)
	}
	l, _ := st.LetterByID(ctx, f.citizen, first.ID)
	if l.State != store.LetterFailed || l.FailedAt == nil || l.DeliveryError != "Borgeren er fritaget for Digital Post" {
		t.Fatalf("after the failure: %+v", l)
	}
	if out, _ := st.Outbox(ctx, helhedItself, 10); len(out) != 1 || out[0].ID != second.ID {
		t.Fatalf("the failed letter is still in the outbox: %+v", out)
	}
	if err := st.MarkLetterSent(ctx, helhedItself, second.ID, "DP-2026-0001"); err != nil {
		t.Fatal(err)
	}
	// The integration tried the failed one again, by paper: confirmed, the failure kept.
	if err := st.MarkLetterSent(ctx, helhedItself, first.ID, "FJERNPRINT-17"); err != nil {
		t.Fatal(err)
	}
	l, _ = st.LetterByID(ctx, f.citizen, first.ID)
	if l.State != store.LetterSent || l.SentAt == nil || l.DeliveryRef != "FJERNPRINT-17" || l.DeliveryError == "" {
		t.Fatalf("confirmed after a failure: %+v", l)
	}
	if out, _ := st.Outbox(ctx, helhedItself, 10); len(out) != 0 {
		t.Fatalf("outbox after the reports: %+v", out)
	}
	for name, err := range map[string]error{
		"sent twice":        st.MarkLetterSent(ctx, helhedItself, second.ID, "DP-2026-0002"),
		"failed after sent": st.MarkLetterFailed(ctx, helhedItself, second.ID, "for sent"),
	} {
		if !errors.Is(err, store.ErrLetterAlreadySent) {
			t.Errorf("%s: %v; want ErrLetterAlreadySent", name, err)
		}
	}
	l, _ = st.LetterByID(ctx, f.citizen, second.ID)
	if l.DeliveryRef != "DP-2026-0001" || l.DeliveryError != "" {
		t.Fatalf("a refused report changed the letter: %+v", l)
	}
	if err := st.MarkLetterSent(ctx, helhedItself, 999999, "x"); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("an unknown letter: %v", err)
	}
	if err := st.MarkLetterSent(ctx, helhedItself, first.ID, " "); helhed.ErrorCode(err) != helhed.EInvalid {
		t.Errorf("no reference: %v", err)
	}
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'letter.outbox' AND $1 = ANY(citizen_ids)`, f.citizen).Scan(&n); err != nil || n < 2 {
		t.Errorf("outbox reads audited %d times (%v)", n, err)
	}
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action IN ('letter.delivered', 'letter.failed') AND citizen_id = $1`, f.citizen).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d delivery reports audited (%v); want 3", n, err)
	}
	// The states are the program's own; the app's role writes nothing else.
	for _, q := range []string{
		`UPDATE letters SET state = 'sendt' WHERE id = $1`,
		`UPDATE letters SET subject = 'x' WHERE id = $1`,
		`UPDATE letters SET delivery_ref = NULL WHERE id = $1`,
		`DELETE FROM letters WHERE id = $1`,
	} {
		if _, err := st.Pool().Exec(ctx, q, second.ID); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}
