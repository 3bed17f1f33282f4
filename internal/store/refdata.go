package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// RefValue is one value of a reference vocabulary (benefit type, exit reason …) with the
// period in which it is in force.
type RefValue struct {
	Kind        string     `db:"kind"`
	Code        string     `db:"code"`
	Label       string     `db:"label"`
	Description string     `db:"description"`
	ValidFrom   time.Time  `db:"valid_from"`
	ValidTo     *time.Time `db:"valid_to"`
}

// ValidOn reports whether the value is in force on day.
func (v RefValue) ValidOn(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return v.ValidFrom.Format(time.DateOnly) <= d && (v.ValidTo == nil || d <= v.ValidTo.Format(time.DateOnly))
}

// RefValues returns every value of a kind, current and historic, in display order. Callers
// offer only those ValidOn the relevant day but label historic records with the rest.
func (s *Store) RefValues(ctx context.Context, kind string) ([]RefValue, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT kind, code, label, description, valid_from, valid_to
		FROM ref_values WHERE kind = $1 ORDER BY sort_order, code`, kind)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("reference values %s: %w", kind, err)
	}
	return vs, nil
}

// RefSet is a vocabulary loaded for display and validation.
type RefSet []RefValue

// Label returns the label of code, or code itself when unknown (a historic value removed
// later still displays).
func (rs RefSet) Label(code string) string {
	for _, v := range rs {
		if v.Code == code {
			return v.Label
		}
	}
	return code
}

// Current returns the values in force on day.
func (rs RefSet) Current(day time.Time) RefSet {
	var out RefSet
	for _, v := range rs {
		if v.ValidOn(day) {
			out = append(out, v)
		}
	}
	return out
}

// ValidOn reports whether code is a value in force on day.
func (rs RefSet) ValidOn(code string, day time.Time) bool {
	for _, v := range rs {
		if v.Code == code {
			return v.ValidOn(day)
		}
	}
	return false
}

// RefSets loads several vocabularies in one query, keyed by kind.
func (s *Store) RefSets(ctx context.Context, kinds ...string) (map[string]RefSet, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT kind, code, label, description, valid_from, valid_to
		FROM ref_values WHERE kind = ANY($1) ORDER BY kind, sort_order, code`, kinds)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("reference values: %w", err)
	}
	out := make(map[string]RefSet, len(kinds))
	for _, v := range vs {
		out[v.Kind] = append(out[v.Kind], v)
	}
	return out, nil
}

// RefDataTopic is the live-update topic of the reference data: a trigger on ref_values sends
// it with every change (migration 0011), so caches of it can be dropped on every instance.
const RefDataTopic = "refdata"

// AllRefSets loads every vocabulary, for a cache (a few hundred rows).
func (s *Store) AllRefSets(ctx context.Context) (map[string]RefSet, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT kind, code, label, description, valid_from, valid_to
		FROM ref_values ORDER BY kind, sort_order, code`)
	vs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RefValue])
	if err != nil {
		return nil, fmt.Errorf("reference values: %w", err)
	}
	out := map[string]RefSet{}
	for _, v := range vs {
		out[v.Kind] = append(out[v.Kind], v)
	}
	return out, nil
}
