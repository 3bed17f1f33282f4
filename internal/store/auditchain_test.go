package store_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/migrations"
)

// asSuperuser runs q on the test database as the superuser, with the audit triggers off: what
// someone with full control of the database server could do, and the chain must reveal.
func asSuperuser(t *testing.T, url string, qs ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `ALTER TABLE audit_events DISABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := conn.Exec(ctx, `ALTER TABLE audit_events ENABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
}

// auditTrail writes audit rows through several use cases and returns the store, the test
// database's superuser URL and the ids of the rows, oldest first.
func auditTrail(t *testing.T) (*store.Store, string, []int64) {
	t.Helper()
	pool, url := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	unit, err := st.CreateUnit(ctx, who, "Jobcenter Test", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Ole", LastName: "Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ViewCitizen(ctx, who, id); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if err := st.Audit(ctx, who, id, store.AuditCitizenView, "test"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (action, detail, citizen_ids) VALUES ('caseload.view', 'æøå', '{3,1,20}')`); err != nil {
		t.Fatal(err)
	}
	// Sealed, as the server's job does within a second: tampering with a row afterwards is
	// what the chain reveals.
	if _, err := st.SealAudit(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _ := pool.Query(ctx, `SELECT id FROM audit_events ORDER BY seq`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) < 9 {
		t.Fatalf("audit rows %v, %v", ids, err)
	}
	return st, url, ids
}

func verify(t *testing.T, st *store.Store, recorded ...store.AuditPoint) store.AuditCheck {
	t.Helper()
	c, err := st.VerifyAudit(context.Background(), recorded...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every sealed audit row carries the hash of its content and of the row before it, computed
// by the database (audit_seal); a row changed, removed or cut off afterwards, even by a
// superuser with the triggers off, is found by VerifyAudit, which names the first row that
// does not fit.
func TestAuditChainRevealsTampering(t *testing.T) {
	t.Parallel()
	t.Run("intact", func(t *testing.T) {
		t.Parallel()
		st, _, ids := auditTrail(t)
		c := verify(t, st)
		if c.Broken != nil || c.Rows != int64(len(ids)) || c.HeadSeq != int64(len(ids)) || len(c.HeadHash) != 32 {
			t.Fatalf("intact chain: %+v", c)
		}
	})
	t.Run("changed detail", func(t *testing.T) {
		t.Parallel()
		st, url, ids := auditTrail(t)
		asSuperuser(t, url, `UPDATE audit_events SET detail = 'intet at se' WHERE id = `+itoa(ids[3]))
		if c := verify(t, st); c.Broken == nil || c.Broken.ID != ids[3] {
			t.Fatalf("changed row %d: %+v", ids[3], c.Broken)
		}
	})
	t.Run("changed and rehashed", func(t *testing.T) {
		t.Parallel()
		// The forger recomputes the changed row's own hash; the next row still names the old one.
		st, url, ids := auditTrail(t)
		asSuperuser(t, url, `UPDATE audit_events SET citizen_id = 99, hash = sha256(hash) WHERE id = `+itoa(ids[2]))
		if c := verify(t, st); c.Broken == nil || c.Broken.ID != ids[2] {
			t.Fatalf("rehashed row %d: %+v", ids[2], c.Broken)
		}
	})
	t.Run("deleted row", func(t *testing.T) {
		t.Parallel()
		st, url, ids := auditTrail(t)
		asSuperuser(t, url, `DELETE FROM audit_events WHERE id = `+itoa(ids[4]))
		if c := verify(t, st); c.Broken == nil || c.Broken.ID != ids[5] {
			t.Fatalf("row after the deleted %d: %+v", ids[4], c.Broken)
		}
	})
	t.Run("cut tail", func(t *testing.T) {
		t.Parallel()
		// Removing the newest rows leaves a chain that is whole in itself; the head recorded
		// outside the database (the hourly log line) shows what is missing.
		st, url, ids := auditTrail(t)
		head := verify(t, st)
		asSuperuser(t, url, `DELETE FROM audit_events WHERE id >= `+itoa(ids[len(ids)-2]))
		if c := verify(t, st); c.Broken != nil {
			t.Fatalf("a shortened chain without a recorded head: %+v", c.Broken)
		}
		c := verify(t, st, store.AuditPoint{Seq: head.HeadSeq, Hash: head.HeadHash})
		if c.Broken == nil {
			t.Fatal("rows after the recorded head are gone, and verification passed")
		}
		if c := verify(t, st, store.AuditPoint{Seq: 2, Hash: head.HeadHash}); c.Broken == nil || c.Broken.Seq != 2 {
			t.Fatalf("a recorded point that does not match row 2: %+v", c.Broken)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Writers in parallel keep one chain: each row follows exactly one other.
func TestAuditChainConcurrentInserts(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				var err error
				if i%5 == 0 {
					cpr := helhed.CPR(fmt.Sprintf("01018%05d", w*100+i))
					_, err = st.CreateCitizen(ctx, who, unit, store.CitizenInput{CPR: cpr, FirstName: "A", LastName: "B"})
				} else {
					err = st.Audit(ctx, store.Who{UserID: uid}, 0, store.AuditCaseloadView, "liste")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := errors.Join(func() (es []error) {
		for e := range errs {
			es = append(es, e)
		}
		return
	}()...); err != nil {
		t.Fatal(err)
	}
	c := verify(t, st)
	var n int64
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if c.Broken != nil || c.Rows != n || c.HeadSeq != n || n < writers*each {
		t.Fatalf("after %d parallel writers: %+v, %d rows", writers, c, n)
	}
}

// The retention purge removes the oldest part of the chain and keeps the hash of the last row
// it removed as the chain's anchor, so what is left still verifies, also when everything went.
func TestAuditPurgeKeepsChainVerifiable(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (at, action) VALUES
		(now() - interval '300 days', 'a'), (now() - interval '200 days', 'b'), (now() - interval '100 days', 'c'), (now() - interval '40 days', 'd')`); err != nil {
		t.Fatal(err)
	}
	before := verify(t, st)
	if n, err := st.PurgeAudit(ctx, time.Now().AddDate(0, 0, -183)); err != nil || n != 2 {
		t.Fatalf("purge: %d, %v; want 2", n, err)
	}
	c := verify(t, st)
	if c.Broken != nil || c.Rows != 2 || c.AnchorSeq != 2 || c.HeadSeq != before.HeadSeq {
		t.Fatalf("after the purge: %+v", c)
	}
	if n, err := st.PurgeAudit(ctx, time.Now().AddDate(0, 0, -31)); err != nil || n != 2 {
		t.Fatalf("purge of the rest: %d, %v", n, err)
	}
	if c := verify(t, st); c.Broken != nil || c.Rows != 0 || c.AnchorSeq != 4 || string(c.HeadHash) != string(before.HeadHash) {
		t.Fatalf("everything purged: %+v", c)
	}
	if err := st.Audit(ctx, who, 0, store.AuditLogout, ""); err != nil {
		t.Fatal(err)
	}
	if c := verify(t, st); c.Broken != nil || c.Rows != 1 || c.HeadSeq != 5 {
		t.Fatalf("a new row after a full purge: %+v", c)
	}
}

// Audit rows written before migration 0015 join the chain in the order of their ids, and the
// migration can be rolled back and applied again.
func TestAuditChainCoversRowsFromBeforeTheMigration(t *testing.T) {
	t.Parallel()
	url := testdb.NewURL(t)
	ctx := context.Background()
	// Back to the schema before 0015 however many migrations have come since.
	if err := migrations.DownTo(ctx, url, 14); err != nil {
		t.Fatal(err)
	}
	if v, _, err := migrations.Version(ctx, url); err != nil || v != 14 {
		t.Fatalf("rolled back to version %d (%v), want 14: the one before the audit chain", v, err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO audit_events (at, user_id, citizen_id, action, detail)
		SELECT now() - make_interval(days => 300 - i), i, NULL, 'citizen.view', 'række ' || i FROM generate_series(1, 50) i`); err != nil {
		t.Fatal(err)
	}
	if err := migrations.Up(ctx, url); err != nil {
		t.Fatal(err)
	}
	pool, err := store.OpenPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	if err := st.Audit(ctx, who, 1, store.AuditCitizenView, "efter"); err != nil {
		t.Fatal(err)
	}
	if c := verify(t, st); c.Broken != nil || c.Rows != 51 || c.HeadSeq != 51 {
		t.Fatalf("rows from before the migration: %+v", c)
	}
}
