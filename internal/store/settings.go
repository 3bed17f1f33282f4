package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// Setting keys. A setting is a dated parameter (legal or local): the row in force on a day
// is the latest one valid from on or before it.
const (
	SettingMentorRules      = "mentor_rules"
	SettingFollowUpInterval = "follow_up_interval_months"
	defaultFollowUpInterval = 3
)

// setting decodes the value of key in force on day into dst; ok is false when there is none.
func (s *Store) setting(ctx context.Context, key string, day time.Time, dst any) (ok bool, err error) {
	var raw []byte
	err = s.pool.QueryRow(ctx, `
		SELECT value FROM settings WHERE key = $1 AND valid_from <= $2
		ORDER BY valid_from DESC LIMIT 1`, key, day).Scan(&raw)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return false, nil
		}
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	return true, nil
}

// MentorRules returns the LAB § 167 limits in force on day. A missing row is an error, not
// a silent default: the limits are law, and the administrator must see that they are gone.
func (s *Store) MentorRules(ctx context.Context, day time.Time) (helhed.MentorRules, error) {
	var r helhed.MentorRules
	ok, err := s.setting(ctx, SettingMentorRules, day, &r)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, fmt.Errorf("setting %s: no value in force on %s", SettingMentorRules, day.Format(time.DateOnly))
	}
	if err := r.Validate(); err != nil {
		return r, fmt.Errorf("setting %s: %w", SettingMentorRules, err)
	}
	return r, nil
}

// FollowUpIntervalMonths returns how many months may pass between follow-ups on a plan
// (default 3 when no setting is in force).
func (s *Store) FollowUpIntervalMonths(ctx context.Context, day time.Time) (int, error) {
	n := defaultFollowUpInterval
	ok, err := s.setting(ctx, SettingFollowUpInterval, day, &n)
	if err != nil {
		return 0, err
	}
	if !ok || n < 1 || n > 24 {
		return defaultFollowUpInterval, nil
	}
	return n, nil
}
