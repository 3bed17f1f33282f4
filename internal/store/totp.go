package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/mfa"
)

// Audit actions of TOTP. A code refused at login is AuditLoginFailed with detail "totp".
const (
	AuditTOTPEnable = "user.totp_enable"
	AuditTOTPReset  = "user.totp_reset"
)

// ErrTOTPNotEnabled: the user has no TOTP app.
var ErrTOTPNotEnabled = errors.New("totp is not enabled")

// EnableTOTP stores the user's confirmed TOTP secret, sealed with the store's TOTPKey, with
// the step of the code that confirmed it (so that code is used up), audited.
func (s *Store) EnableTOTP(ctx context.Context, who Who, userID int64, secret string, confirmedStep int64) error {
	sealed, err := mfa.Seal(s.TOTPKey, secret)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET totp_secret = $2, totp_enabled_at = now(), totp_last_step = $3 WHERE id = $1`,
			userID, sealed, confirmedStep)
		if err != nil {
			return fmt.Errorf("enable totp: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(pgx.ErrNoRows, "Brugeren")
		}
		return audit(ctx, tx, who, 0, AuditTOTPEnable, fmt.Sprintf("bruger %d", userID))
	})
}

// VerifyTOTP checks a code of the user's TOTP app at the store's clock and uses it up: the
// step is recorded atomically, so the same code does not work twice, even on two instances
// at once. ok is false for a wrong, old or used code.
func (s *Store) VerifyTOTP(ctx context.Context, userID int64, code string) (ok bool, err error) {
	var sealed *string
	var last int64
	if err := s.pool.QueryRow(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1`, userID).Scan(&sealed, &last); err != nil {
		return false, notFound(err, "Brugeren")
	}
	if sealed == nil {
		return false, ErrTOTPNotEnabled
	}
	secret, err := mfa.Open(s.TOTPKey, *sealed)
	if err != nil {
		return false, err
	}
	step, ok := mfa.Verify(secret, code, s.Now(), last)
	if !ok {
		return false, nil
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("use totp step: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ResetTOTP removes the user's TOTP app (an administrator's recovery when the phone is lost),
// audited, and ends the user's sessions; they enrol again after their next password login.
func (s *Store) ResetTOTP(ctx context.Context, who Who, userID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0, sessions_valid_after = now() WHERE id = $1`, userID)
		if err != nil {
			return fmt.Errorf("reset totp: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return notFound(pgx.ErrNoRows, "Brugeren")
		}
		return audit(ctx, tx, who, 0, AuditTOTPReset, fmt.Sprintf("bruger %d", userID))
	})
}

// RecordTOTPLoginSuccess completes a password login with its TOTP code: the account's
// failures are cleared and the login audited (detail "totp").
func (s *Store) RecordTOTPLoginSuccess(ctx context.Context, who Who, username string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if err := clearLoginFailures(ctx, tx, username); err != nil {
			return err
		}
		return audit(ctx, tx, who, 0, AuditLoginOK, "totp")
	})
}
