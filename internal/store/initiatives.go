package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the strategy and the management figures.
const (
	AuditInitiativeCreate   = "initiative.create"
	AuditInitiativeUpdate   = "initiative.update"
	AuditManagementExport   = "management.export" // an aggregated CSV export (no personal data)
	initiativeCountsViewKey = "management_initiative_counts"
)

// Initiative is a strategy initiative with its labels, linked offers and live counts.
type Initiative struct {
	ID            int64     `db:"id"`
	Theme         string    `db:"theme"`
	ThemeLabel    string    `db:"theme_label"`
	Title         string    `db:"title"`
	Description   string    `db:"description"`
	Status        string    `db:"status"`
	StatusLabel   string    `db:"status_label"`
	Note          string    `db:"note"`
	CountsFrom    time.Time `db:"counts_from"`
	Version       int       `db:"version"`
	UpdatedAt     time.Time `db:"updated_at"`
	UpdatedByName *string   `db:"updated_by_name"`
	// Offers are the linked catalogue offers.
	Offers []InitiativeOffer `db:"offers"`
	// Referred is the number of citizens referred to the offers since CountsFrom (cancelled
	// referrals do not count); InProgress those in a course now. Both as of CountedAt.
	Referred   int       `db:"referred"`
	InProgress int       `db:"in_progress"`
	CountedAt  time.Time `db:"counted_at"`
}

// InitiativeOffer is an offer linked to an initiative.
type InitiativeOffer struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// StatusChange is one entry of an initiative's status history.
type StatusChange struct {
	Status      string    `db:"status"`
	StatusLabel string    `db:"status_label"`
	Note        string    `db:"note"`
	ByName      *string   `db:"by_name"`
	At          time.Time `db:"changed_at"`
}

// InitiativeInput is what a leader types. The codes are checked against the reference data
// by the caller; the offers must exist.
type InitiativeInput struct {
	Theme, Title, Description, Status, Note string
	CountsFrom                              time.Time
	OfferIDs                                []int64
}

// initiativeSelect reads initiatives with labels, linked offers (as JSON, in one query) and
// the counts of management_initiative_counts.
const initiativeSelect = `
	SELECT i.id, i.theme, coalesce(t.label, i.theme) AS theme_label, i.title, i.description, i.status,
	       coalesce(st.label, i.status) AS status_label, i.note, i.counts_from, i.version, i.updated_at,
	       u.name AS updated_by_name,
	       coalesce((SELECT jsonb_agg(jsonb_build_object('id', o.id, 'name', o.name) ORDER BY o.name, o.id)
	                 FROM initiative_offers io JOIN offers o ON o.id = io.offer_id WHERE io.initiative_id = i.id), '[]') AS offers,
	       coalesce(c.referred, 0) AS referred, coalesce(c.in_progress, 0) AS in_progress,
	       (SELECT refreshed_at FROM management_refreshes WHERE view_name = 'management_initiative_counts') AS counted_at
	FROM initiatives i
	LEFT JOIN ref_values t ON t.kind = 'initiative_theme' AND t.code = i.theme
	LEFT JOIN ref_values st ON st.kind = 'initiative_status' AND st.code = i.status
	LEFT JOIN users u ON u.id = i.updated_by
	LEFT JOIN management_initiative_counts c ON c.initiative_id = i.id`

// initiativeOrder sorts by theme (the reference data's order), then title.
const initiativeOrder = ` ORDER BY coalesce(t.sort_order, 0), i.theme, i.title, i.id`

// ListInitiatives returns one page of initiatives grouped by theme, and the total. pg nil
// means all of them (the printed status report and the export).
func (s *Store) ListInitiatives(ctx context.Context, pg *Page) ([]Initiative, int, error) {
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM initiatives`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count initiatives: %w", err)
	}
	limit, offset := any(nil), 0
	if pg != nil {
		p := pg.normalize()
		limit, offset = p.PerPage, p.offset()
	}
	rows, _ := s.pool.Query(ctx, initiativeSelect+initiativeOrder+` LIMIT $1 OFFSET $2`, limit, offset)
	is, err := pgx.CollectRows(rows, pgx.RowToStructByName[Initiative])
	if err != nil {
		return nil, 0, fmt.Errorf("list initiatives: %w", err)
	}
	return is, total, nil
}

// InitiativeByID loads one initiative with its status history, newest first.
func (s *Store) InitiativeByID(ctx context.Context, id int64) (Initiative, []StatusChange, error) {
	rows, _ := s.pool.Query(ctx, initiativeSelect+` WHERE i.id = $1`, id)
	in, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Initiative])
	if err != nil {
		return Initiative{}, nil, notFound(err, "Initiativet")
	}
	rows, _ = s.pool.Query(ctx, `
		SELECT h.status, coalesce(v.label, h.status) AS status_label, h.note, u.name AS by_name, h.changed_at
		FROM initiative_status_changes h
		LEFT JOIN ref_values v ON v.kind = 'initiative_status' AND v.code = h.status
		LEFT JOIN users u ON u.id = h.changed_by
		WHERE h.initiative_id = $1 ORDER BY h.changed_at DESC, h.id DESC LIMIT 200`, id)
	hist, err := pgx.CollectRows(rows, pgx.RowToStructByName[StatusChange])
	if err != nil {
		return Initiative{}, nil, fmt.Errorf("initiative history: %w", err)
	}
	return in, hist, nil
}

// Form field an initiative's offers may be refused on.
const FieldInitiativeOffers = "offers"

// setInitiativeOffers replaces the initiative's offers; an unknown offer is a field error.
func setInitiativeOffers(ctx context.Context, tx pgx.Tx, id int64, offers []int64) error {
	if offers == nil {
		offers = []int64{}
	}
	var found int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM offers WHERE id = ANY($1)`, offers).Scan(&found); err != nil {
		return fmt.Errorf("initiative offers: %w", err)
	}
	if found != len(offers) {
		msg := "Vælg tilbud fra listen"
		return &helhed.Error{Code: helhed.EInvalid, Message: msg, Fields: map[string]string{FieldInitiativeOffers: msg}}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM initiative_offers WHERE initiative_id = $1 AND NOT offer_id = ANY($2)`, id, offers); err != nil {
		return fmt.Errorf("initiative offers: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO initiative_offers (initiative_id, offer_id) SELECT $1, unnest($2::bigint[])
		ON CONFLICT DO NOTHING`, id, offers); err != nil {
		return fmt.Errorf("initiative offers: %w", err)
	}
	return nil
}

// recordStatus appends the initiative's current status and note to its history.
func recordStatus(ctx context.Context, tx pgx.Tx, who Who, id int64) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO initiative_status_changes (initiative_id, status, note, changed_by)
		SELECT id, status, note, $2 FROM initiatives WHERE id = $1`, id, nullInt(who.UserID))
	if err != nil {
		return fmt.Errorf("initiative history: %w", err)
	}
	return nil
}

// CreateInitiative adds an initiative with its offers, the first entry of its status history
// and the audit row, in one transaction. Its counts appear with the next
// RefreshInitiativeCounts.
func (s *Store) CreateInitiative(ctx context.Context, who Who, in InitiativeInput) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO initiatives (theme, title, description, status, note, counts_from, created_by, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			in.Theme, in.Title, in.Description, in.Status, in.Note, in.CountsFrom, nullInt(who.UserID)).Scan(&id); err != nil {
			return fmt.Errorf("insert initiative: %w", err)
		}
		if err := setInitiativeOffers(ctx, tx, id, in.OfferIDs); err != nil {
			return err
		}
		if err := recordStatus(ctx, tx, who, id); err != nil {
			return err
		}
		return audit(ctx, tx, who, 0, AuditInitiativeCreate, fmt.Sprintf("initiativ %d: status %s", id, in.Status))
	})
	return id, err
}

// ErrInitiativeConflict is returned when someone else saved the initiative first.
var ErrInitiativeConflict = &helhed.Error{Code: helhed.EConflict,
	Message: "Initiativet er ændret af en anden, siden du åbnede det. Dine ændringer er ikke gemt."}

// UpdateInitiative saves an edit made on version, or returns ErrInitiativeConflict and
// changes nothing if someone saved in between. A changed status or note is added to the
// history. The audit row says what changed.
func (s *Store) UpdateInitiative(ctx context.Context, who Who, id int64, version int, in InitiativeInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var oldStatus, oldNote string
		err := tx.QueryRow(ctx, `SELECT status, note FROM initiatives WHERE id = $1 AND version = $2 FOR UPDATE`, id, version).
			Scan(&oldStatus, &oldNote)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM initiatives WHERE id = $1)`, id).Scan(&exists); err != nil {
				return fmt.Errorf("update initiative: %w", err)
			}
			if !exists {
				return notFound(pgx.ErrNoRows, "Initiativet")
			}
			return ErrInitiativeConflict
		}
		if err != nil {
			return fmt.Errorf("update initiative: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE initiatives SET theme = $2, title = $3, description = $4, status = $5, note = $6, counts_from = $7,
			       updated_by = $8, updated_at = now(), version = version + 1
			WHERE id = $1`, id, in.Theme, in.Title, in.Description, in.Status, in.Note, in.CountsFrom, nullInt(who.UserID)); err != nil {
			return fmt.Errorf("update initiative: %w", err)
		}
		if err := setInitiativeOffers(ctx, tx, id, in.OfferIDs); err != nil {
			return err
		}
		detail := fmt.Sprintf("initiativ %d ændret", id)
		if in.Status != oldStatus || in.Note != oldNote {
			if err := recordStatus(ctx, tx, who, id); err != nil {
				return err
			}
			detail += fmt.Sprintf(": status %s → %s", oldStatus, in.Status)
		}
		return audit(ctx, tx, who, 0, AuditInitiativeUpdate, detail)
	})
}

// RefreshInitiativeCounts recomputes the initiatives' referral counts now (a fraction of a
// second), so a leader who just linked an offer sees its count on the next page. If another
// instance is refreshing the views at this moment it does nothing: that refresh ends with the
// counts.
func (s *Store) RefreshInitiativeCounts(ctx context.Context) error {
	_, err := s.refreshViews(ctx, initiativeCountsViewKey)
	return err
}
