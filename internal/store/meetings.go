package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the rehabiliteringsteam.
const (
	AuditTeamChange        = "team.change"
	AuditMeetingCreate     = "meeting.create"
	AuditMeetingUpdate     = "meeting.update"
	AuditMeetingCaseAdd    = "meeting.case_add"
	AuditMeetingCaseRemove = "meeting.case_remove"
	AuditMeetingPrepare    = "meeting.prepare"
	AuditMeetingFocus      = "meeting.focus"
	AuditIndstilling       = "meeting.indstilling"
	AuditMeetingView       = "meeting.view"  // an agenda with citizens' names
	AuditBoardView         = "meeting.board" // a case shown on the shared screen
)

// SettingAgendaAccessDays is how many days after a meeting its team's members still see the
// cases of its agenda (default 7).
const (
	SettingAgendaAccessDays = "agenda_access_days"
	defaultAgendaAccessDays = 7
)

// agendaAccessSQL is true when the user ($7 in Relation) sits on the team of a meeting that
// has the citizen (c) on its agenda, from the moment the case was put there ($8: now) until
// the configured number of days after the meeting (setting agenda_access_days, default 7).
// It is the need-to-know window of helhed.AgendaAccessUntil, computed in the same query as
// the rest of the relation.
const agendaAccessSQL = `
	EXISTS (SELECT 1 FROM meeting_cases mc
	        JOIN meetings m ON m.id = mc.meeting_id
	        JOIN rehab_team_members tm ON tm.team_id = m.team_id AND tm.user_id = $7
	        WHERE mc.citizen_id = c.id AND mc.withdrawn_at IS NULL AND mc.added_at <= $8::timestamptz
	          AND $8::timestamptz < m.starts_at + make_interval(days => COALESCE(
	              (SELECT value::int FROM settings WHERE key = 'agenda_access_days'
	               AND valid_from <= $8::timestamptz::date ORDER BY valid_from DESC LIMIT 1), 7)))`

// Meeting is a rehabiliteringsteam meeting with its agenda.
type Meeting struct {
	ID              int64     `db:"id"`
	TeamID          int64     `db:"team_id"`
	TeamName        string    `db:"team_name"`
	TeamUnitID      int64     `db:"team_unit_id"`
	StartsAt        time.Time `db:"starts_at"`
	SlotMinutes     int       `db:"slot_minutes"`
	Location        string    `db:"location"`
	ChairID         *int64    `db:"chair_id"`
	ChairName       *string   `db:"chair_name"`
	MinuteTakerID   *int64    `db:"minute_taker_id"`
	MinuteTakerName *string   `db:"minute_taker_name"`
	FocusCaseID     *int64    `db:"focus_case_id"`
	// CitizenPresent: the citizen in focus is in the room, so the board names no other case.
	CitizenPresent bool `db:"citizen_present"`
	// FocusStartedAt is when the case in focus came on the screen (the board's timer).
	FocusStartedAt *time.Time `db:"focus_started_at"`
	// Deliberating: "teamet drøfter"; the shared screen hides the case in focus.
	Deliberating bool `db:"deliberating"`
	Version      int  `db:"version"`
	// Cases is the agenda, in order.
	Cases []MeetingCase `db:"-"`
	// Withdrawn are the cases taken off the agenda, kept with their forberedende del and
	// indstilling, in the order they were withdrawn.
	Withdrawn []MeetingCase `db:"-"`
}

// Focus returns the case on the shared screen, if any.
func (m Meeting) Focus() (MeetingCase, bool) {
	for _, c := range m.Cases {
		if m.FocusCaseID != nil && c.ID == *m.FocusCaseID {
			return c, true
		}
	}
	return MeetingCase{}, false
}

// MeetingCase is one case on an agenda.
type MeetingCase struct {
	ID                 int64              `db:"id"`
	MeetingID          int64              `db:"meeting_id"`
	CitizenID          int64              `db:"citizen_id"`
	CitizenName        string             `db:"citizen_name"`
	CitizenCPR         helhed.CPR         `db:"citizen_cpr"`
	CitizenUnitID      int64              `db:"citizen_unit_id"`
	CaseworkerName     *string            `db:"caseworker_name"`
	Position           int                `db:"position"`
	Question           string             `db:"question"`
	Preparation        helhed.Preparation `db:"preparation"`
	PreparedAt         *time.Time         `db:"prepared_at"`
	Outcome            *string            `db:"outcome"`
	Reasons            string             `db:"reasons"`
	RecommendedEfforts string             `db:"recommended_efforts"`
	RecordedByName     *string            `db:"recorded_by_name"`
	RecordedAt         *time.Time         `db:"recorded_at"`
	// WithdrawnAt is when the case was taken off the agenda; nil while it is on it.
	WithdrawnAt     *time.Time `db:"withdrawn_at"`
	WithdrawnByName *string    `db:"withdrawn_by_name"`
	// Attendance while the team handled the case (nil until recorded): the citizen, a
	// bisidder, and the members of the room present (user ids).
	CitizenAttended      *bool      `db:"citizen_attended"`
	BisidderAttended     *bool      `db:"bisidder_attended"`
	MembersPresent       []int64    `db:"members_present"`
	AttendanceRecordedAt *time.Time `db:"attendance_recorded_at"`
	AttendanceByName     *string    `db:"attendance_by_name"`
	// CitizenComments are the citizen's own comments to the indstilling.
	CitizenComments    string     `db:"citizen_comments"`
	CommentsRecordedAt *time.Time `db:"comments_recorded_at"`
	CommentsByName     *string    `db:"comments_by_name"`
	Version            int        `db:"version"`
}

const meetingSelect = `
	SELECT m.id, m.team_id, t.name AS team_name, t.unit_id AS team_unit_id, m.starts_at, m.slot_minutes,
	       m.location, m.chair_id, ch.name AS chair_name, m.minute_taker_id, mt.name AS minute_taker_name,
	       m.focus_case_id, m.citizen_present, m.focus_started_at, m.deliberating, m.version
	FROM meetings m JOIN rehab_teams t ON t.id = m.team_id
	LEFT JOIN users ch ON ch.id = m.chair_id LEFT JOIN users mt ON mt.id = m.minute_taker_id`

const meetingCaseSelect = `
	SELECT mc.id, mc.meeting_id, mc.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name,
	       c.cpr AS citizen_cpr, c.unit_id AS citizen_unit_id, cw.name AS caseworker_name,
	       coalesce(mc.position, 0) AS position,
	       mc.question, mc.preparation, mc.prepared_at, mc.outcome, mc.reasons, mc.recommended_efforts,
	       rb.name AS recorded_by_name, mc.recorded_at, mc.withdrawn_at, wb.name AS withdrawn_by_name,
	       mc.citizen_attended, mc.bisidder_attended, mc.members_present, mc.attendance_recorded_at, ab.name AS attendance_by_name,
	       mc.citizen_comments, mc.comments_recorded_at, kb.name AS comments_by_name, mc.version
	FROM meeting_cases mc JOIN citizens c ON c.id = mc.citizen_id
	LEFT JOIN users cw ON cw.id = mc.caseworker_id LEFT JOIN users rb ON rb.id = mc.recorded_by
	LEFT JOIN users wb ON wb.id = mc.withdrawn_by LEFT JOIN users ab ON ab.id = mc.attendance_recorded_by
	LEFT JOIN users kb ON kb.id = mc.comments_recorded_by`

// MeetingByID returns a meeting with its agenda, in order: two statements in one round trip.
// It does not audit; a handler that shows the agenda's names audits the read.
func (s *Store) MeetingByID(ctx context.Context, id int64) (Meeting, error) {
	var m Meeting
	found := false
	b := &pgx.Batch{}
	b.Queue(meetingSelect+` WHERE m.id = $1`, id).Query(func(rows pgx.Rows) error {
		ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[Meeting])
		if len(ms) == 1 {
			m, found = ms[0], true
		}
		return err
	})
	b.Queue(meetingCaseSelect+` WHERE mc.meeting_id = $1 ORDER BY mc.withdrawn_at NULLS FIRST, mc.position, mc.id`, id).Query(func(rows pgx.Rows) error {
		cases, err := pgx.CollectRows(rows, pgx.RowToStructByName[MeetingCase])
		for _, c := range cases {
			if c.WithdrawnAt == nil {
				m.Cases = append(m.Cases, c)
			} else {
				m.Withdrawn = append(m.Withdrawn, c)
			}
		}
		return err
	})
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return m, fmt.Errorf("load meeting: %w", err)
	}
	if !found {
		return m, notFound(pgx.ErrNoRows, "Mødet")
	}
	return m, nil
}

// MeetingCaseByID returns one case of a meeting. A case id of another meeting is not found,
// so a child id can never be swapped under another meeting's URL.
func (s *Store) MeetingCaseByID(ctx context.Context, meetingID, caseID int64) (MeetingCase, error) {
	rows, _ := s.pool.Query(ctx, meetingCaseSelect+` WHERE mc.id = $1 AND mc.meeting_id = $2`, caseID, meetingID)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[MeetingCase])
	if err != nil {
		return c, notFound(err, "Sagen på dagsordenen")
	}
	return c, nil
}

// MeetingRelation computes the user's seat on a meeting's team in one query.
func (s *Store) MeetingRelation(ctx context.Context, u access.User, meetingID int64) (access.MeetingRelation, error) {
	var rel access.MeetingRelation
	err := s.pool.QueryRow(ctx, `
		SELECT t.unit_id,
		       EXISTS (SELECT 1 FROM rehab_team_members tm WHERE tm.team_id = m.team_id AND tm.user_id = $2),
		       m.chair_id IS NOT DISTINCT FROM $2, m.minute_taker_id IS NOT DISTINCT FROM $2
		FROM meetings m JOIN rehab_teams t ON t.id = m.team_id WHERE m.id = $1`, meetingID, u.ID).
		Scan(&rel.TeamUnitID, &rel.Member, &rel.Chair, &rel.MinuteTaker)
	if err != nil {
		return rel, notFound(err, "Mødet")
	}
	return rel, nil
}

// MeetingListItem is a meeting in a list.
type MeetingListItem struct {
	ID       int64     `db:"id"`
	TeamName string    `db:"team_name"`
	StartsAt time.Time `db:"starts_at"`
	Location string    `db:"location"`
	Cases    int       `db:"cases"`
	Ready    int       `db:"ready"`
	Decided  int       `db:"decided"`
	Member   bool      `db:"member"`
}

// MeetingFilter narrows a meeting list.
type MeetingFilter struct {
	// MemberID limits the list to the teams the user sits on; 0 lists every team's meetings
	// (the jobcenter staff who bring cases to any team).
	MemberID int64
	// ViewerID marks the meetings of teams the viewer sits on.
	ViewerID int64
	// Upcoming lists meetings from From on, soonest first; otherwise those before From,
	// latest first.
	Upcoming bool
	From     time.Time
}

// ListMeetings returns one page of meetings with their case counts, and the total.
func (s *Store) ListMeetings(ctx context.Context, f MeetingFilter, pg Page) ([]MeetingListItem, int, error) {
	pg = pg.normalize()
	var w filters
	if f.MemberID != 0 {
		w.add("m.team_id IN (SELECT team_id FROM rehab_team_members WHERE user_id = $?)", f.MemberID)
	}
	order := `m.starts_at DESC, m.id DESC`
	if f.Upcoming {
		order = `m.starts_at, m.id`
		w.add("m.starts_at >= $?", f.From)
	} else {
		w.add("m.starts_at < $?", f.From)
	}
	rows, _ := s.pool.Query(ctx, `
		WITH page AS (
			SELECT m.id, count(*) OVER () AS total FROM meetings m`+w.where()+`
			ORDER BY `+order+` LIMIT `+w.arg(pg.PerPage)+` OFFSET `+w.arg(pg.offset())+`)
		SELECT m.id, t.name AS team_name, m.starts_at, m.location, p.total,
		       count(mc.id)::int AS cases, count(mc.prepared_at)::int AS ready, count(mc.outcome)::int AS decided,
		       EXISTS (SELECT 1 FROM rehab_team_members tm WHERE tm.team_id = m.team_id AND tm.user_id = `+w.arg(f.ViewerID)+`) AS member
		FROM page p JOIN meetings m ON m.id = p.id JOIN rehab_teams t ON t.id = m.team_id
		LEFT JOIN meeting_cases mc ON mc.meeting_id = m.id AND mc.withdrawn_at IS NULL
		GROUP BY m.id, t.name, p.total ORDER BY `+order, w.args...)
	type row struct {
		MeetingListItem
		Total int `db:"total"`
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, 0, fmt.Errorf("list meetings: %w", err)
	}
	out := make([]MeetingListItem, len(rs))
	total := 0
	for i, r := range rs {
		out[i], total = r.MeetingListItem, r.Total
	}
	return out, total, nil
}

// UpcomingMeeting is a meeting a citizen can be put on (the citizen page's choice).
type UpcomingMeeting struct {
	ID       int64     `db:"id"`
	TeamName string    `db:"team_name"`
	StartsAt time.Time `db:"starts_at"`
}

// UpcomingMeetings returns the first n meetings starting at or after from, earliest first:
// the citizen page's list of meetings to put the citizen on. It is on every page of a
// citizen whose agenda the user may change, so it is kept to what the list needs: an index
// range that stops after n (meetings_starts_idx, migration 0050). ListMeetings's page,
// with its counts per meeting and total, was planned afresh on every call (its generic plan
// could not tell how many meetings lie ahead).
func (s *Store) UpcomingMeetings(ctx context.Context, from time.Time, n int) ([]UpcomingMeeting, error) {
	return upcomingMeetings(from, n).run(ctx, s.pool)
}

// UpcomingMeetings queues Store.UpcomingMeetings.
func (b *Batch) UpcomingMeetings(from time.Time, n int) *Result[[]UpcomingMeeting] {
	return queue(b, upcomingMeetings(from, n))
}

// upcomingMeetings is UpcomingMeetings's read.
func upcomingMeetings(from time.Time, n int) query[[]UpcomingMeeting] {
	return query[[]UpcomingMeeting]{sql: upcomingMeetingsSQL, args: []any{from, n}, read: func(rows pgx.Rows) ([]UpcomingMeeting, error) {
		out, err := pgx.CollectRows(rows, pgx.RowToStructByName[UpcomingMeeting])
		if err != nil {
			return nil, fmt.Errorf("upcoming meetings: %w", err)
		}
		return out, nil
	}}
}

// upcomingMeetingsSQL is UpcomingMeetings's statement ($1 from, $2 how many).
const upcomingMeetingsSQL = `
	SELECT m.id, t.name AS team_name, m.starts_at
	FROM meetings m JOIN rehab_teams t ON t.id = m.team_id
	WHERE m.starts_at >= $1 ORDER BY m.starts_at, m.id LIMIT $2`

// MeetingInput is a new or changed meeting. Chair and minute-taker must be members of the
// team (checked here, in the transaction).
type MeetingInput struct {
	TeamID        int64
	StartsAt      time.Time
	SlotMinutes   int
	Location      string
	ChairID       int64
	MinuteTakerID int64
}

// checkSeats refuses a chair or minute-taker who is not on the team.
func checkSeats(ctx context.Context, tx pgx.Tx, in MeetingInput) error {
	fields := map[string]string{}
	for field, id := range map[string]int64{"chair": in.ChairID, "minute_taker": in.MinuteTakerID} {
		if id == 0 {
			continue
		}
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rehab_team_members WHERE team_id = $1 AND user_id = $2)`,
			in.TeamID, id).Scan(&ok); err != nil {
			return fmt.Errorf("check seat: %w", err)
		}
		if !ok {
			fields[field] = "Vælg et medlem af teamet"
		}
	}
	if len(fields) > 0 {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Mødet kan ikke gemmes", Fields: fields}
	}
	return nil
}

// CreateMeeting schedules a meeting of a team.
func (s *Store) CreateMeeting(ctx context.Context, who Who, in MeetingInput) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkSeats(ctx, tx, in); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO meetings (team_id, starts_at, slot_minutes, location, chair_id, minute_taker_id, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			in.TeamID, in.StartsAt, in.SlotMinutes, in.Location, nullInt(in.ChairID), nullInt(in.MinuteTakerID), who.UserID).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert meeting: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditMeetingCreate, fmt.Sprintf("møde %d %s", id, in.StartsAt.Format(time.DateTime)))
	})
	return id, err
}

// ErrMeetingHeld is UpdateMeeting's refusal to change a meeting that has been held.
var ErrMeetingHeld = &helhed.Error{Code: helhed.EConflict,
	Message: "Mødet er holdt og kan ikke længere flyttes eller ændres. Planlæg et nyt møde, hvis sagerne skal behandles igen."}

// UpdateMeeting moves a meeting or changes its chair and minute-taker, on the version the
// user loaded; a stale version is a conflict. A meeting that has been held
// (helhed.MeetingHeld, checked under the row lock) is history and is not changed at all:
// ErrMeetingHeld.
func (s *Store) UpdateMeeting(ctx context.Context, who Who, id int64, version int, in MeetingInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var startsAt time.Time
		if err := tx.QueryRow(ctx, `SELECT starts_at FROM meetings WHERE id = $1 FOR UPDATE`, id).Scan(&startsAt); err != nil {
			return notFound(err, "Mødet")
		}
		if helhed.MeetingHeld(startsAt, s.Now()) {
			return ErrMeetingHeld
		}
		if err := checkSeats(ctx, tx, in); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE meetings SET starts_at = $3, slot_minutes = $4, location = $5, chair_id = $6,
			       minute_taker_id = $7, version = version + 1
			WHERE id = $1 AND version = $2 AND team_id = $8`,
			id, version, in.StartsAt, in.SlotMinutes, in.Location, nullInt(in.ChairID), nullInt(in.MinuteTakerID), in.TeamID)
		if err != nil {
			return fmt.Errorf("update meeting: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return &helhed.Error{Code: helhed.EConflict, Message: "Mødet er blevet ændret af en anden, mens du havde det åbent."}
		}
		if err := audit(ctx, tx, who, 0, AuditMeetingUpdate, fmt.Sprintf("møde %d", id)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(id))
	})
}

// CitizenMeeting is a meeting that has the citizen on its agenda.
type CitizenMeeting struct {
	MeetingID int64     `db:"meeting_id"`
	CaseID    int64     `db:"case_id"`
	TeamName  string    `db:"team_name"`
	StartsAt  time.Time `db:"starts_at"`
	Question  string    `db:"question"`
	Prepared  bool      `db:"prepared"`
	Outcome   *string   `db:"outcome"`
	// WithdrawnAt: the case was taken off this meeting's agenda (its record is kept).
	WithdrawnAt *time.Time `db:"withdrawn_at"`
	// Decision is the municipality's current decision in the case (an outcome code), if any.
	Decision *string `db:"decision"`
	// AwaitingDecision: the case has an indstilling (since the setting decision_tasks_from)
	// and no decision; HearingOverdue: a partshøring's deadline passed without a reply.
	AwaitingDecision bool `db:"awaiting_decision"`
	HearingOverdue   bool `db:"hearing_overdue"`
}

// CitizenMeetings lists the meetings a citizen is or was on, latest first (a handful at
// most), withdrawn cases included, with each case's decision and tasks on the store's today.
func (s *Store) CitizenMeetings(ctx context.Context, citizenID int64) ([]CitizenMeeting, error) {
	return s.citizenMeetings(citizenID).run(ctx, s.pool)
}

// CitizenMeetings queues Store.CitizenMeetings.
func (b *Batch) CitizenMeetings(citizenID int64) *Result[[]CitizenMeeting] {
	return queue(b, b.s.citizenMeetings(citizenID))
}

// citizenMeetings is CitizenMeetings's read.
func (s *Store) citizenMeetings(citizenID int64) query[[]CitizenMeeting] {
	return query[[]CitizenMeeting]{sql: `
		SELECT m.id AS meeting_id, mc.id AS case_id, t.name AS team_name, m.starts_at, mc.question,
		       mc.prepared_at IS NOT NULL AS prepared, mc.outcome, mc.withdrawn_at, d.outcome AS decision,
		       (mc.outcome IS NOT NULL AND mc.withdrawn_at IS NULL AND mc.recorded_at >= ` + decisionTasksFromSQL("$2::date") + `
		        AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.meeting_case_id = mc.id)) AS awaiting_decision,
		       (mc.withdrawn_at IS NULL AND EXISTS (SELECT 1 FROM hearings h WHERE h.meeting_case_id = mc.id
		                                            AND h.result IS NULL AND h.deadline < $2::date)) AS hearing_overdue
		FROM meeting_cases mc JOIN meetings m ON m.id = mc.meeting_id JOIN rehab_teams t ON t.id = m.team_id
		LEFT JOIN decisions d ON d.meeting_case_id = mc.id AND d.superseded_at IS NULL
		WHERE mc.citizen_id = $1 ORDER BY m.starts_at DESC LIMIT 50`, args: []any{citizenID, helhed.DanishToday(s.Now())},
		read: func(rows pgx.Rows) ([]CitizenMeeting, error) {
			ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[CitizenMeeting])
			if err != nil {
				return nil, fmt.Errorf("citizen meetings: %w", err)
			}
			return ms, nil
		}}
}

// AgendaAccessDays returns the days after a meeting that its members keep access to its cases.
func (s *Store) AgendaAccessDays(ctx context.Context, day time.Time) (int, error) {
	n := defaultAgendaAccessDays
	ok, err := s.setting(ctx, SettingAgendaAccessDays, day, &n)
	if err != nil {
		return 0, err
	}
	if !ok || n < 0 || n > 90 {
		return defaultAgendaAccessDays, nil
	}
	return n, nil
}
