package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
)

// Plan is a citizen's indsatsplan. Version is the optimistic lock: every change to goals or
// efforts is made on the version the user loaded and saves a new one.
type Plan struct {
	ID           int64     `db:"id"`
	CitizenID    int64     `db:"citizen_id"`
	AssessmentID *int64    `db:"assessment_id"`
	CitizenGoal  string    `db:"citizen_goal"`
	Version      int       `db:"version"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedBy    string    `db:"updated_by_name"`
	UpdatedAt    time.Time `db:"updated_at"`
}

// Goal is one sub-goal of a plan.
type Goal struct {
	ID   int64  `db:"id"`
	Text string `db:"text"`
}

// PlanEffort is one indsats of a plan.
type PlanEffort struct {
	ID                int64      `db:"id"`
	OfferID           *int64     `db:"offer_id"`
	ReferralID        *int64     `db:"referral_id"`
	Title             string     `db:"title"`
	Area              string     `db:"area"`
	Status            string     `db:"status"`
	ResponsibleUnitID int64      `db:"responsible_unit_id"`
	ResponsibleUnit   string     `db:"responsible_unit"`
	ResponsibleKind   string     `db:"responsible_unit_kind"`
	ResponsiblePerson string     `db:"responsible_person"`
	Contact           string     `db:"contact"`
	StartDate         time.Time  `db:"start_date"`
	EndDate           *time.Time `db:"end_date"`
	Mentor            bool       `db:"mentor"`
	MentorDischarge   *time.Time `db:"mentor_discharge"`
	MentorRenewed     bool       `db:"mentor_renewed"`
}

// Row classifies the effort (access.EffortRow): a health effort is health data outside the
// case-holding unit, and the responsible unit sees it as its own.
func (e PlanEffort) Row() access.Row {
	return access.EffortRow(e.Area, e.ResponsibleUnitID, e.ResponsibleKind)
}

// MentorPeriod is the effort as a mentor period for the LAB § 167 rules.
func (e PlanEffort) MentorPeriod() helhed.MentorPeriod {
	p := helhed.MentorPeriod{Start: e.StartDate, Discharge: e.MentorDischarge, RenewedAfterAssessment: e.MentorRenewed}
	if e.EndDate != nil {
		p.End = *e.EndDate
	}
	return p
}

// FollowUp is one opfølgning: a dated note and progression scores per goal (1–10).
type FollowUp struct {
	ID        int64           `db:"id"`
	HeldOn    time.Time       `db:"held_on"`
	Note      string          `db:"note"`
	By        string          `db:"by_name"`
	CreatedAt time.Time       `db:"created_at"`
	Scores    map[int64]int   `db:"-"`
	RawScores json.RawMessage `db:"scores"`
}

// PlanVersion is one saved version of a plan.
type PlanVersion struct {
	Version int       `db:"version"`
	Summary string    `db:"summary"`
	SavedBy string    `db:"saved_by_name"`
	SavedAt time.Time `db:"saved_at"`
}

// PlanView is everything the plan page shows.
type PlanView struct {
	Plan
	Goals        []Goal
	Efforts      []PlanEffort
	FollowUps    []FollowUp // oldest first
	Versions     []PlanVersion
	NextFollowUp *time.Time
}

// GoalInput is one sub-goal as saved from the plan form; ID 0 is a new goal.
type GoalInput struct {
	ID   int64
	Text string
}

// EffortInput is an effort as saved from the effort form. The responsible unit is checked
// by the handler against the list it offered.
type EffortInput struct {
	OfferID           *int64
	Title             string
	Area              string
	Status            string
	ResponsibleUnitID int64
	ResponsiblePerson string
	Contact           string
	StartDate         time.Time
	EndDate           *time.Time
	Mentor            bool
	MentorDischarge   *time.Time
	MentorRenewed     bool
}

const effortSelect = `
	SELECT e.id, e.offer_id, e.referral_id, e.title, e.area, e.status, e.responsible_unit_id,
	       n.name AS responsible_unit, n.kind AS responsible_unit_kind, e.responsible_person, e.contact, e.start_date, e.end_date,
	       e.mentor, e.mentor_discharge, e.mentor_renewed
	FROM plan_efforts e JOIN units n ON n.id = e.responsible_unit_id
	WHERE e.plan_id = $1 AND e.removed_at IS NULL
	ORDER BY e.start_date, e.id`

// thePlan is the citizen's plan's id, for statements that are queued with the plan's own.
const thePlan = `(SELECT id FROM plans WHERE citizen_id = $1)`

// planEffortsSelect is effortSelect for the plan of citizen $1.
var planEffortsSelect = strings.Replace(effortSelect, "e.plan_id = $1", "e.plan_id = "+thePlan, 1)

// loadPlan reads the citizen's plan with goals, efforts, follow-ups and versions: one
// batch, one round trip, each statement finding the plan by the citizen (one index look-up),
// so none waits for another's answer. No plan is ErrNotFound. q is a transaction or, for a
// read alone, the pool: a batch runs as one implicit transaction.
func loadPlan(ctx context.Context, q interface {
	SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
}, citizenID int64) (PlanView, error) {
	b := &pgx.Batch{}
	done := queuePlan(b, citizenID)
	if err := q.SendBatch(ctx, b).Close(); err != nil {
		return PlanView{}, fmt.Errorf("load plan: %w", err)
	}
	return done()
}

// queuePlan queues loadPlan's statements in b; done, called once b was sent, gives the plan.
func queuePlan(b *pgx.Batch, citizenID int64) (done func() (PlanView, error)) {
	var v PlanView
	var err error
	// A citizen without a plan is the common case, not an error of the batch: pgx forgets
	// every prepared statement of a batch that ends in an error, and PostgreSQL then planned
	// the six statements afresh on every citizen page (pg_stat_statements: 6 600 plans for
	// 7 500 calls). The missing plan is noted and reported after the batch.
	var plans []Plan
	b.Queue(`
		SELECT p.id, p.citizen_id, p.assessment_id, p.citizen_goal, p.version, p.created_at,
		       u.name AS updated_by_name, p.updated_at
		FROM plans p JOIN users u ON u.id = p.updated_by WHERE p.citizen_id = $1`, citizenID).Query(func(rows pgx.Rows) error {
		plans, err = pgx.CollectRows(rows, pgx.RowToStructByName[Plan])
		return err
	})
	b.Queue(`SELECT id, text FROM plan_goals WHERE plan_id = `+thePlan+` AND removed_at IS NULL ORDER BY sort_order, id`, citizenID).
		Query(func(rows pgx.Rows) error {
			v.Goals, err = pgx.CollectRows(rows, pgx.RowToStructByName[Goal])
			return err
		})
	b.Queue(planEffortsSelect, citizenID).Query(func(rows pgx.Rows) error {
		v.Efforts, err = pgx.CollectRows(rows, pgx.RowToStructByName[PlanEffort])
		return err
	})
	b.Queue(`
		SELECT f.id, f.held_on, f.note, u.name AS by_name, f.created_at,
		       COALESCE((SELECT jsonb_object_agg(s.goal_id::text, s.score) FROM follow_up_scores s
		                 WHERE s.follow_up_id = f.id), '{}'::jsonb) AS scores
		FROM follow_ups f JOIN users u ON u.id = f.created_by
		WHERE f.plan_id = `+thePlan+` ORDER BY f.held_on, f.id`, citizenID).Query(func(rows pgx.Rows) error {
		v.FollowUps, err = pgx.CollectRows(rows, pgx.RowToStructByName[FollowUp])
		return err
	})
	b.Queue(`
		SELECT v.version, v.summary, u.name AS saved_by_name, v.saved_at
		FROM plan_versions v JOIN users u ON u.id = v.saved_by
		WHERE v.plan_id = `+thePlan+` ORDER BY v.version DESC LIMIT 200`, citizenID).Query(func(rows pgx.Rows) error {
		v.Versions, err = pgx.CollectRows(rows, pgx.RowToStructByName[PlanVersion])
		return err
	})
	b.Queue(`SELECT next_follow_up FROM citizens WHERE id = $1`, citizenID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&v.NextFollowUp)
	})
	return func() (PlanView, error) {
		if len(plans) != 1 { // one at most: plans_citizen_idx is unique
			return v, notFound(pgx.ErrNoRows, "Indsatsplanen")
		}
		v.Plan = plans[0]
		for i := range v.FollowUps {
			f := &v.FollowUps[i]
			var m map[string]int
			if err := json.Unmarshal(f.RawScores, &m); err != nil {
				return v, fmt.Errorf("follow-up scores: %w", err)
			}
			f.Scores = make(map[int64]int, len(m))
			for k, n := range m {
				var id int64
				fmt.Sscan(k, &id)
				f.Scores[id] = n
			}
		}
		return v, nil
	}
}

// ViewPlan loads the citizen's plan and audits the read; what names the view ("plan",
// "udskrift", "pdf") so exports show in the log as exports.
func (s *Store) ViewPlan(ctx context.Context, who Who, citizenID int64, what string) (PlanView, error) {
	var v PlanView
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// A plan made before referrals were pulled in at creation gets them now, once.
		if err := pullInEarlierReferrals(ctx, tx, who, citizenID); err != nil {
			return err
		}
		// The plan and the audit row of its read in one round trip; a missing plan rolls
		// the row back with the rest.
		b := &pgx.Batch{}
		done := queuePlan(b, citizenID)
		b.Queue(auditInsert, nullInt(who.UserID), nullInt(citizenID), auditAction(who, "plan.view"), what, who.RequestID)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("load plan: %w", err)
		}
		var err error
		v, err = done()
		return err
	})
	return v, err
}

// PlanForOverview loads the plan for the citizen page, whose read is audited by
// ViewCitizen; ok is false when the citizen has no plan.
func (s *Store) PlanForOverview(ctx context.Context, citizenID int64) (v PlanView, ok bool, err error) {
	v, err = loadPlan(ctx, s.pool, citizenID) // one batch: no transaction of its own needed
	return planFound(v, err)
}

// PlanForOverview queues Store.PlanForOverview: its statements join the batch's.
func (b *Batch) PlanForOverview(citizenID int64) *Result[Maybe[PlanView]] {
	done := queuePlan(&b.b, citizenID)
	r := &Result[Maybe[PlanView]]{}
	b.after = append(b.after, func() error {
		v, ok, err := planFound(done())
		if err == nil {
			r.fill(Maybe[PlanView]{Value: v, OK: ok})
		}
		return err
	})
	return r
}

// planFound is loadPlan's answer with a missing plan as ok false rather than an error.
func planFound(v PlanView, err error) (PlanView, bool, error) {
	if helhed.ErrorCode(err) == helhed.ENotFound {
		return v, false, nil
	}
	return v, err == nil, err
}

// createPlan inserts the citizen's plan as version 1 with its goals, and sets the first
// follow-up due date.
func createPlan(ctx context.Context, tx pgx.Tx, who Who, citizenID int64, assessmentID *int64, citizenGoal string, goals []string, today time.Time, followUpMonths int) error {
	var planID int64
	err := tx.QueryRow(ctx, `
		INSERT INTO plans (citizen_id, assessment_id, citizen_goal, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`, citizenID, assessmentID, citizenGoal, who.UserID).Scan(&planID)
	if isUniqueViolation(err, "plans_citizen_idx") {
		return &helhed.Error{Code: helhed.EConflict, Message: "Borgeren har allerede en indsatsplan"}
	}
	if err != nil {
		return fmt.Errorf("insert plan: %w", err)
	}
	for i, g := range goals {
		if _, err := tx.Exec(ctx, `INSERT INTO plan_goals (plan_id, text, sort_order) VALUES ($1, $2, $3)`, planID, g, i); err != nil {
			return fmt.Errorf("insert goal: %w", err)
		}
	}
	next := helhed.NextFollowUp(today, followUpMonths)
	if _, err := tx.Exec(ctx, `UPDATE citizens SET next_follow_up = $2 WHERE id = $1`, citizenID, next); err != nil {
		return fmt.Errorf("set next follow-up: %w", err)
	}
	summary := "Planen er oprettet"
	if assessmentID != nil {
		summary = "Planen er oprettet fra den afsluttede TFA"
	}
	// The referrals made before the plan become its efforts, in version 1 (effortlink.go).
	pulled, err := pullInReferrals(ctx, tx, planID, false)
	if err != nil {
		return err
	}
	detail := summary
	if len(pulled) > 0 {
		summary += ". " + pulledInSummary(pulled)
		detail += ", " + pulledInAudit(pulled)
	}
	if err := recordVersion(ctx, tx, who, planID, 1, summary); err != nil {
		return err
	}
	return audit(ctx, tx, who, citizenID, "plan.create", detail)
}

// CreatePlan opens an empty plan for a citizen without one (a plan does not need a TFA).
func (s *Store) CreatePlan(ctx context.Context, who Who, citizenID int64, today time.Time, followUpMonths int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		return createPlan(ctx, tx, who, citizenID, nil, "", nil, today, followUpMonths)
	})
}

// ErrPlanConflict is returned when the plan was saved by someone else since it was loaded.
var ErrPlanConflict = &helhed.Error{Code: helhed.EConflict,
	Message: "Indsatsplanen er gemt af en anden, siden du åbnede den. Din ændring er ikke gemt endnu."}

// bumpPlan takes the citizen's plan from version to version+1, or fails with
// ErrPlanConflict if it is no longer at version. The UPDATE's row lock makes a concurrent
// save wait and then see the new version.
func bumpPlan(ctx context.Context, tx pgx.Tx, who Who, citizenID int64, version int) (planID int64, next int, err error) {
	err = tx.QueryRow(ctx, `
		UPDATE plans SET version = version + 1, updated_by = $3, updated_at = now()
		WHERE citizen_id = $1 AND version = $2 RETURNING id, version`, citizenID, version, who.UserID).Scan(&planID, &next)
	if errors.Is(err, pgx.ErrNoRows) {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM plans WHERE citizen_id = $1)`, citizenID).Scan(&exists); err != nil {
			return 0, 0, fmt.Errorf("find plan: %w", err)
		}
		if !exists {
			return 0, 0, notFound(pgx.ErrNoRows, "Indsatsplanen")
		}
		return 0, 0, ErrPlanConflict
	}
	if err != nil {
		return 0, 0, fmt.Errorf("lock plan: %w", err)
	}
	return planID, next, nil
}

// recordVersion saves the snapshot of the plan as it now stands as version, with labels as
// they read today.
func recordVersion(ctx context.Context, tx pgx.Tx, who Who, planID int64, version int, summary string) error {
	var snap helhed.PlanSnapshot
	if err := tx.QueryRow(ctx, `SELECT citizen_goal FROM plans WHERE id = $1`, planID).Scan(&snap.CitizenGoal); err != nil {
		return fmt.Errorf("snapshot plan: %w", err)
	}
	rows, _ := tx.Query(ctx, `SELECT id, text FROM plan_goals WHERE plan_id = $1 AND removed_at IS NULL ORDER BY sort_order, id`, planID)
	goals, err := pgx.CollectRows(rows, pgx.RowToStructByName[Goal])
	if err != nil {
		return fmt.Errorf("snapshot goals: %w", err)
	}
	snap.Goals = make([]helhed.SnapGoal, len(goals))
	for i, g := range goals {
		snap.Goals[i] = helhed.SnapGoal{ID: g.ID, Text: g.Text}
	}
	rows, _ = tx.Query(ctx, `
		SELECT e.id, e.title, COALESCE(a.label, e.area) AS area, COALESCE(st.label, e.status) AS status,
		       n.name AS unit, e.responsible_person AS person, to_char(e.start_date, 'DD.MM.YYYY') AS start,
		       COALESCE(to_char(e.end_date, 'DD.MM.YYYY'), '') AS "end", e.mentor,
		       e.area AS area_code, e.responsible_unit_id AS unit_id, n.kind AS unit_kind
		FROM plan_efforts e JOIN units n ON n.id = e.responsible_unit_id
		LEFT JOIN ref_values a ON a.kind = 'effort_area' AND a.code = e.area
		LEFT JOIN ref_values st ON st.kind = 'effort_status' AND st.code = e.status
		WHERE e.plan_id = $1 AND e.removed_at IS NULL ORDER BY e.start_date, e.id`, planID)
	snap.Efforts, err = pgx.CollectRows(rows, pgx.RowToStructByPos[helhed.SnapEffort])
	if err != nil {
		return fmt.Errorf("snapshot efforts: %w", err)
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO plan_versions (plan_id, version, snapshot, summary, saved_by) VALUES ($1, $2, $3, $4, $5)`,
		planID, version, raw, summary, who.UserID); err != nil {
		return fmt.Errorf("insert plan version: %w", err)
	}
	return nil
}

// SavePlanGoals saves the citizen's goal and the sub-goals as edited on version. Goals are
// matched by id (an id of another plan is not found); a goal left out is removed from the
// plan but keeps its progression history.
func (s *Store) SavePlanGoals(ctx context.Context, who Who, citizenID int64, version int, citizenGoal string, goals []GoalInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		planID, next, err := bumpPlan(ctx, tx, who, citizenID, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE plans SET citizen_goal = $2 WHERE id = $1`, planID, citizenGoal); err != nil {
			return fmt.Errorf("save citizen goal: %w", err)
		}
		keep := []int64{}
		for i, g := range goals {
			if g.ID == 0 {
				var id int64
				if err := tx.QueryRow(ctx, `INSERT INTO plan_goals (plan_id, text, sort_order) VALUES ($1, $2, $3) RETURNING id`,
					planID, g.Text, i).Scan(&id); err != nil {
					return fmt.Errorf("insert goal: %w", err)
				}
				keep = append(keep, id)
				continue
			}
			tag, err := tx.Exec(ctx, `UPDATE plan_goals SET text = $3, sort_order = $4 WHERE id = $1 AND plan_id = $2 AND removed_at IS NULL`,
				g.ID, planID, g.Text, i)
			if err != nil {
				return fmt.Errorf("update goal: %w", err)
			}
			if tag.RowsAffected() == 0 {
				return notFound(pgx.ErrNoRows, "Delmålet")
			}
			keep = append(keep, g.ID)
		}
		if _, err := tx.Exec(ctx, `UPDATE plan_goals SET removed_at = now() WHERE plan_id = $1 AND removed_at IS NULL AND NOT (id = ANY($2))`,
			planID, keep); err != nil {
			return fmt.Errorf("remove goals: %w", err)
		}
		if err := recordVersion(ctx, tx, who, planID, next, "Mål ændret"); err != nil {
			return err
		}
		return audit(ctx, tx, who, citizenID, "plan.update", fmt.Sprintf("plan version %d: mål ændret", next))
	})
}

// SaveEffort adds an effort (effortID 0) or changes one of the citizen's plan as loaded at
// version. An effort id of another plan is not found. The status and offer of an effort sent
// as a referral are the referral's (effortlink.go): the form cannot change them.
func (s *Store) SaveEffort(ctx context.Context, who Who, citizenID int64, version int, effortID int64, in EffortInput) (int64, error) {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		planID, next, err := bumpPlan(ctx, tx, who, citizenID, version)
		if err != nil {
			return err
		}
		args := []any{planID, in.OfferID, in.Title, in.Area, in.Status, in.ResponsibleUnitID, in.ResponsiblePerson, in.Contact,
			in.StartDate, in.EndDate, in.Mentor, in.MentorDischarge, in.MentorRenewed}
		summary, change := "Indsats tilføjet: "+in.Title, "tilføjet"
		if effortID == 0 {
			err = tx.QueryRow(ctx, `
				INSERT INTO plan_efforts (plan_id, offer_id, title, area, status, responsible_unit_id, responsible_person,
				                          contact, start_date, end_date, mentor, mentor_discharge, mentor_renewed)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`, args...).Scan(&effortID)
		} else {
			summary, change = "Indsats ændret: "+in.Title, "ændret"
			err = tx.QueryRow(ctx, `
				UPDATE plan_efforts SET offer_id = CASE WHEN referral_id IS NULL THEN $2 ELSE offer_id END, title = $3, area = $4,
				       status = CASE WHEN referral_id IS NULL THEN $5 ELSE status END, responsible_unit_id = $6,
				       responsible_person = $7, contact = $8, start_date = $9, end_date = $10, mentor = $11,
				       mentor_discharge = $12, mentor_renewed = $13
				WHERE id = $14 AND plan_id = $1 AND removed_at IS NULL RETURNING id`, append(args, effortID)...).Scan(&effortID)
		}
		if err != nil {
			return notFound(err, "Indsatsen")
		}
		if err := recordVersion(ctx, tx, who, planID, next, summary); err != nil {
			return err
		}
		// The version keeps the effort's title for the plan's history; the audit log, which
		// outlives the case, only its id.
		return audit(ctx, tx, who, citizenID, "plan.update", fmt.Sprintf("plan version %d: indsats %d %s", next, effortID, change))
	})
	return effortID, err
}

// AddFollowUp records a follow-up on the citizen's plan with progression scores per goal
// (goal ids of another plan are not found), and moves the next follow-up due date.
func (s *Store) AddFollowUp(ctx context.Context, who Who, citizenID int64, heldOn time.Time, note string, scores map[int64]int, followUpMonths int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var planID int64
		if err := tx.QueryRow(ctx, `SELECT id FROM plans WHERE citizen_id = $1`, citizenID).Scan(&planID); err != nil {
			return notFound(err, "Indsatsplanen")
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO follow_ups (plan_id, held_on, note, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
			planID, heldOn, note, who.UserID).Scan(&id); err != nil {
			return fmt.Errorf("insert follow-up: %w", err)
		}
		for goalID, score := range scores {
			tag, err := tx.Exec(ctx, `
				INSERT INTO follow_up_scores (follow_up_id, goal_id, score)
				SELECT $1, g.id, $3 FROM plan_goals g WHERE g.id = $2 AND g.plan_id = $4`, id, goalID, score, planID)
			if err != nil {
				return fmt.Errorf("insert score: %w", err)
			}
			if tag.RowsAffected() == 0 {
				return notFound(pgx.ErrNoRows, "Delmålet")
			}
		}
		var last time.Time
		if err := tx.QueryRow(ctx, `SELECT max(held_on) FROM follow_ups WHERE plan_id = $1`, planID).Scan(&last); err != nil {
			return fmt.Errorf("last follow-up: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE citizens SET next_follow_up = $2 WHERE id = $1`,
			citizenID, helhed.NextFollowUp(last, followUpMonths)); err != nil {
			return fmt.Errorf("set next follow-up: %w", err)
		}
		return audit(ctx, tx, who, citizenID, "plan.follow_up", fmt.Sprintf("opfølgning %s", heldOn.Format(time.DateOnly)))
	})
}

// PlanVersionPair loads two saved versions of the citizen's plan for comparison and audits
// the read.
func (s *Store) PlanVersionPair(ctx context.Context, who Who, citizenID int64, a, b int) (va, vb helhed.PlanSnapshot, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT v.version, v.snapshot FROM plan_versions v JOIN plans p ON p.id = v.plan_id
			WHERE p.citizen_id = $1 AND v.version IN ($2, $3)`, citizenID, a, b)
		got := map[int]helhed.PlanSnapshot{}
		var version int
		var raw []byte
		_, err := pgx.ForEachRow(rows, []any{&version, &raw}, func() error {
			var snap helhed.PlanSnapshot
			if err := json.Unmarshal(raw, &snap); err != nil {
				return err
			}
			got[version] = snap
			return nil
		})
		if err != nil {
			return fmt.Errorf("plan versions: %w", err)
		}
		var okA, okB bool
		va, okA = got[a]
		vb, okB = got[b]
		if !okA || !okB {
			return helhed.ErrNotFound
		}
		return audit(ctx, tx, who, citizenID, "plan.view", fmt.Sprintf("versioner %d og %d sammenlignet", a, b))
	})
	return va, vb, err
}
