package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
)

// LiveChannel is the PostgreSQL NOTIFY channel of live updates. A payload is a topic such as
// "meeting:42": ids only, never data; each app instance renders what its viewers may see.
const LiveChannel = "helhed_live"

// MeetingTopic is the live-update topic of one meeting's board.
func MeetingTopic(meetingID int64) string { return "meeting:" + strconv.FormatInt(meetingID, 10) }

// notify queues a live update of topic; PostgreSQL delivers it to every listening instance
// when tx commits, and never when it rolls back.
func notify(ctx context.Context, tx pgx.Tx, topic string) error {
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, LiveChannel, topic); err != nil {
		return fmt.Errorf("notify %s: %w", topic, err)
	}
	return nil
}

// SetFocus puts a case of the meeting on the shared screen (caseID 0: none) and tells every
// open board.
func (s *Store) SetFocus(ctx context.Context, who Who, meetingID, caseID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID *int64
		if caseID != 0 {
			var id int64
			if err := tx.QueryRow(ctx, `SELECT citizen_id FROM meeting_cases WHERE id = $1 AND meeting_id = $2 AND withdrawn_at IS NULL`,
				caseID, meetingID).Scan(&id); err != nil {
				return notFound(err, "Sagen på dagsordenen")
			}
			citizenID = &id
		}
		// The timer starts when a case comes on the screen (pressing "Vis" on the case already
		// shown does not restart it), and a new case is never hidden by the last one's
		// "teamet drøfter".
		tag, err := tx.Exec(ctx, `
			UPDATE meetings SET
			    focus_started_at = CASE WHEN focus_case_id IS NOT DISTINCT FROM $2 THEN focus_started_at
			                            WHEN $2::bigint IS NULL THEN NULL ELSE $3::timestamptz END,
			    deliberating = deliberating AND focus_case_id IS NOT DISTINCT FROM $2,
			    focus_case_id = $2
			WHERE id = $1`, meetingID, nullInt(caseID), s.Now())
		if err != nil {
			return fmt.Errorf("set focus: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(pgx.ErrNoRows, "Mødet")
		}
		cid := int64(0)
		if citizenID != nil {
			cid = *citizenID
		}
		if err := audit(ctx, tx, who, cid, AuditMeetingFocus, fmt.Sprintf("møde %d: sag %d på skærmen", meetingID, caseID)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}

// SetCitizenPresent switches the board's "borger til stede" mode: while the citizen is in the
// room, the shared screen shows the other cases by time and number only. Every open board
// follows at once.
func (s *Store) SetCitizenPresent(ctx context.Context, who Who, meetingID int64, present bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE meetings SET citizen_present = $2 WHERE id = $1`, meetingID, present)
		if err != nil {
			return fmt.Errorf("set citizen present: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(pgx.ErrNoRows, "Mødet")
		}
		if err := audit(ctx, tx, who, 0, AuditMeetingFocus, fmt.Sprintf("møde %d: borger til stede = %t", meetingID, present)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}

// Seat is one person in a meeting's room (a member of the team, the chair or the
// minute-taker) and their relation to one citizen on the agenda.
type Seat struct {
	User access.User
	Rel  access.Relation
}

// RoomRelations returns, for each citizen on the meeting's agenda, the relation of every
// person in the meeting's room to that citizen: the shared screen shows what all of them may
// see (access.RoomSight). Everyone in the room has the case on their agenda; consents are
// those in force today. One query, whatever the sizes of team and agenda.
func (s *Store) RoomRelations(ctx context.Context, meetingID int64) (map[int64][]Seat, error) {
	rows, _ := s.pool.Query(ctx, `
		WITH room AS (
			SELECT DISTINCT u.id, u.unit_id, u.role
			FROM meetings m JOIN users u ON u.disabled_at IS NULL AND (
			     u.id IN (SELECT user_id FROM rehab_team_members WHERE team_id = m.team_id)
			     OR u.id = m.chair_id OR u.id = m.minute_taker_id)
			WHERE m.id = $1)
		SELECT mc.citizen_id, c.unit_id, c.caseworker_id, room.id, room.unit_id, room.role,
		       EXISTS (SELECT 1 FROM consents WHERE citizen_id = c.id AND recipient_unit_id = room.unit_id
		               AND information = $2 AND `+currentConsentSQL+`),
		       EXISTS (SELECT 1 FROM consents WHERE citizen_id = c.id AND recipient_unit_id = room.unit_id
		               AND information = $3 AND `+currentConsentSQL+`)
		FROM meeting_cases mc JOIN citizens c ON c.id = mc.citizen_id CROSS JOIN room
		WHERE mc.meeting_id = $1 AND mc.withdrawn_at IS NULL`, meetingID, ConsentHealth, ConsentSocial, consentDay(s.Now()))
	out := map[int64][]Seat{}
	var (
		citizenID  int64
		seat       Seat
		caseworker *int64
	)
	_, err := pgx.ForEachRow(rows, []any{&citizenID, &seat.Rel.CitizenUnitID, &caseworker, &seat.User.ID, &seat.User.UnitID,
		&seat.User.Role, &seat.Rel.HealthConsent, &seat.Rel.SocialConsent}, func() error {
		st := seat
		st.Rel.OnAgenda = true
		if caseworker != nil {
			st.Rel.CaseworkerID = *caseworker
		}
		out[citizenID] = append(out[citizenID], st)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("room relations: %w", err)
	}
	return out, nil
}
