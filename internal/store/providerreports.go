package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Providers report back on the referrals they work (Faxe's closed loop): the citizen's
// attendance per session or per week, status reports while the course runs, and one
// afslutningsnotat when it ends. Only the provider unit writes them (access.ReportOnReferral);
// they are classified by the referral's row (access.ProviderReportRow).

// Attendance periods and marks (migration 0033's CHECKs): the product's own fixed codes.
const (
	PeriodSession = "gang"
	PeriodWeek    = "uge"

	Attended      = "moedt"
	Excused       = "afbud"
	NoShow        = "udeblevet"
	ReportStatus  = "status"
	ReportClosing = "afslutning"

	// SettingNoShowWarning is the number of no-shows on one open referral from which the
	// caseworker is warned (setting no_show_warning).
	SettingNoShowWarning = "no_show_warning"
	defaultNoShowWarning = 3
	// feedbackLimit is how many attendance marks and reports one referral page shows: a
	// weekly course of a year has 52, a course of daily sessions a few hundred.
	feedbackLimit = 500
)

// AttendanceLabels and ReportLabels are the Danish names of the codes.
var (
	AttendanceLabels = map[string]string{Attended: "Mødt", Excused: "Meldt afbud", NoShow: "Udeblevet"}
	PeriodLabels     = map[string]string{PeriodSession: "Gang", PeriodWeek: "Uge"}
	ReportLabels     = map[string]string{ReportStatus: "Statusrapport", ReportClosing: "Afslutningsnotat"}
)

// AttendanceMark is the citizen's attendance at one session or in one week.
type AttendanceMark struct {
	ID         int64     `db:"id"`
	Period     string    `db:"period"`
	HeldOn     time.Time `db:"held_on"`
	Attendance string    `db:"attendance"`
	Note       string    `db:"note"`
	RecordedBy string    `db:"recorded_by_name"`
	RecordedAt time.Time `db:"recorded_at"`
}

// ProviderReport is a status report or the afslutningsnotat.
type ProviderReport struct {
	ID        int64     `db:"id"`
	Kind      string    `db:"kind"`
	Text      string    `db:"text"`
	WrittenBy string    `db:"written_by_name"`
	WrittenAt time.Time `db:"written_at"`
}

// lockReferralState locks the citizen's referral and returns its state (not found under
// another citizen).
func lockReferralState(ctx context.Context, tx pgx.Tx, citizenID, id int64) (helhed.ReferralState, error) {
	var st helhed.ReferralState
	err := tx.QueryRow(ctx, `SELECT state FROM referrals WHERE id = $1 AND citizen_id = $2 FOR UPDATE`, id, citizenID).Scan(&st)
	if err != nil {
		return "", notFound(err, "Henvisningen")
	}
	return st, nil
}

// RecordAttendance records the citizen's attendance at a session (period gang, on the day) or
// in a week (period uge, heldOn the week's Monday) of an accepted or started referral. The
// same session or week recorded again is corrected, not doubled.
func (s *Store) RecordAttendance(ctx context.Context, who Who, citizenID, id int64, period string, heldOn time.Time, mark, note string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		st, err := lockReferralState(ctx, tx, citizenID, id)
		if err != nil {
			return err
		}
		if st != helhed.ReferralAccepted && st != helhed.ReferralStarted {
			return &helhed.Error{Code: helhed.EConflict, Message: "Fremmøde registreres, mens henvisningen er accepteret eller startet. Den er " +
				strings.ToLower(st.Label()) + "."}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO referral_attendance (referral_id, period, held_on, attendance, note, recorded_by)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (referral_id, period, held_on) DO UPDATE SET attendance = EXCLUDED.attendance, note = EXCLUDED.note,
			    recorded_by = EXCLUDED.recorded_by, recorded_at = now()`, id, period, heldOn, mark, note, who.UserID); err != nil {
			return fmt.Errorf("record attendance: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditReferralAttendance, fmt.Sprintf("henvisning %d: %s %s: %s",
			id, PeriodLabels[period], heldOn.Format(time.DateOnly), AttendanceLabels[mark]))
	})
}

// WriteReferralReport adds a status report (while the referral is accepted or started) or the
// afslutningsnotat (once started, and at most one).
func (s *Store) WriteReferralReport(ctx context.Context, who Who, citizenID, id int64, kind, text string) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		st, err := lockReferralState(ctx, tx, citizenID, id)
		if err != nil {
			return err
		}
		ok := st == helhed.ReferralAccepted || st == helhed.ReferralStarted
		if kind == ReportClosing {
			ok = st == helhed.ReferralStarted || st == helhed.ReferralCompleted || st == helhed.ReferralDiscontinued || st == helhed.ReferralNoShow
		}
		if !ok {
			return &helhed.Error{Code: helhed.EConflict, Message: ReportLabels[kind] + " kan ikke skrives, mens henvisningen er " +
				strings.ToLower(st.Label()) + "."}
		}
		_, err = tx.Exec(ctx, `INSERT INTO referral_reports (referral_id, kind, text, written_by) VALUES ($1, $2, $3, $4)`,
			id, kind, text, who.UserID)
		if isUniqueViolation(err, "referral_reports_one_closing_idx") {
			return &helhed.Error{Code: helhed.EConflict, Message: "Afslutningsnotatet er allerede skrevet."}
		}
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return audit(ctx, tx, who, citizenID, AuditReferralReport, fmt.Sprintf("henvisning %d: %s", id, ReportLabels[kind]))
	})
}

// ReferralFeedback returns what the provider has reported on the citizen's referral: the
// newest attendance marks first and the reports in the order written (at most feedbackLimit
// of each).
func (s *Store) ReferralFeedback(ctx context.Context, citizenID, id int64) ([]AttendanceMark, []ProviderReport, error) {
	var marks []AttendanceMark
	var reports []ProviderReport
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT a.id, a.period, a.held_on, a.attendance, a.note, u.name AS recorded_by_name, a.recorded_at
			FROM referral_attendance a JOIN referrals r ON r.id = a.referral_id JOIN users u ON u.id = a.recorded_by
			WHERE a.referral_id = $1 AND r.citizen_id = $2 ORDER BY a.held_on DESC, a.id DESC LIMIT $3`, id, citizenID, feedbackLimit)
		var err error
		if marks, err = pgx.CollectRows(rows, pgx.RowToStructByName[AttendanceMark]); err != nil {
			return fmt.Errorf("attendance: %w", err)
		}
		rows, _ = tx.Query(ctx, `
			SELECT p.id, p.kind, p.text, u.name AS written_by_name, p.written_at
			FROM referral_reports p JOIN referrals r ON r.id = p.referral_id JOIN users u ON u.id = p.written_by
			WHERE p.referral_id = $1 AND r.citizen_id = $2 ORDER BY p.written_at, p.id LIMIT $3`, id, citizenID, feedbackLimit)
		if reports, err = pgx.CollectRows(rows, pgx.RowToStructByName[ProviderReport]); err != nil {
			return fmt.Errorf("reports: %w", err)
		}
		return nil
	})
	return marks, reports, err
}

// NoShowWarningThreshold is the number of no-shows on one open referral from which the
// caseworker is warned, in force on day (default 3).
func (s *Store) NoShowWarningThreshold(ctx context.Context, day time.Time) (int, error) {
	n := defaultNoShowWarning
	ok, err := s.setting(ctx, SettingNoShowWarning, day, &n)
	if err != nil {
		return 0, err
	}
	if !ok || n < 1 || n > 100 {
		return defaultNoShowWarning, nil
	}
	return n, nil
}

// NoShowWarning is an open referral whose citizen has not turned up repeatedly.
type NoShowWarning struct {
	ReferralID int64     `db:"referral_id"`
	CitizenID  int64     `db:"citizen_id"`
	OfferName  string    `db:"offer_name"`
	ToUnitID   int64     `db:"to_unit_id"`
	ToUnitKind string    `db:"to_unit_kind"`
	NoShows    int       `db:"no_shows"`
	LastNoShow time.Time `db:"last_no_show"`
}

// ReferralsWithRepeatedNoShows lists the open referrals of the given citizens (a caseload
// page, a citizen page; at most 1000 citizens) with at least threshold no-shows recorded,
// most no-shows first. It reads referrals_citizen_idx and referral_attendance_no_show_idx.
// A task list can feed from it: it decides nothing itself.
func (s *Store) ReferralsWithRepeatedNoShows(ctx context.Context, citizenIDs []int64, threshold int) ([]NoShowWarning, error) {
	q, err := repeatedNoShows(citizenIDs, threshold)
	if err != nil || len(citizenIDs) == 0 {
		return nil, err
	}
	return q.run(ctx, s.pool)
}

// ReferralsWithRepeatedNoShows queues Store.ReferralsWithRepeatedNoShows.
func (b *Batch) ReferralsWithRepeatedNoShows(citizenIDs []int64, threshold int) *Result[[]NoShowWarning] {
	q, err := repeatedNoShows(citizenIDs, threshold)
	if err != nil {
		b.fail(err)
	}
	if err != nil || len(citizenIDs) == 0 {
		return ready[[]NoShowWarning](nil)
	}
	return queue(b, q)
}

// repeatedNoShows is ReferralsWithRepeatedNoShows's read (nothing to send for no citizens).
func repeatedNoShows(citizenIDs []int64, threshold int) (query[[]NoShowWarning], error) {
	if len(citizenIDs) > 1000 {
		return query[[]NoShowWarning]{}, errors.New("no-show warnings: at most 1000 citizens at a time")
	}
	return query[[]NoShowWarning]{sql: `
		SELECT r.id AS referral_id, r.citizen_id, o.name AS offer_name, r.to_unit_id, n.kind AS to_unit_kind,
		       count(*)::int AS no_shows, max(a.held_on) AS last_no_show
		FROM referrals r
		JOIN referral_attendance a ON a.referral_id = r.id AND a.attendance = 'udeblevet'
		JOIN offers o ON o.id = r.offer_id JOIN units n ON n.id = r.to_unit_id
		WHERE r.citizen_id = ANY($1) AND r.state = ANY($2)
		GROUP BY r.id, o.name, n.kind
		HAVING count(*) >= $3
		ORDER BY count(*) DESC, r.id LIMIT 1000`, args: []any{citizenIDs, openStates, threshold},
		read: func(rows pgx.Rows) ([]NoShowWarning, error) {
			out, err := pgx.CollectRows(rows, pgx.RowToStructByName[NoShowWarning])
			if err != nil {
				return nil, fmt.Errorf("no-show warnings: %w", err)
			}
			return out, nil
		}}, nil
}
