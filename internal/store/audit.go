package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Who identifies the person and request behind a use case, for the audit row.
type Who struct {
	UserID    int64
	RequestID string
	// Citizen is set when the citizen themself acts, signed in to the citizen area (UserID
	// is then 0). Their audit rows have no user and their action carries SelfPrefix: the
	// actor kind is part of the hashed action, so the audit chain protects it too.
	Citizen int64
}

// SelfPrefix starts the action of every audit row the citizen wrote themself
// ("self.consent.withdraw"); ActorOf reads it back.
const SelfPrefix = "self."

// Actor kinds of an audit row (ActorOf).
const (
	ActorStaff   = "staff"
	ActorCitizen = "citizen"
)

// ActorOf says who acted in an audit row: the citizen themself or staff (a user, or Helhed).
func ActorOf(action string) string {
	if strings.HasPrefix(action, SelfPrefix) {
		return ActorCitizen
	}
	return ActorStaff
}

// auditAction is the action as written for who: the citizen's own actions carry SelfPrefix.
func auditAction(who Who, action string) string {
	if who.Citizen != 0 && !strings.HasPrefix(action, SelfPrefix) {
		return SelfPrefix + action
	}
	return action
}

// Audit actions. They are stable strings because auditors search for them.
const (
	AuditCitizenView   = "citizen.view"
	AuditCitizenCreate = "citizen.create"
	AuditCitizenUpdate = "citizen.update"
	AuditCitizenSearch = "citizen.search"
	AuditCitizenDenied = "citizen.denied"
	AuditCPRReveal     = "citizen.reveal_cpr"
	// AuditCPRCheck is a create refused because the CPR number is registered (the row names
	// that citizen); AuditCPRCheckLimit an attempt refused by the per-user limit.
	AuditCPRCheck      = "citizen.cpr_check"
	AuditCPRCheckLimit = "citizen.cpr_check_limit"
	AuditCaseloadView  = "caseload.view"
	AuditLoginOK       = "login.success"
	AuditLoginFailed   = "login.failure"
	AuditLoginThrottle = "login.throttled"
	AuditLogout        = "logout"
	AuditUserCreate    = "user.create"
	AuditUserUpdate    = "user.update"
	AuditUserDisable   = "user.disable"
	AuditUnitCreate    = "unit.create"
	AuditRoleUpdate    = "role.update"
	AuditAuditSearch   = "audit.search"
	AuditForbidden     = "access.denied"

	AuditOfferCreate        = "offer.create"
	AuditOfferUpdate        = "offer.update"
	AuditReferralCreate     = "referral.create"
	AuditReferralTransition = "referral.transition"
	AuditReferralView       = "referral.view"
	AuditReferralList       = "referral.list" // an inbox or referral list with citizens' names
	// AuditScreeningGP: the caseworker encouraged the citizen to see their own doctor after a
	// low WHO-5.
	AuditScreeningGP        = "screening.gp_encouraged"
	AuditReferralAttendance = "referral.attendance"
	AuditReferralReport     = "referral.report"
)

// AuditEvent is one row of the audit log.
type AuditEvent struct {
	ID        int64     `db:"id"`
	At        time.Time `db:"at"`
	UserID    *int64    `db:"user_id"`
	UserName  *string   `db:"user_name"`
	CitizenID *int64    `db:"citizen_id"`
	// CitizenIDs are the citizens a list view showed (nil for other rows).
	CitizenIDs []int64 `db:"citizen_ids"`
	Action     string  `db:"action"`
	Detail     string  `db:"detail"`
	RequestID  string  `db:"request_id"`
}

// audit writes one audit row inside tx; citizenID 0 means none. The row is inserted
// unsealed and takes no lock; SealAudit puts it into the chain after tx commits.
func audit(ctx context.Context, tx pgx.Tx, who Who, citizenID int64, action, detail string) error {
	_, err := tx.Exec(ctx, auditInsert, nullInt(who.UserID), nullInt(citizenID), auditAction(who, action), detail, who.RequestID)
	if err != nil {
		return fmt.Errorf("write audit row: %w", err)
	}
	return nil
}

// auditInsert is audit's statement.
const auditInsert = `INSERT INTO audit_events (user_id, citizen_id, action, detail, request_id) VALUES ($1, $2, $3, $4, $5)`

// Audit writes a stand-alone audit row (for events with no other change: a read, a denial).
// The one statement is its own transaction.
func (s *Store) Audit(ctx context.Context, who Who, citizenID int64, action, detail string) error {
	if _, err := s.pool.Exec(ctx, auditInsert, nullInt(who.UserID), nullInt(citizenID), auditAction(who, action), detail, who.RequestID); err != nil {
		return fmt.Errorf("write audit row: %w", err)
	}
	return nil
}

// AuditList writes the audit row of a list view (a caseload, search results, an inbox, an
// agenda): one row with the criterion (filter names and codes, never typed text) and the ids
// of the citizens the page showed, so a search by citizen finds the lists they were on. Like
// Audit, the one statement is its own transaction.
func (s *Store) AuditList(ctx context.Context, who Who, action, criterion string, citizenIDs []int64) error {
	var ids any
	if len(citizenIDs) > 0 {
		ids = citizenIDs
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO audit_events (user_id, action, detail, request_id, citizen_ids) VALUES ($1, $2, $3, $4, $5)`,
		nullInt(who.UserID), action, criterion, who.RequestID, ids)
	if err != nil {
		return fmt.Errorf("write audit row: %w", err)
	}
	return nil
}

// AuditFilter narrows an audit search. Zero values mean "any".
type AuditFilter struct {
	CitizenID int64
	UserID    int64
	Action    string
	From, To  time.Time // To is exclusive
}

// SearchAudit returns a page of audit rows, newest first, and the total count.
func (s *Store) SearchAudit(ctx context.Context, f AuditFilter, pg Page) ([]AuditEvent, int, error) {
	pg = pg.normalize()
	var w filters
	if f.CitizenID != 0 {
		// The citizen's own rows and the list views that showed them (two indexes, OR-ed).
		w.add("(a.citizen_id = $? OR a.citizen_ids @> ARRAY[$?::bigint])", f.CitizenID, f.CitizenID)
	}
	if f.UserID != 0 {
		w.add("a.user_id = $?", f.UserID)
	}
	if f.Action != "" {
		w.add("a.action = $?", f.Action)
	}
	if !f.From.IsZero() {
		w.add("a.at >= $?", f.From)
	}
	if !f.To.IsZero() {
		w.add("a.at < $?", f.To)
	}
	q := `
		SELECT a.id, a.at, a.user_id, u.name AS user_name, a.citizen_id, a.citizen_ids, a.action, a.detail, a.request_id,
		       count(*) OVER () AS total
		FROM audit_events a LEFT JOIN users u ON u.id = a.user_id` + w.where() + `
		ORDER BY a.at DESC, a.id DESC
		LIMIT ` + w.arg(pg.PerPage) + ` OFFSET ` + w.arg(pg.offset())
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("search audit: %w", err)
	}
	type row struct {
		AuditEvent
		Total int `db:"total"`
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
	if err != nil {
		return nil, 0, fmt.Errorf("search audit: %w", err)
	}
	total := 0
	out := make([]AuditEvent, len(rs))
	for i, r := range rs {
		out[i], total = r.AuditEvent, r.Total
	}
	return out, total, nil
}

// PurgeAudit deletes audit rows older than cutoff (the retention job) and returns how many.
// It seals first: audit_purge removes only rows in the chain, so an old row still waiting for
// its seal would otherwise stay until the next run.
func (s *Store) PurgeAudit(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := s.SealAudit(ctx); err != nil {
		return 0, err
	}
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT audit_purge($1)`, cutoff).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("purge audit: %w", err)
	}
	return n, nil
}
