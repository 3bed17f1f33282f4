package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/helhed"
)

// NavBadges are the counts beside the navigation's items.
type NavBadges struct {
	Tasks      int // the user's and the unit's tasks due today and not snoozed (TaskBadge)
	NewInInbox int // referrals sent to the unit and not yet received (ReferralBadge)
	Unseen     int // the user's referrals whose state changed since they looked
}

// NavBadges counts what the navigation shows, each count only when its flag is set, in one
// statement: the task badge and the two referral badges were two round trips on every page.
//
// The statement holds only the counts asked for. With all three and a boolean parameter to
// switch each off, PostgreSQL could not use a cached generic plan (it would plan the
// switched-off counts too) and planned the statement afresh on every page; each combination
// is now its own prepared statement with a plan of its own (TestNavBadgesPlans).
func (s *Store) NavBadges(ctx context.Context, userID, unitID int64, tasks, inbox, own bool) (NavBadges, error) {
	var b NavBadges
	q, args, dst := navBadgesSQL(userID, unitID, helhed.DanishToday(s.Now()), tasks, inbox, own, &b)
	if len(dst) == 0 {
		return b, nil
	}
	if err := s.pool.QueryRow(ctx, q, args...).Scan(dst...); err != nil {
		return NavBadges{}, fmt.Errorf("navigation badges: %w", err)
	}
	return b, nil
}

// navBadgesSQL is NavBadges's statement for the counts asked for, its arguments and where
// each count goes.
func navBadgesSQL(userID, unitID int64, today time.Time, tasks, inbox, own bool, b *NavBadges) (string, []any, []any) {
	var w filters
	var cols []string
	var dst []any
	if tasks {
		cols = append(cols, taskBadgeSQL(w.arg(userID), w.arg(unitID), w.arg(today)))
		dst = append(dst, &b.Tasks)
	}
	if inbox {
		cols = append(cols, `(SELECT count(*) FROM referrals WHERE to_unit_id = `+w.arg(unitID)+` AND state = '`+string(helhed.ReferralSent)+`')`)
		dst = append(dst, &b.NewInInbox)
	}
	if own {
		cols = append(cols, `(SELECT count(*) FROM referrals WHERE from_user_id = `+w.arg(userID)+` AND state_changed_at > referrer_seen_at)`)
		dst = append(dst, &b.Unseen)
	}
	return "SELECT " + strings.Join(cols, ", "), w.args, dst
}

// taskBadgeSQL counts the open tasks due on or before the day (placeholder today) and not
// snoozed past it, of the user (placeholder user) and the unassigned ones of their unit
// (placeholder unit): two counts added, each an index-only scan of its own partial index
// (tasks_assignee_open_idx, tasks_unit_unassigned_idx; migration 0049), where one count
// with "assignee = user OR (no assignee AND unit)" read every task from the table.
func taskBadgeSQL(user, unit, today string) string {
	due := ` AND t.due <= ` + today + ` AND (t.snoozed_until IS NULL OR t.snoozed_until <= ` + today + `)`
	return `((SELECT count(*) FROM tasks t WHERE t.done_at IS NULL AND t.assignee_id = ` + user + due + `)
		+ (SELECT count(*) FROM tasks t WHERE t.done_at IS NULL AND t.assignee_id IS NULL AND t.unit_id = ` + unit + due + `))`
}
