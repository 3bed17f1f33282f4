package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// CaseworkerLoad is one caseworker's caseload: citizens by current risk group, and how many
// have an overdue plan follow-up. CaseworkerID is nil for the citizens without a
// coordinating caseworker.
type CaseworkerLoad struct {
	CaseworkerID *int64  `db:"caseworker_id"`
	Name         *string `db:"name"`
	Citizens     int     `db:"citizens"`
	High         int     `db:"high"`
	Medium       int     `db:"medium"`
	Low          int     `db:"low"`
	NoRisk       int     `db:"no_risk"`
	Unscreened   int     `db:"unscreened"`
	Overdue      int     `db:"overdue"`
}

// CaseloadBalance is a unit's caseloads: one page of caseworkers (largest caseload first),
// how many there are, and the unit's totals.
type CaseloadBalance struct {
	Rows        []CaseworkerLoad
	RowCount    int // rows in all, for paging (the "no caseworker" row included)
	Caseworkers int // caseworkers in all
	Total       CaseworkerLoad
}

// CaseloadBalance counts the caseloads of unitID live from citizens (one pass over the
// unit's rows, citizens_unit_risk_idx): every active caseworker of the unit, also those
// with no citizens, and a row for citizens without a caseworker. pg nil means every row (the
// export).
func (s *Store) CaseloadBalance(ctx context.Context, unitID int64, today time.Time, pg *Page) (CaseloadBalance, error) {
	limit, offset := any(nil), 0
	if pg != nil {
		p := pg.normalize()
		limit, offset = p.PerPage, p.offset()
	}
	rows, _ := s.pool.Query(ctx, `
		WITH loads AS (
			SELECT c.caseworker_id, count(*)::int AS citizens,
			       count(*) FILTER (WHERE c.risk_group = 'hoej')::int AS high,
			       count(*) FILTER (WHERE c.risk_group = 'mellem')::int AS medium,
			       count(*) FILTER (WHERE c.risk_group = 'lav')::int AS low,
			       count(*) FILTER (WHERE c.risk_group = 'ingen')::int AS no_risk,
			       count(*) FILTER (WHERE c.risk_group IS NULL)::int AS unscreened,
			       count(*) FILTER (WHERE c.next_follow_up < $2)::int AS overdue
			FROM citizens c WHERE c.unit_id = $1
			GROUP BY c.caseworker_id
		), staff AS (
			SELECT id, name FROM users WHERE unit_id = $1 AND role = 'sagsbehandler' AND disabled_at IS NULL
		), all_rows AS (
			SELECT coalesce(l.caseworker_id, s.id) AS caseworker_id, coalesce(s.name, w.name) AS name,
			       coalesce(l.citizens, 0) AS citizens, coalesce(l.high, 0) AS high, coalesce(l.medium, 0) AS medium,
			       coalesce(l.low, 0) AS low, coalesce(l.no_risk, 0) AS no_risk, coalesce(l.unscreened, 0) AS unscreened,
			       coalesce(l.overdue, 0) AS overdue
			FROM loads l FULL JOIN staff s ON s.id = l.caseworker_id
			LEFT JOIN users w ON w.id = l.caseworker_id
		)
		SELECT r.*, count(*) OVER ()::int AS rows_total, count(r.caseworker_id) OVER ()::int AS caseworkers,
		       sum(r.citizens) OVER ()::int AS t_citizens, sum(r.high) OVER ()::int AS t_high, sum(r.medium) OVER ()::int AS t_medium,
		       sum(r.low) OVER ()::int AS t_low, sum(r.no_risk) OVER ()::int AS t_no_risk,
		       sum(r.unscreened) OVER ()::int AS t_unscreened, sum(r.overdue) OVER ()::int AS t_overdue
		FROM all_rows r
		ORDER BY r.caseworker_id IS NULL, r.citizens DESC, r.name, r.caseworker_id
		LIMIT $3 OFFSET $4`, unitID, today, limit, offset)
	type row struct {
		CaseworkerLoad
		RowsTotal   int `db:"rows_total"`
		Caseworkers int `db:"caseworkers"`
		TCitizens   int `db:"t_citizens"`
		THigh       int `db:"t_high"`
		TMedium     int `db:"t_medium"`
		TLow        int `db:"t_low"`
		TNoRisk     int `db:"t_no_risk"`
		TUnscreened int `db:"t_unscreened"`
		TOverdue    int `db:"t_overdue"`
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return CaseloadBalance{}, fmt.Errorf("caseload balance: %w", err)
	}
	var b CaseloadBalance
	for _, r := range rs {
		b.Rows = append(b.Rows, r.CaseworkerLoad)
		b.RowCount, b.Caseworkers = r.RowsTotal, r.Caseworkers
		b.Total = CaseworkerLoad{Citizens: r.TCitizens, High: r.THigh, Medium: r.TMedium, Low: r.TLow, NoRisk: r.TNoRisk,
			Unscreened: r.TUnscreened, Overdue: r.TOverdue}
	}
	return b, nil
}
