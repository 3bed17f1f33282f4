package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Consent information codes the application itself relies on (the vocabulary is reference
// data; these two codes are what the access policy asks about).
const (
	ConsentHealth = "helbred"
	ConsentSocial = "sociale_forhold"
)

// Consent is a citizen's consent that one kind of information may reach one unit.
type Consent struct {
	ID              int64      `db:"id"`
	CitizenID       int64      `db:"citizen_id"`
	Information     string     `db:"information"`
	RecipientUnitID int64      `db:"recipient_unit_id"`
	RecipientUnit   string     `db:"recipient_unit"`
	Purpose         string     `db:"purpose"`
	GivenOn         time.Time  `db:"given_on"`
	ExpiresOn       *time.Time `db:"expires_on"`
	WithdrawnAt     *time.Time `db:"withdrawn_at"`
	RecordedBy      string     `db:"recorded_by_name"`
	WithdrawnBy     *string    `db:"withdrawn_by_name"`
}

// CurrentOn reports whether the consent is in force on day: given, not expired, not withdrawn.
func (c Consent) CurrentOn(day time.Time) bool {
	d := day.Format(time.DateOnly)
	return c.WithdrawnAt == nil && c.GivenOn.Format(time.DateOnly) <= d &&
		(c.ExpiresOn == nil || d <= c.ExpiresOn.Format(time.DateOnly))
}

// currentConsentSQL is the one definition of "a consent in force", shared by HasConsent and
// the access relation so they can never disagree. $4 is the Danish calendar day
// (consentDay): a consent given on 22 December is in force from the Danish midnight, when
// UTC is still the 21st.
const currentConsentSQL = `withdrawn_at IS NULL AND given_on <= $4::date AND (expires_on IS NULL OR expires_on >= $4::date)`

const consentSelect = `
	SELECT c.id, c.citizen_id, c.information, c.recipient_unit_id, n.name AS recipient_unit, c.purpose,
	       c.given_on, c.expires_on, c.withdrawn_at,
	       CASE WHEN c.given_by_citizen THEN '` + ByCitizen + `' ELSE r.name END AS recorded_by_name,
	       CASE WHEN c.withdrawn_by_citizen THEN '` + ByCitizen + `' ELSE w.name END AS withdrawn_by_name
	FROM consents c JOIN units n ON n.id = c.recipient_unit_id LEFT JOIN users r ON r.id = c.recorded_by
	LEFT JOIN users w ON w.id = c.withdrawn_by`

// ByCitizen names the citizen where a row says who recorded it and the citizen did it
// themself in the citizen area (a consent given or withdrawn).
const ByCitizen = "Borgeren selv"

// ListConsents returns a citizen's consents, newest first (a handful per citizen).
func (s *Store) ListConsents(ctx context.Context, citizenID int64) ([]Consent, error) {
	rows, _ := s.pool.Query(ctx, consentSelect+` WHERE c.citizen_id = $1 ORDER BY c.given_on DESC, c.id DESC`, citizenID)
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Consent])
	if err != nil {
		return nil, fmt.Errorf("list consents: %w", err)
	}
	return cs, nil
}

// consentDay is the Danish calendar day of the instant now, as currentConsentSQL compares
// dates. A date already (midnight UTC) stays the same date.
func consentDay(now time.Time) time.Time { return helhed.DanishToday(now) }

// HasConsent reports whether a consent in force on day (an instant or a date; its Danish
// calendar day counts) lets information about the citizen reach unitID.
func (s *Store) HasConsent(ctx context.Context, citizenID, unitID int64, information string, day time.Time) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM consents
		WHERE citizen_id = $1 AND recipient_unit_id = $2 AND information = $3 AND `+currentConsentSQL+`)`,
		citizenID, unitID, information, consentDay(day)).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check consent: %w", err)
	}
	return ok, nil
}

// NewConsent is the input for recording consents: one row per recipient unit.
type NewConsent struct {
	CitizenID   int64
	Information string
	UnitIDs     []int64
	Purpose     string
	GivenOn     time.Time
	ExpiresOn   *time.Time
}

// Consent returns what the domain's rules check of c.
func (c NewConsent) Consent() helhed.Consent {
	return helhed.Consent{Purpose: c.Purpose, GivenOn: c.GivenOn, ExpiresOn: c.ExpiresOn}
}

// CreateConsents records a consent for each recipient unit, in one transaction. Its purpose
// and dates are checked against helhed.ValidateConsent on the store's Danish calendar day,
// whoever calls (the form offers that day; UTC is still the day before until 01.00 or 02.00).
func (s *Store) CreateConsents(ctx context.Context, who Who, c NewConsent) error {
	if err := helhed.ValidateConsent(c.Consent(), helhed.DanishToday(s.Now())); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		for _, unit := range c.UnitIDs {
			if _, err := tx.Exec(ctx, `
				INSERT INTO consents (citizen_id, information, recipient_unit_id, purpose, given_on, expires_on, recorded_by, given_by_citizen)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				c.CitizenID, c.Information, unit, c.Purpose, c.GivenOn, c.ExpiresOn, nullInt(who.UserID), who.Citizen != 0); err != nil {
				return fmt.Errorf("insert consent: %w", err)
			}
		}
		if err := audit(ctx, tx, who, c.CitizenID, "consent.create",
			fmt.Sprintf("samtykke %s til %d enhed(er)", c.Information, len(c.UnitIDs))); err != nil {
			return err
		}
		return s.notifyBoards(ctx, tx, c.CitizenID)
	})
}

// notifyBoards wakes the open boards of the meetings the citizen is on (from a day before,
// when a board may be open): a consent given or withdrawn shows on the shared screen at once,
// not at the meeting's next change.
func (s *Store) notifyBoards(ctx context.Context, tx pgx.Tx, citizenID int64) error {
	if _, err := tx.Exec(ctx, `
		SELECT pg_notify($1, 'meeting:' || m.id)
		FROM meeting_cases mc JOIN meetings m ON m.id = mc.meeting_id
		WHERE mc.citizen_id = $2 AND mc.withdrawn_at IS NULL AND m.starts_at > $3`, LiveChannel, citizenID, s.Now().AddDate(0, 0, -1)); err != nil {
		return fmt.Errorf("notify boards: %w", err)
	}
	return nil
}

// WithdrawConsent withdraws a consent of the citizen at once. A consent id of another citizen
// is not found: ids in URLs are always checked against their parent.
func (s *Store) WithdrawConsent(ctx context.Context, who Who, citizenID, consentID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE consents SET withdrawn_at = now(), withdrawn_by = $3, withdrawn_by_citizen = $4
			WHERE id = $1 AND citizen_id = $2 AND withdrawn_at IS NULL`, consentID, citizenID, nullInt(who.UserID), who.Citizen != 0)
		if err != nil {
			return fmt.Errorf("withdraw consent: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return &helhed.Error{Code: helhed.ENotFound, Message: "Samtykket findes ikke eller er allerede tilbagekaldt"}
		}
		if err := audit(ctx, tx, who, citizenID, "consent.withdraw", fmt.Sprintf("samtykke %d tilbagekaldt", consentID)); err != nil {
			return err
		}
		return s.notifyBoards(ctx, tx, citizenID)
	})
}
