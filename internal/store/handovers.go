package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the handover: one citizen.handover row per citizen moved (the citizen's
// audit search finds it), and for a leader's handover of a departing caseworker's citizens
// one caseload.handover row with the count.
const (
	AuditHandover     = "citizen.handover"
	AuditHandoverBulk = "caseload.handover"
	AuditHandoverList = "handover.list" // the preview of a bulk handover, with the citizens' names
)

// HandoverNoteKind is the journal note kind of the handover note (migration 0039).
const HandoverNoteKind = "overdragelse"

// handoverTaskTitle is the new holder's task: a fixed text, the note itself is in the journal.
const handoverTaskTitle = "Sagen er overdraget til dig: læs overdragelsesnotatet i journalen"

// The handover form's fields (the store's messages name them).
const (
	FieldHandoverUnit       = "to_unit"
	FieldHandoverCaseworker = "to_caseworker"
	FieldHandoverNote       = "note"
)

// HandoverInput is where a case goes and why: a unit, and in it a caseworker (0: the unit's
// shared list, no person), with the handover note.
type HandoverInput struct {
	ToUnitID       int64
	ToCaseworkerID int64
	Note           string
}

// invalidHandover is the refusal of a handover's input, field by field.
func invalidHandover(fields map[string]string) error {
	return &helhed.Error{Code: helhed.EInvalid, Message: "Sagen kan ikke overdrages", Fields: fields}
}

// checkHandoverTarget checks in tx that the target can hold cases: the unit exists and has an
// active caseworker (the role that holds cases), and the caseworker, when one is named, is an
// active caseworker of that unit. Problems come back per field, in Danish.
func checkHandoverTarget(ctx context.Context, tx pgx.Tx, in HandoverInput) (map[string]string, error) {
	fields := map[string]string{}
	if msg := helhed.NoteTextProblem(in.Note); msg != "" {
		fields[FieldHandoverNote] = msg
	}
	var unitExists, unitHolds bool
	if err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM units WHERE id = $1),
		       EXISTS (SELECT 1 FROM users WHERE unit_id = $1 AND role = 'sagsbehandler' AND disabled_at IS NULL)`,
		in.ToUnitID).Scan(&unitExists, &unitHolds); err != nil {
		return nil, fmt.Errorf("handover unit: %w", err)
	}
	switch {
	case !unitExists:
		fields[FieldHandoverUnit] = "Vælg en af enhederne"
	case !unitHolds:
		fields[FieldHandoverUnit] = "Enheden har ingen aktive sagsbehandlere og kan ikke have borgersager. Vælg en anden enhed"
	}
	if in.ToCaseworkerID != 0 {
		var unit int64
		var role string
		var disabled *time.Time
		err := tx.QueryRow(ctx, `SELECT unit_id, role, disabled_at FROM users WHERE id = $1`, in.ToCaseworkerID).Scan(&unit, &role, &disabled)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			fields[FieldHandoverCaseworker] = "Vælg en af sagsbehandlerne"
		case err != nil:
			return nil, fmt.Errorf("handover caseworker: %w", err)
		case disabled != nil:
			fields[FieldHandoverCaseworker] = "Brugeren er deaktiveret og kan ikke overtage sager. Vælg en aktiv sagsbehandler"
		case role != "sagsbehandler":
			fields[FieldHandoverCaseworker] = "Brugeren er ikke sagsbehandler og kan ikke overtage sager"
		case unit != in.ToUnitID:
			fields[FieldHandoverCaseworker] = "Sagsbehandleren hører ikke til den valgte enhed"
		}
	}
	return fields, nil
}

// HandOver moves the citizen's case to in's unit and caseworker with the handover note, in
// one transaction (handOver); bad input is refused field by field and saves nothing.
func (s *Store) HandOver(ctx context.Context, who Who, citizenID int64, in HandoverInput) (int64, error) {
	in.Note = strings.TrimSpace(in.Note)
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		fields, err := checkHandoverTarget(ctx, tx, in)
		if err != nil {
			return err
		}
		var unit int64
		var cw *int64
		if err := tx.QueryRow(ctx, `SELECT unit_id, caseworker_id FROM citizens WHERE id = $1 FOR UPDATE`, citizenID).Scan(&unit, &cw); err != nil {
			return notFound(err, "Borgeren")
		}
		if unit == in.ToUnitID && derefID(cw) == in.ToCaseworkerID && fields[FieldHandoverCaseworker] == "" {
			fields[FieldHandoverCaseworker] = "Sagen ligger allerede hos denne sagsbehandler og enhed"
		}
		if len(fields) > 0 {
			return invalidHandover(fields)
		}
		ids, err := s.handOver(ctx, tx, who, []int64{citizenID}, in, false)
		if err != nil {
			return err
		}
		id = ids[0]
		return nil
	})
	return id, err
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// handOver moves the citizens (locked by the caller) to in's unit and caseworker in tx, and
// returns the handovers' ids in the order of citizens. Per citizen, all set-based so a
// caseload of hundreds is a handful of statements:
//   - the handover note is a journal note (kind overdragelse, class sag) in the citizen's journal;
//   - citizens.unit_id and caseworker_id change: the access relation is computed from them on
//     every request, so the former holder's access ends with the commit, unless they are still
//     involved otherwise (the same unit, a referral to their unit, an agenda);
//   - the handover is recorded (handovers);
//   - the open tasks about the citizen follow the case: all of them when it changes unit,
//     otherwise those of the former caseworker;
//   - the booked samtaler ahead follow too (the unit, and the holder when a person is named),
//     so the new holder has them in the week view and the calendar feed;
//   - the new holder (or the unit) gets a task (source overdragelse) to read the note;
//   - the journal note and the handover are audited, as the last statement.
func (s *Store) handOver(ctx context.Context, tx pgx.Tx, who Who, citizens []int64, in HandoverInput, bulk bool) ([]int64, error) {
	now := s.Now()
	today := helhed.DanishToday(now)
	toCW := nullInt(in.ToCaseworkerID)
	rows, _ := tx.Query(ctx, `
		WITH moved AS (
			SELECT c.id, c.unit_id AS from_unit, c.caseworker_id AS from_cw FROM citizens c WHERE c.id = ANY($1)),
		notes AS (
			INSERT INTO journal_notes (citizen_id, kind, class, event_date, text, author_id, unit_id, created_at)
			SELECT m.id, $2, 'sag', $3, $4, u.id, u.unit_id, $5 FROM moved m CROSS JOIN users u WHERE u.id = $6
			RETURNING id, citizen_id)
		INSERT INTO handovers (citizen_id, from_unit_id, from_caseworker_id, to_unit_id, to_caseworker_id, note_id, bulk, handed_by, handed_at)
		SELECT m.id, m.from_unit, m.from_cw, $7, $8, n.id, $9, $6, $5 FROM moved m JOIN notes n ON n.citizen_id = m.id
		RETURNING id, citizen_id, from_unit_id, from_caseworker_id, note_id`,
		citizens, HandoverNoteKind, today, in.Note, now, who.UserID, in.ToUnitID, toCW, bulk)
	type moved struct {
		id, citizen, fromUnit, note int64
		fromCW                      *int64
	}
	var ms []moved
	var m moved
	if _, err := pgx.ForEachRow(rows, []any{&m.id, &m.citizen, &m.fromUnit, &m.fromCW, &m.note}, func() error {
		ms = append(ms, m)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("record handovers: %w", err)
	}
	if len(ms) != len(citizens) {
		return nil, fmt.Errorf("record handovers: %d of %d citizens", len(ms), len(citizens))
	}
	ids := make([]int64, len(ms))
	handovers := make([]int64, len(ms))
	fromUnits := make([]int64, len(ms))
	fromCWs := make([]*int64, len(ms))
	notes := make([]int64, len(ms))
	byCitizen := map[int64]int{}
	for i, m := range ms {
		handovers[i], fromUnits[i], fromCWs[i], notes[i] = m.id, m.fromUnit, m.fromCW, m.note
		byCitizen[m.citizen] = i
	}
	for i, c := range citizens {
		ids[i] = handovers[byCitizen[c]]
	}
	cits := make([]int64, len(ms))
	for i, m := range ms {
		cits[i] = m.citizen
	}
	if _, err := tx.Exec(ctx, `
		UPDATE citizens SET unit_id = $2, caseworker_id = $3, updated_at = $4, version = version + 1 WHERE id = ANY($1)`,
		cits, in.ToUnitID, toCW, now); err != nil {
		return nil, fmt.Errorf("hand over citizens: %w", err)
	}
	// The open tasks and the samtaler ahead, per citizen with its former unit and caseworker.
	if _, err := tx.Exec(ctx, `
		UPDATE tasks t SET assignee_id = $4, unit_id = $5, version = t.version + 1
		FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS f(citizen_id, from_unit, from_cw)
		WHERE t.citizen_id = f.citizen_id AND t.done_at IS NULL
		  AND (f.from_unit <> $5 OR t.assignee_id IS NOT DISTINCT FROM f.from_cw)`,
		cits, fromUnits, fromCWs, toCW, in.ToUnitID); err != nil {
		return nil, fmt.Errorf("hand over tasks: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		UPDATE samtaler s SET unit_id = $5, holder_id = coalesce($4, s.holder_id), updated_at = $6, version = s.version + 1
		FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS f(citizen_id, from_unit, from_cw)
		WHERE s.citizen_id = f.citizen_id AND s.status = 'booket' AND s.starts_at >= $6
		  AND (f.from_unit <> $5 OR s.holder_id = f.from_cw)`,
		cits, fromUnits, fromCWs, toCW, in.ToUnitID, now); err != nil {
		return nil, fmt.Errorf("hand over samtaler: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO tasks (citizen_id, source, source_key, title, due, assignee_id, unit_id, created_by, created_at)
		SELECT h.citizen_id, 'overdragelse', 'handover:' || h.id, $2, $3, $4, $5, $6, $7
		FROM handovers h WHERE h.id = ANY($1)`,
		handovers, handoverTaskTitle, today, toCW, in.ToUnitID, who.UserID, now); err != nil {
		return nil, fmt.Errorf("handover tasks: %w", err)
	}
	// Codes and ids only: the note is the citizen's, and the audit log outlives the case.
	to := fmt.Sprintf("enhed %d", in.ToUnitID)
	if in.ToCaseworkerID != 0 {
		to += fmt.Sprintf(", sagsbehandler %d", in.ToCaseworkerID)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO audit_events (user_id, citizen_id, action, detail, request_id)
		SELECT $1, f.citizen_id, a.action,
		       CASE a.action WHEN $7 THEN format('notat %s (%s, sag)', f.note_id, $8::text)
		       ELSE format('overdragelse %s fra enhed %s%s til %s', f.handover_id, f.from_unit,
		                   coalesce(', sagsbehandler ' || f.from_cw, ''), $6::text) END,
		       $2
		FROM unnest($3::bigint[], $4::bigint[], $5::bigint[], $9::bigint[], $10::bigint[]) AS f(citizen_id, handover_id, note_id, from_unit, from_cw)
		CROSS JOIN (VALUES (1, $7::text), (2, $11::text)) AS a(ord, action)
		ORDER BY f.citizen_id, a.ord`,
		nullInt(who.UserID), who.RequestID, cits, handovers, notes, to, AuditNoteCreate, HandoverNoteKind, fromUnits, fromCWs, AuditHandover); err != nil {
		return nil, fmt.Errorf("write audit rows: %w", err)
	}
	return ids, nil
}

// HandoverCandidate is one of a departing caseworker's citizens in the preview of a bulk
// handover.
type HandoverCandidate struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// CaseworkerCitizens is one page of the open cases a caseworker holds in unit (by name), and
// how many there are: the preview of a bulk handover (citizens_caseworker_idx).
func (s *Store) CaseworkerCitizens(ctx context.Context, unitID, caseworkerID int64, pg Page) ([]HandoverCandidate, int, error) {
	pg = pg.normalize()
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM citizens c WHERE c.caseworker_id = $1 AND c.unit_id = $2 AND c.closed_at IS NULL`,
		caseworkerID, unitID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count caseworker citizens: %w", err)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT c.id, c.first_name || ' ' || c.last_name AS name FROM citizens c
		WHERE c.caseworker_id = $1 AND c.unit_id = $2 AND c.closed_at IS NULL
		ORDER BY c.last_name, c.first_name, c.id LIMIT $3 OFFSET $4`, caseworkerID, unitID, pg.PerPage, pg.offset())
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[HandoverCandidate])
	if err != nil {
		return nil, 0, fmt.Errorf("caseworker citizens: %w", err)
	}
	return out, total, nil
}

// HandOverCaseload moves all the open cases that caseworker fromID holds in unitID (the
// leader's own unit; a caseworker of another unit is not found) to in's target, in one
// transaction, each with the handover note in its journal and a task for the new holder.
// expected is how many the leader was shown in the preview: if the count has changed since,
// nothing is moved and the conflict says so. Returns how many were moved.
func (s *Store) HandOverCaseload(ctx context.Context, who Who, unitID, fromID int64, in HandoverInput, expected int) (int, error) {
	in.Note = strings.TrimSpace(in.Note)
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var fromUnit int64
		if err := tx.QueryRow(ctx, `SELECT unit_id FROM users WHERE id = $1 AND unit_id = $2`, fromID, unitID).Scan(&fromUnit); err != nil {
			return notFound(err, "Medarbejderen")
		}
		fields, err := checkHandoverTarget(ctx, tx, in)
		if err != nil {
			return err
		}
		// To the same unit without a person is allowed: the cases wait on the unit's list.
		if in.ToCaseworkerID == fromID && fields[FieldHandoverCaseworker] == "" {
			fields[FieldHandoverCaseworker] = "Vælg en anden sagsbehandler end den, sagerne overdrages fra"
		}
		if len(fields) > 0 {
			return invalidHandover(fields)
		}
		rows, _ := tx.Query(ctx, `
			SELECT id FROM citizens WHERE caseworker_id = $1 AND unit_id = $2 AND closed_at IS NULL ORDER BY id FOR UPDATE`, fromID, unitID)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("caseload to hand over: %w", err)
		}
		switch {
		case len(ids) == 0:
			return &helhed.Error{Code: helhed.EConflict, Message: "Medarbejderen har ingen åbne sager at overdrage."}
		case len(ids) != expected:
			return &helhed.Error{Code: helhed.EConflict, Message: fmt.Sprintf(
				"Antallet af sager er ændret, siden du så listen (nu %d, før %d). Intet er overdraget. Se listen igen, og bekræft.", len(ids), expected)}
		}
		if _, err := s.handOver(ctx, tx, who, ids, in, true); err != nil {
			return err
		}
		n = len(ids)
		return audit(ctx, tx, who, 0, AuditHandoverBulk, fmt.Sprintf("%d sager fra sagsbehandler %d til enhed %d%s", n, fromID, in.ToUnitID,
			strings.TrimSuffix(fmt.Sprintf(", sagsbehandler %d", in.ToCaseworkerID), ", sagsbehandler 0")))
	})
	return n, err
}

// HandoverTarget is a unit or caseworker a case may be handed to (the form's choices).
type HandoverTarget struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	UnitID   int64  `db:"unit_id"`
	UnitName string `db:"unit_name"`
}

// HandoverUnits are the units that can hold cases (with an active caseworker), by name.
func (s *Store) HandoverUnits(ctx context.Context) ([]HandoverTarget, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT n.id, n.name, n.id AS unit_id, n.name AS unit_name FROM units n
		WHERE EXISTS (SELECT 1 FROM users u WHERE u.unit_id = n.id AND u.role = 'sagsbehandler' AND u.disabled_at IS NULL)
		ORDER BY n.name, n.id`)
	return pgx.CollectRows(rows, pgx.RowToStructByName[HandoverTarget])
}

// HandoverCaseworkers are the active caseworkers of every unit, by unit and name (at most
// 1000: a municipality has hundreds).
func (s *Store) HandoverCaseworkers(ctx context.Context) ([]HandoverTarget, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT u.id, u.name, u.unit_id, n.name AS unit_name FROM users u JOIN units n ON n.id = u.unit_id
		WHERE u.role = 'sagsbehandler' AND u.disabled_at IS NULL ORDER BY n.name, u.name, u.id LIMIT 1000`)
	return pgx.CollectRows(rows, pgx.RowToStructByName[HandoverTarget])
}

// Handover is one move of the citizen's case, as the citizen page lists it.
type Handover struct {
	ID             int64     `db:"id"`
	FromUnit       string    `db:"from_unit"`
	FromCaseworker *string   `db:"from_caseworker"`
	ToUnit         string    `db:"to_unit"`
	ToCaseworker   *string   `db:"to_caseworker"`
	NoteID         *int64    `db:"note_id"`
	By             string    `db:"handed_by"`
	At             time.Time `db:"handed_at"`
}

// CitizenHandovers are the citizen's latest handovers, newest first (at most 20).
func (s *Store) CitizenHandovers(ctx context.Context, citizenID int64) ([]Handover, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT h.id, fu.name AS from_unit, fc.name AS from_caseworker, tu.name AS to_unit, tc.name AS to_caseworker,
		       h.note_id, b.name AS handed_by, h.handed_at
		FROM handovers h JOIN units fu ON fu.id = h.from_unit_id JOIN units tu ON tu.id = h.to_unit_id
		LEFT JOIN users fc ON fc.id = h.from_caseworker_id LEFT JOIN users tc ON tc.id = h.to_caseworker_id
		JOIN users b ON b.id = h.handed_by
		WHERE h.citizen_id = $1 ORDER BY h.handed_at DESC, h.id DESC LIMIT 20`, citizenID)
	return pgx.CollectRows(rows, pgx.RowToStructByName[Handover])
}
