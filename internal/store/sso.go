package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of single sign-on. A login through the identity provider is AuditLoginOK with
// the detail "sso"; a refused one AuditLoginFailed with the reason.
const (
	AuditUserProvision    = "user.provision"
	AuditSSOMappingAdd    = "sso_mapping.create"
	AuditSSOMappingDelete = "sso_mapping.delete"
)

// Why a login through the identity provider is refused after the provider vouched for the
// person: Helhed's own rules.
var (
	// ErrSSONoMapping: none of the person's groups is mapped to a unit and role.
	ErrSSONoMapping = errors.New("no group of the identity maps to a unit and role")
	// ErrSSOAmbiguous: the person's groups map to more than one unit or role.
	ErrSSOAmbiguous = errors.New("the identity's groups map to different units or roles")
	// ErrUserDisabled: the user is disabled in Helhed.
	ErrUserDisabled = errors.New("the user is disabled")
)

// SSOMapping gives the members of an identity-provider group a unit and a role.
type SSOMapping struct {
	ID        int64     `db:"id"`
	Group     string    `db:"group_name"`
	UnitID    int64     `db:"unit_id"`
	UnitName  string    `db:"unit_name"`
	Role      string    `db:"role"`
	RoleLabel string    `db:"role_label"`
	CreatedAt time.Time `db:"created_at"`
}

// MaxSSOGroup is the longest group name a mapping holds.
const MaxSSOGroup = 200

// ListSSOMappings returns a page of the mappings by group name, with the total.
func (s *Store) ListSSOMappings(ctx context.Context, pg Page) ([]SSOMapping, int, error) {
	pg = pg.normalize()
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM sso_group_mappings`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count sso mappings: %w", err)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT m.id, m.group_name, m.unit_id, n.name AS unit_name, m.role, r.label AS role_label, m.created_at
		FROM sso_group_mappings m JOIN units n ON n.id = m.unit_id JOIN roles r ON r.code = m.role
		ORDER BY m.group_name LIMIT $1 OFFSET $2`, pg.PerPage, pg.offset())
	ms, err := pgx.CollectRows(rows, pgx.RowToStructByName[SSOMapping])
	if err != nil {
		return nil, 0, fmt.Errorf("list sso mappings: %w", err)
	}
	return ms, total, nil
}

// CreateSSOMapping maps group to unit and role, audited. A group mapped already is a field
// error.
func (s *Store) CreateSSOMapping(ctx context.Context, who Who, group string, unitID int64, role string) (int64, error) {
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO sso_group_mappings (group_name, unit_id, role) VALUES ($1, $2, $3) RETURNING id`,
			group, unitID, role).Scan(&id)
		if isUniqueViolation(err, "sso_group_mappings_group_idx") {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Gruppen er allerede knyttet til en enhed og rolle",
				Fields: map[string]string{"group": "Gruppen er allerede knyttet til en enhed og rolle: fjern den først"}}
		}
		if err != nil {
			return fmt.Errorf("insert sso mapping: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditSSOMappingAdd, fmt.Sprintf("gruppe %q, enhed %d, rolle %s", group, unitID, role))
	})
	return id, err
}

// DeleteSSOMapping removes a mapping, audited with what it was. The mapping is configuration,
// not part of any case: the audit row keeps its history. Users it gave a unit keep theirs
// until their next login, which is then refused unless another mapping covers them.
func (s *Store) DeleteSSOMapping(ctx context.Context, who Who, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var group, role string
		var unitID int64
		err := tx.QueryRow(ctx, `DELETE FROM sso_group_mappings WHERE id = $1 RETURNING group_name, unit_id, role`, id).
			Scan(&group, &unitID, &role)
		if err != nil {
			return notFound(err, "Gruppen")
		}
		return audit(ctx, tx, who, 0, AuditSSOMappingDelete, fmt.Sprintf("gruppe %q, enhed %d, rolle %s", group, unitID, role))
	})
}

// SSOIdentity is a person the identity provider vouched for.
type SSOIdentity struct {
	Issuer, Subject string
	Name, Email     string
	Groups          []string
}

// SSOLogin lets a person the identity provider vouched for in: it finds the user by (issuer,
// subject) or provisions one, gives them the unit and role their groups map to (the provider
// is the source of truth, so a changed group moves them at this login), and audits the login.
// Refused, with an audit row: no mapped group (ErrSSONoMapping), groups that disagree
// (ErrSSOAmbiguous), a user disabled in Helhed (ErrUserDisabled).
func (s *Store) SSOLogin(ctx context.Context, who Who, id SSOIdentity) (User, error) {
	var userID int64
	var refused error
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var existing *int64
		var disabled bool
		err := tx.QueryRow(ctx, `SELECT id, disabled_at IS NOT NULL FROM users WHERE sso_issuer = $1 AND sso_subject = $2 FOR UPDATE`,
			id.Issuer, id.Subject).Scan(&existing, &disabled)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("find sso user: %w", err)
		}
		w := who
		if existing != nil {
			w.UserID = *existing
		}
		if existing != nil && disabled {
			refused = ErrUserDisabled
			return audit(ctx, tx, w, 0, AuditLoginFailed, "sso: deaktiveret i Helhed")
		}
		rows, _ := tx.Query(ctx, `SELECT DISTINCT unit_id, role FROM sso_group_mappings WHERE group_name = ANY($1) ORDER BY 1, 2`, id.Groups)
		type grant struct {
			Unit int64  `db:"unit_id"`
			Role string `db:"role"`
		}
		grants, err := pgx.CollectRows(rows, pgx.RowToStructByName[grant])
		if err != nil {
			return fmt.Errorf("map sso groups: %w", err)
		}
		switch len(grants) {
		case 0:
			refused = ErrSSONoMapping
			return audit(ctx, tx, w, 0, AuditLoginFailed, fmt.Sprintf("sso: ingen kendt gruppe (%d grupper)", len(id.Groups)))
		case 1:
		default:
			refused = ErrSSOAmbiguous
			return audit(ctx, tx, w, 0, AuditLoginFailed, fmt.Sprintf("sso: grupperne giver %d forskellige enheder eller roller", len(grants)))
		}
		g := grants[0]
		name := ssoName(id)
		if existing == nil {
			username, err := freeUsername(ctx, tx, ssoUsername(id))
			if err != nil {
				return err
			}
			if err := tx.QueryRow(ctx, `
				INSERT INTO users (username, name, email, unit_id, role, password_hash, sso_issuer, sso_subject)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				username, name, id.Email, g.Unit, g.Role, NoPassword, id.Issuer, id.Subject).Scan(&userID); err != nil {
				return fmt.Errorf("provision sso user: %w", err)
			}
			w.UserID = userID
			if err := audit(ctx, tx, w, 0, AuditUserProvision, fmt.Sprintf("bruger %d, enhed %d, rolle %s, fra identitetsudbyder", userID, g.Unit, g.Role)); err != nil {
				return err
			}
		} else {
			userID = *existing
			var changed bool
			if err := tx.QueryRow(ctx, `
				UPDATE users u SET name = $2, email = $3, unit_id = $4, role = $5,
				       sessions_valid_after = CASE WHEN u.unit_id <> $4 OR u.role <> $5 THEN now() ELSE u.sessions_valid_after END
				FROM users old WHERE old.id = u.id AND u.id = $1
				RETURNING old.unit_id <> $4 OR old.role <> $5`, userID, name, id.Email, g.Unit, g.Role).Scan(&changed); err != nil {
				return fmt.Errorf("update sso user: %w", err)
			}
			if changed {
				if err := audit(ctx, tx, w, 0, AuditUserUpdate, fmt.Sprintf("bruger %d, enhed %d, rolle %s, fra identitetsudbyder", userID, g.Unit, g.Role)); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, w, 0, AuditLoginOK, "sso")
	})
	if err != nil {
		return User{}, err
	}
	if refused != nil {
		return User{}, refused
	}
	return s.UserByID(ctx, userID)
}

// NoPassword is the password hash of a user who logs in only through the identity provider:
// no password verifies against it.
const NoPassword = "!sso"

var reNotUsername = regexp.MustCompile(`[^a-z0-9._-]+`)

// ssoUsername is a readable login name for a provisioned user: the e-mail address's local
// part, or the subject.
func ssoUsername(id SSOIdentity) string {
	base := strings.ToLower(id.Email)
	if i := strings.IndexByte(base, '@'); i > 0 {
		base = base[:i]
	}
	base = strings.Trim(reNotUsername.ReplaceAllString(base, "-"), "-.")
	if len(base) < 2 {
		base = "sso-" + strings.Trim(reNotUsername.ReplaceAllString(strings.ToLower(id.Subject), "-"), "-.")
	}
	if len(base) > 50 {
		base = base[:50]
	}
	if len(base) < 2 {
		base = "sso-bruger"
	}
	return base
}

// freeUsername is base, or base with the first free number after it.
func freeUsername(ctx context.Context, tx pgx.Tx, base string) (string, error) {
	name := base
	for n := 2; n < 1000; n++ {
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE username = $1)`, name).Scan(&taken); err != nil {
			return "", fmt.Errorf("check username: %w", err)
		}
		if !taken {
			return name, nil
		}
		name = base + "-" + strconv.Itoa(n)
	}
	return "", fmt.Errorf("no free username for %q", base)
}

// ssoName is the person's name as the provider gives it, or their e-mail or subject.
func ssoName(id SSOIdentity) string {
	for _, n := range []string{id.Name, id.Email, id.Subject} {
		if n = strings.TrimSpace(n); n != "" {
			if utf8.RuneCountInString(n) > 100 {
				n = string([]rune(n)[:100])
			}
			return n
		}
	}
	return "Ukendt"
}
