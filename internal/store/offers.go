package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Offer is a tilbud in the indsatskatalog with its provider and opgavetype resolved, and the
// live seat counts: SeatsTaken counts referrals in a state that holds a seat
// (helhed.ReferralState.HoldsSeat), Waiting those on the waiting list.
type Offer struct {
	ID              int64       `db:"id"`
	Name            string      `db:"name"`
	Description     string      `db:"description"`
	Opgavetype      string      `db:"opgavetype"`
	OpgavetypeLabel string      `db:"opgavetype_label"`
	ProviderUnitID  int64       `db:"provider_unit_id"`
	ProviderName    string      `db:"provider_name"`
	ProviderKind    string      `db:"provider_kind"`
	TargetRisk      []string    `db:"target_risk"`
	TargetBenefits  []string    `db:"target_benefits"`
	KRAMS           []string    `db:"krams"`
	Focus           []string    `db:"focus"` // helhed.FocusCodes: what it works on beyond KRAMS
	LegalBasis      *string     `db:"legal_basis"`
	DurationWeeks   *int        `db:"duration_weeks"`
	Attendance      string      `db:"attendance"`
	Capacity        int         `db:"capacity"`
	StartDates      []time.Time `db:"start_dates"`
	Contact         string      `db:"contact"`
	RetiredAt       *time.Time  `db:"retired_at"`
	Version         int         `db:"version"`
	CreatedAt       time.Time   `db:"created_at"`
	UpdatedAt       time.Time   `db:"updated_at"`
	SeatsTaken      int         `db:"seats_taken"`
	Waiting         int         `db:"waiting"`
}

// Active reports whether the offer takes new referrals.
func (o Offer) Active() bool { return o.RetiredAt == nil }

// FreeSeats is capacity minus seats taken, never below zero (capacity may have been lowered
// below the seats already taken).
func (o Offer) FreeSeats() int { return max(0, o.Capacity-o.SeatsTaken) }

// OfferInput is what a provider types to create or edit an offer. The handler decides the
// provider unit from the user (an administrator may choose), never from the form alone.
type OfferInput struct {
	Name           string
	Description    string
	Opgavetype     string
	ProviderUnitID int64
	TargetRisk     []string
	TargetBenefits []string
	KRAMS          []string
	Focus          []string // helhed.FocusCodes
	LegalBasis     string   // "" = none
	DurationWeeks  int      // 0 = not fixed
	Attendance     string
	Capacity       int
	StartDates     []time.Time
	Contact        string
	Retired        bool
}

// openStates are the referral states that are still running, from the domain's rules, for SQL.
var openStates = helhed.ReferralStatesWhere(func(s helhed.ReferralState) bool { return !s.Terminal() })

// offerSelect reads offers with their labels and live seat counts, which the offer row keeps
// (the referrals_seat_counts trigger updates them with every change of a referral's state).
const offerSelect = `
	SELECT o.id, o.name, o.description, o.opgavetype, coalesce(t.label, o.opgavetype) AS opgavetype_label,
	       o.provider_unit_id, u.name AS provider_name, u.kind AS provider_kind, o.target_risk,
	       o.target_benefits, o.krams, o.focus, o.legal_basis, o.duration_weeks, o.attendance, o.capacity,
	       o.start_dates, o.contact, o.retired_at, o.version, o.created_at, o.updated_at,
	       o.seats_taken, o.waiting
	FROM offers o
	JOIN units u ON u.id = o.provider_unit_id
	LEFT JOIN ref_values t ON t.kind = 'opgavetype' AND t.code = o.opgavetype`

// OfferByID loads one offer with its seat counts.
func (s *Store) OfferByID(ctx context.Context, id int64) (Offer, error) {
	rows, _ := s.pool.Query(ctx, offerSelect+` WHERE o.id = $1`, id)
	o, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Offer])
	if err != nil {
		return Offer{}, notFound(err, "Tilbuddet")
	}
	return o, nil
}

// OfferFilter narrows the catalogue. Zero values mean "any"; retired offers are left out
// unless IncludeRetired.
type OfferFilter struct {
	Opgavetype     string
	ProviderUnitID int64
	Risk           string // one of helhed.OfferRiskGroups
	KRAMS          string // one of helhed.KRAMSCodes
	Benefit        string // a benefit_type code
	Text           string // substring of name or description (trigram index)
	IncludeRetired bool
}

// ListOffers returns one page of the catalogue, ordered by opgavetype and name, with free
// seats, and the total. The page is chosen first (filters on the offers' own indexes), and
// the seat counts are computed for that page only, in the same statement.
func (s *Store) ListOffers(ctx context.Context, f OfferFilter, pg Page) ([]Offer, int, error) {
	pg = pg.normalize()
	text := strings.ToLower(strings.TrimSpace(f.Text))
	text = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text)
	var w filters
	if f.Opgavetype != "" {
		w.add("o.opgavetype = $?", f.Opgavetype)
	}
	if f.ProviderUnitID != 0 {
		w.add("o.provider_unit_id = $?", f.ProviderUnitID)
	}
	if f.Risk != "" {
		w.add("o.target_risk @> ARRAY[$?::text]", f.Risk)
	}
	if f.KRAMS != "" {
		w.add("o.krams @> ARRAY[$?::text]", f.KRAMS)
	}
	if f.Benefit != "" {
		w.add("o.target_benefits @> ARRAY[$?::text]", f.Benefit)
	}
	if text != "" {
		w.add("lower(o.name || ' ' || o.description) LIKE '%' || $? || '%'", text)
	}
	if !f.IncludeRetired {
		w.add("o.retired_at IS NULL")
	}
	q := `
		WITH page AS (
			SELECT o.id, coalesce(t.sort_order, 0) AS sort_order, count(*) OVER () AS total
			FROM offers o LEFT JOIN ref_values t ON t.kind = 'opgavetype' AND t.code = o.opgavetype` + w.where() + `
			ORDER BY sort_order, o.name, o.id
			LIMIT ` + w.arg(pg.PerPage) + ` OFFSET ` + w.arg(pg.offset()) + `)
		SELECT x.*, p.total FROM page p CROSS JOIN LATERAL (` + offerSelect + ` WHERE o.id = p.id) x
		ORDER BY p.sort_order, x.name, x.id`
	rows, _ := s.pool.Query(ctx, q, w.args...)
	type row struct {
		Offer
		Total int `db:"total"`
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, 0, fmt.Errorf("list offers: %w", err)
	}
	out := make([]Offer, len(rs))
	total := 0
	for i, r := range rs {
		out[i], total = r.Offer, r.Total
	}
	return out, total, nil
}

// ActiveOffers lists every active offer by opgavetype and name, for the referral form's
// choice (a municipality's catalogue is tens to a few hundred offers).
func (s *Store) ActiveOffers(ctx context.Context) ([]Offer, error) {
	rows, _ := s.pool.Query(ctx, offerSelect+` WHERE o.retired_at IS NULL ORDER BY t.sort_order, o.name, o.id`)
	os, err := pgx.CollectRows(rows, pgx.RowToStructByName[Offer])
	if err != nil {
		return nil, fmt.Errorf("active offers: %w", err)
	}
	return os, nil
}

// offerArgs are the columns an offer input writes, in the order of the INSERT and UPDATE.
func offerArgs(in OfferInput) []any {
	dur := any(nil)
	if in.DurationWeeks > 0 {
		dur = in.DurationWeeks
	}
	nonNil := func(v []string) []string {
		if v == nil {
			return []string{}
		}
		return v
	}
	dates := in.StartDates
	if dates == nil {
		dates = []time.Time{}
	}
	return []any{in.Name, in.Description, in.Opgavetype, in.ProviderUnitID, nonNil(in.TargetRisk),
		nonNil(in.TargetBenefits), nonNil(in.KRAMS), nullString(in.LegalBasis), dur, in.Attendance, in.Capacity,
		dates, in.Contact, in.Retired, nonNil(in.Focus)}
}

// CreateOffer adds an offer to the catalogue and audits it (no citizen involved).
func (s *Store) CreateOffer(ctx context.Context, who Who, in OfferInput) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO offers (name, description, opgavetype, provider_unit_id, target_risk, target_benefits,
			                    krams, legal_basis, duration_weeks, attendance, capacity, start_dates, contact,
			                    retired_at, focus)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $14 THEN now() END, $15)
			RETURNING id`, offerArgs(in)...).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert offer: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditOfferCreate, fmt.Sprintf("tilbud %d oprettet", id))
	})
	return id, err
}

// UpdateOffer saves an edit made on version. If someone saved in between it returns a
// conflict and changes nothing: two editors never silently overwrite each other. Retiring
// keeps the first retirement time; un-retiring clears it.
func (s *Store) UpdateOffer(ctx context.Context, who Who, id int64, version int, in OfferInput) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE offers SET name = $1, description = $2, opgavetype = $3, provider_unit_id = $4, target_risk = $5,
			       target_benefits = $6, krams = $7, legal_basis = $8, duration_weeks = $9, attendance = $10,
			       capacity = $11, start_dates = $12, contact = $13,
			       retired_at = CASE WHEN $14 THEN coalesce(retired_at, now()) END, focus = $15,
			       updated_at = now(), version = version + 1
			WHERE id = $16 AND version = $17`, append(offerArgs(in), id, version)...)
		if err != nil {
			return fmt.Errorf("update offer: %w", err)
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM offers WHERE id = $1)`, id).Scan(&exists); err != nil {
				return fmt.Errorf("update offer: %w", err)
			}
			if !exists {
				return notFound(pgx.ErrNoRows, "Tilbuddet")
			}
			return &helhed.Error{Code: helhed.EConflict,
				Message: "Tilbuddet er ændret af en anden, siden du åbnede det. Dine ændringer er ikke gemt."}
		}
		return audit(ctx, tx, who, 0, AuditOfferUpdate, fmt.Sprintf("tilbud %d ændret", id))
	})
}

// Suggestion is an offer suggested by a screening, with why: the findings it works on, most
// urgent first (helhed.RankOffers).
type Suggestion struct {
	Offer
	Because string // "Foreslået fordi: WHO-5 = 20 (≤ 28)"
}

// maxSuggestionCandidates bounds the offers the ranking reads: a catalogue has tens of
// offers, so all candidates fit.
const maxSuggestionCandidates = 200

// SuggestOffers returns up to limit active offers ranked by what the screening found
// (helhed.RankOffers): offers working on the most urgent finding first, then general offers
// aimed at the group. Offers that work only on things not found are left out. One query reads
// the candidates — offers aimed at the group or working on one of the areas found.
func (s *Store) SuggestOffers(ctx context.Context, group helhed.RiskGroup, findings []helhed.Finding, limit int) ([]Suggestion, error) {
	areas := []string{}
	for _, f := range findings {
		areas = append(areas, f.Areas...)
	}
	rows, _ := s.pool.Query(ctx, offerSelect+`
		WHERE o.retired_at IS NULL AND (o.target_risk @> ARRAY[$1::text] OR o.krams && $2::text[] OR o.focus && $2::text[])
		ORDER BY o.name, o.id LIMIT $3`, string(group), areas, maxSuggestionCandidates)
	offers, err := pgx.CollectRows(rows, pgx.RowToStructByName[Offer])
	if err != nil {
		return nil, fmt.Errorf("suggest offers: %w", err)
	}
	cands := make([]helhed.Candidate, len(offers))
	for i, o := range offers {
		cands[i] = helhed.Candidate{Areas: append(slices.Clone(o.KRAMS), o.Focus...), FreeSeats: o.FreeSeats(), Name: o.Name,
			TargetsGroup: slices.Contains(o.TargetRisk, string(group))}
	}
	var out []Suggestion
	for _, r := range helhed.RankOffers(findings, group, cands, limit) {
		out = append(out, Suggestion{Offer: offers[r.Index], Because: r.Explanation()})
	}
	return out, nil
}
