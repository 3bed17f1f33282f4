package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
	r, ok, err := s.settingInForce(ctx, key, day)
	if !ok || err != nil {
		return false, err
	}
	if err := json.Unmarshal(r.Value, dst); err != nil {
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	return true, nil
}

// settingRow is one dated value of a setting.
type settingRow struct {
	ValidFrom pgtype.Date // a date, or ±infinity
	Value     []byte      // JSON
	Note      string
}

// settingRows is the settings table by key, each key's rows latest valid_from first.
type settingRows map[string][]settingRow

// settingInForce is the row of key in force on day: the latest valid from on or before it
// (day's calendar date where it is, as the date it is sent to PostgreSQL as). It answers from
// the copy in memory when the store keeps one (KeepCopies), else from the database.
func (s *Store) settingInForce(ctx context.Context, key string, day time.Time) (settingRow, bool, error) {
	if s.settings == nil {
		var r settingRow
		err := s.pool.QueryRow(ctx, `
			SELECT valid_from, value, note FROM settings WHERE key = $1 AND valid_from <= $2
			ORDER BY valid_from DESC LIMIT 1`, key, day).Scan(&r.ValidFrom, &r.Value, &r.Note)
		if errors.Is(err, pgx.ErrNoRows) {
			return r, false, nil
		}
		if err != nil {
			return r, false, fmt.Errorf("setting %s: %w", key, err)
		}
		return r, true, nil
	}
	all, err := s.settings.Get(ctx)
	if err != nil {
		return settingRow{}, false, err
	}
	y, m, d := day.Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC) // pgtype.Date's time is midnight UTC
	for _, r := range all[key] {
		switch r.ValidFrom.InfinityModifier {
		case pgtype.NegativeInfinity:
			return r, true, nil
		case pgtype.Finite:
			if !r.ValidFrom.Time.After(date) {
				return r, true, nil
			}
		}
	}
	return settingRow{}, false, nil
}

// readSettings reads the whole settings table (tens of rows), for the copy in memory.
func (s *Store) readSettings(ctx context.Context) (settingRows, error) {
	rows, _ := s.pool.Query(ctx, `SELECT key, valid_from, value, note FROM settings ORDER BY key, valid_from DESC`)
	all := settingRows{}
	var key string
	var r settingRow
	_, err := pgx.ForEachRow(rows, []any{&key, &r.ValidFrom, &r.Value, &r.Note}, func() error {
		all[key] = append(all[key], r) // Value is a fresh slice for every row
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	return all, nil
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
