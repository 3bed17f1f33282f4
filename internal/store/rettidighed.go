package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// RettidighedDays is the period the leaders' rettidighed figure covers: the last 13 weeks up
// to yesterday (a due day is judged once it has passed). management_rettidighed (migration
// 0048) has the same 91 days in its body.
const RettidighedDays = 91

// Rettidighed is how many of the kontaktforløb's required conversations fell due in a period
// and how many of them were held on time.
type Rettidighed struct {
	From, To time.Time // [From, To): Danish days
	Due      int
	OnTime   int
}

// rettidighedSQL counts, for the citizens of unit $1, every required conversation whose
// deadline fell in [$2, $3) and whether it was held by then. The k-th conversation of a
// benefit period's window is due by contact_due(…, held = k − 1, …) — the day the citizen
// page names as "næste samtale" once k − 1 are held, the one rule of migration 0029 — and is
// on time when the k-th samtale held in the window began on or before that day. A deadline
// after the period ended, after the case was closed or while an exemption applied counts
// neither way. The citizens are the unit's now (citizens_unit_idx); each one's periods,
// samtaler and exemptions are index look-ups (docs/queries.md). The materialised view
// management_rettidighed (migration 0048) is this statement for every unit at once over the
// last RettidighedDays days; keep the two alike (TestManagementRettidighedMatchesLive).
const rettidighedSQL = `
	WITH dues AS (
		SELECT c.id AS citizen_id, c.closed_at, b.end_date, w.from_day, w.end_day, k.k,
		       contact_due(w.from_day, w.end_day, cad.samtaler, k.k - 1, b.start_date + cad.first_within_days - 1) AS due
		FROM citizens c
		JOIN benefit_periods b ON b.citizen_id = c.id
		-- The rules of a benefit do not overlap (TestContactCadencesDoNotOverlap), so a plain
		-- join finds the one in force at the start: a hash join of the few rules, where a
		-- LATERAL look-up per period cost a sort each.
		JOIN contact_cadences cad ON cad.benefit_code = b.benefit_code
		  AND cad.valid_from <= b.start_date AND (cad.valid_to IS NULL OR cad.valid_to >= b.start_date)
		CROSS JOIN LATERAL (
			SELECT (b.start_date + make_interval(months => cad.after_months))::date AS from_day,
			       (b.start_date + make_interval(months => cad.within_months))::date AS end_day) w
		CROSS JOIN LATERAL generate_series(1, cad.samtaler) AS k(k)
		WHERE c.unit_id = $1 AND b.start_date < $3::date
		  AND b.start_date > $2::date - (SELECT make_interval(months => max(within_months)) FROM contact_cadences)
		  AND (b.end_date IS NULL OR b.end_date >= $2::date) AND w.end_day > $2::date AND w.from_day < $3::date)
	SELECT count(*)::int, count(*) FILTER (WHERE h.on_time)::int
	FROM dues d
	LEFT JOIN LATERAL (
		SELECT (s.starts_at AT TIME ZONE 'Europe/Copenhagen')::date <= d.due AS on_time FROM samtaler s
		WHERE s.citizen_id = d.citizen_id AND s.status = 'afholdt'
		  AND s.starts_at >= d.from_day::timestamp AT TIME ZONE 'Europe/Copenhagen'
		  AND s.starts_at < d.end_day::timestamp AT TIME ZONE 'Europe/Copenhagen'
		ORDER BY s.starts_at OFFSET d.k - 1 LIMIT 1) h ON true
	WHERE d.due >= $2::date AND d.due < $3::date
	  AND (d.end_date IS NULL OR d.due <= d.end_date)
	  AND (d.closed_at IS NULL OR (d.closed_at AT TIME ZONE 'Europe/Copenhagen')::date > d.due)
	  AND NOT EXISTS (SELECT 1 FROM contact_exemptions e WHERE e.citizen_id = d.citizen_id
	                  AND e.from_date <= d.due AND (e.to_date IS NULL OR e.to_date >= d.due))`

// ContactRettidighed is the unit's rettidighed over [from, to) (Danish days), computed from
// the case tables: 0.7 s per unit at 100 000 citizens. The dashboard reads UnitRettidighed
// instead; this is the reference the view is tested against. The statement runs without JIT:
// PostgreSQL's estimate of the generated series makes the plan look costly enough to
// compile, and compiling took 3.5 of its 5 seconds at 100 000 citizens (docs/queries.md).
func (s *Store) ContactRettidighed(ctx context.Context, unitID int64, from, to time.Time) (Rettidighed, error) {
	r := Rettidighed{From: from, To: to}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL jit = off`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, rettidighedSQL, unitID, from, to).Scan(&r.Due, &r.OnTime)
	})
	if err != nil {
		return Rettidighed{}, fmt.Errorf("rettidighed: %w", err)
	}
	return r, nil
}

// RettidighedFigure is a unit's rettidighed as the management views hold it: the period is
// the RettidighedDays days before the Danish day of the refresh.
type RettidighedFigure struct {
	Rettidighed
	// RefreshedAt is when management_rettidighed was last refreshed.
	RefreshedAt time.Time
}

// unitRettidighedSQL reads one unit's row of management_rettidighed (a row per unit; the plan
// is in docs/queries.md).
const unitRettidighedSQL = `SELECT from_day, to_day, due, on_time FROM management_rettidighed WHERE unit_id = $1`

// UnitRettidighed is the unit's rettidighed from the materialised view management_rettidighed
// (migration 0048), refreshed with the other management views (RefreshManagement): what
// ContactRettidighed gave for the last RettidighedDays days when the view was refreshed, one
// row read. A unit created since the refresh has no row; nothing had fallen due for it then.
func (s *Store) UnitRettidighed(ctx context.Context, unitID int64) (RettidighedFigure, error) {
	var f RettidighedFigure
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		var err error
		if f.RefreshedAt, err = refreshedAt(ctx, tx, "management_rettidighed"); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, unitRettidighedSQL, unitID).Scan(&f.From, &f.To, &f.Due, &f.OnTime)
		if errors.Is(err, pgx.ErrNoRows) {
			f.To = helhed.DanishToday(f.RefreshedAt)
			f.From = f.To.AddDate(0, 0, -RettidighedDays)
			return nil
		}
		return err
	})
	if err != nil {
		return RettidighedFigure{}, fmt.Errorf("rettidighed: %w", err)
	}
	return f, nil
}
