package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// User is a member of staff.
type User struct {
	ID                 int64      `db:"id"`
	Username           string     `db:"username"`
	Name               string     `db:"name"`
	Email              string     `db:"email"`
	UnitID             int64      `db:"unit_id"`
	UnitName           string     `db:"unit_name"`
	UnitKind           string     `db:"unit_kind"`
	Role               string     `db:"role"`
	RoleLabel          string     `db:"role_label"`
	PasswordHash       string     `db:"password_hash"`
	DisabledAt         *time.Time `db:"disabled_at"`
	SessionsValidAfter time.Time  `db:"sessions_valid_after"`
	CreatedAt          time.Time  `db:"created_at"`
	// MustChangePassword is set when an administrator chose the password: the user must
	// choose their own before anything else.
	MustChangePassword bool `db:"must_change_password"`
	// TOTPEnabled: the user has confirmed a TOTP app; a password login then asks for a code.
	TOTPEnabled bool `db:"totp_enabled"`
}

// SSOOnly reports a user who logs in only through the identity provider (no password).
func (u User) SSOOnly() bool { return u.PasswordHash == NoPassword }

// Active reports whether the user may log in.
func (u User) Active() bool { return u.DisabledAt == nil }

const userSelect = `
	SELECT u.id, u.username, u.name, u.email, u.unit_id, n.name AS unit_name, n.kind AS unit_kind,
	       u.role, r.label AS role_label, u.password_hash, u.disabled_at, u.sessions_valid_after, u.created_at,
	       u.must_change_password, u.totp_enabled_at IS NOT NULL AS totp_enabled
	FROM users u JOIN units n ON n.id = u.unit_id JOIN roles r ON r.code = u.role`

// UserByID loads one user.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	rows, _ := s.pool.Query(ctx, userSelect+` WHERE u.id = $1`, id)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[User])
	if err != nil {
		return User{}, notFound(err, "Brugeren")
	}
	return u, nil
}

// UserByUsername loads one user by login name.
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	rows, _ := s.pool.Query(ctx, userSelect+` WHERE u.username = $1`, username)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[User])
	if err != nil {
		return User{}, notFound(err, "Brugeren")
	}
	return u, nil
}

// ListUsers returns a page of users ordered by name, with the total.
func (s *Store) ListUsers(ctx context.Context, pg Page) ([]User, int, error) {
	pg = pg.normalize()
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	rows, _ := s.pool.Query(ctx, userSelect+` ORDER BY u.name, u.id LIMIT $1 OFFSET $2`, pg.PerPage, pg.offset())
	us, err := pgx.CollectRows(rows, pgx.RowToStructByName[User])
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	return us, total, nil
}

// UsersInUnitWithRole lists active users of a unit with a role (e.g. the caseworkers one may
// assign a citizen to). Small by nature: a unit has tens of staff.
func (s *Store) UsersInUnitWithRole(ctx context.Context, unitID int64, role string) ([]User, error) {
	rows, _ := s.pool.Query(ctx, userSelect+`
		WHERE u.unit_id = $1 AND u.role = $2 AND u.disabled_at IS NULL ORDER BY u.name`, unitID, role)
	us, err := pgx.CollectRows(rows, pgx.RowToStructByName[User])
	if err != nil {
		return nil, fmt.Errorf("list users of unit: %w", err)
	}
	return us, nil
}

// UsersWithRoles lists the active users with any of the roles, by name (the candidates for a
// rehabiliteringsteam: a municipality's case-working staff, hundreds at most).
func (s *Store) UsersWithRoles(ctx context.Context, roles []string) ([]User, error) {
	rows, _ := s.pool.Query(ctx, userSelect+`
		WHERE u.role = ANY($1) AND u.disabled_at IS NULL ORDER BY u.name, u.id`, roles)
	us, err := pgx.CollectRows(rows, pgx.RowToStructByName[User])
	if err != nil {
		return nil, fmt.Errorf("list users with roles: %w", err)
	}
	return us, nil
}

// NewUser is the input for creating a user; PasswordHash is already hashed.
// MustChangePassword makes the user choose their own password at the first login (set when
// an administrator chose this one).
type NewUser struct {
	Username, Name, Email string
	UnitID                int64
	Role                  string
	PasswordHash          string
	MustChangePassword    bool
}

// CreateUser inserts a user and audits it. A taken username is a field error.
func (s *Store) CreateUser(ctx context.Context, who Who, nu NewUser) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO users (username, name, email, unit_id, role, password_hash, must_change_password)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			nu.Username, nu.Name, nu.Email, nu.UnitID, nu.Role, nu.PasswordHash, nu.MustChangePassword).Scan(&id)
		if isUniqueViolation(err, "users_username_idx") {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Brugernavnet er optaget",
				Fields: map[string]string{"username": "Brugernavnet er allerede i brug"}}
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditUserCreate, fmt.Sprintf("bruger %d, enhed %d, rolle %s", id, nu.UnitID, nu.Role))
	})
	return id, err
}

// UpdateUser changes a user's name, e-mail, unit and role. A change of unit or role ends the
// user's sessions, because what they may see has changed.
func (s *Store) UpdateUser(ctx context.Context, who Who, id int64, name, email string, unitID int64, role string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE users SET name = $2, email = $3, unit_id = $4, role = $5,
			       sessions_valid_after = CASE WHEN unit_id <> $4 OR role <> $5 THEN now() ELSE sessions_valid_after END
			WHERE id = $1`, id, name, email, unitID, role)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return helhed.ErrNotFound
		}
		return audit(ctx, tx, who, 0, AuditUserUpdate, fmt.Sprintf("bruger %d, enhed %d, rolle %s", id, unitID, role))
	})
}

// SetUserDisabled disables (or re-enables) a user. Disabling voids every session of theirs:
// the session middleware compares sessions_valid_after on every request.
func (s *Store) SetUserDisabled(ctx context.Context, who Who, id int64, disabled bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		q := `UPDATE users SET disabled_at = NULL WHERE id = $1`
		detail := fmt.Sprintf("bruger %d genaktiveret", id)
		if disabled {
			q = `UPDATE users SET disabled_at = now(), sessions_valid_after = now() WHERE id = $1`
			detail = fmt.Sprintf("bruger %d deaktiveret", id)
		}
		tag, err := tx.Exec(ctx, q, id)
		if err != nil {
			return fmt.Errorf("disable user: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return helhed.ErrNotFound
		}
		return audit(ctx, tx, who, 0, AuditUserDisable, detail)
	})
}

// AuditPasswordChange is a user changing their own password.
const AuditPasswordChange = "user.password_change"

// SetPassword is an administrator's reset: it stores a new password hash, ends every session
// of the user's, and makes them choose their own password at the next login (the
// administrator knows this one).
func (s *Store) SetPassword(ctx context.Context, who Who, id int64, hash string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE users SET password_hash = $2, must_change_password = true, sessions_valid_after = now()
			WHERE id = $1`, id, hash)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return helhed.ErrNotFound
		}
		return audit(ctx, tx, who, 0, AuditUserUpdate, fmt.Sprintf("bruger %d: ny adgangskode, skal skiftes ved næste login", id))
	})
}

// ChangeOwnPassword stores the password a user chose themselves (the caller has checked the
// current one): it clears MustChangePassword and the account's failed logins, and ends the
// user's sessions. It returns the new sessions_valid_after, so the session that made the
// change can be kept by dating its login there.
func (s *Store) ChangeOwnPassword(ctx context.Context, who Who, id int64, hash string) (validAfter time.Time, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var username string
		err := tx.QueryRow(ctx, `
			UPDATE users SET password_hash = $2, must_change_password = false, sessions_valid_after = now()
			WHERE id = $1 RETURNING username, sessions_valid_after`, id, hash).Scan(&username, &validAfter)
		if err != nil {
			return notFound(err, "Brugeren")
		}
		if err := clearLoginFailures(ctx, tx, username); err != nil {
			return err
		}
		return audit(ctx, tx, who, 0, AuditPasswordChange, fmt.Sprintf("bruger %d skiftede sin adgangskode", id))
	})
	return validAfter, err
}
