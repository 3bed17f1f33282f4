package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the journal. Reading it is a citizen.view with the detail "journal".
const (
	AuditNoteCreate  = "journal.create"
	AuditNoteAmend   = "journal.amend"
	AuditNoteCorrect = "journal.correct"
)

// NoteKindRef is the reference vocabulary of the kinds of note (migration 0019).
const NoteKindRef = "note_kind"

// Note is one journal note as one viewer reads it: the references to and from its
// corrections are those the viewer may see, and say so when one is withheld.
type Note struct {
	ID         int64      `db:"id"`
	CitizenID  int64      `db:"citizen_id"`
	Kind       string     `db:"kind"`
	Class      string     `db:"class"` // access.NoteClasses by code: sag, helbred, social
	EventDate  time.Time  `db:"event_date"`
	Text       string     `db:"text"`
	AuthorID   int64      `db:"author_id"`
	AuthorName string     `db:"author_name"`
	UnitID     int64      `db:"unit_id"`
	UnitName   string     `db:"unit_name"`
	CreatedAt  time.Time  `db:"created_at"`
	AmendedAt  *time.Time `db:"amended_at"`
	Version    int        `db:"version"`
	CorrectsID *int64     `db:"corrects_id"`
	// CorrectsAt is when the note this one corrects was written; nil when it corrects
	// nothing or the viewer may not see that note.
	CorrectsAt *time.Time `db:"corrects_at"`
	// CorrectedAt are when the notes that correct this one were written, oldest first;
	// CorrectedHidden says that one or more corrections are withheld from the viewer.
	CorrectedAt     []time.Time `db:"corrected_at"`
	CorrectedHidden bool        `db:"corrected_hidden"`
	// LocksAt is when the author can no longer amend the note; Locked is whether that is
	// past, on the store's clock.
	LocksAt time.Time `db:"-"`
	Locked  bool      `db:"-"`
}

// Row is the note's class and unit, for access.GateRow.
func (n Note) Row() access.Row { return access.NoteRow(n.Class, n.UnitID) }

// CorrectsHidden reports whether the note corrects one the viewer may not see.
func (n Note) CorrectsHidden() bool { return n.CorrectsID != nil && n.CorrectsAt == nil }

// NoteInput is a new note or correction as the form gives it. Author, unit and time come
// from the server.
type NoteInput struct {
	Kind      string
	Class     string
	EventDate time.Time
	Text      string
	// CorrectsID is the note this one corrects (0: none). The viewer must be able to read it.
	CorrectsID int64
}

// NoteFilter narrows the timeline. Zero values mean "any".
type NoteFilter struct {
	Kind     string
	AuthorID int64
	// Query is a full-text search in the notes' text (Danish stemming).
	Query string
}

// noteLock is the store's lock period: NoteLock, or the default.
func (s *Store) noteLock() time.Duration {
	if s.NoteLock > 0 {
		return s.NoteLock
	}
	return helhed.DefaultNoteLock
}

// NoteLockPeriod is the lock period in force, for the pages that name it.
func (s *Store) NoteLockPeriod() time.Duration { return s.noteLock() }

// noteScope adds to w what of the citizen's notes (alias n) the viewer may see
// (access.Sight.NoteScope): nothing to add for the case-holding unit.
func noteScope(w *filters, alias string, sight access.Sight) {
	all, classes, unit := sight.NoteScope()
	if !all {
		w.add("("+alias+".class = ANY($?) OR "+alias+".unit_id = $?)", classes, unit)
	}
}

// noteVisible is noteScope as one SQL condition on alias with its own arguments, for the
// subqueries about corrections: "true" for a viewer who sees every note.
func noteVisible(w *filters, alias string, sight access.Sight) string {
	all, classes, unit := sight.NoteScope()
	if all {
		return "true"
	}
	return "(" + alias + ".class = ANY(" + w.arg(classes) + ") OR " + alias + ".unit_id = " + w.arg(unit) + ")"
}

// checkNote checks a note's input as the store must, whatever the form did.
func checkNote(in NoteInput) error {
	fields := map[string]string{}
	if msg := helhed.NoteTextProblem(in.Text); msg != "" {
		fields[helhed.FieldNoteText] = msg
	}
	if _, ok := access.NoteClass(in.Class); !ok {
		fields["class"] = "Vælg en af mulighederne"
	}
	if in.Kind == "" {
		fields["kind"] = "Vælg en af mulighederne"
	}
	if in.EventDate.IsZero() {
		fields["event_date"] = "Skal udfyldes"
	}
	if len(fields) > 0 {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Notatet kan ikke gemmes", Fields: fields}
	}
	return nil
}

// CreateNote writes a note in the citizen's journal, by who, in who's unit, at the store's
// clock, and audits it; with CorrectsID set it is a correction of that note, which must be
// the same citizen's and one the viewer (sight) may read.
func (s *Store) CreateNote(ctx context.Context, who Who, citizenID int64, sight access.Sight, in NoteInput) (int64, error) {
	if err := checkNote(in); err != nil {
		return 0, err
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var action, detail string
		var err error
		if id, action, detail, err = s.insertNote(ctx, tx, who, citizenID, sight, in); err != nil {
			return err
		}
		return audit(ctx, tx, who, citizenID, action, detail)
	})
	return id, err
}

// insertNote writes a checked note (checkNote) in tx, as CreateNote does, without auditing:
// it returns the audit row's action and detail for the caller to write last.
func (s *Store) insertNote(ctx context.Context, tx pgx.Tx, who Who, citizenID int64, sight access.Sight, in NoteInput) (id int64, action, detail string, err error) {
	var corrects any
	action = AuditNoteCreate
	if in.CorrectsID != 0 {
		var w filters
		w.add("n.id = $?", in.CorrectsID)
		w.add("n.citizen_id = $?", citizenID)
		noteScope(&w, "n", sight)
		var found int64
		if err := tx.QueryRow(ctx, `SELECT n.id FROM journal_notes n`+w.where(), w.args...).Scan(&found); err != nil {
			return 0, "", "", notFound(err, "Notatet, der skal rettes,")
		}
		corrects, action = found, AuditNoteCorrect
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO journal_notes (citizen_id, kind, class, event_date, text, author_id, unit_id, corrects_id, created_at)
		SELECT $1, $2, $3, $4, $5, u.id, u.unit_id, $7, $8 FROM users u WHERE u.id = $6
		RETURNING id`,
		citizenID, in.Kind, in.Class, in.EventDate, in.Text, who.UserID, corrects, s.Now()).Scan(&id)
	if err != nil {
		return 0, "", "", fmt.Errorf("insert note: %w", err)
	}
	// Codes and ids only: the text is the citizen's, and the audit log outlives the case.
	detail = fmt.Sprintf("notat %d (%s, %s)", id, in.Kind, in.Class)
	if in.CorrectsID != 0 {
		detail += fmt.Sprintf(" retter notat %d", in.CorrectsID)
	}
	return id, action, detail, nil
}

// AmendNote replaces the text of a note by its author before the note locks (NoteLock after
// it was written, on the store's clock), on the version the author read. Anyone else, a
// locked note and a stale version are refused with a Danish message and change nothing.
func (s *Store) AmendNote(ctx context.Context, who Who, citizenID, noteID int64, version int, text string) error {
	if msg := helhed.NoteTextProblem(text); msg != "" {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Notatet kan ikke gemmes", Fields: map[string]string{helhed.FieldNoteText: msg}}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var author int64
		var created time.Time
		var current int
		if err := tx.QueryRow(ctx, `
			SELECT author_id, created_at, version FROM journal_notes WHERE id = $1 AND citizen_id = $2 FOR UPDATE`,
			noteID, citizenID).Scan(&author, &created, &current); err != nil {
			return notFound(err, "Notatet")
		}
		switch {
		case author != who.UserID:
			return &helhed.Error{Code: helhed.EForbidden,
				Message: "Kun den, der har skrevet notatet, kan redigere det. Skriv en rettelse i stedet."}
		case helhed.NoteLocked(created, s.Now(), s.noteLock()):
			return &helhed.Error{Code: helhed.EConflict, Message: helhed.NoteLockedMessage(s.noteLock())}
		case current != version:
			return &helhed.Error{Code: helhed.EConflict,
				Message: "Notatet er ændret, siden du åbnede det. Læs det igen, og ret det derefter."}
		}
		if _, err := tx.Exec(ctx, `UPDATE journal_notes SET text = $2, amended_at = $3, version = version + 1 WHERE id = $1`,
			noteID, text, s.Now()); err != nil {
			return fmt.Errorf("amend note: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditNoteAmend, fmt.Sprintf("notat %d redigeret inden låsning (version %d)", noteID, version+1))
	})
}

// noteColumns reads a Note (alias n) with its author, unit and corrections; the arguments of
// the visibility conditions of the corrections go into w.
func noteColumns(w *filters, sight access.Sight) string {
	vis := func(alias string) string { return noteVisible(w, alias, sight) }
	return `SELECT n.id, n.citizen_id, n.kind, n.class, n.event_date, n.text, n.author_id, u.name AS author_name,
		       n.unit_id, un.name AS unit_name, n.created_at, n.amended_at, n.version, n.corrects_id,
		       (SELECT o.created_at FROM journal_notes o WHERE o.id = n.corrects_id AND ` + vis("o") + `) AS corrects_at,
		       coalesce((SELECT array_agg(c.created_at ORDER BY c.created_at, c.id) FROM journal_notes c
		                 WHERE c.corrects_id = n.id AND ` + vis("c") + `), '{}') AS corrected_at,
		       EXISTS (SELECT 1 FROM journal_notes c WHERE c.corrects_id = n.id AND NOT ` + vis("c") + `) AS corrected_hidden`
}

// noteFrom joins a note's author and unit.
const noteFrom = ` FROM journal_notes n JOIN users u ON u.id = n.author_id JOIN units un ON un.id = n.unit_id`

// noteOrder is the timeline's order: the newest event first, and of one day the last written.
const noteOrder = `n.event_date DESC, n.id DESC`

// locks fills LocksAt and Locked on the store's clock.
func (s *Store) locks(ns []Note) {
	now := s.Now()
	for i := range ns {
		ns[i].LocksAt = ns[i].CreatedAt.Add(s.noteLock())
		ns[i].Locked = helhed.NoteLocked(ns[i].CreatedAt, now, s.noteLock())
	}
}

// listNotes is the read of one page of the citizen's notes that the viewer may see, newest
// first, and how many there are in all. The page is chosen on journal_notes alone (one index range,
// count included); names and corrections are read for that page's rows only.
func (s *Store) listNotes(citizenID int64, sight access.Sight, f NoteFilter, pg Page) query[Counted[Note]] {
	sql, args := noteListSQL(citizenID, sight, f, pg)
	return query[Counted[Note]]{sql: sql, args: args, read: func(rows pgx.Rows) (Counted[Note], error) {
		type row struct {
			Note
			Total int `db:"total"`
		}
		rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
		if err != nil {
			return Counted[Note]{}, fmt.Errorf("list notes: %w", err)
		}
		out := Counted[Note]{Rows: make([]Note, len(rs))}
		for i, r := range rs {
			out.Rows[i], out.Total = r.Note, r.Total
		}
		s.locks(out.Rows)
		return out, nil
	}}
}

// noteListSQL is listNotes's statement and its arguments (docs/queries.md has its plan).
func noteListSQL(citizenID int64, sight access.Sight, f NoteFilter, pg Page) (string, []any) {
	var w filters
	w.add("n.citizen_id = $?", citizenID)
	noteScope(&w, "n", sight)
	if f.Kind != "" {
		w.add("n.kind = $?", f.Kind)
	}
	if f.AuthorID != 0 {
		w.add("n.author_id = $?", f.AuthorID)
	}
	if f.Query != "" {
		w.add("n.search @@ websearch_to_tsquery('danish', $?)", f.Query)
	}
	sql := `WITH page AS (
			SELECT n.id, count(*) OVER () AS total FROM journal_notes n` + w.where() + `
			ORDER BY ` + noteOrder + ` LIMIT ` + w.arg(pg.PerPage) + ` OFFSET ` + w.arg(pg.offset()) + `)
		` + noteColumns(&w, sight) + `, p.total` + noteFrom + ` JOIN page p ON p.id = n.id
		ORDER BY ` + noteOrder
	return sql, w.args
}

// ListNotes is a page of the citizen's journal as the viewer may see it (sight), newest
// first, narrowed by f, with the number of matching notes; the read is audited as a view of
// the citizen ("journal", with the filters by name and code, never the search text), in the
// same transaction.
func (s *Store) ListNotes(ctx context.Context, who Who, citizenID int64, sight access.Sight, f NoteFilter, pg Page) ([]Note, int, error) {
	pg = pg.normalize()
	var out []Note
	var total int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		l, err := s.listNotes(citizenID, sight, f, pg).run(ctx, tx)
		if err != nil {
			return err
		}
		out, total = l.Rows, l.Total
		return audit(ctx, tx, who, citizenID, AuditCitizenView, journalCriterion(f, pg))
	})
	return out, total, err
}

// journalCriterion is the audit detail of a journal view.
func journalCriterion(f NoteFilter, pg Page) string {
	parts := []string{"journal"}
	if f.Kind != "" {
		parts = append(parts, "art "+f.Kind)
	}
	if f.AuthorID != 0 {
		parts = append(parts, "forfatter "+strconv.FormatInt(f.AuthorID, 10))
	}
	if f.Query != "" {
		parts = append(parts, "fritekstsøgning")
	}
	if pg.Number > 1 {
		parts = append(parts, "side "+strconv.Itoa(pg.Number))
	}
	return strings.Join(parts, ", ")
}

// NoteSummary is the journal's part of the citizen page: how many notes the viewer may see,
// and the newest few of them. One statement; the page's own view is audited already.
func (s *Store) NoteSummary(ctx context.Context, citizenID int64, sight access.Sight, newest int) ([]Note, int, error) {
	l, err := s.listNotes(citizenID, sight, NoteFilter{}, Page{Number: 1, PerPage: newest}).run(ctx, s.pool)
	return l.Rows, l.Total, err
}

// NoteSummary queues Store.NoteSummary.
func (b *Batch) NoteSummary(citizenID int64, sight access.Sight, newest int) *Result[Counted[Note]] {
	return queue(b, b.s.listNotes(citizenID, sight, NoteFilter{}, Page{Number: 1, PerPage: newest}))
}

// NoteByID is one of the citizen's notes, if the viewer may see it (the forms that amend or
// correct it). A note of another citizen, or one withheld from the viewer, is not found.
func (s *Store) NoteByID(ctx context.Context, citizenID, noteID int64, sight access.Sight) (Note, error) {
	var w filters
	w.add("n.id = $?", noteID)
	w.add("n.citizen_id = $?", citizenID)
	noteScope(&w, "n", sight)
	where := w.where()
	rows, _ := s.pool.Query(ctx, noteColumns(&w, sight)+noteFrom+where, w.args...)
	n, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Note])
	if err != nil {
		return Note{}, notFound(err, "Notatet")
	}
	ns := []Note{n}
	s.locks(ns)
	return ns[0], nil
}

// NoteAuthor is someone who wrote in a citizen's journal, for the timeline's filter.
type NoteAuthor struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// NoteAuthors lists who wrote the notes of the citizen that the viewer may see, by name.
func (s *Store) NoteAuthors(ctx context.Context, citizenID int64, sight access.Sight) ([]NoteAuthor, error) {
	var w filters
	w.add("n.citizen_id = $?", citizenID)
	noteScope(&w, "n", sight)
	rows, _ := s.pool.Query(ctx, `
		SELECT u.id, u.name FROM users u
		WHERE u.id IN (SELECT n.author_id FROM journal_notes n`+w.where()+`)
		ORDER BY u.name, u.id`, w.args...)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[NoteAuthor])
	if err != nil {
		return nil, fmt.Errorf("note authors: %w", err)
	}
	return out, nil
}
