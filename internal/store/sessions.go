package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SessionWithUser reads a live session and, in the same statement, the user it was written
// for (sessions.user_id, migration 0043): one round trip where a page used to make two. user
// is nil for a session without a user (before login) or one written before the column existed;
// the caller then reads the user by the id in the session's data.
// The user's columns are userSelect's: TestSessionWithUserReadsTheWholeUser holds the two alike.
func (s *Store) SessionWithUser(ctx context.Context, token string) (data []byte, user *User, found bool, err error) {
	var (
		u      User
		uid    *int64
		unitID *int64
		strs   [8]*string
		must   *bool
		totp   *bool
		valid  *time.Time
		create *time.Time
	)
	err = s.pool.QueryRow(ctx, `
		SELECT s.data, u.id, u.username, u.name, u.email, u.unit_id, u.unit_name, u.unit_kind,
		       u.role, u.role_label, u.password_hash, u.disabled_at, u.sessions_valid_after, u.created_at,
		       u.must_change_password, u.totp_enabled
		FROM sessions s
		LEFT JOIN LATERAL (`+userSelect+` WHERE u.id = s.user_id) u ON true
		WHERE s.token = $1 AND current_timestamp < s.expiry`, token).Scan(
		&data, &uid, &strs[0], &strs[1], &strs[2], &unitID, &strs[3], &strs[4],
		&strs[5], &strs[6], &strs[7], &u.DisabledAt, &valid, &create, &must, &totp)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, fmt.Errorf("read session: %w", err)
	}
	if uid == nil {
		return data, nil, true, nil
	}
	u.ID, u.UnitID, u.MustChangePassword, u.TOTPEnabled, u.SessionsValidAfter, u.CreatedAt = *uid, *unitID, *must, *totp, *valid, *create
	u.Username, u.Name, u.Email, u.UnitName, u.UnitKind, u.Role, u.RoleLabel, u.PasswordHash = *strs[0], *strs[1], *strs[2], *strs[3], *strs[4], *strs[5], *strs[6], *strs[7]
	return data, &u, true, nil
}

// CommitSession writes a session (scs's encoded data and deadline) with the id of its user,
// 0 for none.
func (s *Store) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time, userID int64) error {
	if _, err := s.pool.Exec(ctx, `
		INSERT INTO sessions (token, data, expiry, user_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, user_id = EXCLUDED.user_id`,
		token, data, expiry, nullInt(userID)); err != nil {
		return fmt.Errorf("write session: %w", err)
	}
	return nil
}
