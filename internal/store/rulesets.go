package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// PublishedRuleSet is a rule set version with its publication facts.
type PublishedRuleSet struct {
	Rules       helhed.RuleSet
	ValidFrom   time.Time
	Note        string
	PublishedAt time.Time
	PublishedBy *string
}

func scanRuleSets(rows pgx.Rows) ([]PublishedRuleSet, error) {
	defer rows.Close()
	var out []PublishedRuleSet
	for rows.Next() {
		var p PublishedRuleSet
		var params []byte
		if err := rows.Scan(&params, &p.ValidFrom, &p.Note, &p.PublishedAt, &p.PublishedBy); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(params, &p.Rules); err != nil {
			return nil, fmt.Errorf("decode rule set: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const ruleSetSelect = `SELECT r.params, r.valid_from, r.note, r.published_at, u.name
	FROM rule_sets r LEFT JOIN users u ON u.id = r.published_by`

// RuleSet loads one version (to re-display an old screening exactly as it was scored).
func (s *Store) RuleSet(ctx context.Context, version int) (helhed.RuleSet, error) {
	rows, err := s.pool.Query(ctx, ruleSetSelect+` WHERE r.version = $1`, version)
	if err != nil {
		return helhed.RuleSet{}, fmt.Errorf("rule set %d: %w", version, err)
	}
	rs, err := scanRuleSets(rows)
	if err != nil {
		return helhed.RuleSet{}, fmt.Errorf("rule set %d: %w", version, err)
	}
	if len(rs) == 0 {
		return helhed.RuleSet{}, &helhed.Error{Code: helhed.ENotFound, Message: "Regelsættet findes ikke"}
	}
	return rs[0].Rules, nil
}

// CurrentRuleSet returns the newest version in force on day.
func (s *Store) CurrentRuleSet(ctx context.Context, day time.Time) (helhed.RuleSet, error) {
	rows, err := s.pool.Query(ctx, ruleSetSelect+` WHERE r.valid_from <= $1 ORDER BY r.version DESC LIMIT 1`, day)
	if err != nil {
		return helhed.RuleSet{}, fmt.Errorf("current rule set: %w", err)
	}
	rs, err := scanRuleSets(rows)
	if err != nil {
		return helhed.RuleSet{}, fmt.Errorf("current rule set: %w", err)
	}
	if len(rs) == 0 {
		return helhed.RuleSet{}, fmt.Errorf("no rule set in force on %s", day.Format(time.DateOnly))
	}
	return rs[0].Rules, nil
}

// ListRuleSets returns every published version, newest first.
func (s *Store) ListRuleSets(ctx context.Context) ([]PublishedRuleSet, error) {
	rows, err := s.pool.Query(ctx, ruleSetSelect+` ORDER BY r.version DESC`)
	if err != nil {
		return nil, fmt.Errorf("list rule sets: %w", err)
	}
	return scanRuleSets(rows)
}

// PublishRuleSet stores rs as the next version, in force from validFrom. Published versions
// are never changed: screenings refer to them.
func (s *Store) PublishRuleSet(ctx context.Context, who Who, rs helhed.RuleSet, validFrom time.Time, note string) (int, error) {
	var version int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Serialise publishers so two never take the same version number.
		if _, err := tx.Exec(ctx, `LOCK TABLE rule_sets IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("lock rule sets: %w", err)
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) + 1 FROM rule_sets`).Scan(&version); err != nil {
			return fmt.Errorf("next rule set version: %w", err)
		}
		rs.Version = version
		params, err := json.Marshal(rs)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rule_sets (version, params, valid_from, note, published_by) VALUES ($1, $2, $3, $4, $5)`,
			version, params, validFrom, note, who.UserID); err != nil {
			return fmt.Errorf("insert rule set: %w", err)
		}
		return audit(ctx, tx, who, 0, "ruleset.publish", fmt.Sprintf("regelsæt version %d", version))
	})
	return version, err
}
