package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LoginMemory is how long a failed login counts: RunRetention deletes older failures.
const LoginMemory = 24 * time.Hour

// Advisory lock classes (pg_advisory_xact_lock's first key) of the login limits. The
// two-key form never collides with the one-key locks of migrations and refreshes.
const (
	lockLoginUser = 1001
	lockLoginIP   = 1002
)

// LoginLimits says how failed logins slow further attempts down. An account's failures count
// until it logs in or for LoginMemory; an address's within IPWindow.
type LoginLimits struct {
	// FreeFailures is how many failures in a row an account may have before each further
	// attempt must wait.
	FreeFailures int
	// Delay is the wait after the FreeFailures-th failure; each further failure doubles it,
	// up to MaxDelay, so a forgotten password costs its owner minutes at most while a guesser
	// gets a dozen tries an hour.
	Delay, MaxDelay time.Duration
	// More than MaxPerIP failures from one client address within IPWindow refuse attempts
	// from it (credential stuffing across many accounts) until the window has passed.
	IPWindow time.Duration
	MaxPerIP int
}

// Wait is how long after its last failure an account with failures failures in a row must
// wait before the next attempt.
func (l LoginLimits) Wait(failures int) time.Duration {
	if failures < l.FreeFailures {
		return 0
	}
	d := l.Delay
	for range failures - l.FreeFailures {
		if d >= l.MaxDelay {
			break
		}
		d *= 2
	}
	return min(d, l.MaxDelay)
}

// BeginLogin decides, before any password is checked, whether an attempt on username from
// ip may go ahead. If so it records the attempt as a failure at once, and RecordLoginSuccess
// removes it again if the password was right; otherwise it audits the refusal and returns how
// long to wait (a refused attempt does not count, so retrying never lengthens the wait).
//
// The decision and the record are one transaction under advisory locks on the username and
// the address, so concurrent attempts, on any number of instances, are counted one after
// another: thirty guesses sent at once get at most FreeFailures password checks.
func (s *Store) BeginLogin(ctx context.Context, who Who, username, ip string, lim LoginLimits) (wait time.Duration, err error) {
	now := s.Now()
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Always the username first, then the address: no two attempts wait for each other
		// in opposite order.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_advisory_xact_lock($3, hashtext($4))`,
			lockLoginUser, username, lockLoginIP, ip); err != nil {
			return fmt.Errorf("lock login attempts: %w", err)
		}
		// A new statement, so its snapshot sees what the previous lock holder committed.
		var byUser, byIP int
		var last *time.Time
		if err := tx.QueryRow(ctx, `
			SELECT u.n, u.last, (SELECT count(*) FROM login_failures WHERE ip = $2 AND at >= $4)
			FROM (SELECT count(*) AS n, max(at) AS last FROM login_failures WHERE username = $1 AND at >= $3) u`,
			username, ip, now.Add(-LoginMemory), now.Add(-lim.IPWindow)).Scan(&byUser, &last, &byIP); err != nil {
			return fmt.Errorf("count login failures: %w", err)
		}
		if byIP >= lim.MaxPerIP {
			wait = lim.IPWindow
		} else if last != nil {
			wait = max(0, last.Add(lim.Wait(byUser)).Sub(now))
		}
		if wait > 0 {
			return audit(ctx, tx, who, 0, AuditLoginThrottle, loginDetail(who))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3)`,
			username, ip, now); err != nil {
			return fmt.Errorf("record login attempt: %w", err)
		}
		return nil
	})
	return wait, err
}

// RecordLoginSuccess audits a successful login and clears the account's failure count.
func (s *Store) RecordLoginSuccess(ctx context.Context, who Who, username string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := clearLoginFailures(ctx, tx, username); err != nil {
			return err
		}
		return audit(ctx, tx, who, 0, AuditLoginOK, "")
	})
}

func clearLoginFailures(ctx context.Context, tx pgx.Tx, username string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = $1`, username); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// PruneLoginFailures forgets failures older than cutoff (they no longer count).
func (s *Store) PruneLoginFailures(ctx context.Context, cutoff time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, cutoff); err != nil {
		return fmt.Errorf("prune login failures: %w", err)
	}
	return nil
}

// loginDetail is the audit detail of a login attempt. What was typed as the username may be a
// mistyped password or CPR number: the row says only whether it named a user (who.UserID,
// then that user's id).
func loginDetail(who Who) string {
	if who.UserID != 0 {
		return "kendt bruger"
	}
	return "ukendt brugernavn"
}
