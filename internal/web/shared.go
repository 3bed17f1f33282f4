package web

import (
	"github.com/helhed/helhed/internal/access"

	"context"
	"sync"
	"time"

	"github.com/helhed/helhed/internal/store"
)

// boardCaches share the work of live board updates between the screens of one instance: the
// meeting as loaded after a change, and the board as rendered for each kind of viewer. Keys
// carry the change's sequence number, so an entry is never stale; entries expire to bound
// memory.
type boardCaches struct {
	meetings shared[store.Meeting]
	rooms    shared[map[int64]access.Sight]
	renders  shared[[]byte]
}

// shared runs a function once per key for every caller that asks while it runs or within
// sharedTTL after (a single flight with a short memory). The function gets a context of its own: one
// caller going away must not fail the others waiting for the same result.
type shared[V any] struct {
	mu sync.Mutex
	m  map[string]*sharedEntry[V]
}

type sharedEntry[V any] struct {
	done chan struct{}
	v    V
	err  error
	made time.Time
}

// sharedTTL is how long a result is kept after it was made.
const sharedTTL = 5 * time.Second

func (c *shared[V]) do(key string, fn func(context.Context) (V, error)) (V, error) {
	now := time.Now()
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]*sharedEntry[V]{}
	}
	for k, e := range c.m {
		select {
		case <-e.done:
			if now.Sub(e.made) > sharedTTL {
				delete(c.m, k)
			}
		default:
		}
	}
	e, ok := c.m[key]
	if ok {
		c.mu.Unlock()
		<-e.done
		return e.v, e.err
	}
	e = &sharedEntry[V]{done: make(chan struct{}), made: now}
	c.m[key] = e
	c.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e.v, e.err = fn(ctx)
	close(e.done)
	if e.err != nil { // do not keep a failure: the next caller tries again
		c.mu.Lock()
		delete(c.m, key)
		c.mu.Unlock()
	}
	return e.v, e.err
}
