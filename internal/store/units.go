package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Unit is an organisational unit: a jobcenter, a health centre, a social administration …
type Unit struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	Kind      string    `db:"kind"`
	KindLabel string    `db:"kind_label"`
	Users     int       `db:"users"` // counted by ListUnitsWithUsers only
	CreatedAt time.Time `db:"created_at"`
}

const unitSelect = `
	SELECT n.id, n.name, n.kind, coalesce(k.label, n.kind) AS kind_label, n.created_at`

const unitFrom = `
	FROM units n LEFT JOIN ref_values k ON k.kind = 'unit_kind' AND k.code = n.kind`

// ListUnits returns every unit (a municipality has tens) by name, without user counts: from
// the copy in memory when the store keeps one (KeepCopies), else from the database.
func (s *Store) ListUnits(ctx context.Context) ([]Unit, error) {
	if s.units == nil {
		return s.readUnits(ctx)
	}
	us, err := s.units.Get(ctx)
	return slices.Clone(us), err // the copy is shared: callers may sort or change theirs
}

// readUnits reads every unit from the database.
func (s *Store) readUnits(ctx context.Context) ([]Unit, error) {
	rows, _ := s.pool.Query(ctx, unitSelect+`, 0 AS users`+unitFrom+` ORDER BY n.name`)
	us, err := pgx.CollectRows(rows, pgx.RowToStructByName[Unit])
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return us, nil
}

// ListUnitsWithUsers returns every unit with its user count, from the database (the
// administrator's list of units shows a new unit the moment it is saved).
func (s *Store) ListUnitsWithUsers(ctx context.Context) ([]Unit, error) {
	rows, _ := s.pool.Query(ctx, unitSelect+`,
		       (SELECT count(*) FROM users u WHERE u.unit_id = n.id) AS users`+unitFrom+`
		ORDER BY n.name`)
	us, err := pgx.CollectRows(rows, pgx.RowToStructByName[Unit])
	if err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	return us, nil
}

// UnitByID loads one unit.
func (s *Store) UnitByID(ctx context.Context, id int64) (Unit, error) {
	rows, _ := s.pool.Query(ctx, unitSelect+`, 0 AS users`+unitFrom+` WHERE n.id = $1`, id)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Unit])
	if err != nil {
		return Unit{}, notFound(err, "Enheden")
	}
	return u, nil
}

// CreateUnit inserts a unit; kind must be a current unit_kind code.
func (s *Store) CreateUnit(ctx context.Context, who Who, name, kind string) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO units (name, kind) VALUES ($1, $2) RETURNING id`, name, kind).Scan(&id)
		if isUniqueViolation(err, "units_name_key") {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Enheden findes allerede",
				Fields: map[string]string{"name": "Der findes allerede en enhed med det navn"}}
		}
		if err != nil {
			return fmt.Errorf("insert unit: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditUnitCreate, fmt.Sprintf("enhed %d (%s)", id, kind))
	})
	s.dropUnits()
	return id, err
}

// Role is a role as data: its code is what the access policy knows; label and description are
// what users read.
type Role struct {
	Code        string `db:"code"`
	Label       string `db:"label"`
	Description string `db:"description"`
}

// ListRoles returns the roles in display order.
func (s *Store) ListRoles(ctx context.Context) ([]Role, error) {
	rows, _ := s.pool.Query(ctx, `SELECT code, label, description FROM roles ORDER BY sort_order, code`)
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Role])
	if err != nil {
		return nil, fmt.Errorf("list roles: %w", err)
	}
	return rs, nil
}

// UpdateRole changes a role's label and description.
func (s *Store) UpdateRole(ctx context.Context, who Who, code, label, description string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE roles SET label = $2, description = $3 WHERE code = $1`, code, label, description)
		if err != nil {
			return fmt.Errorf("update role: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return helhed.ErrNotFound
		}
		return audit(ctx, tx, who, 0, AuditRoleUpdate, "rolle "+code)
	})
}
