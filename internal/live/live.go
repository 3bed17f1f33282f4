// Package live fans PostgreSQL notifications out to the open screens of this app instance.
//
// A change that others should see at once (the chair moves the board's focus, the minute-taker
// records an indstilling) sends NOTIFY on one channel with a topic such as "meeting:42" as
// payload, in the transaction that makes the change. Every app instance LISTENs on that
// channel with one connection and wakes the subscribers of the topic, which render what their
// viewer may see and push it as a server-sent event. Payloads carry ids only, never data, so
// nothing personal passes through the notification queue, and any number of instances behind
// a load balancer behave as one.
package live

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Hub listens on one PostgreSQL channel and wakes subscribers by topic. It starts listening
// on the first subscription and stops when closed.
type Hub struct {
	pool    *pgxpool.Pool
	channel string
	log     *slog.Logger

	mu   sync.Mutex
	subs map[string]map[*Sub]struct{}
	// counter counts wake-ups across all topics; seqs[topic] is the counter at the topic's
	// latest wake-up. Screens woken by the same change see the same Seq, so they can share
	// the work of rendering it.
	counter uint64
	seqs    map[string]uint64
	started bool
	ready   chan struct{} // closed once the first LISTEN is in place
	done    chan struct{} // closed by Close
	stopped chan struct{} // closed when the listener has returned
	cancel  context.CancelFunc

	// listening is true while the LISTEN connection is in place: only then is every change
	// announced (Listening).
	listening bool
}

// NewHub makes a hub for channel on pool; nothing runs until the first Subscribe.
func NewHub(pool *pgxpool.Pool, channel string, log *slog.Logger) *Hub {
	return &Hub{pool: pool, channel: channel, log: log, subs: map[string]map[*Sub]struct{}{}, seqs: map[string]uint64{},
		ready: make(chan struct{}), done: make(chan struct{}), stopped: make(chan struct{})}
}

// Sub is one subscription. C receives a value when the topic has changed since the last
// receive; several changes in a row may arrive as one (the subscriber renders the current
// state, so nothing is lost by coalescing).
type Sub struct {
	C     <-chan struct{}
	c     chan struct{}
	topic string
	hub   *Hub
}

// Seq identifies the topic's latest change as this hub saw it: it grows with every wake-up
// and is the same for every subscriber of the topic. State read after a wake-up reflects at
// least the change Seq names.
func (s *Sub) Seq() uint64 {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seqs[s.topic]
}

// Done is closed when the hub shuts down: the subscriber should end its stream.
func (s *Sub) Done() <-chan struct{} { return s.hub.done }

// Close ends the subscription.
func (s *Sub) Close() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if set := h.subs[s.topic]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(h.subs, s.topic)
		}
	}
}

// Subscribe registers interest in topic. It returns once the hub is listening (or ctx ends),
// so a change committed after Subscribe returns is never missed.
func (h *Hub) Subscribe(ctx context.Context, topic string) (*Sub, error) {
	s, err := h.subscribe(topic)
	if err != nil {
		return nil, err
	}
	select {
	case <-h.ready:
		return s, nil
	case <-ctx.Done():
		s.Close()
		return nil, ctx.Err()
	case <-h.done:
		s.Close()
		return nil, errors.New("live: hub closed")
	}
}

// subscribe registers interest in topic and starts the listener if it is not running, without
// waiting for it to listen.
func (h *Hub) subscribe(topic string) (*Sub, error) {
	c := make(chan struct{}, 1)
	s := &Sub{C: c, c: c, topic: topic, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.done:
		return nil, errors.New("live: hub closed")
	default:
	}
	if h.subs[topic] == nil {
		h.subs[topic] = map[*Sub]struct{}{}
	}
	if _, ok := h.seqs[topic]; !ok {
		h.seqs[topic] = h.counter
	}
	h.subs[topic][s] = struct{}{}
	if !h.started {
		h.started = true
		lctx, cancel := context.WithCancel(context.Background())
		h.cancel = cancel
		go h.listen(lctx)
	}
	return s, nil
}

// Listening reports whether the hub holds its LISTEN connection now. While it does not (before
// the first subscription has it in place, while it reconnects, after Close), changes go
// unannounced; the reconnect wakes every subscriber.
func (h *Hub) Listening() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.listening
}

// state is the latest Seq of any of topics (each wake-up takes a larger number than any
// before it, so the largest moves whenever one of them changes) and whether the hub is
// listening now, read together.
func (h *Hub) state(topics []string) (seq uint64, listening bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics {
		seq = max(seq, h.seqs[t])
	}
	return seq, h.listening
}

// Close stops listening and ends every subscription's stream (Done is closed). It waits for
// the listener to let go of its connection, so the pool can close after it.
func (h *Hub) Close() {
	h.mu.Lock()
	select {
	case <-h.done:
		h.mu.Unlock()
		return
	default:
	}
	close(h.done)
	h.listening = false
	started := h.started
	if h.cancel != nil {
		h.cancel()
	}
	h.mu.Unlock()
	if started {
		<-h.stopped
	}
}

// wake signals the subscribers of topic; "" wakes everyone (after a reconnect, when
// notifications may have been missed).
func (h *Hub) wake(topic string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.wakeLocked(topic)
}

// wakeLocked is wake with h.mu held.
func (h *Hub) wakeLocked(topic string) {
	h.counter++
	signal := func(set map[*Sub]struct{}) {
		for s := range set {
			select {
			case s.c <- struct{}{}:
			default: // a wake-up is already pending: coalesce
			}
		}
	}
	if topic != "" {
		h.seqs[topic] = h.counter
		signal(h.subs[topic])
		return
	}
	for t, set := range h.subs {
		h.seqs[t] = h.counter
		signal(set)
	}
}

// listen holds one connection with LISTEN for as long as the hub lives, reconnecting with a
// growing pause when the connection is lost.
func (h *Hub) listen(ctx context.Context) {
	defer close(h.stopped)
	pause := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := h.listenOnce(ctx, func() {
			h.mu.Lock()
			h.listening = true
			if !first {
				h.wakeLocked("") // we may have missed notifications while reconnecting
			}
			h.mu.Unlock()
			if first {
				close(h.ready)
				first = false
			}
			pause = 100 * time.Millisecond
		})
		h.mu.Lock()
		h.listening = false
		h.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("live updates: listener lost its connection; reconnecting", "err", err, "pause", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}

// listenOnce runs one LISTEN connection until it fails or ctx ends. The connection is taken
// out of the pool (Hijack): a connection that listens must never serve other queries.
func (h *Hub) listenOnce(ctx context.Context, listening func()) error {
	pc, err := h.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pc.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{h.channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.wake(n.Payload)
	}
}
