package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// The effect figures beyond the outcomes (management.go): the baseline the "one year
// shorter" goal is measured against, the spells themselves, and borgerens egen vurdering.

// SettingEffectBaseline is the dated setting with the baseline period of the duration goal:
// {"From": "2025-01", "To": "2025-12"}, whole months, typically the spells ended in the year
// before the strategy began.
const SettingEffectBaseline = "effect_baseline"

// EffectBaseline is the baseline in force on a day and where it comes from.
type EffectBaseline struct {
	Period    helhed.Period
	Set       bool      // false: no setting is in force
	ValidFrom time.Time // the setting's valid_from
	Note      string    // the setting's note
}

// EffectBaseline returns the baseline period in force on day. Without a setting in force
// Set is false and the caller chooses a fallback.
func (s *Store) EffectBaseline(ctx context.Context, day time.Time) (EffectBaseline, error) {
	var b EffectBaseline
	var raw struct{ From, To string }
	r, ok, err := s.settingInForce(ctx, SettingEffectBaseline, day)
	if !ok || err != nil {
		return b, err
	}
	if err := json.Unmarshal(r.Value, &raw); err != nil {
		return b, fmt.Errorf("setting %s: %w", SettingEffectBaseline, err)
	}
	b.ValidFrom, b.Note = r.ValidFrom.Time, r.Note
	from, err1 := time.Parse("2006-01", raw.From)
	to, err2 := time.Parse("2006-01", raw.To)
	if err1 != nil || err2 != nil || to.Before(from) {
		return b, fmt.Errorf("setting %s: from %q to %q are not two months (ÅÅÅÅ-MM) in order", SettingEffectBaseline, raw.From, raw.To)
	}
	b.Period, b.Set = helhed.Period{From: from, To: to}, true
	return b, nil
}

// SetEffectBaseline records the baseline period from validFrom (a dated setting: the
// figures before validFrom keep the earlier baseline).
func (s *Store) SetEffectBaseline(ctx context.Context, who Who, validFrom time.Time, p helhed.Period, note string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO settings (key, valid_from, value, note, created_by)
			VALUES ($1, $2, jsonb_build_object('From', $3::text, 'To', $4::text), $5, $6)
			ON CONFLICT (key, valid_from) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note, created_by = EXCLUDED.created_by`,
			SettingEffectBaseline, validFrom, p.From.Format("2006-01"), p.To.Format("2006-01"), note, who.UserID); err != nil {
			return fmt.Errorf("set %s: %w", SettingEffectBaseline, err)
		}
		return audit(ctx, tx, who, 0, AuditSettingUpdate, fmt.Sprintf("%s fra %s: %s–%s", SettingEffectBaseline,
			validFrom.Format(time.DateOnly), p.From.Format("2006-01"), p.To.Format("2006-01")))
	})
	s.dropSettings()
	return err
}

// CitizenSpells returns the citizen's spells on public support as the database computes them
// (the view benefit_spells, migration 0027), oldest first.
func (s *Store) CitizenSpells(ctx context.Context, citizenID int64) ([]helhed.Spell, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT start_date, end_date, coalesce(exit_code, ''), benefits FROM benefit_spells
		WHERE citizen_id = $1 ORDER BY spell_no`, citizenID)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (helhed.Spell, error) {
		var sp helhed.Spell
		var benefits []string
		if err := row.Scan(&sp.Start, &sp.End, &sp.Exit, &benefits); err != nil {
			return sp, err
		}
		for _, b := range benefits { // in order of start, each once
			if !slices.Contains(sp.Benefits, b) {
				sp.Benefits = append(sp.Benefits, b)
			}
		}
		return sp, nil
	})
}

// SpellScope returns the benefit types that do not count as public support in a spell
// (reference data: benefit_spell_scopes 'udenfor', e.g. fleksjob).
func (s *Store) SpellScope(ctx context.Context) (outside []string, err error) {
	rows, _ := s.pool.Query(ctx, `SELECT benefit_code FROM benefit_spell_scopes WHERE scope = 'udenfor' ORDER BY benefit_code`)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// exitCategories reads the exit reasons' categories (reference data, exit_reason_categories).
func exitCategories(ctx context.Context, tx pgx.Tx) (helhed.ExitCategories, error) {
	rows, _ := tx.Query(ctx, `SELECT exit_code, category FROM exit_reason_categories`)
	cats := helhed.ExitCategories{}
	var code, cat string
	if _, err := pgx.ForEachRow(rows, []any{&code, &cat}, func() error {
		cats[code] = cat
		return nil
	}); err != nil {
		return nil, fmt.Errorf("exit categories: %w", err)
	}
	return cats, nil
}

// SelfRatingRecord is one recorded answer of borgerens egen vurdering.
type SelfRatingRecord struct {
	ID         int64
	AnsweredOn time.Time
	Answer     helhed.SelfRating
	By         string // who recorded it with the citizen
	CreatedAt  time.Time
}

// AddSelfRating records the citizen's own answer, given on day, and audits it.
func (s *Store) AddSelfRating(ctx context.Context, who Who, citizenID int64, on time.Time, answer helhed.SelfRating) (int64, error) {
	if !answer.Valid() {
		return 0, &helhed.Error{Code: helhed.EInvalid, Message: "Vælg borgerens svar.", Fields: map[string]string{"answer": "Vælg borgerens svar"}}
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO function_self_ratings (citizen_id, answered_on, answer, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
			citizenID, on, string(answer), who.UserID).Scan(&id); err != nil {
			return fmt.Errorf("insert self rating: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditSelfRating, "egen vurdering "+on.Format(time.DateOnly))
	})
	return id, err
}

// AuditSelfRating is the audit action of recording borgerens egen vurdering.
const AuditSelfRating = "selfrating.create"

// SelfRatings lists the citizen's answers, newest first. Callers gate them (health data).
func (s *Store) SelfRatings(ctx context.Context, citizenID int64) ([]SelfRatingRecord, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT r.id, r.answered_on, r.answer, u.name, r.created_at
		FROM function_self_ratings r JOIN users u ON u.id = r.created_by
		WHERE r.citizen_id = $1 ORDER BY r.answered_on DESC, r.id DESC LIMIT 200`, citizenID)
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (SelfRatingRecord, error) {
		var r SelfRatingRecord
		var answer string
		err := row.Scan(&r.ID, &r.AnsweredOn, &answer, &r.By, &r.CreatedAt)
		r.Answer = helhed.SelfRating(answer)
		return r, err
	})
}

// SelfRatingFigures counts the citizens of f.UnitID (0: all) who answered in f.Period by their
// latest answer in the period: each citizen once. Live (not a management view): one
// index-only range scan of the period's answers (docs/benchmarks.md).
func (s *Store) SelfRatingFigures(ctx context.Context, f ManagementFilter) (helhed.SelfRatingCounts, error) {
	counts := helhed.SelfRatingCounts{}
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, selfRatingFiguresSQL, f.Period.From, f.Period.To.AddDate(0, 1, -1), f.UnitID)
		var answer string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&answer, &n}, func() error {
			counts[helhed.SelfRating(answer)] += n
			return nil
		})
		if err != nil {
			return fmt.Errorf("self ratings: %w", err)
		}
		return nil
	})
	return counts, err
}

// selfRatingFiguresSQL: $1, $2 the period's first and last day, $3 the unit (0: all).
const selfRatingFiguresSQL = `
	SELECT l.answer, count(*)::int FROM (
		SELECT DISTINCT ON (r.citizen_id) r.citizen_id, r.answer
		FROM function_self_ratings r
		WHERE r.answered_on BETWEEN $1 AND $2
		ORDER BY r.citizen_id, r.answered_on DESC, r.id DESC
	) l
	WHERE $3::bigint = 0 OR EXISTS (SELECT 1 FROM citizens c WHERE c.id = l.citizen_id AND c.unit_id = $3)
	GROUP BY l.answer`
