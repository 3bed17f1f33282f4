package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the tasks. A generated task is the case's own bookkeeping and is not
// audited when made or closed by the generator; what a user does with a task is.
const (
	AuditTaskCreate = "task.create"
	AuditTaskDone   = "task.done"
	AuditTaskSnooze = "task.snooze"
	AuditTaskList   = "task.list" // the task list with citizens' names
)

// Task sources: the program's own codes (migration 0030's CHECK).
const (
	TaskManual    = "manuel"
	TaskMentor    = "mentor"
	TaskReferral  = "henvisning"
	TaskFollowUp  = "opfoelgning"
	TaskHearing   = "partshoering"
	TaskSamtale   = "samtale"
	TaskConsent   = "samtykke"
	TaskDecision  = "afgoerelse"
	TaskHandover  = "overdragelse"
	maxTaskTitle  = 300
	maxSnoozeDays = 90
)

// TaskSources lists every source (TestFixedCodesFollowTheDomain checks the CHECK agrees).
var TaskSources = []string{TaskManual, TaskMentor, TaskReferral, TaskFollowUp, TaskHearing, TaskSamtale, TaskConsent, TaskDecision, TaskHandover}

// TaskSourceLabel names a source in Danish.
func TaskSourceLabel(source string) string {
	switch source {
	case TaskManual:
		return "Manuel"
	case TaskMentor:
		return "Mentorforløb"
	case TaskReferral:
		return "Henvisning"
	case TaskFollowUp:
		return "Opfølgning"
	case TaskHearing:
		return "Partshøring"
	case TaskSamtale:
		return "Samtale"
	case TaskConsent:
		return "Samtykke"
	case TaskDecision:
		return "Afgørelse"
	case TaskHandover:
		return "Overdragelse"
	}
	return source
}

// TaskRules say how far ahead each kind of task appears: a mentor period ending within
// MentorDays (the mentor rules' warning window), a referral still unanswered ("sendt") after
// ReferralDays, a follow-up, a partshøring's deadline or a samtale due within their days, a
// consent expiring within ConsentDays.
type TaskRules struct {
	MentorDays, ReferralDays, FollowUpDays, HearingDays, SamtaleDays, ConsentDays int
}

// DefaultTaskRules are Helhed's defaults (docs/architecture.md).
func DefaultTaskRules() TaskRules {
	return TaskRules{MentorDays: 30, ReferralDays: 10, FollowUpDays: 7, HearingDays: 3, SamtaleDays: 14, ConsentDays: 30}
}

// Task is one task as its list shows it.
type Task struct {
	ID            int64      `db:"id"`
	CitizenID     *int64     `db:"citizen_id"`
	CitizenName   *string    `db:"citizen_name"`
	CitizenUnitID *int64     `db:"citizen_unit_id"`
	Source        string     `db:"source"`
	Title         string     `db:"title"`
	Due           time.Time  `db:"due"`
	AssigneeID    *int64     `db:"assignee_id"`
	AssigneeName  *string    `db:"assignee_name"`
	UnitID        int64      `db:"unit_id"`
	SnoozedUntil  *time.Time `db:"snoozed_until"`
	Version       int        `db:"version"`
}

// taskWantSQL selects every task the case asks for now, for the citizens of scope (id,
// caseworker_id, unit_id): $3 today, $4 now, $5.. the rules' days. Each source reuses the
// caseload's own conditions (the partshøring and the indstilling as decisionTaskJoins, the
// samtale as contactJoins).
func taskWantSQL() string {
	return `
	SELECT e_s.id AS citizen_id, 'mentor' AS source, 'effort:' || e.id || ':' || e.end_date AS source_key,
	       'Mentorperioden slutter: vurdér, om støtten skal forlænges (LAB § 167)' AS title, e.end_date AS due
	FROM scope e_s JOIN plans p ON p.citizen_id = e_s.id JOIN plan_efforts e ON e.plan_id = p.id
	WHERE e.mentor AND e.removed_at IS NULL AND e.status NOT IN ('afsluttet', 'afbrudt')
	  AND e.end_date BETWEEN $3::date AND $3::date + $5::int
	UNION ALL
	SELECT r.citizen_id, 'henvisning', 'referral:' || r.id,
	       'Henvisningen er ikke modtaget af tilbuddet: følg op', (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date + $6::int
	FROM scope r_s JOIN referrals r ON r.citizen_id = r_s.id
	WHERE r.state = 'sendt' AND r.created_at < $4::timestamptz - make_interval(days => $6::int)
	UNION ALL
	SELECT c.id, 'opfoelgning', 'followup:' || c.id || ':' || c.next_follow_up, 'Opfølgning på indsatsplanen', c.next_follow_up
	FROM scope f_s JOIN citizens c ON c.id = f_s.id
	WHERE c.next_follow_up <= $3::date + $7::int
	UNION ALL
	SELECT h.citizen_id, 'partshoering', 'hearing:' || h.id, 'Partshøringsfristen udløber: registrér borgerens svar', h.deadline
	FROM scope h_s JOIN hearings h ON h.citizen_id = h_s.id JOIN meeting_cases hm ON hm.id = h.meeting_case_id
	WHERE h.result IS NULL AND hm.withdrawn_at IS NULL AND h.deadline <= $3::date + $8::int
	UNION ALL
	SELECT c.id, 'samtale', 'samtale:' || c.id || ':' || d.due, 'Lovpligtig samtale i kontaktforløbet', d.due
	FROM scope k_s JOIN citizens c ON c.id = k_s.id ` + contactJoins("$3::date") + `
	WHERE d.due <= $3::date + $9::int AND $3::date < w.end_day + ` + fmt.Sprint(OverdueGrace) + `
	UNION ALL
	SELECT co.citizen_id, 'samtykke', 'consent:' || co.id, 'Samtykket udløber: forny det, eller aftal, hvad der så skal ske', co.expires_on
	FROM scope co_s JOIN consents co ON co.citizen_id = co_s.id
	WHERE co.withdrawn_at IS NULL AND co.expires_on BETWEEN $3::date AND $3::date + $10::int
	UNION ALL
	SELECT mc.citizen_id, 'afgoerelse', 'meetingcase:' || mc.id, 'Indstilling uden afgørelse: træf kommunens afgørelse',
	       (mc.recorded_at AT TIME ZONE 'Europe/Copenhagen')::date
	FROM scope m_s JOIN meeting_cases mc ON mc.citizen_id = m_s.id
	WHERE mc.outcome IS NOT NULL AND mc.withdrawn_at IS NULL AND mc.recorded_at >= ` + decisionTasksFromSQL("$3::date") + `
	  AND NOT EXISTS (SELECT 1 FROM decisions dd WHERE dd.meeting_case_id = mc.id)`
}

// syncTasksSQL brings the generated tasks of the open cases that scope selects (a query of
// id, caseworker_id, unit_id from citizens c, with its two arguments $1 and $2) up to date, in one
// statement: a task for every cause the case has now that has none (assigned to the
// citizen's caseworker, or to the unit), and the open generated tasks whose cause is gone
// closed as resolved. A task a user marked done stays done; a handover's task is never
// closed by the generator.
func syncTasksSQL(scope string) string {
	return `
		WITH params AS (SELECT $1::bigint, $2::bigint), -- types the scope's arguments, used or not
		scope AS (` + scope + `),
		want AS (` + taskWantSQL() + `),
		ins AS (
			INSERT INTO tasks (citizen_id, source, source_key, title, due, assignee_id, unit_id, created_at)
			SELECT w.citizen_id, w.source, w.source_key, w.title, w.due, sc.caseworker_id, sc.unit_id, $4::timestamptz
			FROM want w JOIN scope sc ON sc.id = w.citizen_id
			ON CONFLICT (source, source_key) WHERE source <> 'manuel' DO NOTHING)
		UPDATE tasks t SET done_at = $4::timestamptz, resolved = true, version = t.version + 1
		WHERE t.source NOT IN ('manuel', 'overdragelse') AND t.done_at IS NULL AND t.citizen_id IN (SELECT id FROM scope)
		  AND NOT EXISTS (SELECT 1 FROM want w WHERE w.source = t.source AND w.source_key = t.source_key)`
}

// syncTasks runs syncTasksSQL on q for scope with its arguments, on the store's clock.
func (s *Store) syncTasks(ctx context.Context, q interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, scope string, rules TaskRules, arg1, arg2 int64) error {
	if _, err := q.Exec(ctx, syncTasksSQL(scope), arg1, arg2, helhed.DanishToday(s.Now()), s.Now(), rules.MentorDays, rules.ReferralDays,
		rules.FollowUpDays, rules.HearingDays, rules.SamtaleDays, rules.ConsentDays); err != nil {
		return fmt.Errorf("sync tasks: %w", err)
	}
	return nil
}

// SyncTasks brings the generated tasks of a caseworker's open cases (and of the unit's open
// cases without a caseworker) up to date on the store's clock (syncTasksSQL).
func (s *Store) SyncTasks(ctx context.Context, userID, unitID int64, rules TaskRules) error {
	return s.syncTasks(ctx, s.pool, `
		SELECT c.id, c.caseworker_id, c.unit_id FROM citizens c
		WHERE c.closed_at IS NULL AND (c.caseworker_id = $1 OR (c.unit_id = $2 AND c.caseworker_id IS NULL))`, rules, userID, unitID)
}

// SyncCitizenTasks brings one citizen's generated tasks up to date: a few milliseconds, run
// after a change a user expects to see on their list at once (a samtale held).
func (s *Store) SyncCitizenTasks(ctx context.Context, citizenID int64, rules TaskRules) error {
	return s.syncTasks(ctx, s.pool, `
		SELECT c.id, c.caseworker_id, c.unit_id FROM citizens c WHERE c.closed_at IS NULL AND c.id = $1`, rules, citizenID, 0)
}

// taskLock is the advisory lock key that lets one app instance generate the tasks at a time.
const taskLock = 0x68656c6865640030

// SyncAllTasks brings the generated tasks of every open case up to date, in one transaction
// under a transaction-level advisory lock: it returns false without doing anything when
// another instance is generating already. The background job of the server
// (web.Server.GenerateTasks) runs it, so the task list and the header's badge only read.
func (s *Store) SyncAllTasks(ctx context.Context, rules TaskRules) (bool, error) {
	ran := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, int64(taskLock)).Scan(&ran); err != nil {
			return fmt.Errorf("sync all tasks: lock: %w", err)
		}
		if !ran {
			return nil
		}
		return s.syncTasks(ctx, tx, `SELECT c.id, c.caseworker_id, c.unit_id FROM citizens c WHERE c.closed_at IS NULL`, rules, 0, 0)
	})
	return ran, err
}

// taskVisible is the condition that a task (alias t) is the user's ($1) or their unit's ($2)
// to do: assigned to them, or to the unit without a person.
const taskVisible = `(t.assignee_id = $1 OR (t.assignee_id IS NULL AND t.unit_id = $2))`

// ListTasks is one page of the user's open tasks — theirs and their unit's unassigned ones —
// that are not snoozed past today, the earliest due first, and how many there are.
func (s *Store) ListTasks(ctx context.Context, userID, unitID int64, pg Page) ([]Task, int, error) {
	pg = pg.normalize()
	today := helhed.DanishToday(s.Now())
	where := ` WHERE t.done_at IS NULL AND ` + taskVisible + ` AND (t.snoozed_until IS NULL OR t.snoozed_until <= $3)`
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM tasks t`+where, userID, unitID, today).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count tasks: %w", err)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT t.id, t.citizen_id, c.first_name || ' ' || c.last_name AS citizen_name, c.unit_id AS citizen_unit_id,
		       t.source, t.title, t.due, t.assignee_id, a.name AS assignee_name, t.unit_id, t.snoozed_until, t.version
		FROM tasks t LEFT JOIN citizens c ON c.id = t.citizen_id LEFT JOIN users a ON a.id = t.assignee_id`+where+`
		ORDER BY t.due, t.id LIMIT $4 OFFSET $5`, userID, unitID, today, pg.PerPage, pg.offset())
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Task])
	if err != nil {
		return nil, 0, fmt.Errorf("list tasks: %w", err)
	}
	return ts, total, nil
}

// TaskBadge counts the user's open tasks due today or earlier and not snoozed: the number
// beside "Opgaver" in the header (the same count as NavBadges's).
func (s *Store) TaskBadge(ctx context.Context, userID, unitID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT `+taskBadgeSQL("$1", "$2", "$3"), userID, unitID, helhed.DanishToday(s.Now())).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("task badge: %w", err)
	}
	return n, nil
}

// TaskInput is a manual task. AssigneeID 0 gives it to the unit.
type TaskInput struct {
	CitizenID  int64
	Title      string
	Due        time.Time
	AssigneeID int64
}

// CreateTask writes a manual task about the citizen, for a caseworker or leader of the
// citizen's case-holding unit who is active, or for the unit itself (AssigneeID 0); audited.
func (s *Store) CreateTask(ctx context.Context, who Who, in TaskInput) (int64, error) {
	fields := map[string]string{}
	in.Title = strings.TrimSpace(in.Title)
	switch n := len([]rune(in.Title)); {
	case n == 0:
		fields["title"] = "Skal udfyldes"
	case n > maxTaskTitle:
		fields["title"] = fmt.Sprintf("Højst %d tegn", maxTaskTitle)
	}
	if in.Due.IsZero() {
		fields["due"] = "Skal udfyldes"
	}
	if len(fields) > 0 {
		return 0, &helhed.Error{Code: helhed.EInvalid, Message: "Opgaven kan ikke gemmes", Fields: fields}
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var unit int64
		if err := tx.QueryRow(ctx, `SELECT unit_id FROM citizens WHERE id = $1`, in.CitizenID).Scan(&unit); err != nil {
			return notFound(err, "Borgeren")
		}
		var assignee any
		if in.AssigneeID != 0 {
			var ok bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND unit_id = $2 AND disabled_at IS NULL
				AND role IN ('sagsbehandler', 'leder'))`, in.AssigneeID, unit).Scan(&ok); err != nil {
				return fmt.Errorf("task assignee: %w", err)
			}
			if !ok {
				return &helhed.Error{Code: helhed.EInvalid, Message: "Opgaven kan ikke gemmes",
					Fields: map[string]string{"assignee": "Vælg en aktiv medarbejder i borgerens enhed, eller giv opgaven til enheden"}}
			}
			assignee = in.AssigneeID
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO tasks (citizen_id, source, title, due, assignee_id, unit_id, created_by, created_at)
			VALUES ($1, 'manuel', $2, $3, $4, $5, $6, $7) RETURNING id`,
			in.CitizenID, in.Title, in.Due, assignee, unit, who.UserID, s.Now()).Scan(&id); err != nil {
			return fmt.Errorf("create task: %w", err)
		}
		return audit(ctx, tx, who, in.CitizenID, AuditTaskCreate, fmt.Sprintf("opgave %d", id))
	})
	return id, err
}

// changeTask runs a user's change of task id in tx after checking that it is theirs (or their
// unit's), still open and at the version they read; it returns the task's citizen (0: none).
func (s *Store) changeTask(ctx context.Context, who Who, unitID, taskID int64, version int, set string, args []any, action, detail string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var citizen *int64
		var current int
		var done *time.Time
		err := tx.QueryRow(ctx, `SELECT t.citizen_id, t.version, t.done_at FROM tasks t WHERE t.id = $3 AND `+taskVisible+` FOR UPDATE`,
			who.UserID, unitID, taskID).Scan(&citizen, &current, &done)
		if err != nil {
			return notFound(err, "Opgaven")
		}
		switch {
		case done != nil:
			return &helhed.Error{Code: helhed.EConflict, Message: "Opgaven er allerede udført."}
		case current != version:
			return &helhed.Error{Code: helhed.EConflict, Message: "Opgaven er ændret, siden du åbnede listen. Prøv igen."}
		}
		if _, err := tx.Exec(ctx, `UPDATE tasks SET `+set+`, version = version + 1 WHERE id = $1`, append([]any{taskID}, args...)...); err != nil {
			return fmt.Errorf("change task: %w", err)
		}
		var c int64
		if citizen != nil {
			c = *citizen
		}
		return audit(ctx, tx, who, c, action, detail)
	})
}

// CompleteTask marks the user's (or their unit's) open task done, audited.
func (s *Store) CompleteTask(ctx context.Context, who Who, unitID, taskID int64, version int) error {
	return s.changeTask(ctx, who, unitID, taskID, version, `done_at = $2, done_by = $3`, []any{s.Now(), who.UserID},
		AuditTaskDone, fmt.Sprintf("opgave %d udført", taskID))
}

// SnoozeTask hides the task from the list until the day until (after today, at most 90 days
// ahead), audited.
func (s *Store) SnoozeTask(ctx context.Context, who Who, unitID, taskID int64, version int, until time.Time) error {
	today := helhed.DanishToday(s.Now())
	if !until.After(today) || until.After(today.AddDate(0, 0, maxSnoozeDays)) {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Opgaven kan ikke udsættes",
			Fields: map[string]string{"until": fmt.Sprintf("Vælg en dag efter i dag og højst %d dage frem", maxSnoozeDays)}}
	}
	return s.changeTask(ctx, who, unitID, taskID, version, `snoozed_until = $2`, []any{until},
		AuditTaskSnooze, fmt.Sprintf("opgave %d udsat til %s", taskID, until.Format(time.DateOnly)))
}

// TaskAssignee is someone a manual task about a citizen may be given to.
type TaskAssignee struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// TaskAssignees are the active caseworkers and leaders of the unit, by name (at most 500).
func (s *Store) TaskAssignees(ctx context.Context, unitID int64) ([]TaskAssignee, error) {
	rows, _ := s.pool.Query(ctx, `SELECT id, name FROM users WHERE unit_id = $1 AND disabled_at IS NULL
		AND role IN ('sagsbehandler', 'leder') ORDER BY name, id LIMIT 500`, unitID)
	return pgx.CollectRows(rows, pgx.RowToStructByName[TaskAssignee])
}

// TaskFor checks that task id is the user's or their unit's (not found otherwise), before a
// form about it is read.
func (s *Store) TaskFor(ctx context.Context, userID, unitID, taskID int64) error {
	var one int
	if err := s.pool.QueryRow(ctx, `SELECT 1 FROM tasks t WHERE t.id = $3 AND `+taskVisible, userID, unitID, taskID).Scan(&one); err != nil {
		return notFound(err, "Opgaven")
	}
	return nil
}
