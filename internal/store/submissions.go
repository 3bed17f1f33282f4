package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Submission is where a form submission stands, as ClaimSubmission finds it.
type Submission struct {
	// First: this is the first submission of the token; go ahead, then FinishSubmission
	// or ReleaseSubmission.
	First bool
	// ResultURL is where the first submission went; "" while it is still being handled.
	ResultURL string
}

// ClaimSubmission records that user userID is submitting the form that carries token (the
// form's one-time token). The claim is committed at once, so a second submission arriving
// while the first is still being handled finds it (First false, ResultURL ""). A claim the
// first submission released in the meantime is taken over.
func (s *Store) ClaimSubmission(ctx context.Context, userID int64, token string) (Submission, error) {
	return s.claimSubmission(ctx, userSubmissions, userID, token)
}

// FinishSubmission records where the first submission of token went (its result page).
func (s *Store) FinishSubmission(ctx context.Context, userID int64, token, resultURL string) error {
	return s.finishSubmission(ctx, userSubmissions, userID, token, resultURL)
}

// ReleaseSubmission drops a claim whose submission created nothing (the form was refused),
// so the same form, corrected, can be sent again.
func (s *Store) ReleaseSubmission(ctx context.Context, userID int64, token string) error {
	return s.releaseSubmission(ctx, userSubmissions, userID, token)
}

// ClaimSelfSubmission, FinishSelfSubmission and ReleaseSelfSubmission are the same for a form
// of the citizen area, keyed by the citizen realm's session: session is the SHA-256 (hex) of
// its session token (migration 0044), so the claim names no citizen.
func (s *Store) ClaimSelfSubmission(ctx context.Context, session, token string) (Submission, error) {
	return s.claimSubmission(ctx, selfSubmissions, session, token)
}

func (s *Store) FinishSelfSubmission(ctx context.Context, session, token, resultURL string) error {
	return s.finishSubmission(ctx, selfSubmissions, session, token, resultURL)
}

func (s *Store) ReleaseSelfSubmission(ctx context.Context, session, token string) error {
	return s.releaseSubmission(ctx, selfSubmissions, session, token)
}

// submissionSQL are one realm's statements on its table of claims, keyed by $1 (the user or
// the citizen's session) and the token $2.
type submissionSQL struct{ claim, read, finish, release string }

var (
	userSubmissions = submissionSQL{
		claim:   `INSERT INTO form_submissions (user_id, token, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, token) DO NOTHING`,
		read:    `SELECT result_url FROM form_submissions WHERE user_id = $1 AND token = $2`,
		finish:  `UPDATE form_submissions SET result_url = $3 WHERE user_id = $1 AND token = $2`,
		release: `DELETE FROM form_submissions WHERE user_id = $1 AND token = $2 AND result_url IS NULL`,
	}
	selfSubmissions = submissionSQL{
		claim:   `INSERT INTO self_form_submissions (session, token, created_at) VALUES ($1, $2, $3) ON CONFLICT (session, token) DO NOTHING`,
		read:    `SELECT result_url FROM self_form_submissions WHERE session = $1 AND token = $2`,
		finish:  `UPDATE self_form_submissions SET result_url = $3 WHERE session = $1 AND token = $2`,
		release: `DELETE FROM self_form_submissions WHERE session = $1 AND token = $2 AND result_url IS NULL`,
	}
)

func (s *Store) claimSubmission(ctx context.Context, q submissionSQL, key any, token string) (Submission, error) {
	for range 3 {
		tag, err := s.pool.Exec(ctx, q.claim, key, token, s.Now())
		if err != nil {
			return Submission{}, fmt.Errorf("claim submission: %w", err)
		}
		if tag.RowsAffected() == 1 {
			return Submission{First: true}, nil
		}
		var url *string
		err = s.pool.QueryRow(ctx, q.read, key, token).Scan(&url)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // released between the two statements: claim it again
		}
		if err != nil {
			return Submission{}, fmt.Errorf("read submission: %w", err)
		}
		if url == nil {
			return Submission{}, nil
		}
		return Submission{ResultURL: *url}, nil
	}
	return Submission{}, errors.New("claim submission: claimed and released over and over")
}

func (s *Store) finishSubmission(ctx context.Context, q submissionSQL, key any, token, resultURL string) error {
	if _, err := s.pool.Exec(ctx, q.finish, key, token, resultURL); err != nil {
		return fmt.Errorf("finish submission: %w", err)
	}
	return nil
}

func (s *Store) releaseSubmission(ctx context.Context, q submissionSQL, key any, token string) error {
	if _, err := s.pool.Exec(ctx, q.release, key, token); err != nil {
		return fmt.Errorf("release submission: %w", err)
	}
	return nil
}

// PruneSubmissions deletes the submissions recorded before before (the retention job keeps a
// day): a form resent after that is a new submission, and a form page is not kept that long.
func (s *Store) PruneSubmissions(ctx context.Context, before time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM form_submissions WHERE created_at < $1`, before); err != nil {
		return fmt.Errorf("prune submissions: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM self_form_submissions WHERE created_at < $1`, before); err != nil {
		return fmt.Errorf("prune citizen submissions: %w", err)
	}
	return nil
}
