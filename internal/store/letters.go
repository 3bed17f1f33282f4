package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Letters to the citizen (migration 0022): printed to PDF by the caller, kept here as a
// document on the case with a journal note, and waiting in the outbox (state LetterOutbox)
// until the municipality's Digital Post integration reports that it was delivered
// (MarkLetterSent) or that it failed (MarkLetterFailed). Helhed never marks a letter sent
// on its own.

// Audit actions of letters.
const (
	AuditLetterSend      = "letter.send"      // the letter is stored and put in the outbox
	AuditLetterOutbox    = "letter.outbox"    // the integration read the outbox (names the citizens)
	AuditLetterDelivered = "letter.delivered" // the integration confirmed delivery
	AuditLetterFailed    = "letter.failed"    // the integration reported a failure
)

// LetterKindRef is the reference vocabulary of the kinds of letter.
const LetterKindRef = "letter_kind"

// The kinds of letter Helhed has templates for (web/pages/letters).
const (
	LetterIndkaldelse  = "indkaldelse"
	LetterPartshoering = "partshoering"
	LetterAfgoerelse   = "afgoerelse"
	LetterIndstilling  = "indstilling"
)

// The delivery states of a letter: the program's own codes (a CHECK in migration 0022).
const (
	// LetterOutbox: in the outbox, waiting for the integration.
	LetterOutbox = "udbakke"
	// LetterSent: the integration confirmed delivery, with its reference.
	LetterSent = "afsendt"
	// LetterFailed: the integration reported a failure, with its message.
	LetterFailed = "fejlet"
)

// LetterStates are the delivery states, in the order a letter passes them.
var LetterStates = []string{LetterOutbox, LetterSent, LetterFailed}

// Bounds of a letter's texts (CHECKs in migration 0022 too).
const (
	MaxLetterSubject     = 200
	MaxDeliveryReference = 200
	MaxDeliveryError     = 2000
)

// The fields of a letter, as SendLetter's field errors name them.
const (
	LetterFieldKind    = "kind"
	LetterFieldSubject = "subject"
	LetterFieldClass   = "class"
)

// LetterDefaultClass is the class a letter of kind is kept as unless the caseworker chooses
// another: a partshøring, an afgørelse and an indstilling carry the reasons (which routinely
// name diagnoses) and are health data; an indkaldelse is case data.
func LetterDefaultClass(kind string) string {
	if kind == LetterIndkaldelse {
		return access.Case.String()
	}
	return access.Health.String()
}

// LetterNoteKind is the kind of the journal note a sent letter of kind becomes (reference
// data note_kind): a partshøring or an afgørelse is recorded as such, anything else as andet.
func LetterNoteKind(kind string) string {
	switch kind {
	case LetterPartshoering, LetterAfgoerelse:
		return kind
	}
	return "andet"
}

// LetterInput is a letter to send: what it is, what it is made from, and the journal note.
type LetterInput struct {
	Kind    string // a letter_kind code
	Subject string // the letter's heading; also the document's title
	// Class is the document's class ("sag", "helbred", "social"); "" takes the kind's
	// (LetterDefaultClass).
	Class string
	// What the letter was made from (0: nothing); each must be the citizen's.
	HearingID, DecisionID, MeetingCaseID int64
	// Filename is the PDF's name; "" makes one from the kind and the day.
	Filename string
	// NoteKind is the journal note's kind; "" takes the letter's (LetterNoteKind).
	NoteKind string
	// NoteText is the journal note; "" writes one that says which letter was sent.
	NoteText string
}

// Letter is one letter to the citizen with its delivery.
type Letter struct {
	ID            int64      `db:"id"`
	CitizenID     int64      `db:"citizen_id"`
	Kind          string     `db:"kind"`
	Subject       string     `db:"subject"`
	Class         string     `db:"class"` // the document's class (access.DocumentRow)
	DocumentID    int64      `db:"document_id"`
	Filename      string     `db:"filename"`
	Size          int64      `db:"size"`
	JournalNoteID int64      `db:"journal_note_id"`
	HearingID     *int64     `db:"hearing_id"`
	DecisionID    *int64     `db:"decision_id"`
	MeetingCaseID *int64     `db:"meeting_case_id"`
	CreatedByName string     `db:"created_by_name"`
	CreatedAt     time.Time  `db:"created_at"`
	State         string     `db:"state"`
	SentAt        *time.Time `db:"sent_at"`
	FailedAt      *time.Time `db:"failed_at"`
	DeliveryRef   string     `db:"delivery_ref"`
	DeliveryError string     `db:"delivery_error"`
}

// Row is the letter's class, for access.GateRow: its document's.
func (l Letter) Row() access.Row { return access.DocumentRow(l.Class) }

// letterColumns reads a Letter from letters l, documents d and users u.
const letterColumns = `l.id, l.citizen_id, l.kind, l.subject, d.class, l.document_id, d.filename, d.size, l.journal_note_id,
	l.hearing_id, l.decision_id, l.meeting_case_id, u.name AS created_by_name, l.created_at, l.state, l.sent_at, l.failed_at,
	coalesce(l.delivery_ref, '') AS delivery_ref, coalesce(l.delivery_error, '') AS delivery_error`

const letterFrom = ` FROM letters l JOIN documents d ON d.id = l.document_id JOIN users u ON u.id = l.created_by`

// invalidLetter is the refusal of a letter with field messages.
func invalidLetter(fields map[string]string) error {
	return &helhed.Error{Code: helhed.EInvalid, Message: "Brevet er ikke sendt", Fields: fields}
}

// SendLetter keeps a letter to the citizen and puts it in the outbox, in one transaction: the
// PDF pdf as a document on the case (type brev_til_borger, of the class in.Class), a journal
// note saying which letter was sent (kind LetterNoteKind, of the same class, dated today), the
// letters row in state LetterOutbox linking both and what the letter was made from, and their
// audit rows. Any failure keeps nothing. The source ids must be the citizen's (another
// citizen's partshøring is not found). The letter is not sent until the integration says so.
func (s *Store) SendLetter(ctx context.Context, who Who, citizenID int64, in LetterInput, pdf io.Reader) (Letter, error) {
	fields := map[string]string{}
	in.Subject = strings.TrimSpace(in.Subject)
	switch {
	case in.Subject == "":
		fields[LetterFieldSubject] = "Skal udfyldes"
	case utf8.RuneCountInString(in.Subject) > MaxLetterSubject:
		fields[LetterFieldSubject] = "Højst " + strconv.Itoa(MaxLetterSubject) + " tegn"
	}
	if in.Kind == "" {
		fields[LetterFieldKind] = "Vælg en af mulighederne"
	}
	if in.Class == "" {
		in.Class = LetterDefaultClass(in.Kind)
	} else if _, ok := access.ParseDocumentClass(in.Class); !ok {
		fields[LetterFieldClass] = "Vælg en af mulighederne"
	}
	if len(fields) > 0 {
		return Letter{}, invalidLetter(fields)
	}
	now := s.Now()
	today := helhed.DanishToday(now)
	if in.Filename == "" {
		in.Filename = in.Kind + "-" + today.Format(time.DateOnly) + ".pdf"
	}
	if in.NoteKind == "" {
		in.NoteKind = LetterNoteKind(in.Kind)
	}
	if in.NoteText == "" {
		in.NoteText = "Brev til borgeren lagt i udbakken til Digital Post: " + in.Subject + ". Brevet ligger som dokument på sagen (" + in.Filename + ")."
	}
	note := NoteInput{Kind: in.NoteKind, Class: in.Class, EventDate: today, Text: in.NoteText}
	if err := checkNote(note); err != nil {
		return Letter{}, err
	}
	doc, err := s.prepareDocument(NewDocument{Title: in.Subject, Type: "brev_til_borger", Class: in.Class, Filename: in.Filename}, pdf)
	if err != nil {
		return Letter{}, err
	}
	var l Letter
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkLetterSources(ctx, tx, citizenID, in); err != nil {
			return err
		}
		d, docDetail, err := s.putDocument(ctx, tx, who, citizenID, doc)
		if err != nil {
			return err
		}
		// The author's sight does not matter: a new note corrects nothing.
		noteID, noteAction, noteDetail, err := s.insertNote(ctx, tx, who, citizenID, access.Sight{}, note)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO letters (citizen_id, kind, subject, document_id, journal_note_id, hearing_id, decision_id, meeting_case_id,
			                     created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			citizenID, in.Kind, in.Subject, d.ID, noteID, nullInt(in.HearingID), nullInt(in.DecisionID), nullInt(in.MeetingCaseID),
			who.UserID, now).Scan(&l.ID)
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.ConstraintName == "letters_kind_fkey" {
				return invalidLetter(map[string]string{LetterFieldKind: "Vælg en af mulighederne"})
			}
			return fmt.Errorf("insert letter: %w", err)
		}
		if err := audit(ctx, tx, who, citizenID, AuditDocumentUpload, docDetail); err != nil {
			return err
		}
		if err := audit(ctx, tx, who, citizenID, noteAction, noteDetail); err != nil {
			return err
		}
		// Codes and ids only: the subject is the citizen's.
		return audit(ctx, tx, who, citizenID, AuditLetterSend,
			fmt.Sprintf("brev %d (%s, %s) lagt i udbakken: dokument %d, notat %d", l.ID, in.Kind, in.Class, d.ID, noteID))
	})
	if err != nil {
		return Letter{}, err
	}
	return s.LetterByID(ctx, citizenID, l.ID)
}

// checkLetterSources refuses a source that is not the citizen's, as not found.
func checkLetterSources(ctx context.Context, tx pgx.Tx, citizenID int64, in LetterInput) error {
	for _, src := range []struct {
		id          int64
		table, what string
	}{
		{in.HearingID, "hearings", "Partshøringen"},
		{in.DecisionID, "decisions", "Afgørelsen"},
		{in.MeetingCaseID, "meeting_cases", "Sagen på dagsordenen"},
	} {
		if src.id == 0 {
			continue
		}
		var one int
		// The table name is one of the constants above.
		if err := tx.QueryRow(ctx, `SELECT 1 FROM `+src.table+` WHERE id = $1 AND citizen_id = $2`, src.id, citizenID).Scan(&one); err != nil {
			return notFound(err, src.what)
		}
	}
	return nil
}

// LetterByID is one of the citizen's letters; one of another citizen is not found. It does
// not audit: the page that shows it does.
func (s *Store) LetterByID(ctx context.Context, citizenID, id int64) (Letter, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+letterColumns+letterFrom+` WHERE l.id = $1 AND l.citizen_id = $2`, id, citizenID)
	l, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Letter])
	if err != nil {
		return l, notFound(err, "Brevet")
	}
	return l, nil
}

// LetterList is one page of a citizen's letters as one viewer may see them.
type LetterList struct {
	Rows     []Letter // newest first
	Shown    int      // the letters of the classes asked for, on every page
	Waiting  int      // of those, the ones still in the outbox
	Withheld int      // the citizen's other letters: counted, never listed
}

// ListLetters returns page pg of the citizen's letters whose document is of one of classes
// (the viewer's: access.DocumentRow), newest first, with the counts of shown, waiting and
// withheld letters — one statement on letters_citizen_idx (docs/queries.md).
func (s *Store) ListLetters(ctx context.Context, citizenID int64, classes []string, pg Page) (LetterList, error) {
	return listLetters(citizenID, classes, pg).run(ctx, s.pool)
}

// ListLetters queues Store.ListLetters.
func (b *Batch) ListLetters(citizenID int64, classes []string, pg Page) *Result[LetterList] {
	return queue(b, listLetters(citizenID, classes, pg))
}

// listLetters is ListLetters's read.
func listLetters(citizenID int64, classes []string, pg Page) query[LetterList] {
	pg = pg.normalize()
	if classes == nil {
		classes = []string{}
	}
	type row struct {
		ID            *int64     `db:"id"`
		CitizenID     *int64     `db:"citizen_id"`
		Kind          *string    `db:"kind"`
		Subject       *string    `db:"subject"`
		Class         *string    `db:"class"`
		DocumentID    *int64     `db:"document_id"`
		Filename      *string    `db:"filename"`
		Size          *int64     `db:"size"`
		JournalNoteID *int64     `db:"journal_note_id"`
		HearingID     *int64     `db:"hearing_id"`
		DecisionID    *int64     `db:"decision_id"`
		MeetingCaseID *int64     `db:"meeting_case_id"`
		CreatedByName *string    `db:"created_by_name"`
		CreatedAt     *time.Time `db:"created_at"`
		State         *string    `db:"state"`
		SentAt        *time.Time `db:"sent_at"`
		FailedAt      *time.Time `db:"failed_at"`
		DeliveryRef   *string    `db:"delivery_ref"`
		DeliveryError *string    `db:"delivery_error"`
		Shown         int        `db:"shown"`
		Waiting       int        `db:"waiting"`
		Withheld      int        `db:"withheld"`
	}
	return query[LetterList]{sql: letterListSQL, args: []any{citizenID, classes, pg.PerPage, pg.offset()}, read: func(rows pgx.Rows) (LetterList, error) {
		rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
		if err != nil {
			return LetterList{}, fmt.Errorf("list letters: %w", err)
		}
		var out LetterList
		for _, r := range rs {
			out.Shown, out.Waiting, out.Withheld = r.Shown, r.Waiting, r.Withheld
			if r.ID == nil {
				continue
			}
			out.Rows = append(out.Rows, Letter{ID: *r.ID, CitizenID: *r.CitizenID, Kind: *r.Kind, Subject: *r.Subject, Class: *r.Class,
				DocumentID: *r.DocumentID, Filename: *r.Filename, Size: *r.Size, JournalNoteID: *r.JournalNoteID, HearingID: r.HearingID,
				DecisionID: r.DecisionID, MeetingCaseID: r.MeetingCaseID, CreatedByName: *r.CreatedByName, CreatedAt: *r.CreatedAt,
				State: *r.State, SentAt: r.SentAt, FailedAt: r.FailedAt, DeliveryRef: *r.DeliveryRef, DeliveryError: *r.DeliveryError})
		}
		return out, nil
	}}
}

// letterListSQL is ListLetters' statement ($1 citizen, $2 classes, $3 limit, $4 offset): the
// counts always give one row, joined to the page's letters (none past the last page). A
// letter's document is the same citizen's; saying so lets the counts read the documents'
// classes from documents_citizen_idx alone (docs/queries.md).
const letterListSQL = `
	WITH counts AS (
		SELECT count(*) FILTER (WHERE d.class = ANY($2)) AS shown,
		       count(*) FILTER (WHERE d.class = ANY($2) AND l.state = 'udbakke') AS waiting,
		       count(*) FILTER (WHERE d.class <> ALL($2)) AS withheld
		FROM letters l JOIN documents d ON d.id = l.document_id
		WHERE l.citizen_id = $1 AND d.citizen_id = $1
	)
	SELECT p.*, c.shown, c.waiting, c.withheld
	FROM counts c
	LEFT JOIN LATERAL (
		SELECT ` + letterColumns + letterFrom + `
		WHERE l.citizen_id = $1 AND d.citizen_id = $1 AND d.class = ANY($2)
		ORDER BY l.created_at DESC, l.id DESC LIMIT $3 OFFSET $4
	) p ON true
	ORDER BY p.created_at DESC, p.id DESC`

// OutboxLetter is a letter waiting in the outbox, as the Digital Post integration needs it:
// whom it is for (the CPR number in full: Digital Post addresses by it), which document to
// fetch, and what it is.
type OutboxLetter struct {
	ID          int64     `json:"id"`
	CitizenID   int64     `json:"borger_id"`
	CPR         string    `json:"cpr"`
	Name        string    `json:"navn"`
	Kind        string    `json:"brevtype"`
	Subject     string    `json:"emne"`
	DocumentID  int64     `json:"dokument_id"`
	Filename    string    `json:"filnavn"`
	ContentType string    `json:"filtype"`
	Size        int64     `json:"bytes"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"oprettet"`
}

// Outbox returns the oldest limit letters waiting for the integration (at most 1000), on
// letters_outbox_idx; a letter leaves the list when the integration reports on it. The read
// is audited as a list view naming the citizens (who: Who{} for Helhed's command line).
func (s *Store) Outbox(ctx context.Context, who Who, limit int) ([]OutboxLetter, error) {
	if limit < 1 || limit > 1000 {
		limit = 1000
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT l.id, l.citizen_id, c.cpr, c.first_name || ' ' || c.last_name, l.kind, l.subject, d.id, d.filename, d.content_type,
		       d.size, encode(d.sha256, 'hex'), l.created_at
		FROM letters l JOIN documents d ON d.id = l.document_id JOIN citizens c ON c.id = l.citizen_id
		WHERE l.state = 'udbakke'
		ORDER BY l.created_at, l.id LIMIT $1`, limit)
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxLetter, error) {
		var o OutboxLetter
		err := r.Scan(&o.ID, &o.CitizenID, &o.CPR, &o.Name, &o.Kind, &o.Subject, &o.DocumentID, &o.Filename, &o.ContentType,
			&o.Size, &o.SHA256, &o.CreatedAt)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if len(out) > 0 {
		ids := make([]int64, len(out))
		for i, o := range out {
			ids[i] = o.CitizenID
		}
		if err := s.AuditList(ctx, who, AuditLetterOutbox, fmt.Sprintf("udbakken læst: %d breve", len(out)), ids); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OutboxDocument is the document of a letter in the outbox or already reported on (the
// integration fetches its PDF); one of no letter is not found.
func (s *Store) OutboxDocument(ctx context.Context, letterID int64) (Document, error) {
	var d Document
	err := scanDocument(s.pool.QueryRow(ctx, documentSelect+`JOIN letters l ON l.document_id = d.id WHERE l.id = $1`, letterID), &d)
	if err != nil {
		return Document{}, notFound(err, "Brevet")
	}
	return d, nil
}

// ErrLetterAlreadySent refuses a second report on a letter confirmed sent.
var ErrLetterAlreadySent = &helhed.Error{Code: helhed.EConflict, Message: "Brevet er allerede registreret som afsendt."}

// MarkLetterSent records the integration's confirmation that letter id was delivered, with
// its reference. A letter in the outbox or one that failed earlier (the integration tried
// again) can be confirmed; one already confirmed is refused (ErrLetterAlreadySent).
func (s *Store) MarkLetterSent(ctx context.Context, who Who, id int64, ref string) error {
	ref = strings.TrimSpace(ref)
	if ref == "" || utf8.RuneCountInString(ref) > MaxDeliveryReference {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Afsendelsens reference skal udfyldes (højst " + strconv.Itoa(MaxDeliveryReference) + " tegn)."}
	}
	return s.reportDelivery(ctx, who, id, func(tx pgx.Tx, citizenID int64, state string) error {
		if _, err := tx.Exec(ctx, `UPDATE letters SET state = 'afsendt', sent_at = $2, delivery_ref = $3 WHERE id = $1`, id, s.Now(), ref); err != nil {
			return fmt.Errorf("mark letter sent: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditLetterDelivered, fmt.Sprintf("brev %d afsendt (var %s)", id, state))
	})
}

// MarkLetterFailed records the integration's report that delivering letter id failed, with
// its message. A letter confirmed sent is refused (ErrLetterAlreadySent); a second failure
// replaces the first's message.
func (s *Store) MarkLetterFailed(ctx context.Context, who Who, id int64, message string) error {
	message = strings.TrimSpace(message)
	if message == "" || utf8.RuneCountInString(message) > MaxDeliveryError {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Fejlbeskeden skal udfyldes (højst " + strconv.Itoa(MaxDeliveryError) + " tegn)."}
	}
	return s.reportDelivery(ctx, who, id, func(tx pgx.Tx, citizenID int64, state string) error {
		if _, err := tx.Exec(ctx, `UPDATE letters SET state = 'fejlet', failed_at = $2, delivery_error = $3 WHERE id = $1`, id, s.Now(), message); err != nil {
			return fmt.Errorf("mark letter failed: %w", err)
		}
		// The message is the integration's, about delivery; it stays out of the log all the
		// same, with the case.
		return audit(ctx, tx, who, citizenID, AuditLetterFailed, fmt.Sprintf("brev %d kunne ikke afsendes (var %s)", id, state))
	})
}

// reportDelivery locks letter id and runs change on it unless it is confirmed sent already.
func (s *Store) reportDelivery(ctx context.Context, who Who, id int64, change func(tx pgx.Tx, citizenID int64, state string) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		var state string
		if err := tx.QueryRow(ctx, `SELECT citizen_id, state FROM letters WHERE id = $1 FOR UPDATE`, id).Scan(&citizenID, &state); err != nil {
			return notFound(err, "Brevet")
		}
		if state == LetterSent {
			return ErrLetterAlreadySent
		}
		return change(tx, citizenID, state)
	})
}

// MeetingCaseOfCitizen returns the case caseID on an agenda if it is the citizen's; one of
// another citizen is not found.
func (s *Store) MeetingCaseOfCitizen(ctx context.Context, citizenID, caseID int64) (MeetingCase, error) {
	rows, _ := s.pool.Query(ctx, meetingCaseSelect+` WHERE mc.id = $1 AND mc.citizen_id = $2`, caseID, citizenID)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[MeetingCase])
	if err != nil {
		return c, notFound(err, "Sagen på dagsordenen")
	}
	return c, nil
}
