package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
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
	        WHERE mc.citizen_id = c.id AND mc.added_at <= $8::timestamptz
	          AND $8::timestamptz < m.starts_at + make_interval(days => COALESCE(
	              (SELECT value::int FROM settings WHERE key = 'agenda_access_days'
	               AND valid_from <= $8::timestamptz::date ORDER BY valid_from DESC LIMIT 1), 7)))`

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

// Team is a rehabiliteringsteam.
type Team struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	UnitID   int64  `db:"unit_id"`
	UnitName string `db:"unit_name"`
	Members  int    `db:"members"`
}

// TeamMember is one member of a team.
type TeamMember struct {
	UserID   int64  `db:"user_id"`
	Name     string `db:"name"`
	UnitName string `db:"unit_name"`
	Role     string `db:"role"`
	Area     string `db:"area"`
}

// ListTeams returns every team with its member count (a municipality has one to a few).
func (s *Store) ListTeams(ctx context.Context) ([]Team, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT t.id, t.name, t.unit_id, u.name AS unit_name,
		       (SELECT count(*) FROM rehab_team_members m WHERE m.team_id = t.id)::int AS members
		FROM rehab_teams t JOIN units u ON u.id = t.unit_id ORDER BY t.name`)
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Team])
	if err != nil {
		return nil, fmt.Errorf("list teams: %w", err)
	}
	return ts, nil
}

// TeamByID returns a team and its members.
func (s *Store) TeamByID(ctx context.Context, id int64) (Team, []TeamMember, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT t.id, t.name, t.unit_id, u.name AS unit_name,
		       (SELECT count(*) FROM rehab_team_members m WHERE m.team_id = t.id)::int AS members
		FROM rehab_teams t JOIN units u ON u.id = t.unit_id WHERE t.id = $1`, id)
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Team])
	if err != nil {
		return t, nil, notFound(err, "Teamet")
	}
	rows, _ = s.pool.Query(ctx, `
		SELECT m.user_id, u.name, n.name AS unit_name, u.role, m.area
		FROM rehab_team_members m JOIN users u ON u.id = m.user_id JOIN units n ON n.id = u.unit_id
		WHERE m.team_id = $1 ORDER BY m.area, u.name`, id)
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[TeamMember])
	if err != nil {
		return t, nil, fmt.Errorf("team members: %w", err)
	}
	return t, ms, nil
}

// CreateTeam makes a team run by unitID. A name in use is a field error on "name".
func (s *Store) CreateTeam(ctx context.Context, who Who, name string, unitID int64) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO rehab_teams (name, unit_id, created_by) VALUES ($1, $2, $3) RETURNING id`,
			name, unitID, nullInt(who.UserID)).Scan(&id)
		if isUniqueViolation(err, "rehab_teams_name_key") {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Teamet kan ikke oprettes",
				Fields: map[string]string{"name": "Der findes allerede et team med det navn"}}
		}
		if err != nil {
			return fmt.Errorf("insert team: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditTeamChange, fmt.Sprintf("team %d oprettet i enhed %d", id, unitID))
	})
	return id, err
}

// SetTeamMember adds a user to a team with the area they represent, or changes the area of a
// member; area "" removes them.
func (s *Store) SetTeamMember(ctx context.Context, who Who, teamID, userID int64, area string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		detail := fmt.Sprintf("team %d: bruger %d ", teamID, userID)
		if area == "" {
			_, err = tx.Exec(ctx, `DELETE FROM rehab_team_members WHERE team_id = $1 AND user_id = $2`, teamID, userID)
			detail += "fjernet"
		} else {
			_, err = tx.Exec(ctx, `
				INSERT INTO rehab_team_members (team_id, user_id, area) VALUES ($1, $2, $3)
				ON CONFLICT (team_id, user_id) DO UPDATE SET area = EXCLUDED.area`, teamID, userID, area)
			detail += "som " + area
		}
		if err != nil {
			return fmt.Errorf("set team member: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditTeamChange, detail)
	})
}

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
	CitizenPresent bool          `db:"citizen_present"`
	Version        int           `db:"version"`
	Cases          []MeetingCase `db:"-"`
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
	Version            int                `db:"version"`
}

const meetingSelect = `
	SELECT m.id, m.team_id, t.name AS team_name, t.unit_id AS team_unit_id, m.starts_at, m.slot_minutes,
	       m.location, m.chair_id, ch.name AS chair_name, m.minute_taker_id, mt.name AS minute_taker_name,
	       m.focus_case_id, m.citizen_present, m.version
	FROM meetings m JOIN rehab_teams t ON t.id = m.team_id
	LEFT JOIN users ch ON ch.id = m.chair_id LEFT JOIN users mt ON mt.id = m.minute_taker_id`

const meetingCaseSelect = `
	SELECT mc.id, mc.meeting_id, mc.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name,
	       c.cpr AS citizen_cpr, c.unit_id AS citizen_unit_id, cw.name AS caseworker_name, mc.position,
	       mc.question, mc.preparation, mc.prepared_at, mc.outcome, mc.reasons, mc.recommended_efforts,
	       rb.name AS recorded_by_name, mc.recorded_at, mc.version
	FROM meeting_cases mc JOIN citizens c ON c.id = mc.citizen_id
	LEFT JOIN users cw ON cw.id = mc.caseworker_id LEFT JOIN users rb ON rb.id = mc.recorded_by`

// MeetingByID returns a meeting with its agenda, in order: two statements in one round trip.
// It does not audit; a handler that shows the agenda's names audits the read.
func (s *Store) MeetingByID(ctx context.Context, id int64) (Meeting, error) {
	var m Meeting
	var err error
	found := false
	b := &pgx.Batch{}
	b.Queue(meetingSelect+` WHERE m.id = $1`, id).Query(func(rows pgx.Rows) error {
		ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[Meeting])
		if len(ms) == 1 {
			m, found = ms[0], true
		}
		return err
	})
	b.Queue(meetingCaseSelect+` WHERE mc.meeting_id = $1 ORDER BY mc.position, mc.id`, id).Query(func(rows pgx.Rows) error {
		m.Cases, err = pgx.CollectRows(rows, pgx.RowToStructByName[MeetingCase])
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
		LEFT JOIN meeting_cases mc ON mc.meeting_id = m.id
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

// RemoveMeetingCase takes a case off the agenda and closes the gap in the order.
func (s *Store) RemoveMeetingCase(ctx context.Context, who Who, meetingID, caseID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		var pos int
		err := tx.QueryRow(ctx, `DELETE FROM meeting_cases WHERE id = $1 AND meeting_id = $2 RETURNING citizen_id, position`,
			caseID, meetingID).Scan(&citizenID, &pos)
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
		if err := audit(ctx, tx, who, citizenID, AuditMeetingCaseRemove, fmt.Sprintf("møde %d", meetingID)); err != nil {
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
			WHERE id = $1 AND meeting_id = $2 AND version = $3 RETURNING citizen_id`,
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

// staleOrMissing tells a stale version (conflict) from a case that is not on the meeting.
func staleOrMissing(ctx context.Context, tx pgx.Tx, err error, caseID, meetingID int64) error {
	var exists bool
	if qerr := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM meeting_cases WHERE id = $1 AND meeting_id = $2)`,
		caseID, meetingID).Scan(&exists); qerr != nil {
		return fmt.Errorf("meeting case: %w", qerr)
	}
	if exists {
		return &helhed.Error{Code: helhed.EConflict, Message: "Sagen er blevet ændret af en anden, mens du havde den åben."}
	}
	return notFound(err, "Sagen på dagsordenen")
}

// SetFocus puts a case of the meeting on the shared screen (caseID 0: none) and tells every
// open board.
func (s *Store) SetFocus(ctx context.Context, who Who, meetingID, caseID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID *int64
		if caseID != 0 {
			var id int64
			if err := tx.QueryRow(ctx, `SELECT citizen_id FROM meeting_cases WHERE id = $1 AND meeting_id = $2`,
				caseID, meetingID).Scan(&id); err != nil {
				return notFound(err, "Sagen på dagsordenen")
			}
			citizenID = &id
		}
		tag, err := tx.Exec(ctx, `UPDATE meetings SET focus_case_id = $2 WHERE id = $1`, meetingID, nullInt(caseID))
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
		WHERE mc.meeting_id = $1`, meetingID, ConsentHealth, ConsentSocial, s.Now())
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

// RecordIndstilling writes the team's indstilling in a case on the version the user loaded.
func (s *Store) RecordIndstilling(ctx context.Context, who Who, meetingID, caseID int64, version int, in helhed.Indstilling) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizenID int64
		err := tx.QueryRow(ctx, `
			UPDATE meeting_cases SET outcome = $4, reasons = $5, recommended_efforts = $6,
			       recorded_by = $7, recorded_at = $8, version = version + 1
			WHERE id = $1 AND meeting_id = $2 AND version = $3 RETURNING citizen_id`,
			caseID, meetingID, version, in.Outcome, in.Reasons, in.RecommendedEfforts, who.UserID, s.Now()).Scan(&citizenID)
		if err != nil {
			return staleOrMissing(ctx, tx, err, caseID, meetingID)
		}
		if err := audit(ctx, tx, who, citizenID, AuditIndstilling, fmt.Sprintf("møde %d: %s", meetingID, in.Outcome)); err != nil {
			return err
		}
		return notify(ctx, tx, MeetingTopic(meetingID))
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
}

// CitizenMeetings lists the meetings a citizen is on, latest first (a handful at most).
func (s *Store) CitizenMeetings(ctx context.Context, citizenID int64) ([]CitizenMeeting, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT m.id AS meeting_id, mc.id AS case_id, t.name AS team_name, m.starts_at, mc.question,
		       mc.prepared_at IS NOT NULL AS prepared, mc.outcome
		FROM meeting_cases mc JOIN meetings m ON m.id = mc.meeting_id JOIN rehab_teams t ON t.id = m.team_id
		WHERE mc.citizen_id = $1 ORDER BY m.starts_at DESC LIMIT 50`, citizenID)
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[CitizenMeeting])
	if err != nil {
		return nil, fmt.Errorf("citizen meetings: %w", err)
	}
	return ms, nil
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
