package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LoginFailures counts failed logins since a moment for a username and for an IP, in one
// round trip. Counts live in PostgreSQL so throttling holds across app instances.
func (s *Store) LoginFailures(ctx context.Context, username, ip string, since time.Time) (byUser, byIP int, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM login_failures WHERE username = $1 AND at >= $3),
		       (SELECT count(*) FROM login_failures WHERE ip = $2 AND at >= $3)`,
		username, ip, since).Scan(&byUser, &byIP)
	if err != nil {
		return 0, 0, fmt.Errorf("count login failures: %w", err)
	}
	return byUser, byIP, nil
}

// RecordLoginFailure stores a failed attempt and audits it, together.
func (s *Store) RecordLoginFailure(ctx context.Context, who Who, username, ip, action string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)`,
			username, ip, s.Now()); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		// What was typed as the username may be a mistyped password or CPR number: the audit
		// row says only whether it named a user (who.UserID, then that user's id).
		detail := "ukendt brugernavn"
		if who.UserID != 0 {
			detail = "kendt bruger"
		}
		return audit(ctx, tx, who, 0, action, detail)
	})
}

// RecordLoginSuccess audits a successful login and clears the account's failure count.
func (s *Store) RecordLoginSuccess(ctx context.Context, who Who, username string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = $1`, username); err != nil {
			return fmt.Errorf("clear login failures: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditLoginOK, "")
	})
}

// PruneLoginFailures forgets failures older than cutoff (they no longer count).
func (s *Store) PruneLoginFailures(ctx context.Context, cutoff time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, cutoff); err != nil {
		return fmt.Errorf("prune login failures: %w", err)
	}
	return nil
}
