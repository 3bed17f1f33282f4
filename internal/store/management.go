package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// SettingManagementGoals is the setting with the goals the management dashboards draw.
const SettingManagementGoals = "management_goals"

// ManagementGoals are the municipality's goals for the figures: a caseload per caseworker
// (against the former one), the share of citizens whose progression improves, and how much
// shorter the average time on public support should become.
type ManagementGoals struct {
	CaseloadTarget        int
	CaseloadFormer        int
	ImprovedSharePercent  int
	DurationReductionDays int
}

// defaultGoals apply when no setting is in force: the municipal sources' own goals.
var defaultGoals = ManagementGoals{CaseloadTarget: 40, CaseloadFormer: 80, ImprovedSharePercent: 50, DurationReductionDays: 365}

// ManagementGoals returns the goals in force on day.
func (s *Store) ManagementGoals(ctx context.Context, day time.Time) (ManagementGoals, error) {
	g := defaultGoals
	if _, err := s.setting(ctx, SettingManagementGoals, day, &g); err != nil {
		return defaultGoals, err
	}
	return g, nil
}

// ManagementFilter narrows the management figures. Zero values mean "all".
type ManagementFilter struct {
	Period helhed.Period
	// UnitID is the citizens' unit; for the referral flow, the referring unit.
	UnitID int64
	// ProviderUnitID narrows the referral flow to one provider unit's offers.
	ProviderUnitID int64
	// Benefit narrows the outcomes to one benefit type.
	Benefit string
}

// managementViews are the materialised views behind the figures, in refresh order
// (migrations/0007, 0027, 0048).
var managementViews = []string{"management_spells", "management_referrals", "management_referral_starts",
	"management_referral_reasons", "management_screenings", "management_who5", "management_progression",
	"management_initiative_counts", "management_rettidighed"}

// refreshWithoutJIT are the views refreshed with JIT compilation off. PostgreSQL's estimate of
// management_rettidighed's generated series (1 000 rows for 3 or 4) puts its plan just under
// the cost at which JIT also optimises and inlines, which cost ContactRettidighed 3.5 of its
// 5 seconds (docs/queries.md).
var refreshWithoutJIT = map[string]bool{"management_rettidighed": true}

// managementLock is the advisory lock key that lets one app instance refresh at a time.
const managementLock = 0x68656c6865640007

// RefreshManagement recomputes the management views from the case data. It returns false
// without doing anything when another instance is refreshing already. REFRESH … CONCURRENTLY
// never blocks readers: the dashboards keep showing the previous figures until the new ones
// are in.
func (s *Store) RefreshManagement(ctx context.Context) (bool, error) {
	return s.refreshViews(ctx, managementViews...)
}

// refreshViews refreshes views (names from managementViews only) under the advisory lock.
func (s *Store) refreshViews(ctx context.Context, views ...string) (bool, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release()
	var locked bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, int64(managementLock)).Scan(&locked); err != nil {
		return false, fmt.Errorf("refresh management: lock: %w", err)
	}
	if !locked {
		return false, nil
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(managementLock))
	}()
	for _, v := range views {
		// One transaction per view: its new contents and its refreshed_at commit together, and
		// refreshed_at is the now() the view's body saw (management_rettidighed's period ends
		// on that day).
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if refreshWithoutJIT[v] {
				if _, err := tx.Exec(ctx, `SET LOCAL jit = off`); err != nil {
					return err
				}
			}
			// Only a view's owner may refresh it; management_refresh (migrations/0015) does it for
			// the runtime role, for the management views only.
			if _, err := tx.Exec(ctx, `SELECT management_refresh($1)`, v); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE management_refreshes SET refreshed_at = now() WHERE view_name = $1`, v)
			return err
		})
		if err != nil {
			return false, fmt.Errorf("refresh %s: %w", v, err)
		}
	}
	return true, nil
}

// refreshedAt is when the oldest of views was last refreshed: the figures are at least as
// new as that.
func refreshedAt(ctx context.Context, q pgx.Tx, views ...string) (time.Time, error) {
	var t time.Time
	err := q.QueryRow(ctx, `SELECT coalesce(min(refreshed_at), now()) FROM management_refreshes WHERE view_name = ANY($1)`, views).Scan(&t)
	if err != nil {
		return t, fmt.Errorf("management refreshed at: %w", err)
	}
	return t, nil
}

// readOnly runs fn in a read-only, repeatable-read transaction, so a dashboard's queries
// see one consistent snapshot even if a refresh commits between them.
func (s *Store) readOnly(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// The dashboards' queries take optional filters as "($1 = 0 OR col = $1)"; they run
		// rarely, so plan each with its values rather than reuse a plan that cannot use the
		// indexes of the filters in use.
		if _, err := tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
		return fn(tx)
	})
}

// OfferFlow is one offer's referral flow: seats and waiting list now (live), the referrals
// sent in the period by the state they are in now, and the days from referral to start of
// those that started in the period.
type OfferFlow struct {
	OfferID    int64
	Name       string
	ProviderID int64
	Provider   string
	Retired    bool
	Capacity   int
	Held       int // referrals holding a seat now
	Waiting    int // on the waiting list now
	States     map[helhed.ReferralState]int
	StartDays  helhed.Durations
}

// Sent is the number of referrals sent to the offer in the period.
func (o OfferFlow) Sent() int { return sumStates(o.States) }

func sumStates(m map[helhed.ReferralState]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// FlowMonth is the referrals sent in one month, by the state they are in now.
type FlowMonth struct {
	Month  time.Time
	States map[helhed.ReferralState]int
}

// ReasonCounts are the reasons given for one kind of transition (rejected, discontinued,
// not attended).
type ReasonCounts struct {
	State   helhed.ReferralState
	Reasons []helhed.ReasonCount
}

// ReferralFlow is the flow and capacity dashboard's data.
type ReferralFlow struct {
	Offers      []OfferFlow // by provider and name
	Months      []FlowMonth // every month of the period, in order
	States      map[helhed.ReferralState]int
	StartDays   helhed.Durations
	Reasons     []ReasonCounts // afvist, afbrudt, udeblevet
	RefreshedAt time.Time
}

// ReferralFlow computes the flow figures for f.Period, f.UnitID (referring unit) and
// f.ProviderUnitID. Seats and waiting lists are live (kept on each offer by the seat-count
// trigger); the rest comes from the management views (a few thousand rows for a year).
func (s *Store) ReferralFlow(ctx context.Context, f ManagementFilter) (ReferralFlow, error) {
	fl := ReferralFlow{States: map[helhed.ReferralState]int{}}
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT o.id, o.name, o.provider_unit_id, u.name, o.retired_at IS NOT NULL, o.capacity, o.seats_taken, o.waiting
			FROM offers o JOIN units u ON u.id = o.provider_unit_id
			WHERE ($1::bigint = 0 OR o.provider_unit_id = $1)
			ORDER BY u.name, o.name, o.id`, f.ProviderUnitID)
		index := map[int64]int{}
		var o OfferFlow
		if _, err := pgx.ForEachRow(rows, []any{&o.OfferID, &o.Name, &o.ProviderID, &o.Provider, &o.Retired, &o.Capacity, &o.Held, &o.Waiting},
			func() error {
				o.States = map[helhed.ReferralState]int{}
				index[o.OfferID] = len(fl.Offers)
				fl.Offers = append(fl.Offers, o)
				return nil
			}); err != nil {
			return fmt.Errorf("referral flow: offers: %w", err)
		}

		months := map[time.Time]map[helhed.ReferralState]int{}
		rows, _ = tx.Query(ctx, `
			SELECT month, offer_id, state, sum(n)::int FROM management_referrals
			WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR from_unit_id = $3) AND ($4::bigint = 0 OR to_unit_id = $4)
			GROUP BY 1, 2, 3`, f.Period.From, f.Period.To, f.UnitID, f.ProviderUnitID)
		var month time.Time
		var offerID int64
		var state string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&month, &offerID, &state, &n}, func() error {
			st := helhed.ReferralState(state)
			if i, ok := index[offerID]; ok {
				fl.Offers[i].States[st] += n
			}
			if months[month] == nil {
				months[month] = map[helhed.ReferralState]int{}
			}
			months[month][st] += n
			fl.States[st] += n
			return nil
		}); err != nil {
			return fmt.Errorf("referral flow: months: %w", err)
		}
		for m := f.Period.From; !m.After(f.Period.To); m = m.AddDate(0, 1, 0) {
			fl.Months = append(fl.Months, FlowMonth{Month: m, States: months[m]})
		}

		rows, _ = tx.Query(ctx, `
			SELECT offer_id, days FROM management_referral_starts
			WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR from_unit_id = $3) AND ($4::bigint = 0 OR to_unit_id = $4)`,
			f.Period.From, f.Period.To, f.UnitID, f.ProviderUnitID)
		var days []int32
		if _, err := pgx.ForEachRow(rows, []any{&offerID, &days}, func() error {
			for _, d := range days {
				fl.StartDays = append(fl.StartDays, int(d))
				if i, ok := index[offerID]; ok {
					fl.Offers[i].StartDays = append(fl.Offers[i].StartDays, int(d))
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("referral flow: starts: %w", err)
		}

		reasons := map[helhed.ReferralState][]helhed.ReasonCount{}
		rows, _ = tx.Query(ctx, `
			SELECT state, reason, sum(n)::int FROM management_referral_reasons
			WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR from_unit_id = $3) AND ($4::bigint = 0 OR to_unit_id = $4)
			GROUP BY 1, 2`, f.Period.From, f.Period.To, f.UnitID, f.ProviderUnitID)
		var reason string
		if _, err := pgx.ForEachRow(rows, []any{&state, &reason, &n}, func() error {
			st := helhed.ReferralState(state)
			reasons[st] = append(reasons[st], helhed.ReasonCount{Reason: reason, N: n})
			return nil
		}); err != nil {
			return fmt.Errorf("referral flow: reasons: %w", err)
		}
		for _, st := range helhed.ReferralStates {
			if st.RequiresReason() {
				fl.Reasons = append(fl.Reasons, ReasonCounts{State: st, Reasons: reasons[st]})
			}
		}
		var err error
		fl.RefreshedAt, err = refreshedAt(ctx, tx, "management_referrals", "management_referral_starts", "management_referral_reasons")
		return err
	})
	return fl, err
}

// RiskQuarter is the screenings of one quarter by resulting risk group.
type RiskQuarter struct {
	Quarter time.Time
	Groups  map[string]int
}

// WHO5Change sums the change in WHO-5 from first to latest screening over N citizens
// screened at least twice whose latest screening fell in the period.
type WHO5Change struct {
	N, FirstSum, LatestSum int
	Improved, Worsened     int // by 10 points or more
}

// ProgressionChange is the progression on plan goals of N citizens whose latest follow-up
// fell in the period: Improved of them had a mean change above zero.
type ProgressionChange struct {
	N, Improved int
	ChangeSum   float64
}

// RiskFigures is the risk and progression dashboard's data.
type RiskFigures struct {
	Current     map[string]int // citizens now, by current risk group ("" = not screened); live
	Quarters    []RiskQuarter  // every quarter touching the period, in order
	WHO5        WHO5Change
	Progression ProgressionChange
	RefreshedAt time.Time
}

// RiskProgression computes the risk and progression figures for f.Period and f.UnitID.
func (s *Store) RiskProgression(ctx context.Context, f ManagementFilter) (RiskFigures, error) {
	rf := RiskFigures{Current: map[string]int{}}
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT coalesce(risk_group, ''), count(*)::int FROM citizens WHERE ($1::bigint = 0 OR unit_id = $1) GROUP BY 1`, f.UnitID)
		var group string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&group, &n}, func() error {
			rf.Current[group] = n
			return nil
		}); err != nil {
			return fmt.Errorf("risk now: %w", err)
		}

		quarters := map[time.Time]map[string]int{}
		rows, _ = tx.Query(ctx, `
			SELECT date_trunc('quarter', month)::date, final_group, sum(n)::int FROM management_screenings
			WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR unit_id = $3) GROUP BY 1, 2`,
			helhed.Quarter(f.Period.From), f.Period.To, f.UnitID)
		var q time.Time
		if _, err := pgx.ForEachRow(rows, []any{&q, &group, &n}, func() error {
			if quarters[q] == nil {
				quarters[q] = map[string]int{}
			}
			quarters[q][group] += n
			return nil
		}); err != nil {
			return fmt.Errorf("risk over time: %w", err)
		}
		for q := helhed.Quarter(f.Period.From); !q.After(f.Period.To); q = q.AddDate(0, 3, 0) {
			rf.Quarters = append(rf.Quarters, RiskQuarter{Quarter: q, Groups: quarters[q]})
		}

		w := &rf.WHO5
		if err := tx.QueryRow(ctx, `
			SELECT coalesce(sum(n), 0)::int, coalesce(sum(first_sum), 0)::int, coalesce(sum(latest_sum), 0)::int,
			       coalesce(sum(improved), 0)::int, coalesce(sum(worsened), 0)::int
			FROM management_who5 WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR unit_id = $3)`,
			f.Period.From, f.Period.To, f.UnitID).Scan(&w.N, &w.FirstSum, &w.LatestSum, &w.Improved, &w.Worsened); err != nil {
			return fmt.Errorf("WHO-5 change: %w", err)
		}
		p := &rf.Progression
		if err := tx.QueryRow(ctx, `
			SELECT coalesce(sum(n), 0)::int, coalesce(sum(improved), 0)::int, coalesce(sum(change_sum), 0)::float8
			FROM management_progression WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR unit_id = $3)`,
			f.Period.From, f.Period.To, f.UnitID).Scan(&p.N, &p.Improved, &p.ChangeSum); err != nil {
			return fmt.Errorf("progression: %w", err)
		}
		var err error
		rf.RefreshedAt, err = refreshedAt(ctx, tx, "management_screenings", "management_who5", "management_progression")
		return err
	})
	return rf, err
}

// OutcomeFigures is the outcomes dashboard's data.
type OutcomeFigures struct {
	helhed.Outcomes
	// ExitCategories say which exit reasons are selvforsørgelse (reference data).
	ExitCategories helhed.ExitCategories
	RefreshedAt    time.Time
}

// Outcomes computes the outcome figures of the spells on public support that ended in
// f.Period, the baseline period, and the quarters between, for f.UnitID and f.Benefit (the
// benefit the spell began on). A spell is a citizen's continuous time on public support
// across benefit types (the view benefit_spells, helhed.Spells' rule): a change of benefit is
// not an exit. The cells come from management_spells (durations per cell, so means and
// medians are exact); helhed.SummariseOutcomes does the sums.
func (s *Store) Outcomes(ctx context.Context, f ManagementFilter, baseline helhed.Period) (OutcomeFigures, error) {
	var out OutcomeFigures
	err := s.readOnly(ctx, func(tx pgx.Tx) error {
		from := f.Period.From
		if baseline.From.Before(from) {
			from = baseline.From
		}
		to := f.Period.To
		if baseline.To.After(to) {
			to = baseline.To
		}
		rows, _ := tx.Query(ctx, `
			SELECT month, benefit_code, exit_code, risk_group, with_plan, days FROM management_spells
			WHERE month BETWEEN $1 AND $2 AND ($3::bigint = 0 OR unit_id = $3) AND ($4::text = '' OR benefit_code = $4)`,
			helhed.Quarter(from), to, f.UnitID, f.Benefit)
		var cells []helhed.OutcomeCell
		var c helhed.OutcomeCell
		var days []int32
		if _, err := pgx.ForEachRow(rows, []any{&c.Month, &c.Benefit, &c.Exit, &c.Risk, &c.WithPlan, &days}, func() error {
			c.Days = make(helhed.Durations, len(days))
			for i, d := range days {
				c.Days[i] = int(d)
			}
			cells = append(cells, c)
			return nil
		}); err != nil {
			return fmt.Errorf("outcomes: %w", err)
		}
		rows, _ = tx.Query(ctx, `SELECT code FROM ref_values WHERE kind = 'benefit_type' ORDER BY sort_order, code`)
		order, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("outcomes: benefit order: %w", err)
		}
		out.Outcomes = helhed.SummariseOutcomes(cells, f.Period, baseline, order)
		if out.ExitCategories, err = exitCategories(ctx, tx); err != nil {
			return err
		}
		out.RefreshedAt, err = refreshedAt(ctx, tx, "management_spells")
		return err
	})
	return out, err
}
