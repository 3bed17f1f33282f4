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
	for range 3 {
		tag, err := s.pool.Exec(ctx, `
			INSERT INTO form_submissions (user_id, token, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, token) DO NOTHING`, userID, token, s.Now())
		if err != nil {
			return Submission{}, fmt.Errorf("claim submission: %w", err)
		}
		if tag.RowsAffected() == 1 {
			return Submission{First: true}, nil
		}
		var url *string
		err = s.pool.QueryRow(ctx, `SELECT result_url FROM form_submissions WHERE user_id = $1 AND token = $2`,
			userID, token).Scan(&url)
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

// FinishSubmission records where a claimed submission went (the page its 303 named).
func (s *Store) FinishSubmission(ctx context.Context, userID int64, token, resultURL string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE form_submissions SET result_url = $3 WHERE user_id = $1 AND token = $2`,
		userID, token, resultURL); err != nil {
		return fmt.Errorf("finish submission: %w", err)
	}
	return nil
}

// ReleaseSubmission drops a claim whose submission created nothing (the form was refused),
// so the same form, corrected, can be sent again.
func (s *Store) ReleaseSubmission(ctx context.Context, userID int64, token string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM form_submissions WHERE user_id = $1 AND token = $2 AND result_url IS NULL`,
		userID, token); err != nil {
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
	return nil
}
