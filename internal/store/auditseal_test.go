package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/migrations"
)

// appConn is a connection of its own working as the runtime role, like the application's
// pool: the test pools are too small for many transactions open at once.
func appConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(ctx, `SET ROLE `+store.RuntimeRole); err != nil {
		t.Fatal(err)
	}
	return conn
}

// Audited transactions no longer commit one at a time (migration 0051): 20 transactions each
// insert an audit row and stay open until all 20 have inserted. Under migration 0015's
// trigger the second insert waited for the first transaction's end, holding the chain's
// advisory lock; the test watches for exactly that wait instead of a clock. Sealing then puts
// all 20 rows into one chain that verifies.
func TestAuditWritersDoNotSerialise(t *testing.T) {
	t.Parallel()
	pool, url := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	const writers = 20
	conns := make([]*pgx.Conn, writers)
	pids := make([]int32, writers)
	for i := range conns {
		conns[i] = appConn(t, url)
		pids[i] = int32(conns[i].PgConn().PID())
	}
	var inserted, failed atomic.Int32
	barrier := make(chan struct{})
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for i, conn := range conns {
		wg.Go(func() {
			errs <- pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO audit_events (user_id, citizen_id, action, detail, request_id)
					VALUES ($1, 7, 'citizen.update', 'samtidig', 'test')`, i+1); err != nil {
					failed.Add(1)
					return err
				}
				inserted.Add(1)
				<-barrier // every writer's transaction is open with its row inserted
				return nil
			})
		})
	}
	// Wait until all have inserted (or failed), or until one of them waits for an advisory
	// lock (pg_locks shows every session's locks, whoever asks).
	observer := appConn(t, url)
	for inserted.Load()+failed.Load() < writers {
		var waiting int
		if err := observer.QueryRow(ctx, `SELECT count(*) FROM pg_locks
			WHERE pid = ANY($1) AND locktype = 'advisory' AND NOT granted`, pids).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			t.Errorf("%d audit inserts wait for an advisory lock held by another open transaction (%d of %d inserted)",
				waiting, inserted.Load(), writers)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(barrier)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if t.Failed() {
		return
	}
	var unsealed int64
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE seq IS NULL AND prev_hash IS NULL AND hash IS NULL`).Scan(&unsealed); err != nil || unsealed != writers {
		t.Fatalf("unsealed rows after the writers: %d, %v; want %d", unsealed, err, writers)
	}
	if n, err := st.SealAudit(ctx); err != nil || n != writers {
		t.Fatalf("SealAudit = %d, %v; want %d", n, err, writers)
	}
	if c := verify(t, st); c.Broken != nil || c.Rows != writers || c.HeadSeq != writers || c.Unsealed != 0 {
		t.Fatalf("after sealing: %+v", c)
	}
}

// The application cannot place a row in the chain: whatever it writes into seq, prev_hash and
// hash is discarded, and the row waits for audit_seal. VerifyAudit seals before it checks,
// and tampering with a sealed row is found.
func TestAuditRowsAreSealedAfterInsert(t *testing.T) {
	t.Parallel()
	pool, url := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (action, seq, prev_hash, hash)
		VALUES ('forfalsket', 1, '\x00', '\x00')`); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := st.Audit(ctx, who, 7, store.AuditCitizenView, "test"); err != nil {
			t.Fatal(err)
		}
	}
	var sealed int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE seq IS NOT NULL OR prev_hash IS NOT NULL OR hash IS NOT NULL`).Scan(&sealed); err != nil || sealed != 0 {
		t.Fatalf("rows in the chain before sealing: %d, %v; want 0", sealed, err)
	}
	c := verify(t, st) // seals first
	if c.Broken != nil || c.Rows != 4 || c.HeadSeq != 4 || c.Unsealed != 0 {
		t.Fatalf("verify of four fresh rows: %+v", c)
	}
	head, err := st.AuditHead(ctx)
	if err != nil || head.Seq != 4 || string(head.Hash) != string(c.HeadHash) {
		t.Fatalf("AuditHead = %v, %v; want seq 4 and the verified head", head, err)
	}
	var victim int64
	if err := pool.QueryRow(ctx, `SELECT id FROM audit_events WHERE seq = 2`).Scan(&victim); err != nil {
		t.Fatal(err)
	}
	asSuperuser(t, url, `UPDATE audit_events SET detail = 'intet at se' WHERE seq = 2`)
	if c := verify(t, st); c.Broken == nil || c.Broken.ID != victim {
		t.Fatalf("sealed row %d changed: %+v", victim, c.Broken)
	}
}

// Only audit_seal may fill in an unsealed row's place in the chain: the runtime role has no
// UPDATE right, and the owner is refused by the guard outside audit_seal, also with the
// seal's flag set by hand when anything but seq, prev_hash and hash changes. An unsealed row
// is not deleted by the purge's path either.
func TestAuditUnsealedRowsCannotBeChanged(t *testing.T) {
	t.Parallel()
	pool, url := testdb.New(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO audit_events (at, action, detail) VALUES (now() - interval '300 days', 'a', 'gammel')`); err != nil {
		t.Fatal(err)
	}
	isRefused := func(err error, code, msg string) bool {
		var pgErr *pgconn.PgError
		return errors.As(err, &pgErr) && pgErr.Code == code && strings.Contains(pgErr.Message, msg)
	}
	for _, q := range []string{
		`UPDATE audit_events SET seq = 1, prev_hash = '\x00', hash = '\x00'`,
		`UPDATE audit_events SET detail = 'forfalsket'`,
	} {
		if _, err := pool.Exec(ctx, q); !isRefused(err, "42501", "permission denied for table audit_events") {
			t.Errorf("runtime role: %s: %v; want permission denied", q, err)
		}
	}
	owner, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	for _, c := range []struct{ flag, q string }{
		{"", `UPDATE audit_events SET seq = 1, prev_hash = '\x00', hash = '\x00'`},
		{"", `UPDATE audit_events SET detail = 'forfalsket'`},
		{"helhed.audit_seal", `UPDATE audit_events SET seq = 1, prev_hash = '\x00', hash = '\x00', detail = 'forfalsket'`},
		{"helhed.audit_seal", `UPDATE audit_events SET detail = 'forfalsket'`},
		{"helhed.audit_purge", `DELETE FROM audit_events`},
	} {
		err := pgx.BeginFunc(ctx, owner, func(tx pgx.Tx) error {
			if c.flag != "" {
				if _, err := tx.Exec(ctx, `SELECT set_config($1, 'on', true)`, c.flag); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, c.q)
			return err
		})
		if !isRefused(err, "42501", "append-only") {
			t.Errorf("owner with flag %q: %s: %v; want the guard's refusal", c.flag, c.q, err)
		}
	}
	var detail string
	var seq *int64
	if err := pool.QueryRow(ctx, `SELECT detail, seq FROM audit_events`).Scan(&detail, &seq); err != nil || detail != "gammel" || seq != nil {
		t.Fatalf("the row afterwards: %q, seq %v, %v", detail, seq, err)
	}
}

// Sealers running at once, while rows are written, take turns and build one unbroken chain.
func TestAuditConcurrentSealers(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	st := store.New(pool)
	ctx := context.Background()
	const writers, each, sealers = 3, 30, 2
	var wg sync.WaitGroup
	errs := make(chan error, writers+sealers)
	done := make(chan struct{})
	var writing sync.WaitGroup
	for range writers {
		writing.Go(func() {
			for range each {
				if err := st.Audit(ctx, who, 7, store.AuditCitizenView, "test"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	var sealed atomic.Int64
	for range sealers {
		wg.Go(func() {
			for {
				n, err := st.SealAudit(ctx)
				if err != nil {
					errs <- err
					return
				}
				sealed.Add(n)
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	writing.Wait()
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n, err := st.SealAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := sealed.Load() + n
	c := verify(t, st)
	if c.Broken != nil || total != writers*each || c.Rows != total || c.HeadSeq != total {
		t.Fatalf("%d sealers: sealed %d, chain %+v; want %d rows in one chain", sealers, total, c, writers*each)
	}
}

// Migration 0051 rolls back with rows waiting for their seal: they are sealed, the chain's
// columns are required again and the insert trigger chains rows itself; applied again, the
// chain still verifies.
func TestAuditSealMigrationRollsBack(t *testing.T) {
	t.Parallel()
	url := testdb.NewURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO audit_events (action, detail) SELECT 'citizen.view', 'række ' || i FROM generate_series(1, 5) i`); err != nil {
		t.Fatal(err)
	}
	if err := migrations.DownTo(ctx, url, 50); err != nil {
		t.Fatal(err)
	}
	var unsealed int
	var nullable string
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM audit_events WHERE seq IS NULL),
		(SELECT is_nullable FROM information_schema.columns WHERE table_name = 'audit_events' AND column_name = 'hash')`).Scan(&unsealed, &nullable); err != nil {
		t.Fatal(err)
	}
	if unsealed != 0 || nullable != "NO" {
		t.Fatalf("after rolling back 0051: %d unsealed rows, hash nullable %s", unsealed, nullable)
	}
	var seq int64
	if err := conn.QueryRow(ctx, `INSERT INTO audit_events (action) VALUES ('logout') RETURNING seq`).Scan(&seq); err != nil || seq != 6 {
		t.Fatalf("a row inserted under 0015's trigger: seq %d, %v; want 6", seq, err)
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
	if c := verify(t, st); c.Broken != nil || c.Rows != 7 || c.HeadSeq != 7 {
		t.Fatalf("applied again: %+v", c)
	}
}
