package seed

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// scaleTables are the tables Scale fills in bulk. audit_events is not one of them: its
// trigger puts every row into the audit chain (migrations/0015) and must not be switched off.
var scaleTables = []string{"citizens", "benefit_periods", "screenings", "referrals", "referral_events",
	"assessments", "assessment_participants", "plans", "plan_goals", "plan_efforts", "plan_versions", "follow_ups",
	"follow_up_scores"}

// bulkLoad is what prepareBulkLoad took off the tables, to be put back by finish.
type bulkLoad struct {
	indexes  []string // CREATE INDEX statements
	fkeys    []string // ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY statements
	triggers []string // ALTER TABLE … ENABLE TRIGGER USER statements
}

// prepareBulkLoad drops the secondary indexes and the foreign keys of tables and keeps their
// definitions, for finish to restore after the bulk load. Building an index once over the
// loaded rows is several times faster than updating it row by row (the trigram index on
// citizens' names above all), and a foreign key added to a full table is checked by one join
// instead of one lookup per inserted row (millions of them for the referral events). Primary
// keys stay. The definitions come from the catalogue itself, so they never drift from the
// migrations, and nothing needs more than the tables' owner's rights. Only for an empty
// database being seeded: while they are gone, the unique indexes and foreign keys enforce
// nothing; the generators keep those rules themselves, and finish checks them all.
func prepareBulkLoad(ctx context.Context, pool *pgxpool.Pool, tables []string) (bulkLoad, error) {
	var b bulkLoad
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var drops []string
		read := func(q string, dst *[]string) error {
			rows, _ := tx.Query(ctx, q, tables)
			var drop, create string
			_, err := pgx.ForEachRow(rows, []any{&drop, &create}, func() error {
				drops, *dst = append(drops, drop), append(*dst, create)
				return nil
			})
			return err
		}
		// format() with %I and regclass output quotes every name the way PostgreSQL reads it.
		if err := read(`
			SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
			       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
			FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
			WHERE c.contype = 'f' AND t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
			ORDER BY 2`, &b.fkeys); err != nil {
			return fmt.Errorf("seed: list foreign keys: %w", err)
		}
		if err := read(`
			SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
			FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
			WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
			  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
			ORDER BY 2`, &b.indexes); err != nil {
			return fmt.Errorf("seed: list indexes: %w", err)
		}
		// Row triggers (the offers' seat counts) would fire once per loaded row; the generators
		// compute what they maintain (fitCapacity) instead.
		rows, _ := tx.Query(ctx, `
			SELECT format('ALTER TABLE %s DISABLE TRIGGER USER', t.oid::regclass), format('ALTER TABLE %s ENABLE TRIGGER USER', t.oid::regclass)
			FROM pg_class t WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
			  AND EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t.oid AND NOT g.tgisinternal)
			ORDER BY 1`, tables)
		var disable, enable string
		if _, err := pgx.ForEachRow(rows, []any{&disable, &enable}, func() error {
			drops, b.triggers = append(drops, disable), append(b.triggers, enable)
			return nil
		}); err != nil {
			return fmt.Errorf("seed: list triggers: %w", err)
		}
		for _, d := range drops {
			// d was written by PostgreSQL's format() above from catalogue names.
			if _, err := tx.Exec(ctx, d); err != nil {
				return fmt.Errorf("seed: %s: %w", d, err)
			}
		}
		return nil
	})
	return b, err
}

// finish builds the indexes again, two at a time (the target machine has two cores), each
// with memory enough to sort in one pass, turns the row triggers back on, and then adds the
// foreign keys back one by one, which checks every loaded row against its parent.
func (b bulkLoad) finish(ctx context.Context, pool *pgxpool.Pool) error {
	if err := runStatements(ctx, pool, b.indexes, 2); err != nil {
		return err
	}
	if err := runStatements(ctx, pool, b.triggers, 1); err != nil {
		return err
	}
	return runStatements(ctx, pool, b.fkeys, 1)
}

// runStatements runs stmts on n connections at once.
func runStatements(ctx context.Context, pool *pgxpool.Pool, stmts []string, n int) error {
	work := make(chan string)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := func() error {
				conn, err := pool.Acquire(ctx)
				if err != nil {
					return err
				}
				defer conn.Release()
				if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '256MB'`); err != nil {
					return err
				}
				defer func() { _, _ = conn.Exec(context.WithoutCancel(ctx), `RESET maintenance_work_mem`) }()
				for st := range work {
					// st is a definition PostgreSQL wrote (prepareBulkLoad), never input.
					if _, err := conn.Exec(ctx, st); err != nil {
						return fmt.Errorf("seed: %s: %w", st, err)
					}
				}
				return nil
			}()
			if err != nil {
				errs <- err
				for range work { // let the sender finish
				}
			}
		})
	}
	for _, st := range stmts {
		work <- st
	}
	close(work)
	wg.Wait()
	close(errs)
	return <-errs
}

// refreshViews recomputes every materialised view of the schema (the management figures)
// from the loaded data, two at a time, so they are current the moment the seed is done.
func refreshViews(ctx context.Context, pool *pgxpool.Pool) error {
	rows, _ := pool.Query(ctx, `
		SELECT format('REFRESH MATERIALIZED VIEW %I', matviewname) FROM pg_matviews
		WHERE schemaname = current_schema() ORDER BY matviewname`)
	stmts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("seed: list views: %w", err)
	}
	return runStatements(ctx, pool, stmts, 2)
}
