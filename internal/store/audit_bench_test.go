package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// BenchmarkAuditInsert measures one stand-alone audit row (its own transaction, as a page
// view's), one writer at a time and with parallel writers, and the database's own cost per
// row of one statement inserting many: the cost the hash chain adds to every audited use
// case (docs/operations.md).
func BenchmarkAuditInsert(b *testing.B) {
	pool, _ := testdb.New(b)
	st := store.New(pool)
	ctx := context.Background()
	w := store.Who{UserID: 1, RequestID: "bench"}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			if err := st.Audit(ctx, w, 7, store.AuditCitizenView, "borgeroverblik"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(4) // 4 × GOMAXPROCS writers at once
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := st.Audit(ctx, w, 7, store.AuditCitizenView, "borgeroverblik"); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	// A use case's transaction ending in its audit row (before migration 0051 the chain's
	// lock was held through the COMMIT's round trip; now the row is inserted unsealed).
	insertInTx := func() error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO audit_events (user_id, citizen_id, action, detail, request_id) VALUES (1, 7, 'citizen.update', 'stamoplysninger ændret', 'bench')`)
			return err
		})
	}
	b.Run("tx-serial", func(b *testing.B) {
		for b.Loop() {
			if err := insertInTx(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tx-parallel", func(b *testing.B) {
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := insertInTx(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("server-per-row", func(b *testing.B) {
		for b.Loop() {
			if _, err := pool.Exec(ctx, `INSERT INTO audit_events (user_id, citizen_id, action, detail, request_id)
				SELECT 1, 7, 'citizen.view', 'borgeroverblik', 'bench' FROM generate_series(1, 1000)`); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/row")
	})
}
