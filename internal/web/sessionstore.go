package web

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/alexedwards/scs/pgxstore"
)

// sessionStore is scs's PostgreSQL store with one change. scs moves a session's idle deadline
// by writing the whole session back after every request, so every click cost a write
// transaction (about 15 % of the throughput under load, docs/benchmarks.md). Here a commit
// whose data is what this instance last wrote for the token, and whose new deadline is less
// than slack after the one written then, is skipped: the stored deadline is at most slack
// early (a minute, or a tenth of a shorter idle timeout), so a session ends by the idle
// timeout at most that much sooner, never later.
// Any change to the session's data (login, a flash message, logout) is written at once, and a
// deleted session is never written back by a skipped commit. Other instances keep their own
// record; at worst they write once more.
type sessionStore struct {
	*pgxstore.PostgresStore
	slack   time.Duration
	mu      sync.Mutex
	written map[string]writtenSession
	commits int
}

type writtenSession struct {
	sum    [sha256.Size]byte
	expiry time.Time
}

func newSessionStore(db *pgxstore.PostgresStore, idle time.Duration) *sessionStore {
	return &sessionStore{PostgresStore: db, slack: min(time.Minute, idle/10), written: map[string]writtenSession{}}
}

// Commit writes the session unless only its deadline moved, and by less than the slack.
func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	sum := sha256.Sum256(b)
	s.mu.Lock()
	w, ok := s.written[token]
	s.mu.Unlock()
	if ok && w.sum == sum && !expiry.Before(w.expiry) && expiry.Sub(w.expiry) < s.slack {
		return nil
	}
	if err := s.PostgresStore.Commit(token, b, expiry); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written[token] = writtenSession{sum: sum, expiry: expiry}
	if s.commits++; s.commits%1000 == 0 { // forget sessions that have expired
		now := time.Now()
		for t, w := range s.written {
			if w.expiry.Before(now) {
				delete(s.written, t)
			}
		}
	}
	return nil
}

// Delete removes the session and this instance's record of it.
func (s *sessionStore) Delete(token string) error {
	s.mu.Lock()
	delete(s.written, token)
	s.mu.Unlock()
	return s.PostgresStore.Delete(token)
}
