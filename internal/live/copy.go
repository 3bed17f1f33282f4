package live

import (
	"context"
	"sync"
)

// Copy keeps a value read from the database in memory for as long as nothing changes it.
// The tables it is read from announce every change on the hub's channel — a trigger sends
// one of its topics in the transaction of the change — so the next use after an announcement
// reads it again, on every instance, whoever made the change and however (the app, or an
// administrator in SQL). A change rolled back is never announced.
//
// While the hub is not listening (before its connection is first in place, while it
// reconnects, after Close) a change could go unannounced, so every use reads the database
// rather than risk a stale copy; the reconnect wakes every topic, so a copy kept from before
// is read again as well.
type Copy[T any] struct {
	hub    *Hub
	topics []string
	load   func(context.Context) (T, error)

	mu         sync.Mutex
	subscribed bool
	val        T
	seq        uint64
	loaded     bool
}

// NewCopy keeps what load reads, read again after a change to any of topics. Nothing is read
// or subscribed to until the first Get. load's result is shared by every caller of Get: it
// must not be changed after it is returned.
func NewCopy[T any](hub *Hub, load func(context.Context) (T, error), topics ...string) *Copy[T] {
	return &Copy[T]{hub: hub, topics: topics, load: load}
}

// Get returns the value, current as of the last announced change.
func (c *Copy[T]) Get(ctx context.Context) (T, error) {
	c.mu.Lock()
	if !c.subscribed {
		c.subscribed = c.subscribe()
	}
	seq, listening := c.hub.state(c.topics)
	if !c.subscribed || !listening {
		c.mu.Unlock()
		return c.load(ctx) // each caller its own read: no lock held for the database's time
	}
	defer c.mu.Unlock() // the others wait for this one read rather than each make their own
	if c.loaded && c.seq == seq {
		return c.val, nil
	}
	// seq was taken before the read: a change committed during it is announced later, and
	// the next use reads again.
	v, err := c.load(ctx)
	if err != nil {
		return v, err
	}
	c.val, c.seq, c.loaded = v, seq, true
	return v, nil
}

// Drop forgets the copy, so the next Get reads the database. The instance that made a change
// calls it after the commit, so its own next request does not wait for the announcement.
func (c *Copy[T]) Drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero T
	c.val, c.loaded = zero, false
}

// subscribe registers the copy's topics with the hub, which starts listening if it is not
// yet; false when the hub is closed.
func (c *Copy[T]) subscribe() bool {
	subs := make([]*Sub, 0, len(c.topics))
	for _, t := range c.topics {
		s, err := c.hub.subscribe(t)
		if err != nil {
			for _, s := range subs {
				s.Close()
			}
			return false
		}
		subs = append(subs, s)
	}
	return true
}
