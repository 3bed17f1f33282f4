package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of meeting mode on the shared screen.
const (
	AuditMeetingAttendance = "meeting.attendance" // who was there while the team handled a case
	AuditCitizenComments   = "meeting.comments"   // the citizen's comments to the indstilling
	AuditMeetingDeliberate = "meeting.deliberate" // "teamet drøfter" on or off
)

// MaxCitizenComments bounds the citizen's comments to the indstilling (a CHECK too).
const MaxCitizenComments = 4000

// FieldMembersPresent and FieldCitizenComments are the forms' field keys in Error.Fields.
const (
	FieldMembersPresent  = "members"
	FieldCitizenComments = "citizen_comments"
)

// Attendance is who was in the room while the team handled one case.
type Attendance struct {
	Citizen, Bisidder bool
	Members           []int64 // users of the meeting's room (RoomMembers)
}

// RoomMember is one person with a seat in a meeting's room: a member of the team, the chair
// or the minute-taker.
type RoomMember struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// RoomMembers lists the meeting's room by name: the team's members, the chair and the
// minute-taker (a dozen rows; rehab_team_members_pkey).
func (s *Store) RoomMembers(ctx context.Context, meetingID int64) ([]RoomMember, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT u.id, u.name FROM meetings m JOIN users u ON
		       u.id IN (SELECT user_id FROM rehab_team_members WHERE team_id = m.team_id)
		       OR u.id = m.chair_id OR u.id = m.minute_taker_id
		WHERE m.id = $1 ORDER BY u.name, u.id`, meetingID)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[RoomMember])
	if err != nil {
		return nil, fmt.Errorf("room members: %w", err)
	}
	return out, nil
}

// RecordCaseAttendance records, whole, who was there while the team handled a case: the citizen,
// a bisidder and the members of the room present. A member outside the meeting's room is
// refused; so is a case taken off the agenda. Open boards follow at once.
func (s *Store) RecordCaseAttendance(ctx context.Context, who Who, meetingID, caseID int64, a Attendance) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		members := slices.Clone(a.Members)
		slices.Sort(members)
		members = slices.Compact(members)
		var outside int
		if err := tx.QueryRow(ctx, `
			SELECT count(*) FROM unnest($2::bigint[]) AS p(id) WHERE p.id NOT IN (
			    SELECT user_id FROM rehab_team_members tm JOIN meetings m ON m.team_id = tm.team_id WHERE m.id = $1
			    UNION SELECT chair_id FROM meetings WHERE id = $1 AND chair_id IS NOT NULL
			    UNION SELECT minute_taker_id FROM meetings WHERE id = $1 AND minute_taker_id IS NOT NULL)`,
			meetingID, members).Scan(&outside); err != nil {
			return fmt.Errorf("check members: %w", err)
		}
		if outside > 0 {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Fremmødet kan ikke gemmes",
				Fields: map[string]string{FieldMembersPresent: "Vælg kun mødets deltagere"}}
		}
		if members == nil {
			members = []int64{}
		}
		var citizenID int64
		err := tx.QueryRow(ctx, `
			UPDATE meeting_cases SET citizen_attended = $3, bisidder_attended = $4, members_present = $5,
			       attendance_recorded_at = $6, attendance_recorded_by = $7
			WHERE id = $1 AND meeting_id = $2 AND withdrawn_at IS NULL RETURNING citizen_id`,
			caseID, meetingID, a.Citizen, a.Bisidder, members, s.Now(), who.UserID).Scan(&citizenID)
		if err != nil {
			return staleOrMissing(ctx, tx, err, caseID, meetingID)
		}
		detail := fmt.Sprintf("møde %d: borger %s, bisidder %s, %d medlemmer", meetingID, yesNo(a.Citizen), yesNo(a.Bisidder), len(members))
		if err := audit(ctx, tx, who, citizenID, AuditMeetingAttendance, detail); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}

// RecordCitizenComments records the citizen's own comments to the team's indstilling (""
// clears them). There must be an indstilling to comment on; a case taken off the agenda is
// refused.
func (s *Store) RecordCitizenComments(ctx context.Context, who Who, meetingID, caseID int64, text string) error {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) > MaxCitizenComments {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Bemærkningerne kan ikke gemmes",
			Fields: map[string]string{FieldCitizenComments: fmt.Sprintf("Højst %d tegn", MaxCitizenComments)}}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		var hasOutcome bool
		err := tx.QueryRow(ctx, `SELECT citizen_id, outcome IS NOT NULL FROM meeting_cases
			WHERE id = $1 AND meeting_id = $2 AND withdrawn_at IS NULL FOR UPDATE`, caseID, meetingID).Scan(&citizenID, &hasOutcome)
		if err != nil {
			return staleOrMissing(ctx, tx, err, caseID, meetingID)
		}
		if !hasOutcome {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Bemærkningerne kan ikke gemmes",
				Fields: map[string]string{FieldCitizenComments: "Teamet har ikke indstillet endnu"}}
		}
		if _, err := tx.Exec(ctx, `UPDATE meeting_cases SET citizen_comments = $2, comments_recorded_at = $3, comments_recorded_by = $4
			WHERE id = $1`, caseID, text, s.Now(), who.UserID); err != nil {
			return fmt.Errorf("record comments: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditCitizenComments, fmt.Sprintf("møde %d: %d tegn", meetingID, utf8.RuneCountInString(text)))
	})
}

// SetDeliberating switches "teamet drøfter": while it is on, the shared screen shows only
// that the team deliberates, not the case in focus. Every open board follows at once.
func (s *Store) SetDeliberating(ctx context.Context, who Who, meetingID int64, on bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var focus *int64
		if err := tx.QueryRow(ctx, `UPDATE meetings SET deliberating = $2 WHERE id = $1 RETURNING focus_case_id`,
			meetingID, on).Scan(&focus); err != nil {
			return notFound(err, "Mødet")
		}
		var citizenID int64
		if focus != nil {
			// The case may have been withdrawn; the audit row then names no citizen.
			_ = tx.QueryRow(ctx, `SELECT citizen_id FROM meeting_cases WHERE id = $1 AND meeting_id = $2`, *focus, meetingID).Scan(&citizenID)
		}
		if err := audit(ctx, tx, who, citizenID, AuditMeetingDeliberate, fmt.Sprintf("møde %d: teamet drøfter = %t", meetingID, on)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
	})
}

func yesNo(b bool) string {
	if b {
		return "til stede"
	}
	return "ikke til stede"
}

// MeetingWeek is one week's figures of a unit's rehabiliteringsteam meetings, for its leader:
// the cases handled, the mean days from a case being put on the agenda to its meeting, and the
// team's indstillinger by outcome code. Aggregates only; the page suppresses small cells.
type MeetingWeek struct {
	Week     time.Time `db:"week"` // the Monday, Danish calendar
	Cases    int       `db:"cases"`
	MeanDays float64   `db:"mean_days"`
	// Outcomes are the indstillinger's outcome codes, one per decided case.
	Outcomes []string `db:"outcomes"`
}

// MeetingFigures returns, newest week first, the figures of the meetings held before `before`
// by the teams of unitID, a page of weeks at a time, and the number of weeks. Withdrawn cases
// do not count. The plan (docs/queries.md): rehab_teams by unit, meetings_team_start_idx for
// the team's meetings, meeting_cases_meeting_idx for their cases.
func (s *Store) MeetingFigures(ctx context.Context, unitID int64, before time.Time, page Page) ([]MeetingWeek, int, error) {
	page = page.normalize()
	rows, _ := s.pool.Query(ctx, `
		SELECT date_trunc('week', m.starts_at AT TIME ZONE 'Europe/Copenhagen')::date::timestamp AS week,
		       count(*)::int AS cases,
		       avg(extract(epoch FROM m.starts_at - mc.added_at) / 86400)::float8 AS mean_days,
		       coalesce(array_agg(mc.outcome ORDER BY mc.outcome) FILTER (WHERE mc.outcome IS NOT NULL), '{}') AS outcomes,
		       count(*) OVER ()::int AS total
		FROM rehab_teams t JOIN meetings m ON m.team_id = t.id AND m.starts_at < $2
		JOIN meeting_cases mc ON mc.meeting_id = m.id AND mc.withdrawn_at IS NULL
		WHERE t.unit_id = $1
		GROUP BY 1 ORDER BY 1 DESC LIMIT $3 OFFSET $4`, unitID, before, page.PerPage, (page.Number-1)*page.PerPage)
	total := 0
	var out []MeetingWeek
	var w MeetingWeek
	_, err := pgx.ForEachRow(rows, []any{&w.Week, &w.Cases, &w.MeanDays, &w.Outcomes, &total}, func() error {
		out = append(out, w)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("meeting figures: %w", err)
	}
	return out, total, nil
}
