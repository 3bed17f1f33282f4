package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

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
			                        computed_group, final_group, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id`,
			citizenID, on, answers, cond, res.RuleSetVersion, res.WHO5, risks, string(res.Group), who.UserID).Scan(&id)
		if err != nil {
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

const screeningSelect = `
	SELECT s.id, s.citizen_id, s.screened_on, s.answers, s.conditions, s.rule_set_version, s.who5, s.krams_risks,
	       s.computed_group, s.final_group, s.override_reason, o.name AS overridden_by_name, s.overridden_at,
	       u.name AS created_by_name, s.created_at
	FROM screenings s JOIN users u ON u.id = s.created_by LEFT JOIN users o ON o.id = s.overridden_by`

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
