package store

import (
	"context"
	"fmt"

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
// Each count is the same index scan as in TaskBadge and ReferralBadge.
func (s *Store) NavBadges(ctx context.Context, userID, unitID int64, tasks, inbox, own bool) (NavBadges, error) {
	var b NavBadges
	err := s.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM tasks t WHERE $6 AND t.done_at IS NULL AND `+taskVisible+` AND t.due <= $3
		          AND (t.snoozed_until IS NULL OR t.snoozed_until <= $3)),
		       (SELECT count(*) FROM referrals WHERE $4 AND to_unit_id = $2 AND state = $7),
		       (SELECT count(*) FROM referrals WHERE $5 AND from_user_id = $1 AND state_changed_at > referrer_seen_at)`,
		userID, unitID, helhed.DanishToday(s.Now()), inbox, own, tasks, helhed.ReferralSent).Scan(&b.Tasks, &b.NewInInbox, &b.Unseen)
	if err != nil {
		return NavBadges{}, fmt.Errorf("navigation badges: %w", err)
	}
	return b, nil
}
