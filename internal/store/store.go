// Package store is Helhed's PostgreSQL persistence: hand-written SQL on pgxpool, one file per
// concept. A public method owns its transaction; private helpers take pgx.Tx so a use case and
// its audit row commit together or not at all.
package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/dbtrace"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/live"
)

// Store holds the pool and the clock. Tests replace Now to move time.
type Store struct {
	pool *pgxpool.Pool
	Now  func() time.Time
	// CPRCheckLimit is how many citizens one user may create or try to create within
	// CPRCheckWindow (CreateCitizen).
	CPRCheckLimit int
	// NoteLock is how long after it was written a journal note may be amended by its author
	// (helhed.DefaultNoteLock when 0); afterwards a correction is a new note.
	NoteLock time.Duration
	// DocumentMaxSize is the largest document AddDocument keeps, in bytes.
	DocumentMaxSize int64
	// Blobs keeps the content of documents (PGBlobs: in this database).
	Blobs BlobStore
	// TOTPKey (32 bytes) seals the TOTP secrets of local accounts (TOTP_KEY); nil stores them
	// unsealed, for development only.
	TOTPKey []byte
	// settings and units are the copies kept in memory (KeepCopies); nil: read every time.
	settings *live.Copy[settingRows]
	units    *live.Copy[[]Unit]
}

// New wraps a pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, Now: time.Now, CPRCheckLimit: DefaultCPRCheckLimit, NoteLock: helhed.DefaultNoteLock,
		DocumentMaxSize: DefaultDocumentMaxSize, Blobs: PGBlobs{pool: pool}}
}

// Pool exposes the pool for the few callers that need it directly (sessions, live updates).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// OpenPool connects to databaseURL with a pool sized for the machine: a small multiple of the
// cores is what PostgreSQL can actually run at once; more connections only queue inside it.
func OpenPool(ctx context.Context, databaseURL string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if cfg.MaxConns == 4 || cfg.MaxConns == 0 { // pgxpool's default: max(4, NumCPU)
		cfg.MaxConns = int32(max(8, 4*runtime.NumCPU()))
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "helhed"
	cfg.AfterConnect = AsRuntimeRole
	// Counts each request's round trips for its log line (dbtrace; an atomic add a statement).
	cfg.ConnConfig.Tracer = &dbtrace.Tracer{}
	// Statements are prepared once per connection and PostgreSQL reuses their plans (the
	// default plan_cache_mode). Lists build their WHERE clause from the filters in use
	// (filters.go) rather than "($1 = 0 OR col = $1)", whose reused plan could not drop the
	// unused branch; forcing a fresh plan for every execution instead cost more CPU than the
	// queries themselves (docs/benchmarks.md).
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return pool, nil
}

// inTx runs fn in one transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// notFound maps pgx.ErrNoRows to the domain's not-found error, naming what was asked.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return &helhed.Error{Code: helhed.ENotFound, Message: what + " findes ikke", Err: err}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isUniqueViolation reports whether err is a unique-constraint violation on the named index.
func isUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" &&
		(constraint == "" || pgErr.ConstraintName == constraint)
}

// Page is a request for one page of a list.
type Page struct {
	Number  int // 1-based
	PerPage int
}

// maxPageNumber bounds the page number so the row offset cannot overflow (the web layer
// refuses larger numbers before they get here).
const maxPageNumber = 1_000_000

// normalize clamps a page to sane bounds so a URL cannot ask for a million rows.
func (p Page) normalize() Page {
	if p.PerPage <= 0 || p.PerPage > 200 {
		p.PerPage = 50
	}
	p.Number = min(max(p.Number, 1), maxPageNumber)
	return p
}

func (p Page) offset() int { return (p.Number - 1) * p.PerPage }

// RuntimeRole is the database role the application's pool works as: ordinary rights on the
// case tables, INSERT and SELECT only on audit_events (migrations/0015). Migrations run as
// the tables' owner.
const RuntimeRole = "helhed_app"

// AsRuntimeRole is the pool's AfterConnect hook: every connection works as RuntimeRole, so a
// pool opened with the owner's or a superuser's URL (the embedded cluster, a single
// DATABASE_URL) still has only the runtime role's rights. The connecting user must be a
// member of the role (a superuser always is).
func AsRuntimeRole(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, "SET ROLE "+RuntimeRole); err != nil {
		return fmt.Errorf("work as database role %s (docs/operations.md): %w", RuntimeRole, err)
	}
	return nil
}
