// Package dbtrace counts the database round trips a piece of work makes: every statement sent
// on its own and every batch (pgx.Batch, one round trip for all its statements), begin and
// commit included. It is a pgx tracer (pgx.ConnConfig.Tracer); tests read its totals around
// one request to hold a page to a number of round trips (TestCitizenOverviewRoundTrips), and a
// Counter placed in a context counts what is done with that context.
package dbtrace

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// Tracer counts round trips on every connection it is set on.
type Tracer struct {
	// OnStatement, if set, is called with each statement sent on its own and with the
	// first of each batch (for a test to say which statements a page sends).
	OnStatement func(sql string)
	total       atomic.Int64
	batches     atomic.Int64
}

type ctxKey struct{}

// Counter counts the round trips made with one context (WithCounter).
type Counter struct{ n atomic.Int64 }

// RoundTrips is how many round trips were made with the counter's context so far.
func (c *Counter) RoundTrips() int64 { return c.n.Load() }

// WithCounter returns ctx with a fresh Counter.
func WithCounter(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{}
	return context.WithValue(ctx, ctxKey{}, c), c
}

func (t *Tracer) count(ctx context.Context) {
	t.total.Add(1)
	if c, ok := ctx.Value(ctxKey{}).(*Counter); ok {
		c.n.Add(1)
	}
}

// RoundTrips is the number of round trips on the tracer's connections so far.
func (t *Tracer) RoundTrips() int64 { return t.total.Load() }

// Batches is how many of RoundTrips were batches.
func (t *Tracer) Batches() int64 { return t.batches.Load() }

// TraceQueryStart counts a statement sent on its own (Query, QueryRow, Exec, begin, commit).
func (t *Tracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	t.count(ctx)
	if t.OnStatement != nil {
		t.OnStatement(d.SQL)
	}
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (t *Tracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch: its statements go in one round trip.
func (t *Tracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	t.batches.Add(1)
	t.count(ctx)
	if t.OnStatement != nil && d.Batch != nil && d.Batch.Len() > 0 {
		t.OnStatement("batch: " + d.Batch.QueuedQueries[0].SQL)
	}
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (t *Tracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd implements pgx.BatchTracer.
func (t *Tracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
