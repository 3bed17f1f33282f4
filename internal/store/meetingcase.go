package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// AddMeetingCase puts a citizen on a meeting's agenda, last, with the question to the team
// and the citizen's coordinating caseworker. A citizen already on the agenda is a field
// error; a meeting that has been held takes no new cases.
func (s *Store) AddMeetingCase(ctx context.Context, who Who, meetingID, citizenID int64, question string) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var startsAt time.Time
		// Lock the meeting so two cases added at once get different positions.
		if err := tx.QueryRow(ctx, `SELECT starts_at FROM meetings WHERE id = $1 FOR UPDATE`, meetingID).Scan(&startsAt); err != nil {
			return notFound(err, "Mødet")
		}
		if startsAt.Before(s.Now().Add(-12 * time.Hour)) {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Mødet er holdt",
				Fields: map[string]string{"meeting": "Mødet er holdt. Vælg et kommende møde"}}
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO meeting_cases (meeting_id, citizen_id, caseworker_id, position, question, added_by, added_at)
			SELECT $1, c.id, c.caseworker_id,
			       COALESCE((SELECT max(position) FROM meeting_cases WHERE meeting_id = $1), 0) + 1, $3, $4, $5
			FROM citizens c WHERE c.id = $2
			RETURNING id`, meetingID, citizenID, question, who.UserID, s.Now()).Scan(&id)
		if isUniqueViolation(err, "meeting_cases_meeting_citizen_idx") {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Sagen kan ikke sættes på dagsordenen",
				Fields: map[string]string{"meeting": "Borgeren står allerede på dagsordenen for dette møde"}}
		}
		if err != nil {
			return notFound(err, "Borgeren")
		}
		if err := audit(ctx, tx, who, citizenID, AuditMeetingCaseAdd, fmt.Sprintf("møde %d", meetingID)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
	return id, err
}

// ErrCaseDecided refuses taking a case off the agenda after the team gave its indstilling: the
// meeting handled it, and the partshøring and the afgørelse that follow stand on it there.
var ErrCaseDecided = &helhed.Error{Code: helhed.EInvalid,
	Message: "Teamet har givet sin indstilling i sagen, så den bliver på mødets dagsorden. Er indstillingen forkert, kan referenten rette den."}

// RemoveMeetingCase takes a case off the agenda and closes the gap in the order. The case is
// not deleted: its forberedende del and indstilling stay in the citizen's history, marked
// withdrawn from this meeting, and go only with the citizen's case at retention.
func (s *Store) RemoveMeetingCase(ctx context.Context, who Who, meetingID, caseID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		var pos int
		// Lock the meeting, as AddMeetingCase does, so the renumbering below never races an
		// insert taking the last position.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM meetings WHERE id = $1 FOR UPDATE`, meetingID); err != nil {
			return fmt.Errorf("lock meeting: %w", err)
		}
		err := tx.QueryRow(ctx, `
			UPDATE meeting_cases mc SET withdrawn_at = $3, withdrawn_by = $4, position = NULL, version = mc.version + 1
			FROM meeting_cases old
			WHERE old.id = mc.id AND mc.id = $1 AND mc.meeting_id = $2 AND mc.withdrawn_at IS NULL AND mc.outcome IS NULL
			RETURNING mc.citizen_id, old.position`,
			caseID, meetingID, s.Now(), who.UserID).Scan(&citizenID, &pos)
		if errors.Is(err, pgx.ErrNoRows) {
			var decided bool
			if qerr := tx.QueryRow(ctx, `SELECT outcome IS NOT NULL FROM meeting_cases WHERE id = $1 AND meeting_id = $2 AND withdrawn_at IS NULL`,
				caseID, meetingID).Scan(&decided); qerr == nil && decided {
				return ErrCaseDecided
			}
		}
		if err != nil {
			return notFound(err, "Sagen på dagsordenen")
		}
		if _, err := tx.Exec(ctx, `UPDATE meeting_cases SET position = position - 1 WHERE meeting_id = $1 AND position > $2`,
			meetingID, pos); err != nil {
			return fmt.Errorf("renumber agenda: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE meetings SET focus_case_id = NULL WHERE id = $1 AND focus_case_id = $2`, meetingID, caseID); err != nil {
			return fmt.Errorf("clear focus: %w", err)
		}
		if err := audit(ctx, tx, who, citizenID, AuditMeetingCaseRemove, fmt.Sprintf("møde %d: sag %d trukket fra dagsordenen", meetingID, caseID)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}

// SavePreparation saves the forberedende del of a case on the version the user loaded;
// ready marks it complete (the agenda shows the case as ready), !ready reopens it.
func (s *Store) SavePreparation(ctx context.Context, who Who, meetingID, caseID int64, version int, p helhed.Preparation, ready bool) error {
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode preparation: %w", err)
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		err := tx.QueryRow(ctx, `
			UPDATE meeting_cases SET preparation = $4, version = version + 1,
			       prepared_at = CASE WHEN $5 THEN COALESCE(prepared_at, $6) END,
			       prepared_by = CASE WHEN $5 THEN COALESCE(prepared_by, $7) END
			WHERE id = $1 AND meeting_id = $2 AND version = $3 AND withdrawn_at IS NULL RETURNING citizen_id`,
			caseID, meetingID, version, doc, ready, s.Now(), who.UserID).Scan(&citizenID)
		if err != nil {
			return staleOrMissing(ctx, tx, err, caseID, meetingID)
		}
		detail := "forberedende del gemt"
		if ready {
			detail = "forberedende del færdig"
		}
		if err := audit(ctx, tx, who, citizenID, AuditMeetingPrepare, detail); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}

// staleOrMissing tells a stale version (conflict) and a withdrawn case (invalid) from a case
// that is not on the meeting.
func staleOrMissing(ctx context.Context, tx pgx.Tx, err error, caseID, meetingID int64) error {
	var withdrawn *time.Time
	qerr := tx.QueryRow(ctx, `SELECT withdrawn_at FROM meeting_cases WHERE id = $1 AND meeting_id = $2`,
		caseID, meetingID).Scan(&withdrawn)
	switch {
	case errors.Is(qerr, pgx.ErrNoRows):
		return notFound(err, "Sagen på dagsordenen")
	case qerr != nil:
		return fmt.Errorf("meeting case: %w", qerr)
	case withdrawn != nil:
		return ErrCaseWithdrawn
	}
	return &helhed.Error{Code: helhed.EConflict, Message: "Sagen er blevet ændret af en anden, mens du havde den åben."}
}

// RecordIndstilling writes the team's indstilling in a case on the version the user loaded.
// An outcome the post-team rule in force names (fleksjob, førtidspension) is refused while the
// citizen's case lacks the samlet beskrivelse or the sundhedsfaglig rådgivning.
func (s *Store) RecordIndstilling(ctx context.Context, who Who, meetingID, caseID int64, version int, in helhed.Indstilling) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		err := tx.QueryRow(ctx, `
			UPDATE meeting_cases SET outcome = $4, reasons = $5, recommended_efforts = $6,
			       recorded_by = $7, recorded_at = $8, version = version + 1
			WHERE id = $1 AND meeting_id = $2 AND version = $3 AND withdrawn_at IS NULL RETURNING citizen_id`,
			caseID, meetingID, version, in.Outcome, in.Reasons, in.RecommendedEfforts, who.UserID, s.Now()).Scan(&citizenID)
		if err != nil {
			return staleOrMissing(ctx, tx, err, caseID, meetingID)
		}
		// A fleksjob or førtidspension indstilling needs the post-team records (the rule in
		// force, lov nr. 1750 af 29.12.2025): the update above is rolled back without them.
		if err := s.checkPostTeam(ctx, tx, citizenID, in.Outcome, helhed.DanishToday(s.Now()), "indstilling", helhed.FieldOutcome); err != nil {
			return err
		}
		if err := audit(ctx, tx, who, citizenID, AuditIndstilling, fmt.Sprintf("møde %d: %s", meetingID, in.Outcome)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}
