package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of the calendar feed (migration 0040).
const (
	AuditFeedCreate = "calendar_feed.create"
	AuditFeedRevoke = "calendar_feed.revoke"
	AuditFeedRead   = "calendar_feed.read" // the feed as a calendar client fetched it, with the cases it showed
)

// FeedDays are how far back and ahead the feed reaches: a month back, half a year ahead.
const (
	FeedDaysBack  = 31
	FeedDaysAhead = 183
	// feedLimit bounds the feed: a caseworker holds a few hundred samtaler in that time.
	feedLimit = 2000
)

// feedTokenBytes is the token's randomness: 256 bits, as base64url (43 characters).
const feedTokenBytes = 32

// hashFeedToken is what is stored of a token.
func hashFeedToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CalendarFeed is a user's feed in force, without its token (which is not stored).
type CalendarFeed struct {
	CreatedAt  time.Time  `db:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
}

// ActiveCalendarFeed is the user's feed in force; ok false when there is none.
func (s *Store) ActiveCalendarFeed(ctx context.Context, userID int64) (CalendarFeed, bool, error) {
	rows, _ := s.pool.Query(ctx, `SELECT created_at, last_used_at FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL`, userID)
	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[CalendarFeed])
	if errors.Is(err, pgx.ErrNoRows) {
		return CalendarFeed{}, false, nil
	}
	if err != nil {
		return CalendarFeed{}, false, fmt.Errorf("calendar feed: %w", err)
	}
	return f, true, nil
}

// CreateCalendarFeed makes a new feed token for the user, revoking the one in force, and
// returns the token: the only time it exists outside the user's calendar client. Audited.
func (s *Store) CreateCalendarFeed(ctx context.Context, who Who) (string, error) {
	b := make([]byte, feedTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("feed token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, who.UserID, s.Now()); err != nil {
			return fmt.Errorf("revoke calendar feed: %w", err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) RETURNING id`,
			who.UserID, hashFeedToken(token), s.Now()).Scan(&id); err != nil {
			return fmt.Errorf("create calendar feed: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditFeedCreate, fmt.Sprintf("kalenderfeed %d", id))
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeCalendarFeed revokes the user's feed in force (not found when there is none). Audited.
func (s *Store) RevokeCalendarFeed(ctx context.Context, who Who) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
			who.UserID, s.Now()).Scan(&id)
		if err != nil {
			return notFound(err, "Kalenderfeedet")
		}
		return audit(ctx, tx, who, 0, AuditFeedRevoke, fmt.Sprintf("kalenderfeed %d tilbagekaldt", id))
	})
}

// CalendarFeedUser is the user whose feed token is in force, and notes when it was used: a
// revoked, unknown or malformed token, or one of a disabled user, is not found.
func (s *Store) CalendarFeedUser(ctx context.Context, token string) (int64, error) {
	if len(token) != base64.RawURLEncoding.EncodedLen(feedTokenBytes) {
		return 0, helhed.ErrNotFound
	}
	var user int64
	err := s.pool.QueryRow(ctx, `
		UPDATE calendar_feeds f SET last_used_at = $2 FROM users u
		WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND u.id = f.user_id AND u.disabled_at IS NULL
		RETURNING f.user_id`, hashFeedToken(token), s.Now()).Scan(&user)
	if err != nil {
		return 0, notFound(err, "Kalenderfeedet")
	}
	return user, nil
}

// FeedSamtale is one samtale as the feed shows it: when, where, in what form, its state and
// the case reference (the citizen's id). It has no field for a name, a CPR number or the
// reason of a cancellation: the feed cannot show what it never reads.
type FeedSamtale struct {
	ID        int64                `db:"id"`
	CitizenID int64                `db:"citizen_id"`
	StartsAt  time.Time            `db:"starts_at"`
	EndsAt    time.Time            `db:"ends_at"`
	FormLabel string               `db:"form_label"`
	Place     string               `db:"place"`
	Status    helhed.SamtaleStatus `db:"status"`
	UpdatedAt time.Time            `db:"updated_at"`
	Version   int                  `db:"version"`
}

// FeedSamtaler are the samtaler the user holds or takes part in from FeedDaysBack days ago to
// FeedDaysAhead days ahead (the store's clock), by start: the week view's two index ranges
// over a longer span.
func (s *Store) FeedSamtaler(ctx context.Context, userID int64) ([]FeedSamtale, error) {
	now := s.Now()
	from, to := now.AddDate(0, 0, -FeedDaysBack), now.AddDate(0, 0, FeedDaysAhead)
	rows, _ := s.pool.Query(ctx, `
		SELECT t.id, t.citizen_id, t.starts_at, t.ends_at, k.label AS form_label, t.place, t.status, t.updated_at, t.version
		FROM samtaler t JOIN ref_values k ON k.kind = t.form_kind AND k.code = t.form
		WHERE t.id IN (
			SELECT t.id FROM samtaler t WHERE t.holder_id = $1 AND t.starts_at >= $2 AND t.starts_at < $3
			UNION
			SELECT sp.samtale_id FROM samtale_participants sp WHERE sp.user_id = $1 AND sp.starts_at >= $2 AND sp.starts_at < $3)
		ORDER BY t.starts_at, t.id LIMIT $4`, userID, from, to, feedLimit)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[FeedSamtale])
	if err != nil {
		return nil, fmt.Errorf("feed samtaler: %w", err)
	}
	return out, nil
}
