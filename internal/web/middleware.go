package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/dbtrace"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyNonce
	keyUser
	keySession // set once the session has been loaded for the request
	keyLogUser // the request log's *logUser
)

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}

func nonce(r *http.Request) string {
	n, _ := r.Context().Value(keyNonce).(string)
	return n
}

// withRequestID gives every request a random id, shown on error pages and in every log line,
// so a user's report can be matched to the log without personal data.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyRequestID, id)))
	})
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach Flush on the real writer (server-sent events).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logUser is where the request log learns who made the request. The log line is written by
// the outermost middleware, which runs before the session is read, and a context value set
// further in never reaches it; so the logger places this holder in the context and loadUser
// (or a successful login) fills it in. Only the request's own goroutine touches it.
type logUser struct{ id int64 }

// setLogUser names the user of this request in its log line.
func setLogUser(r *http.Request, id int64) {
	if lu, ok := r.Context().Value(keyLogUser).(*logUser); ok {
		lu.id = id
	}
}

// logRequests writes one log line per request: method, path (never the query string, which
// could carry search terms), status, duration, request id, user id (0 when anonymous), and
// the database round trips it made (counted when the pool has the dbtrace tracer, as
// store.OpenPool's does). No personal data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		lu := &logUser{}
		ctx, db := dbtrace.WithCounter(context.WithValue(r.Context(), keyLogUser, lu))
		next.ServeHTTP(sw, r.WithContext(ctx))
		s.log.Info("request", "method", r.Method, "path", loggedPath(r.URL.Path), "status", sw.status,
			"bytes", sw.bytes, "ms", time.Since(start).Milliseconds(), "request_id", requestID(r), "user_id", lu.id,
			"db_round_trips", db.RoundTrips())
	})
}

// recoverPanics turns a panic into the generic Danish 500 page; the stack goes to the log only.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", requestID(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// secureHeaders sets the security headers on every response, errors included. Scripts run only
// from our own origin or with this request's nonce; nothing may frame us.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		n := base64.RawStdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+n+"'; "+
			"style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "+
			"frame-ancestors 'none'; form-action 'self'"+s.formOrigins()+s.brokerOrigin()+"; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if s.cfg.HTTPS() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			// Pages carry personal data: never store them in a browser or proxy cache.
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyNonce, n)))
	})
}

// crossOriginProtection refuses state-changing requests from other sites (Sec-Fetch-Site /
// Origin checks, Go's http.CrossOriginProtection), with the Danish 403 page.
func (s *Server) crossOriginProtection(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	// The SAML IdP posts its response from its own site; the ACS only posts it on from ours
	// (saml.go), where the check applies.
	cop.AddInsecureBypassPattern("POST " + SAMLACSPath)
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path, "request_id", requestID(r))
		s.renderError(w, r, http.StatusForbidden)
	}))
	return cop.Handler(next)
}
