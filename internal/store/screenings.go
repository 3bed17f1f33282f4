package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/helhed"
)

// Conditions are the known conditions noted in a screening: flags and free text.
type Conditions struct {
	Chronic bool   `json:"chronic"` // kronisk eller fremadskridende sygdom
	Mental  bool   `json:"mental"`  // psykiske vanskeligheder
	Pain    bool   `json:"pain"`    // smerter
	Notes   string `json:"notes"`
}

// Screening is one risk-group screening of a citizen. Answers and Conditions are health data.
type Screening struct {
	ID             int64                   `db:"id"`
	CitizenID      int64                   `db:"citizen_id"`
	ScreenedOn     time.Time               `db:"screened_on"`
	Answers        helhed.ScreeningAnswers `db:"answers"`
	Conditions     Conditions              `db:"conditions"`
	RuleSetVersion int                     `db:"rule_set_version"`
	WHO5           int                     `db:"who5"`
	KRAMSRisks     []string                `db:"krams_risks"`
	ComputedGroup  string                  `db:"computed_group"`
	FinalGroup     string                  `db:"final_group"`
	OverrideReason string                  `db:"override_reason"`
	OverriddenBy   *string                 `db:"overridden_by_name"`
	OverriddenAt   *time.Time              `db:"overridden_at"`
	CreatedBy      string                  `db:"created_by_name"`
	CreatedAt      time.Time               `db:"created_at"`
	// GPEncouragedAt and GPEncouragedBy record that the caseworker encouraged the citizen to
	// see their own doctor after a low WHO-5 (nil until then).
	GPEncouragedAt *time.Time `db:"gp_encouraged_at"`
	GPEncouragedBy *string    `db:"gp_encouraged_by_name"`
}

// CreateScreening stores a scored screening, makes it the citizen's current risk group when
// it is their latest, and audits it — one transaction.
func (s *Store) CreateScreening(ctx context.Context, who Who, citizenID int64, on time.Time, a helhed.ScreeningAnswers, cond Conditions, res helhed.Result) (int64, error) {
	answers, err := json.Marshal(a)
	if err != nil {
		return 0, fmt.Errorf("encode answers: %w", err)
	}
	risks := make([]string, len(res.KRAMSRisks))
	for i, k := range res.KRAMSRisks {
		risks[i] = k.Code
	}
	var id int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO screenings (citizen_id, screened_on, answers, conditions, rule_set_version, who5, krams_risks,
			                        computed_group, final_group, created_by, self_rated_health)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id`,
			citizenID, on, answers, cond, res.RuleSetVersion, res.WHO5, risks, string(res.Group), who.UserID,
			nullString(a.SelfHealth)).Scan(&id)
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.ConstraintName == "screenings_self_rated_health_fkey" {
				msg := "Ukendt svar – vælg en af mulighederne"
				return &helhed.Error{Code: helhed.EInvalid, Message: msg, Fields: map[string]string{helhed.FieldSelfHealth: msg}}
			}
			return fmt.Errorf("insert screening: %w", err)
		}
		if err := refreshRiskGroup(ctx, tx, citizenID); err != nil {
			return err
		}
		return audit(ctx, tx, who, citizenID, "screening.create", fmt.Sprintf("screening %d: %s", id, res.Group))
	})
	return id, err
}

// refreshRiskGroup copies the latest screening's final group onto the citizen.
func refreshRiskGroup(ctx context.Context, tx pgx.Tx, citizenID int64) error {
	_, err := tx.Exec(ctx, `
		UPDATE citizens SET risk_group = (
			SELECT final_group FROM screenings WHERE citizen_id = $1 ORDER BY screened_on DESC, id DESC LIMIT 1)
		WHERE id = $1`, citizenID)
	if err != nil {
		return fmt.Errorf("refresh risk group: %w", err)
	}
	return nil
}

// OverrideScreening records a professional override of the group, with its reason.
func (s *Store) OverrideScreening(ctx context.Context, who Who, citizenID, screeningID int64, group helhed.RiskGroup, reason string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE screenings SET final_group = $3,
			       override_reason = CASE WHEN $3 = computed_group THEN '' ELSE $4 END,
			       overridden_by = $5, overridden_at = now()
			WHERE id = $1 AND citizen_id = $2`, screeningID, citizenID, string(group), reason, who.UserID)
		if err != nil {
			return fmt.Errorf("override screening: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return helhed.ErrNotFound
		}
		if err := refreshRiskGroup(ctx, tx, citizenID); err != nil {
			return err
		}
		return audit(ctx, tx, who, citizenID, "screening.override", fmt.Sprintf("screening %d: %s", screeningID, group))
	})
}

// RecordGPEncouragement records that the caseworker encouraged the citizen to see their own
// doctor (egen læge), as the result page of a screening with a low WHO-5 prompts, and audits
// who and when. Only a screening whose WHO-5 is at or below the cut-off of the rule set it was
// scored with takes the record (EInvalid otherwise), and only once (EConflict).
func (s *Store) RecordGPEncouragement(ctx context.Context, who Who, citizenID, screeningID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var params []byte
		var who5 int
		var done bool
		err := tx.QueryRow(ctx, `
			SELECT r.params, s.who5, s.gp_encouraged_at IS NOT NULL
			FROM screenings s JOIN rule_sets r ON r.version = s.rule_set_version
			WHERE s.id = $1 AND s.citizen_id = $2 FOR UPDATE OF s`, screeningID, citizenID).Scan(&params, &who5, &done)
		if err != nil {
			return notFound(err, "Screeningen")
		}
		var rs helhed.RuleSet
		if err := json.Unmarshal(params, &rs); err != nil {
			return fmt.Errorf("decode rule set: %w", err)
		}
		if !rs.PromptsGP(who5) {
			return &helhed.Error{Code: helhed.EInvalid, Message: fmt.Sprintf(
				"WHO-5 er %d, over grænsen på %d: screeningen giver ikke anledning til at opfordre til egen læge", who5, rs.GPCutoff())}
		}
		if done {
			return &helhed.Error{Code: helhed.EConflict, Message: "Det er allerede registreret, at borgeren er opfordret til at gå til egen læge"}
		}
		if _, err := tx.Exec(ctx, `UPDATE screenings SET gp_encouraged_at = $2, gp_encouraged_by = $3 WHERE id = $1`,
			screeningID, s.Now(), who.UserID); err != nil {
			return fmt.Errorf("record GP encouragement: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditScreeningGP, fmt.Sprintf("screening %d: WHO-5 %d ≤ %d", screeningID, who5, rs.GPCutoff()))
	})
}

const screeningSelect = `
	SELECT s.id, s.citizen_id, s.screened_on, s.answers, s.conditions, s.rule_set_version, s.who5, s.krams_risks,
	       s.computed_group, s.final_group, s.override_reason, o.name AS overridden_by_name, s.overridden_at,
	       u.name AS created_by_name, s.created_at, s.gp_encouraged_at, g.name AS gp_encouraged_by_name
	FROM screenings s JOIN users u ON u.id = s.created_by LEFT JOIN users o ON o.id = s.overridden_by
	LEFT JOIN users g ON g.id = s.gp_encouraged_by`

// ViewScreening loads one screening of the citizen and audits the read. A screening id of
// another citizen is not found.
func (s *Store) ViewScreening(ctx context.Context, who Who, citizenID, screeningID int64, withAnswers bool) (Screening, error) {
	var sc Screening
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, screeningSelect+` WHERE s.id = $1 AND s.citizen_id = $2`, screeningID, citizenID)
		var err error
		sc, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Screening])
		if err != nil {
			return notFound(err, "Screeningen")
		}
		detail := fmt.Sprintf("screening %d", screeningID)
		if !withAnswers {
			detail += " (uden helbredsoplysninger: intet samtykke)"
		}
		return audit(ctx, tx, who, citizenID, "screening.view", detail)
	})
	return sc, err
}

// ListScreenings returns every screening of a citizen, oldest first (for the trend). A
// citizen has a handful to a few dozen; the history is shown whole.
func (s *Store) ListScreenings(ctx context.Context, citizenID int64) ([]Screening, error) {
	rows, _ := s.pool.Query(ctx, screeningSelect+` WHERE s.citizen_id = $1 ORDER BY s.screened_on, s.id`, citizenID)
	ss, err := pgx.CollectRows(rows, pgx.RowToStructByName[Screening])
	if err != nil {
		return nil, fmt.Errorf("list screenings: %w", err)
	}
	return ss, nil
}
