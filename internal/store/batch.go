package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

// Batch gathers reads that do not depend on each other's answers and sends them to
// PostgreSQL together: one round trip for all of them instead of one each. A page whose parts
// each need a statement (the citizen page's sections) queues every part's read, sends once,
// then gives each part its Result.
//
// Each read has one definition, a query (its statement, its arguments and how its rows are
// read): the read's own method sends it alone (run), its method on Batch queues it. So the
// SQL and the scanning are the same whichever way a page asks.
//
// A batch outside a transaction block runs as one implicit transaction; at READ COMMITTED each
// statement still takes its own snapshot, as when they were sent one by one. Only reads are
// queued here (writes belong in their use case's transaction). An error in any statement fails
// the whole Send, and pgx then forgets the prepared statements of every statement in the
// batch (PostgreSQL plans them afresh on the next use), so a read that finds nothing says so
// in its value, never by an error.
type Batch struct {
	s     *Store
	b     pgx.Batch
	after []func() error // run in order once the batch's answers are read
	err   error          // a read that could not be queued
	sent  bool
}

// Batch starts an empty batch of reads.
func (s *Store) Batch() *Batch { return &Batch{s: s} }

// Send sends the queued statements in one round trip (none when nothing is queued) and
// fills every Result. A batch is sent once.
func (b *Batch) Send(ctx context.Context) error {
	if b.sent {
		return errors.New("store: batch sent twice")
	}
	b.sent = true
	if b.err != nil {
		return b.err
	}
	if b.b.Len() > 0 {
		if err := b.s.pool.SendBatch(ctx, &b.b).Close(); err != nil {
			return err
		}
	}
	for _, f := range b.after {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// Result is a read queued in a Batch; its value is there once the batch was sent without an
// error.
type Result[T any] struct {
	v   T
	set bool
}

// Value is the read's value. Asking before the batch was sent, or after it failed, is a bug
// in the caller, and panics.
func (r *Result[T]) Value() T {
	if !r.set {
		panic("store: a batch's result read before the batch was sent")
	}
	return r.v
}

func (r *Result[T]) fill(v T) { r.v, r.set = v, true }

// Maybe is a read that may find nothing: OK is false when it did not.
type Maybe[T any] struct {
	Value T
	OK    bool
}

// Counted is one page of rows and how many there are on every page.
type Counted[T any] struct {
	Rows  []T
	Total int
}

// query is one read: its statement, arguments and how its rows become a T. read reads
// (and closes) the rows, wrapping an error with what was read, as the methods always did.
type query[T any] struct {
	sql  string
	args []any
	read func(pgx.Rows) (T, error)
}

// run sends q on its own, on the pool or a transaction.
func (q query[T]) run(ctx context.Context, db querier) (T, error) {
	rows, _ := db.Query(ctx, q.sql, q.args...) // an error comes back from the rows
	return q.read(rows)
}

// queue adds q to b; its Result is filled when b is sent.
func queue[T any](b *Batch, q query[T]) *Result[T] {
	r := &Result[T]{}
	b.b.Queue(q.sql, q.args...).Query(func(rows pgx.Rows) error {
		v, err := q.read(rows)
		if err != nil {
			return err
		}
		r.fill(v)
		return nil
	})
	return r
}

// fail makes b's Send report err without sending: a read whose arguments are refused before
// any statement is sent (as its own method would refuse them).
func (b *Batch) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// ready is a Result known without asking the database.
func ready[T any](v T) *Result[T] { return &Result[T]{v: v, set: true} }
