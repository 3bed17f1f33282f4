package web

import (
	"context"
	"crypto/sha256"
	"net/http"
	"sync"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"github.com/helhed/helhed/internal/store"
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
// record; at worst they write once more. "The same data" needs the same session to encode to
// the same bytes every time, which sessionCodec gives (gob did not: sessioncodec.go).
//
// It also writes the session's user id beside it, and reads the session and its user in one
// statement (FindCtx): loadUser then takes the user read with the session instead of asking
// the database a second time (sessionUser).
type sessionStore struct {
	*pgxstore.PostgresStore
	st      *store.Store
	slack   time.Duration
	mu      sync.Mutex
	written map[string]writtenSession
	commits int
}

type writtenSession struct {
	sum    [sha256.Size]byte
	expiry time.Time
}

// newSessionStore is the session store on st's database; cleanup is how often it deletes
// expired rows (0: never, for a second realm on the same table).
func newSessionStore(st *store.Store, idle, cleanup time.Duration) *sessionStore {
	s := &sessionStore{st: st, slack: min(time.Minute, idle/10), written: map[string]writtenSession{}}
	if st != nil {
		s.PostgresStore = pgxstore.NewWithCleanupInterval(st.Pool(), cleanup)
	}
	return s
}

// sessionUserKey holds, in a request's context, the user read with its session.
type sessionUserKey struct{}

// sessionUserHolder is placed in the context before the session is loaded (withSessionUser);
// FindCtx fills it in.
type sessionUserHolder struct{ user *store.User }

// withSessionUser makes room in the request's context for the user read with the session.
func withSessionUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionUserKey{}, &sessionUserHolder{})))
	})
}

// sessionUser is the user read with this request's session, if it is the one with id.
func sessionUser(ctx context.Context, id int64) (store.User, bool) {
	h, ok := ctx.Value(sessionUserKey{}).(*sessionUserHolder)
	if !ok || h.user == nil || h.user.ID != id {
		return store.User{}, false
	}
	return *h.user, true
}

// FindCtx reads the session and its user in one statement.
func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	b, u, found, err := s.st.SessionWithUser(ctx, token)
	if h, ok := ctx.Value(sessionUserKey{}).(*sessionUserHolder); ok {
		h.user = u
	}
	return b, found, err
}

// CommitCtx is Commit with the request's context.
func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.commit(ctx, token, b, expiry)
}

// Commit writes the session unless only its deadline moved, and by less than the slack.
func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.commit(context.Background(), token, b, expiry)
}

// sessionUserID is the user id in a session's encoded data (0 for none).
func sessionUserID(b []byte) int64 {
	_, values, err := sessionCodec{}.Decode(b)
	if err != nil {
		return 0
	}
	id, _ := values[sessUserID].(int64)
	return id
}

func (s *sessionStore) commit(ctx context.Context, token string, b []byte, expiry time.Time) error {
	sum := sha256.Sum256(b)
	s.mu.Lock()
	w, ok := s.written[token]
	s.mu.Unlock()
	if ok && w.sum == sum && !expiry.Before(w.expiry) && expiry.Sub(w.expiry) < s.slack {
		return nil
	}
	if err := s.st.CommitSession(ctx, token, b, expiry, sessionUserID(b)); err != nil {
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
