package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// CaseCounts says how many case rows scaleCases made.
type CaseCounts struct {
	Offers, Referrals, ReferralEvents, Assessments, Plans, Goals, Efforts, FollowUps, Scores int
}

// statement is one SQL statement of a generation step, with what it does for errors.
type statement struct {
	what, sql string
	args      []any
}

// simSession is one connection of the generator: its temporary tables and pg_temp.rnd live
// in the session, so a step that reads another step's simulation runs on the same one.
type simSession struct {
	ctx  context.Context
	conn *pgxpool.Conn
}

func openSimSession(ctx context.Context, pool *pgxpool.Pool) (simSession, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return simSession{}, err
	}
	// The simulation tables are a few hundred megabytes; let them stay in memory. (The
	// setting can only change before the session's first temporary table.)
	_, _ = conn.Exec(ctx, `SET temp_buffers = '256MB'`)
	if _, err := conn.Exec(ctx, createRnd); err != nil {
		conn.Release()
		return simSession{}, fmt.Errorf("seed: random function: %w", err)
	}
	return simSession{ctx: ctx, conn: conn}, nil
}

// close drops the session's temporary tables, so the pooled connection goes back clean.
func (s simSession) close() {
	ctx := context.WithoutCancel(s.ctx)
	_, _ = s.conn.Exec(ctx, `DROP TABLE IF EXISTS sim_referrals, sim_assessments, sim_plans, sim_goals, sim_follow_ups`)
	_, _ = s.conn.Exec(ctx, `RESET temp_buffers`)
	s.conn.Release()
}

// run runs stmts in one transaction and then counts the rows of tables into dsts.
func (s simSession) run(stmts []statement, counts map[string]*int) error {
	return pgx.BeginFunc(s.ctx, s.conn, func(tx pgx.Tx) error {
		for _, st := range stmts {
			if _, err := tx.Exec(s.ctx, st.sql, st.args...); err != nil {
				return fmt.Errorf("seed: %s: %w", st.what, err)
			}
		}
		for table, dst := range counts {
			// table is one of the fixed names below, never input.
			if err := tx.QueryRow(s.ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(dst); err != nil {
				return fmt.Errorf("seed: count %s: %w", table, err)
			}
		}
		return nil
	})
}

// scaleCases generates the case history of every citizen in the database: the demo
// catalogue with providers among the scale units and the demo strategy, referrals with their
// events, TFAs with participants, plans with goals, follow-ups with progression scores, and
// efforts. Referrals and plans do not depend on each other, so they are generated on two
// connections at once; the efforts, which link the two, come last. step reports each step's
// duration.
func scaleCases(ctx context.Context, pool *pgxpool.Pool, seed uint64, today time.Time, providers map[string]int64,
	step func(string, func() error) error) (CaseCounts, error) {
	var n CaseCounts
	// Salts are offsets from the seed's base, kept far from overflowing a bigint.
	salt := int64(seed%(1<<40)) * 64
	today = dateOnly(today)
	a, err := openSimSession(ctx, pool)
	if err != nil {
		return n, err
	}
	defer a.close()
	b, err := openSimSession(ctx, pool)
	if err != nil {
		return n, err
	}
	defer b.close()

	err = step("offers", func() error {
		return pgx.BeginFunc(ctx, a.conn, func(tx pgx.Tx) error {
			if err := Offers(ctx, tx, providers, today); err != nil {
				return err
			}
			if err := Initiatives(ctx, tx, today); err != nil {
				return err
			}
			return tx.QueryRow(ctx, `SELECT count(*) FROM offers`).Scan(&n.Offers)
		})
	})
	if err != nil {
		return n, err
	}
	referrals := make(chan error, 1)
	go func() {
		referrals <- step("referrals", func() error {
			return a.run([]statement{
				{"simulate referrals", simReferrals, []any{salt, today}},
				{"referrals", insertReferrals, []any{today}},
				{"referral events", insertReferralEvents, []any{today}},
				{"offer capacity", fitCapacity, []any{salt}},
			}, map[string]*int{"referrals": &n.Referrals, "referral_events": &n.ReferralEvents})
		})
	}()
	err = step("tfa+plans", func() error {
		return b.run([]statement{
			{"simulate assessments", simAssessments, []any{salt, today}}, {"assessments", insertAssessments, nil},
			{"participants", insertParticipants, []any{salt}}, {"simulate plans", simPlans, nil},
			{"plans", insertPlans, nil}, {"simulate goals", simGoals, []any{salt}}, {"goals", insertGoals, nil},
			{"plan versions", insertPlanVersions, nil},
		}, map[string]*int{"assessments": &n.Assessments, "plans": &n.Plans, "plan_goals": &n.Goals})
	})
	if err == nil {
		err = step("follow-ups", func() error {
			return b.run([]statement{
				{"simulate follow-ups", simFollowUps, []any{salt, today}}, {"follow-ups", insertFollowUps, nil},
				{"scores", insertScores, []any{salt}}, {"next follow-up", setNextFollowUp, nil},
			}, map[string]*int{"follow_ups": &n.FollowUps, "follow_up_scores": &n.Scores})
		})
	}
	if rerr := <-referrals; err == nil {
		err = rerr
	}
	if err != nil {
		return n, err
	}
	err = step("efforts", func() error {
		return b.run([]statement{
			{"linked efforts", insertLinkedEfforts, nil}, {"free efforts", insertFreeEfforts, []any{salt, today}},
		}, map[string]*int{"plan_efforts": &n.Efforts})
	})
	return n, err
}
