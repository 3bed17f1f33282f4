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

// Assessment is one version of a citizen's tværfaglige funktionsevneanalyse (TFA). Tracks is
// health data: it is empty when loaded for a reader without health access.
type Assessment struct {
	ID           int64                            `db:"id"`
	CitizenID    int64                            `db:"citizen_id"`
	Number       int                              `db:"number"`
	ConcludedAt  *time.Time                       `db:"concluded_at"`
	ConcludedBy  *string                          `db:"concluded_by_name"`
	Tracks       map[string]helhed.TrackAnswer    `db:"tracks"`
	Resources    map[string]helhed.ResourceAnswer `db:"resources"`
	CitizenGoals string                           `db:"citizen_goals"`
	Conclusion   string                           `db:"conclusion"`
	Version      int                              `db:"version"`
	CreatedBy    string                           `db:"created_by_name"`
	CreatedAt    time.Time                        `db:"created_at"`
	UpdatedBy    string                           `db:"updated_by_name"`
	UpdatedAt    time.Time                        `db:"updated_at"`
	Participants []Participant                    `db:"-"`
	// Sections: who wrote each section last, and its version, by section code.
	Sections    map[string]SectionInfo `db:"-"`
	Conferences []Conference           `db:"-"`
}

// Draft reports whether the TFA may still be edited.
func (a Assessment) Draft() bool { return a.ConcludedAt == nil }

// ParticipantUnitKinds are the unit kinds of the participants, for helhed.ValidateConclusion.
func (a Assessment) ParticipantUnitKinds() []string {
	out := make([]string, len(a.Participants))
	for i, p := range a.Participants {
		out[i] = p.UnitKind
	}
	return out
}

// Participant is one professional who took part in a TFA, with the unit they took part for.
type Participant struct {
	UserID     int64  `db:"user_id"`
	Name       string `db:"name"`
	UnitID     int64  `db:"unit_id"`
	UnitName   string `db:"unit_name"`
	UnitKind   string `db:"unit_kind"`
	Profession string `db:"profession"`
}

// AssessmentInput is what the TFA form saves.
type AssessmentInput struct {
	Tracks       map[string]helhed.TrackAnswer
	Resources    map[string]helhed.ResourceAnswer
	CitizenGoals string
	Conclusion   string
}

// AssessmentSummary is a TFA version in a list.
type AssessmentSummary struct {
	ID          int64      `db:"id"`
	Number      int        `db:"number"`
	ConcludedAt *time.Time `db:"concluded_at"`
	UpdatedAt   time.Time  `db:"updated_at"`
	UpdatedBy   string     `db:"updated_by_name"`
}

// assessmentSelect loads a TFA; $3 says whether the health tracks may be read.
const assessmentSelect = `
	SELECT a.id, a.citizen_id, a.number, a.concluded_at, cb.name AS concluded_by_name,
	       CASE WHEN $3::bool THEN a.tracks ELSE '{}'::jsonb END AS tracks,
	       a.resources, a.citizen_goals, a.conclusion, a.version,
	       c.name AS created_by_name, a.created_at, u.name AS updated_by_name, a.updated_at
	FROM assessments a
	JOIN users c ON c.id = a.created_by JOIN users u ON u.id = a.updated_by
	LEFT JOIN users cb ON cb.id = a.concluded_by
	WHERE a.id = $1 AND a.citizen_id = $2`

// ListAssessments returns every TFA version of a citizen, newest first (a handful at most).
func (s *Store) ListAssessments(ctx context.Context, citizenID int64) ([]AssessmentSummary, error) {
	return listAssessments(citizenID).run(ctx, s.pool)
}

// ListAssessments queues Store.ListAssessments.
func (b *Batch) ListAssessments(citizenID int64) *Result[[]AssessmentSummary] {
	return queue(b, listAssessments(citizenID))
}

// listAssessments is ListAssessments's read.
func listAssessments(citizenID int64) query[[]AssessmentSummary] {
	return query[[]AssessmentSummary]{sql: `
		SELECT a.id, a.number, a.concluded_at, a.updated_at, u.name AS updated_by_name
		FROM assessments a JOIN users u ON u.id = a.updated_by
		WHERE a.citizen_id = $1 ORDER BY a.number DESC`, args: []any{citizenID},
		read: func(rows pgx.Rows) ([]AssessmentSummary, error) {
			out, err := pgx.CollectRows(rows, pgx.RowToStructByName[AssessmentSummary])
			if err != nil {
				return nil, fmt.Errorf("list assessments: %w", err)
			}
			return out, nil
		}}
}

// ViewAssessment loads one TFA of the citizen with its participants and audits the read. An
// id of another citizen's TFA is not found. withHealth false leaves the health tracks unread.
func (s *Store) ViewAssessment(ctx context.Context, who Who, citizenID, id int64, withHealth bool) (Assessment, error) {
	var a Assessment
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if a, err = loadAssessment(ctx, tx, citizenID, id, withHealth); err != nil {
			return err
		}
		detail := fmt.Sprintf("TFA version %d", a.Number)
		if !withHealth {
			detail += " (uden helbredsspor: intet samtykke)"
		}
		return audit(ctx, tx, who, citizenID, "assessment.view", detail)
	})
	return a, err
}

func loadAssessment(ctx context.Context, tx pgx.Tx, citizenID, id int64, withHealth bool) (Assessment, error) {
	rows, _ := tx.Query(ctx, assessmentSelect, id, citizenID, withHealth)
	a, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Assessment])
	if err != nil {
		return Assessment{}, notFound(err, "TFA'en")
	}
	rows, _ = tx.Query(ctx, `
		SELECT p.user_id, u.name, p.unit_id, n.name AS unit_name, p.unit_kind, p.profession
		FROM assessment_participants p JOIN users u ON u.id = p.user_id JOIN units n ON n.id = p.unit_id
		WHERE p.assessment_id = $1 ORDER BY p.added_at, u.name`, id)
	a.Participants, err = pgx.CollectRows(rows, pgx.RowToStructByName[Participant])
	if err != nil {
		return Assessment{}, fmt.Errorf("assessment participants: %w", err)
	}
	if a.Sections, err = loadSections(ctx, tx, id); err != nil {
		return Assessment{}, err
	}
	if a.Conferences, err = loadConferences(ctx, tx, id); err != nil {
		return Assessment{}, err
	}
	return a, nil
}

// StartAssessment returns the citizen's TFA draft, creating it when there is none: "Ny
// version" of a concluded TFA copies it (answers and participants) into a draft numbered
// one higher; the first TFA starts empty with the user as a participant.
func (s *Store) StartAssessment(ctx context.Context, who Who, citizenID int64, profession string) (id int64, created bool, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Lock the citizen row so two "Ny version" clicks cannot both copy.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM citizens WHERE id = $1 FOR UPDATE`, citizenID); err != nil {
			return fmt.Errorf("lock citizen: %w", err)
		}
		err := tx.QueryRow(ctx, `SELECT id FROM assessments WHERE citizen_id = $1 AND concluded_at IS NULL`, citizenID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find draft: %w", err)
		}
		var prev *int64
		var number int
		if err := tx.QueryRow(ctx, `
			SELECT (SELECT id FROM assessments WHERE citizen_id = $1 ORDER BY number DESC LIMIT 1),
			       COALESCE((SELECT max(number) FROM assessments WHERE citizen_id = $1), 0) + 1`, citizenID).Scan(&prev, &number); err != nil {
			return fmt.Errorf("next assessment number: %w", err)
		}
		created = true
		if prev == nil {
			if err := tx.QueryRow(ctx, `
				INSERT INTO assessments (citizen_id, number, created_by, updated_by) VALUES ($1, 1, $2, $2) RETURNING id`,
				citizenID, who.UserID).Scan(&id); err != nil {
				return fmt.Errorf("insert assessment: %w", err)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO assessment_participants (assessment_id, user_id, unit_id, unit_kind, profession)
				SELECT $1, u.id, u.unit_id, n.kind, $3 FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = $2`,
				id, who.UserID, profession); err != nil {
				return fmt.Errorf("add author as participant: %w", err)
			}
			return audit(ctx, tx, who, citizenID, "assessment.create", "TFA version 1 oprettet")
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO assessments (citizen_id, number, tracks, resources, citizen_goals, conclusion, created_by, updated_by)
			SELECT citizen_id, $2, tracks, resources, citizen_goals, conclusion, $3, $3 FROM assessments WHERE id = $1
			RETURNING id`, *prev, number, who.UserID).Scan(&id); err != nil {
			return fmt.Errorf("copy assessment: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO assessment_participants (assessment_id, user_id, unit_id, unit_kind, profession)
			SELECT $1, user_id, unit_id, unit_kind, profession FROM assessment_participants WHERE assessment_id = $2`,
			id, *prev); err != nil {
			return fmt.Errorf("copy participants: %w", err)
		}
		// The copied text keeps who wrote each section and when.
		if _, err := tx.Exec(ctx, `
			INSERT INTO assessment_sections (assessment_id, section, updated_by, updated_at)
			SELECT $1, section, updated_by, updated_at FROM assessment_sections WHERE assessment_id = $2`,
			id, *prev); err != nil {
			return fmt.Errorf("copy sections: %w", err)
		}
		return audit(ctx, tx, who, citizenID, "assessment.create", fmt.Sprintf("TFA version %d oprettet som kopi", number))
	})
	return id, created, err
}

// draftConflict explains why an update of a draft changed nothing: it is gone, concluded, or
// saved by someone else since the form was opened.
func draftConflict(ctx context.Context, tx pgx.Tx, citizenID, id int64) error {
	var concluded bool
	err := tx.QueryRow(ctx, `SELECT concluded_at IS NOT NULL FROM assessments WHERE id = $1 AND citizen_id = $2`, id, citizenID).Scan(&concluded)
	if err != nil {
		return notFound(err, "TFA'en")
	}
	if concluded {
		return &helhed.Error{Code: helhed.EConflict, Message: "TFA'en er afsluttet og kan ikke ændres. Opret en ny version for at ændre den."}
	}
	return &helhed.Error{Code: helhed.EConflict, Message: "TFA'en er gemt af en anden, siden du åbnede den. Din tekst er ikke gemt endnu."}
}

// SaveAssessmentDraft saves the TFA draft as loaded at version and returns the new version.
// Saving never validates completeness: a draft may be half-written. Only concluding does.
func (s *Store) SaveAssessmentDraft(ctx context.Context, who Who, citizenID, id int64, version int, in AssessmentInput) (int, error) {
	tracks, err := json.Marshal(in.Tracks)
	if err != nil {
		return 0, fmt.Errorf("encode tracks: %w", err)
	}
	resources, err := json.Marshal(in.Resources)
	if err != nil {
		return 0, fmt.Errorf("encode resources: %w", err)
	}
	var next int
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			UPDATE assessments SET tracks = $4, resources = $5, citizen_goals = $6, conclusion = $7,
			       version = version + 1, updated_by = $8, updated_at = now()
			WHERE id = $1 AND citizen_id = $2 AND version = $3 AND concluded_at IS NULL
			RETURNING version`, id, citizenID, version, tracks, resources, in.CitizenGoals, in.Conclusion, who.UserID).Scan(&next)
		if errors.Is(err, pgx.ErrNoRows) {
			return draftConflict(ctx, tx, citizenID, id)
		}
		if err != nil {
			return fmt.Errorf("save assessment: %w", err)
		}
		// The whole form is a save of every section by its writer.
		if _, err := tx.Exec(ctx, `
			INSERT INTO assessment_sections (assessment_id, section, updated_by)
			SELECT $1, unnest($2::text[]), $3
			ON CONFLICT (assessment_id, section) DO UPDATE SET version = assessment_sections.version + 1,
			    updated_by = EXCLUDED.updated_by, updated_at = now()`, id, sectionCodes(), who.UserID); err != nil {
			return fmt.Errorf("save sections: %w", err)
		}
		return audit(ctx, tx, who, citizenID, "assessment.update", fmt.Sprintf("TFA %d: kladde gemt", id))
	})
	return next, err
}

// ConcludeAssessment locks the draft (as saved at version) after checking it may be
// concluded, and opens the citizen's indsatsplan pre-filled with the citizen's goals when
// there is none yet. It returns whether a plan was created.
func (s *Store) ConcludeAssessment(ctx context.Context, who Who, citizenID, id int64, version int, today time.Time, followUpMonths int) (planCreated bool, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		a, err := loadAssessment(ctx, tx, citizenID, id, false)
		if err != nil {
			return err
		}
		if !a.Draft() || a.Version != version {
			return draftConflict(ctx, tx, citizenID, id)
		}
		if err := helhed.ValidateConclusion(a.ParticipantUnitKinds(), a.CitizenGoals, a.Conclusion); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE assessments SET concluded_at = now(), concluded_by = $4, version = version + 1
			WHERE id = $1 AND citizen_id = $2 AND version = $3 AND concluded_at IS NULL`, id, citizenID, version, who.UserID)
		if err != nil {
			return fmt.Errorf("conclude assessment: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return draftConflict(ctx, tx, citizenID, id)
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM plans WHERE citizen_id = $1)`, citizenID).Scan(&exists); err != nil {
			return fmt.Errorf("find plan: %w", err)
		}
		if !exists {
			planCreated = true
			if err := createPlan(ctx, tx, who, citizenID, &id, a.CitizenGoals, helhed.GoalLines(a.CitizenGoals), today, followUpMonths); err != nil {
				return err
			}
		}
		return audit(ctx, tx, who, citizenID, "assessment.conclude", fmt.Sprintf("TFA version %d afsluttet", a.Number))
	})
	return planCreated, err
}

// ParticipantCandidate is a user who may be added to a TFA.
type ParticipantCandidate struct {
	ID       int64  `db:"id"`
	Name     string `db:"name"`
	UnitName string `db:"unit_name"`
	UnitKind string `db:"unit_kind"`
	Role     string `db:"role_label"`
}

// ParticipantCandidates lists the active professionals of the units that take part in TFAs
// (everyone but administrators), by unit and name. A municipality has tens to a few hundred.
func (s *Store) ParticipantCandidates(ctx context.Context) ([]ParticipantCandidate, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT u.id, u.name, n.name AS unit_name, n.kind AS unit_kind, r.label AS role_label
		FROM users u JOIN units n ON n.id = u.unit_id JOIN roles r ON r.code = u.role
		WHERE u.disabled_at IS NULL AND u.role <> 'admin'
		ORDER BY n.name, u.name LIMIT 1000`)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[ParticipantCandidate])
	if err != nil {
		return nil, fmt.Errorf("participant candidates: %w", err)
	}
	return out, nil
}

// AddParticipant adds an active, non-admin user to the citizen's TFA draft with their
// profession. The unit is the user's own, copied now.
func (s *Store) AddParticipant(ctx context.Context, who Who, citizenID, id, userID int64, profession string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var draft bool
		if err := tx.QueryRow(ctx, `SELECT concluded_at IS NULL FROM assessments WHERE id = $1 AND citizen_id = $2 FOR UPDATE`,
			id, citizenID).Scan(&draft); err != nil {
			return notFound(err, "TFA'en")
		}
		if !draft {
			return draftConflict(ctx, tx, citizenID, id)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO assessment_participants (assessment_id, user_id, unit_id, unit_kind, profession)
			SELECT $1, u.id, u.unit_id, n.kind, $3 FROM users u JOIN units n ON n.id = u.unit_id
			WHERE u.id = $2 AND u.disabled_at IS NULL AND u.role <> 'admin'
			ON CONFLICT (assessment_id, user_id) DO UPDATE SET profession = EXCLUDED.profession`, id, userID, profession)
		if err != nil {
			return fmt.Errorf("add participant: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Deltageren kan ikke tilføjes",
				Fields: map[string]string{"participant_user": "Vælg en deltager fra listen"}}
		}
		return audit(ctx, tx, who, citizenID, "assessment.update", fmt.Sprintf("TFA %d: deltager %d tilføjet", id, userID))
	})
}

// RemoveParticipant removes a participant from the citizen's TFA draft.
func (s *Store) RemoveParticipant(ctx context.Context, who Who, citizenID, id, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var draft bool
		if err := tx.QueryRow(ctx, `SELECT concluded_at IS NULL FROM assessments WHERE id = $1 AND citizen_id = $2 FOR UPDATE`,
			id, citizenID).Scan(&draft); err != nil {
			return notFound(err, "TFA'en")
		}
		if !draft {
			return draftConflict(ctx, tx, citizenID, id)
		}
		// Removing someone who is not (or no longer) a participant is done already: a
		// double-click or a second tab must not show an error.
		if _, err := tx.Exec(ctx, `DELETE FROM assessment_participants WHERE assessment_id = $1 AND user_id = $2`, id, userID); err != nil {
			return fmt.Errorf("remove participant: %w", err)
		}
		return audit(ctx, tx, who, citizenID, "assessment.update", fmt.Sprintf("TFA %d: deltager %d fjernet", id, userID))
	})
}

// LatestConcludedAssessment returns the citizen's newest concluded TFA for a summary (the
// meeting board, the shared overview), whose caller audits the read; ok is false when the
// citizen has none. withHealth false leaves the health tracks unread.
func (s *Store) LatestConcludedAssessment(ctx context.Context, citizenID int64, withHealth bool) (a Assessment, ok bool, err error) {
	err = pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM assessments WHERE citizen_id = $1 AND concluded_at IS NOT NULL
			ORDER BY number DESC LIMIT 1`, citizenID).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("latest assessment: %w", err)
		}
		a, err = loadAssessment(ctx, tx, citizenID, id, withHealth)
		ok = err == nil
		return err
	})
	return a, ok, err
}
