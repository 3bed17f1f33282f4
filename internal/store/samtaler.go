package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the samtaler. Codes and ids only in the detail: a reason or an outcome is
// the citizen's, and the audit log outlives the case.
const (
	AuditSamtaleBook    = "samtale.book"
	AuditSamtaleRebook  = "samtale.rebook"
	AuditSamtaleCancel  = "samtale.cancel"
	AuditSamtaleOutcome = "samtale.outcome"
	AuditSamtaleList    = "samtale.list" // a week view with citizens' names
)

// SamtaleFormRef is the reference vocabulary of the forms of a samtale (migration 0028).
const SamtaleFormRef = "samtale_form"

// Samtale is one booked conversation with the citizen.
type Samtale struct {
	ID            int64                `db:"id"`
	CitizenID     int64                `db:"citizen_id"`
	CitizenName   string               `db:"citizen_name"`
	CitizenUnitID int64                `db:"citizen_unit_id"`
	HolderID      int64                `db:"holder_id"`
	HolderName    string               `db:"holder_name"`
	UnitID        int64                `db:"unit_id"`
	StartsAt      time.Time            `db:"starts_at"`
	EndsAt        time.Time            `db:"ends_at"`
	Form          string               `db:"form"`
	Place         string               `db:"place"`
	Status        helhed.SamtaleStatus `db:"status"`
	Reason        *string              `db:"reason"`
	NoteID        *int64               `db:"note_id"`
	Version       int                  `db:"version"`
	// Participants are the other staff taking part, by name (oldest first).
	Participants []string `db:"participants"`
}

// SamtaleInput is a new booking as the form gives it. The holder is who books; the unit is
// the citizen's case-holding unit.
type SamtaleInput struct {
	StartsAt, EndsAt time.Time
	Form             string
	Place            string
	// Participants are other staff by username; each must be an active user.
	Participants []string
	// Held records a conversation that has already taken place (a start in the past): the
	// outcome (Outcome, OutcomeClass) is written to the journal at once.
	Held         bool
	Outcome      string
	OutcomeClass string
	// OverlapOK: the user has seen the double-booking warning and books anyway.
	OverlapOK bool
}

// SamtaleOutcome is what became of a booked samtale: held (with the journal note's text and
// class) or a no-show (with an optional note).
type SamtaleOutcome struct {
	Status helhed.SamtaleStatus // SamtaleHeld or SamtaleNoShow
	Text   string
	Class  string // access.NoteClasses by code
}

// samtaleColumns reads a Samtale (alias t) with its citizen, holder and participants.
const samtaleColumns = `SELECT t.id, t.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name, c.unit_id AS citizen_unit_id,
	       t.holder_id, h.name AS holder_name, t.unit_id, t.starts_at, t.ends_at, t.form, t.place, t.status, t.reason,
	       t.note_id, t.version,
	       coalesce((SELECT array_agg(pu.name ORDER BY pu.name) FROM samtale_participants sp JOIN users pu ON pu.id = sp.user_id
	                 WHERE sp.samtale_id = t.id), '{}') AS participants
	FROM samtaler t JOIN citizens c ON c.id = t.citizen_id JOIN users h ON h.id = t.holder_id`

// checkSamtaleTime checks the time, form and place of a booking or rebooking on the store's
// clock, whatever the form did.
func (s *Store) checkSamtaleTime(start, end time.Time, held bool) map[string]string {
	return helhed.SamtaleTimeProblems(start, end, s.Now(), held)
}

// resolveParticipants maps usernames to active users in tx, or says which are not.
func resolveParticipants(ctx context.Context, tx pgx.Tx, holder int64, names []string) ([]int64, string, error) {
	if len(names) == 0 {
		return nil, "", nil
	}
	rows, _ := tx.Query(ctx, `SELECT username, id FROM users WHERE username = ANY($1) AND disabled_at IS NULL`, names)
	found := map[string]int64{}
	var name string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&name, &id}, func() error { found[name] = id; return nil }); err != nil {
		return nil, "", fmt.Errorf("participants: %w", err)
	}
	var ids []int64
	var missing []string
	for _, n := range names {
		uid, ok := found[n]
		switch {
		case !ok:
			missing = append(missing, n)
		case uid != holder:
			ids = append(ids, uid)
		}
	}
	if len(missing) > 0 {
		return nil, "Ukendt eller deaktiveret bruger: " + strings.Join(missing, ", "), nil
	}
	return ids, "", nil
}

// overlapProblems looks for another live samtale (booked or held) of the citizen, of the
// holder or of a participant that shares a moment with [start, end): the double booking the
// user is warned of. except is the samtale being moved (0: none). A samtale lasts at most 8
// hours (the table's CHECK), so each look-up is a bounded range of its index.
func overlapProblems(ctx context.Context, tx pgx.Tx, citizenID, holder int64, participants []int64, start, end time.Time, except int64) (string, error) {
	people := append([]int64{holder}, participants...)
	var citizenClash, staffClash *time.Time
	var staffName *string
	err := tx.QueryRow(ctx, `
		SELECT (SELECT t.starts_at FROM samtaler t
		        WHERE t.citizen_id = $1 AND t.status IN ('booket', 'afholdt') AND t.id <> $5
		          AND t.starts_at < $4 AND t.starts_at > $3::timestamptz - interval '8 hours' AND t.ends_at > $3 ORDER BY t.starts_at LIMIT 1),
		       x.starts_at, x.name
		FROM (SELECT 1) one LEFT JOIN LATERAL (
		    SELECT t.starts_at, u.name FROM samtaler t JOIN users u ON u.id = t.holder_id
		    WHERE t.holder_id = ANY($2) AND t.status IN ('booket', 'afholdt') AND t.id <> $5
		      AND t.starts_at < $4 AND t.starts_at > $3::timestamptz - interval '8 hours' AND t.ends_at > $3
		    UNION ALL
		    SELECT t.starts_at, u.name FROM samtale_participants sp JOIN samtaler t ON t.id = sp.samtale_id
		    JOIN users u ON u.id = sp.user_id
		    WHERE sp.user_id = ANY($2) AND sp.starts_at < $4 AND sp.starts_at > $3::timestamptz - interval '8 hours'
		      AND t.status IN ('booket', 'afholdt') AND t.id <> $5 AND t.starts_at < $4 AND t.ends_at > $3
		    ORDER BY 1 LIMIT 1) x ON true`,
		citizenID, people, start, end, except).Scan(&citizenClash, &staffClash, &staffName)
	if err != nil {
		return "", fmt.Errorf("double booking: %w", err)
	}
	var msgs []string
	clock := func(t time.Time) string { return t.In(danishZone).Format("02.01.2006 kl. 15.04") }
	if citizenClash != nil {
		msgs = append(msgs, "Borgeren har allerede en samtale "+clock(*citizenClash)+".")
	}
	if staffClash != nil {
		msgs = append(msgs, *staffName+" har allerede en samtale "+clock(*staffClash)+".")
	}
	if len(msgs) == 0 {
		return "", nil
	}
	return strings.Join(msgs, " ") + " Sæt hak i »Book alligevel«, hvis samtalerne skal ligge oven i hinanden.", nil
}

// danishZone is Danish time, for the messages that name a time.
var danishZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err)
	}
	return loc
}()

// outcomeNoteKind is the journal's kind for a samtale's outcome: a telephone conversation is
// a telefonsamtale, every other form a samtale (note_kind, migration 0019).
func outcomeNoteKind(form string) string {
	if form == "telefon" {
		return "telefonsamtale"
	}
	return "samtale"
}

// invalidSamtale is the refusal of a samtale form with its field messages.
func invalidSamtale(fields map[string]string) error {
	return &helhed.Error{Code: helhed.EInvalid, Message: "Samtalen kan ikke gemmes", Fields: fields}
}

// BookSamtale books a samtale with the citizen, held by who in the citizen's case-holding
// unit, or records one already held (in.Held: its outcome becomes a journal note in the same
// transaction). A start in the past without Held, an end before the start, an unknown
// participant and, unless in.OverlapOK, a double booking of the citizen or of a person
// taking part are refused with Danish messages by field; nothing is saved.
func (s *Store) BookSamtale(ctx context.Context, who Who, citizenID int64, in SamtaleInput) (int64, error) {
	fields := s.checkSamtaleTime(in.StartsAt, in.EndsAt, in.Held)
	if in.Form == "" {
		fields[helhed.FieldSamtaleForm] = "Vælg en af mulighederne"
	}
	if len([]rune(in.Place)) > helhed.MaxSamtalePlace {
		fields[helhed.FieldSamtalePlace] = fmt.Sprintf("Højst %d tegn", helhed.MaxSamtalePlace)
	}
	if in.Held {
		if msg := helhed.NoteTextProblem(in.Outcome); msg != "" {
			fields[helhed.FieldSamtaleOutcome] = msg
		}
		if _, ok := access.NoteClass(in.OutcomeClass); !ok {
			fields["class"] = "Vælg en af mulighederne"
		}
	}
	if len(fields) > 0 {
		return 0, invalidSamtale(fields)
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		participants, msg, err := resolveParticipants(ctx, tx, who.UserID, in.Participants)
		if err != nil {
			return err
		}
		if msg != "" {
			return invalidSamtale(map[string]string{helhed.FieldSamtaleWith: msg})
		}
		if !in.OverlapOK && !in.Held {
			msg, err := overlapProblems(ctx, tx, citizenID, who.UserID, participants, in.StartsAt, in.EndsAt, 0)
			if err != nil {
				return err
			}
			if msg != "" {
				return &helhed.Error{Code: helhed.EConflict, Message: "Dobbeltbooking", Fields: map[string]string{helhed.FieldSamtaleOverlap: msg}}
			}
		}
		status := helhed.SamtaleBooked
		if in.Held {
			status = helhed.SamtaleHeld
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO samtaler (citizen_id, holder_id, unit_id, starts_at, ends_at, form, place, status, booked_by, created_at, updated_at)
			SELECT c.id, $2, c.unit_id, $3, $4, $5, $6, $7, $2, $8, $8 FROM citizens c WHERE c.id = $1
			RETURNING id`, citizenID, who.UserID, in.StartsAt, in.EndsAt, in.Form, in.Place, status, s.Now()).Scan(&id)
		if err != nil {
			return notFound(err, "Borgeren")
		}
		if len(participants) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO samtale_participants (samtale_id, user_id, starts_at) SELECT $1, unnest($2::bigint[]), $3`,
				id, participants, in.StartsAt); err != nil {
				return fmt.Errorf("samtale participants: %w", err)
			}
		}
		detail := fmt.Sprintf("samtale %d (%s, %d deltagere)", id, in.Form, len(participants))
		var noteAudit [2]string
		if in.Held {
			nid, action, nd, err := s.insertNote(ctx, tx, who, citizenID, access.Sight{}, NoteInput{Kind: outcomeNoteKind(in.Form),
				Class: in.OutcomeClass, EventDate: helhed.DanishToday(in.StartsAt), Text: in.Outcome})
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE samtaler SET note_id = $2 WHERE id = $1`, id, nid); err != nil {
				return fmt.Errorf("samtale note: %w", err)
			}
			detail += fmt.Sprintf(" registreret som holdt, notat %d", nid)
			noteAudit = [2]string{action, nd}
		} else if in.OverlapOK {
			detail += " trods advarsel om dobbeltbooking"
		}
		if noteAudit[0] != "" {
			if err := audit(ctx, tx, who, citizenID, noteAudit[0], noteAudit[1]); err != nil {
				return err
			}
		}
		return audit(ctx, tx, who, citizenID, AuditSamtaleBook, detail)
	})
	return id, err
}

// SamtaleByID reads samtale sid of the citizen.
func (s *Store) SamtaleByID(ctx context.Context, citizenID, sid int64) (Samtale, error) {
	rows, _ := s.pool.Query(ctx, samtaleColumns+` WHERE t.id = $1 AND t.citizen_id = $2`, sid, citizenID)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Samtale])
	if err != nil {
		return Samtale{}, notFound(err, "Samtalen")
	}
	return t, nil
}

// CitizenSamtaler is one page of the citizen's samtaler, the newest first, and how many there
// are (samtaler_citizen_idx).
func (s *Store) CitizenSamtaler(ctx context.Context, citizenID int64, pg Page) ([]Samtale, int, error) {
	pg = pg.normalize()
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM samtaler WHERE citizen_id = $1`, citizenID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count samtaler: %w", err)
	}
	rows, _ := s.pool.Query(ctx, samtaleColumns+` WHERE t.citizen_id = $1 ORDER BY t.starts_at DESC, t.id DESC LIMIT $2 OFFSET $3`,
		citizenID, pg.PerPage, pg.offset())
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Samtale])
	if err != nil {
		return nil, 0, fmt.Errorf("list samtaler: %w", err)
	}
	return ts, total, nil
}

// WeekFilter chooses a week view: the samtaler a user holds or takes part in (UserID), or
// those of a unit (UnitID), that begin in [From, To).
type WeekFilter struct {
	UserID, UnitID int64
	From, To       time.Time
}

// WeekSamtaler is one page of a week view, by start time, and how many there are. A user's
// week is the samtaler they hold (samtaler_holder_idx) and those they take part in
// (samtale_participants_user_idx); a unit's is samtaler_unit_idx. Each is one index range.
func (s *Store) WeekSamtaler(ctx context.Context, f WeekFilter, pg Page) ([]Samtale, int, error) {
	pg = pg.normalize()
	var ids string
	var args []any
	switch {
	case f.UserID != 0:
		ids = `SELECT t.id FROM samtaler t WHERE t.holder_id = $1 AND t.starts_at >= $2 AND t.starts_at < $3
		       UNION
		       SELECT sp.samtale_id FROM samtale_participants sp WHERE sp.user_id = $1 AND sp.starts_at >= $2 AND sp.starts_at < $3`
		args = []any{f.UserID, f.From, f.To}
	case f.UnitID != 0:
		ids = `SELECT t.id FROM samtaler t WHERE t.unit_id = $1 AND t.starts_at >= $2 AND t.starts_at < $3`
		args = []any{f.UnitID, f.From, f.To}
	default:
		return nil, 0, fmt.Errorf("week view without a user or unit")
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (`+ids+`) w`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count week: %w", err)
	}
	rows, _ := s.pool.Query(ctx, samtaleColumns+` WHERE t.id IN (`+ids+`) ORDER BY t.starts_at, t.id LIMIT $4 OFFSET $5`,
		append(args, pg.PerPage, pg.offset())...)
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Samtale])
	if err != nil {
		return nil, 0, fmt.Errorf("week: %w", err)
	}
	return ts, total, nil
}

// lockSamtale reads samtale sid of the citizen for update and checks the version the user
// read and that it is still booked.
func lockSamtale(ctx context.Context, tx pgx.Tx, citizenID, sid int64, version int) (Samtale, error) {
	var t Samtale
	err := tx.QueryRow(ctx, `SELECT id, holder_id, starts_at, ends_at, form, status, version FROM samtaler
		WHERE id = $1 AND citizen_id = $2 FOR UPDATE`, sid, citizenID).
		Scan(&t.ID, &t.HolderID, &t.StartsAt, &t.EndsAt, &t.Form, &t.Status, &t.Version)
	if err != nil {
		return t, notFound(err, "Samtalen")
	}
	switch {
	case t.Version != version:
		return t, &helhed.Error{Code: helhed.EConflict, Message: "Samtalen er ændret, siden du åbnede den. Læs den igen."}
	case t.Status != helhed.SamtaleBooked:
		return t, &helhed.Error{Code: helhed.EConflict, Message: "Samtalen er allerede " + strings.ToLower(t.Status.Label()) + "."}
	}
	return t, nil
}

// RecordSamtaleOutcome records what became of a booked samtale, once it has begun on the
// store's clock: held, with its journal note (the kind by the samtale's form, dated the day
// it was held), or a no-show, with a note saying so. The note and the samtale change in one
// transaction.
func (s *Store) RecordSamtaleOutcome(ctx context.Context, who Who, citizenID, sid int64, version int, out SamtaleOutcome) error {
	fields := map[string]string{}
	switch out.Status {
	case helhed.SamtaleHeld:
		if msg := helhed.NoteTextProblem(out.Text); msg != "" {
			fields[helhed.FieldSamtaleOutcome] = msg
		}
	case helhed.SamtaleNoShow:
		if strings.TrimSpace(out.Text) == "" {
			out.Text = "Borgeren mødte ikke op til samtalen."
		} else if msg := helhed.NoteTextProblem(out.Text); msg != "" {
			fields[helhed.FieldSamtaleOutcome] = msg
		}
	default:
		fields["status"] = "Vælg en af mulighederne"
	}
	if _, ok := access.NoteClass(out.Class); !ok {
		fields["class"] = "Vælg en af mulighederne"
	}
	if len(fields) > 0 {
		return invalidSamtale(fields)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		t, err := lockSamtale(ctx, tx, citizenID, sid, version)
		if err != nil {
			return err
		}
		if t.StartsAt.After(s.Now()) {
			return invalidSamtale(map[string]string{"status": "Samtalen er ikke begyndt endnu. Udfaldet kan registreres, når den er holdt."})
		}
		nid, action, nd, err := s.insertNote(ctx, tx, who, citizenID, access.Sight{}, NoteInput{Kind: outcomeNoteKind(t.Form),
			Class: out.Class, EventDate: helhed.DanishToday(t.StartsAt), Text: out.Text})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE samtaler SET status = $2, note_id = $3, updated_at = $4, version = version + 1 WHERE id = $1`,
			sid, out.Status, nid, s.Now()); err != nil {
			return fmt.Errorf("samtale outcome: %w", err)
		}
		if err := audit(ctx, tx, who, citizenID, action, nd); err != nil {
			return err
		}
		return audit(ctx, tx, who, citizenID, AuditSamtaleOutcome, fmt.Sprintf("samtale %d %s, notat %d", sid, out.Status, nid))
	})
}

// RebookSamtale moves a booked samtale to a new time with a reason; the new time is checked
// as a new booking is (future, end after start, double booking unless overlapOK).
func (s *Store) RebookSamtale(ctx context.Context, who Who, citizenID, sid int64, version int, start, end time.Time, reason string, overlapOK bool) error {
	fields := s.checkSamtaleTime(start, end, false)
	if msg := helhed.SamtaleTextProblem(reason, helhed.MaxSamtaleReason); msg != "" {
		fields[helhed.FieldSamtaleReason] = msg
	}
	if len(fields) > 0 {
		return invalidSamtale(fields)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		t, err := lockSamtale(ctx, tx, citizenID, sid, version)
		if err != nil {
			return err
		}
		if !overlapOK {
			var participants []int64
			rows, _ := tx.Query(ctx, `SELECT user_id FROM samtale_participants WHERE samtale_id = $1`, sid)
			if participants, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
				return fmt.Errorf("participants: %w", err)
			}
			msg, err := overlapProblems(ctx, tx, citizenID, t.HolderID, participants, start, end, sid)
			if err != nil {
				return err
			}
			if msg != "" {
				return &helhed.Error{Code: helhed.EConflict, Message: "Dobbeltbooking", Fields: map[string]string{helhed.FieldSamtaleOverlap: msg}}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE samtaler SET starts_at = $2, ends_at = $3, reason = $4, updated_at = $5, version = version + 1
			WHERE id = $1`, sid, start, end, reason, s.Now()); err != nil {
			return fmt.Errorf("rebook samtale: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE samtale_participants SET starts_at = $2 WHERE samtale_id = $1`, sid, start); err != nil {
			return fmt.Errorf("rebook participants: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditSamtaleRebook, fmt.Sprintf("samtale %d flyttet", sid))
	})
}

// CancelSamtale cancels a booked samtale with a reason. The row stays, as aflyst.
func (s *Store) CancelSamtale(ctx context.Context, who Who, citizenID, sid int64, version int, reason string) error {
	if msg := helhed.SamtaleTextProblem(reason, helhed.MaxSamtaleReason); msg != "" {
		return invalidSamtale(map[string]string{helhed.FieldSamtaleReason: msg})
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := lockSamtale(ctx, tx, citizenID, sid, version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE samtaler SET status = 'aflyst', reason = $2, updated_at = $3, version = version + 1
			WHERE id = $1`, sid, reason, s.Now()); err != nil {
			return fmt.Errorf("cancel samtale: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditSamtaleCancel, fmt.Sprintf("samtale %d aflyst", sid))
	})
}
