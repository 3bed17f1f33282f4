package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of closure, legal hold, deletion and the retention setting.
const (
	AuditSettingUpdate  = "setting.update"
	AuditCaseClose      = "case.close"
	AuditCaseReopen     = "case.reopen"
	AuditLegalHoldSet   = "case.legal_hold"
	AuditLegalHoldClear = "case.legal_hold_clear"
	// AuditCitizenDelete is the one row left of a deleted case: the citizen's internal id and
	// the reason, no personal data.
	AuditCitizenDelete = "citizen.delete"
)

// DeletionDetail is the audit detail of a deleted case.
const DeletionDetail = "sag slettet efter udløb af opbevaringsperiode"

// SettingCaseRetention is the retention period of closed cases in years, counted from the end
// of the year of closure.
const SettingCaseRetention = "case_retention_years"

// SettingRetentionGrace is how many days a shorter retention period waits before it may
// delete anything (migrations/0015): one administrator cannot delete case files for good
// within the hour, and the municipality has time to notice and to hand cases to the archive.
const SettingRetentionGrace = "retention_grace_days"

// RetentionGraceDays returns the grace period in force on day. Like the period itself, a
// missing or nonsensical value is an error, never a default.
func (s *Store) RetentionGraceDays(ctx context.Context, day time.Time) (int, error) {
	var n int
	ok, err := s.setting(ctx, SettingRetentionGrace, day, &n)
	if err != nil {
		return 0, err
	}
	if !ok || n < helhed.MinRetentionGraceDays || n > helhed.MaxRetentionGraceDays {
		return 0, fmt.Errorf("setting %s: no valid value in force on %s", SettingRetentionGrace, day.Format(time.DateOnly))
	}
	return n, nil
}

// jobRetentionYears is the period the deletion job applies on day. A value shorter than one
// before it takes effect on its valid-from day, but not before the grace period has passed
// since it was written (created_at, Danish date), so a shorter period written straight into
// the table, or dated in the past, deletes only what was due before it for grace days.
func (s *Store) jobRetentionYears(ctx context.Context, day time.Time, grace int) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `
		WITH p AS (
			SELECT valid_from, created_at, (value #>> '{}')::int AS years,
			       max((value #>> '{}')::int) OVER (ORDER BY valid_from ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS longest_before
			FROM settings WHERE key = $1 AND jsonb_typeof(value) = 'number')
		SELECT years FROM p
		WHERE CASE WHEN years < longest_before
		           THEN greatest(valid_from, (created_at AT TIME ZONE 'Europe/Copenhagen')::date + $3::int)
		           ELSE valid_from END <= $2::date
		ORDER BY valid_from DESC LIMIT 1`, SettingCaseRetention, day, grace).Scan(&n)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("setting %s: %w", SettingCaseRetention, err)
	}
	if n < helhed.MinRetentionYears || n > helhed.MaxRetentionYears {
		return 0, fmt.Errorf("setting %s: no valid value in force on %s", SettingCaseRetention, day.Format(time.DateOnly))
	}
	return n, nil
}

// retentionChange works out when a new period of years, asked to be valid from validFrom,
// takes effect: at once if it is not shorter than the period in force on that day and today,
// otherwise not before the grace period has passed. cur is the period in force on the day it
// takes effect, before the change (0: none is).
func (s *Store) retentionChange(ctx context.Context, years int, validFrom time.Time) (from time.Time, cur, grace int, shortens bool, err error) {
	today := helhed.RetentionDay(s.Now())
	if grace, err = s.RetentionGraceDays(ctx, today); err != nil {
		return from, 0, 0, false, err
	}
	from = validFrom
	for _, day := range []time.Time{validFrom, today} {
		n, err := s.CaseRetentionYears(ctx, day)
		if err != nil || years < n {
			shortens = true // no period in force counts as the longest: nothing is deleted now
		}
	}
	if shortens && from.Before(today.AddDate(0, 0, grace)) {
		from = today.AddDate(0, 0, grace)
	}
	if cur, err = s.CaseRetentionYears(ctx, from); err != nil {
		cur = 0
	}
	return from, cur, grace, shortens, nil
}

// ClosureYearCount is how many closed cases of one year of closure a change would delete.
type ClosureYearCount struct {
	Year  int `db:"year"`
	Cases int `db:"cases"`
}

// RetentionPreview is what a new retention period would do, for the administrator to confirm:
// when it takes effect and which closed cases (counted per year of closure, no names) it
// would delete then that the period in force would keep.
type RetentionPreview struct {
	Years, CurrentYears int
	GraceDays           int
	EffectiveFrom       time.Time
	Shortens            bool
	ByYear              []ClosureYearCount
	Total               int
}

// RetentionChangePreview previews a new period of years valid from validFrom
// (SetCaseRetentionYears would store it from EffectiveFrom). Cases on legal hold are not
// counted; cases closed later may add to the number.
func (s *Store) RetentionChangePreview(ctx context.Context, years int, validFrom time.Time) (RetentionPreview, error) {
	from, cur, grace, shortens, err := s.retentionChange(ctx, years, validFrom)
	p := RetentionPreview{Years: years, CurrentYears: cur, GraceDays: grace, EffectiveFrom: from, Shortens: shortens}
	if err != nil || !shortens {
		return p, err
	}
	on := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	var keptFrom any // closed before this: due anyway under the period in force
	if cur > 0 {
		keptFrom = helhed.CaseDeletionCutoff(on, cur)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT extract(year FROM closed_at AT TIME ZONE 'Europe/Copenhagen')::int AS year, count(*)::int AS cases
		FROM citizens
		WHERE closed_at < $1 AND ($2::timestamptz IS NULL OR closed_at >= $2) AND legal_hold_at IS NULL
		GROUP BY 1 ORDER BY 1`, helhed.CaseDeletionCutoff(on, years), keptFrom)
	if p.ByYear, err = pgx.CollectRows(rows, pgx.RowToStructByName[ClosureYearCount]); err != nil {
		return p, fmt.Errorf("retention preview: %w", err)
	}
	for _, y := range p.ByYear {
		p.Total += y.Cases
	}
	return p, nil
}

// CaseRetentionYears returns the retention period in force on day. A missing or nonsensical
// setting is an error, never a default: a wrong number deletes case files for good.
func (s *Store) CaseRetentionYears(ctx context.Context, day time.Time) (int, error) {
	var n int
	ok, err := s.setting(ctx, SettingCaseRetention, day, &n)
	if err != nil {
		return 0, err
	}
	if !ok || n < helhed.MinRetentionYears || n > helhed.MaxRetentionYears {
		return 0, fmt.Errorf("setting %s: no valid value in force on %s", SettingCaseRetention, day.Format(time.DateOnly))
	}
	return n, nil
}

// SetCaseRetentionYears records a new retention period valid from a day (an administrator's
// decision, kept with who made it; earlier values stay for history) and returns the day it
// is valid from: a shorter period than the one in force is dated no earlier than the grace
// period from today (RetentionChangePreview shows the administrator what it will delete).
func (s *Store) SetCaseRetentionYears(ctx context.Context, who Who, validFrom time.Time, years int, note string) (time.Time, error) {
	if years < helhed.MinRetentionYears || years > helhed.MaxRetentionYears {
		return validFrom, &helhed.Error{Code: helhed.EInvalid, Message: "Opbevaringsperioden er ikke gyldig",
			Fields: map[string]string{"years": fmt.Sprintf("Angiv et helt antal år mellem %d og %d", helhed.MinRetentionYears, helhed.MaxRetentionYears)}}
	}
	validFrom, _, _, _, err := s.retentionChange(ctx, years, validFrom)
	if err != nil {
		return validFrom, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO settings (key, valid_from, value, note, created_by) VALUES ($1, $2, to_jsonb($3::int), $4, $5)
			ON CONFLICT (key, valid_from) DO UPDATE SET value = EXCLUDED.value, note = EXCLUDED.note,
			       created_by = EXCLUDED.created_by, created_at = now()`,
			SettingCaseRetention, validFrom, years, note, nullInt(who.UserID))
		if err != nil {
			return fmt.Errorf("set retention: %w", err)
		}
		return audit(ctx, tx, who, 0, AuditSettingUpdate, fmt.Sprintf("%s = %d fra %s", SettingCaseRetention, years, validFrom.Format(time.DateOnly)))
	})
	s.dropSettings()
	return validFrom, err
}

// updateCase runs one closure or hold change on citizen id: q must update the row only when
// the change applies and return nothing otherwise, so a repeated click is a clear conflict
// (with msg) and a missing citizen is not found.
func (s *Store) updateCase(ctx context.Context, who Who, id int64, q string, args []any, msg, action, detail string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, append([]any{id}, args...)...)
		if err != nil {
			return fmt.Errorf("%s: %w", action, err)
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM citizens WHERE id = $1)`, id).Scan(&exists); err != nil {
				return fmt.Errorf("%s: %w", action, err)
			}
			if !exists {
				return helhed.ErrNotFound
			}
			return &helhed.Error{Code: helhed.EConflict, Message: msg}
		}
		return audit(ctx, tx, who, id, action, detail)
	})
}

// CloseCase closes the citizen's case with a reason; the retention period starts to run at
// the end of this year. The reason is not copied into the audit log, which outlives the case.
func (s *Store) CloseCase(ctx context.Context, who Who, id int64, reason string) error {
	return s.updateCase(ctx, who, id, `
		UPDATE citizens SET closed_at = $2, closed_reason = $3, closed_by = $4 WHERE id = $1 AND closed_at IS NULL`,
		[]any{s.Now(), reason, nullInt(who.UserID)}, "Sagen er allerede afsluttet.", AuditCaseClose, "sag afsluttet")
}

// ReopenCase reopens a closed case: the retention period no longer runs.
func (s *Store) ReopenCase(ctx context.Context, who Who, id int64) error {
	return s.updateCase(ctx, who, id, `
		UPDATE citizens SET closed_at = NULL, closed_reason = '', closed_by = NULL WHERE id = $1 AND closed_at IS NOT NULL`,
		nil, "Sagen er ikke afsluttet.", AuditCaseReopen, "sag genåbnet")
}

// SetLegalHold stops the deletion of the citizen's case until the hold is lifted.
func (s *Store) SetLegalHold(ctx context.Context, who Who, id int64, reason string) error {
	return s.updateCase(ctx, who, id, `
		UPDATE citizens SET legal_hold_at = $2, legal_hold_reason = $3, legal_hold_by = $4 WHERE id = $1 AND legal_hold_at IS NULL`,
		[]any{s.Now(), reason, nullInt(who.UserID)}, "Sagen har allerede slettestop.", AuditLegalHoldSet, "slettestop")
}

// ClearLegalHold lifts the legal hold; a closed case past its retention period is deleted by
// the next run of the retention job.
func (s *Store) ClearLegalHold(ctx context.Context, who Who, id int64) error {
	return s.updateCase(ctx, who, id, `
		UPDATE citizens SET legal_hold_at = NULL, legal_hold_reason = '', legal_hold_by = NULL WHERE id = $1 AND legal_hold_at IS NOT NULL`,
		nil, "Sagen har ikke slettestop.", AuditLegalHoldClear, "slettestop ophævet")
}

// deleteBatch is how many cases one transaction of the retention job deletes: large enough
// to clear a backlog in few round trips, small enough to hold its locks only briefly.
const deleteBatch = 100

// DeleteExpiredCases deletes every closed case whose retention period has run out on the
// store's clock and that has no legal hold, and returns the deleted citizens' ids. A shorter
// period deletes nothing until the grace period since it was written has passed
// (jobRetentionYears). Each
// batch is one statement in one transaction: the citizens' rows go with every row that
// references them (ON DELETE CASCADE, see migrations/0008), and one audit row per citizen
// records the deletion with the citizen's id only. A case reopened or put on hold while the
// job runs is skipped: the condition is evaluated on the row as it is when deleted.
func (s *Store) DeleteExpiredCases(ctx context.Context) ([]int64, error) {
	now := s.Now()
	day := helhed.RetentionDay(now)
	grace, err := s.RetentionGraceDays(ctx, day)
	if err != nil {
		return nil, err
	}
	years, err := s.jobRetentionYears(ctx, day, grace)
	if err != nil {
		return nil, err
	}
	cutoff := helhed.CaseDeletionCutoff(now, years)
	var deleted []int64
	for {
		var batch []int64
		err := s.inTx(ctx, func(tx pgx.Tx) error {
			// The deletion (with its cascades, which run at the end of the statement), then
			// the audit rows of what it deleted.
			rows, _ := tx.Query(ctx, `
				DELETE FROM citizens WHERE id IN (
					SELECT id FROM citizens WHERE closed_at < $1 AND legal_hold_at IS NULL
					ORDER BY closed_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
				RETURNING id`, cutoff, deleteBatch)
			var err error
			if batch, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil || len(batch) == 0 {
				return err
			}
			_, err = tx.Exec(ctx, `
				INSERT INTO audit_events (citizen_id, action, detail, request_id)
				SELECT id, $2, $3, 'opbevaring' FROM unnest($1::bigint[]) WITH ORDINALITY AS g(id, n) ORDER BY n`,
				batch, AuditCitizenDelete, DeletionDetail)
			return err
		})
		if err != nil {
			return deleted, fmt.Errorf("delete expired cases: %w", err)
		}
		deleted = append(deleted, batch...)
		if len(batch) < deleteBatch {
			return deleted, nil
		}
	}
}

// RetentionResult says what one run of the retention jobs deleted.
type RetentionResult struct {
	AuditRows int64
	Cases     []int64 // ids of the deleted citizens
}

// RunRetention runs every retention job once, on the store's clock: failed logins older than
// a day no longer count, form submissions older than a day are forgotten, closed cases past
// their retention period are deleted, and audit rows older than auditRetention are deleted. Cases go before the audit purge, so the audit rows
// of their deletion are the newest rows about them. Each job runs even when another fails;
// the errors are joined.
func (s *Store) RunRetention(ctx context.Context, auditRetention time.Duration) (RetentionResult, error) {
	var res RetentionResult
	now := s.Now()
	errLogins := s.PruneLoginFailures(ctx, now.Add(-LoginMemory))
	errSubmissions := s.PruneSubmissions(ctx, now.Add(-24*time.Hour))
	var errCases, errAudit error
	res.Cases, errCases = s.DeleteExpiredCases(ctx)
	res.AuditRows, errAudit = s.PurgeAudit(ctx, now.Add(-auditRetention))
	return res, errors.Join(errLogins, errSubmissions, errCases, errAudit)
}

// RetentionCase is one closed or held case as the administrator's retention overview shows
// it: the internal id and the unit, never the name or CPR number.
type RetentionCase struct {
	ID              int64      `db:"id"`
	UnitName        string     `db:"unit_name"`
	ClosedAt        *time.Time `db:"closed_at"`
	LegalHoldAt     *time.Time `db:"legal_hold_at"`
	LegalHoldReason string     `db:"legal_hold_reason"`
	LegalHoldByName *string    `db:"legal_hold_by_name"`
}

const retentionCaseSelect = `
	SELECT c.id, n.name AS unit_name, c.closed_at, c.legal_hold_at, c.legal_hold_reason, hb.name AS legal_hold_by_name
	FROM citizens c JOIN units n ON n.id = c.unit_id LEFT JOIN users hb ON hb.id = c.legal_hold_by`

// RetentionCases returns a page of closed or held cases, closed longest ago first (held open
// cases last), and the total count (index citizens_closed_idx).
func (s *Store) RetentionCases(ctx context.Context, pg Page) ([]RetentionCase, int, error) {
	pg = pg.normalize()
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM citizens WHERE closed_at IS NOT NULL OR legal_hold_at IS NOT NULL`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count retention cases: %w", err)
	}
	rows, _ := s.pool.Query(ctx, retentionCaseSelect+`
		WHERE c.closed_at IS NOT NULL OR c.legal_hold_at IS NOT NULL
		ORDER BY c.closed_at NULLS LAST, c.id LIMIT $1 OFFSET $2`, pg.PerPage, pg.offset())
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[RetentionCase])
	if err != nil {
		return nil, 0, fmt.Errorf("retention cases: %w", err)
	}
	return cs, total, nil
}

// RetentionCaseByID loads one case for the retention overview.
func (s *Store) RetentionCaseByID(ctx context.Context, id int64) (RetentionCase, error) {
	rows, _ := s.pool.Query(ctx, retentionCaseSelect+` WHERE c.id = $1`, id)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RetentionCase])
	if err != nil {
		return RetentionCase{}, notFound(err, "Sagen")
	}
	return c, nil
}

// RetentionPeriod is one dated value of the retention period.
type RetentionPeriod struct {
	ValidFrom time.Time `db:"valid_from"`
	Years     int       `db:"years"`
	Note      string    `db:"note"`
}

// RetentionPeriods lists every value the retention period has had or will have, newest first.
func (s *Store) RetentionPeriods(ctx context.Context) ([]RetentionPeriod, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT valid_from, (value #>> '{}')::int AS years, note FROM settings
		WHERE key = $1 AND jsonb_typeof(value) = 'number' ORDER BY valid_from DESC`, SettingCaseRetention)
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[RetentionPeriod])
	if err != nil {
		return nil, fmt.Errorf("retention periods: %w", err)
	}
	return ps, nil
}
