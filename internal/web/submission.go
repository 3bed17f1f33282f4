package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
)

// validFormToken is the shape of components.NewFormToken's tokens (with room to change it).
var validFormToken = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// submissionWait bounds how long a repeated submission waits for the first one, still being
// handled, to finish (a double click arrives within milliseconds of the first).
const submissionWait = 10 * time.Second

// oneSubmission lets a form that carries a one-time token (components.FormToken: every form
// that creates something) be sent once. The first POST of a token claims it in PostgreSQL
// (shared by every instance) and runs the handler; when the handler finishes the house way,
// with a 303 to the result (post/redirect/get), that address is recorded with the token. A
// second POST of the same token by the same user creates nothing: it gets the flash
// "Formularen var allerede sendt" and a 303 to where the first went, waiting for it if it is
// still being handled. A refused form (422, 409, any error) releases the token, so the form,
// corrected, can be sent again. Forms without a token (edits guarded by a version, the
// matrix test's bare posts) pass through untouched. An upload (streamingUpload) passes through
// too: its handler reads the token from the form's part before the file and calls submitOnce.
// The citizen area runs it too, its claims keyed by the citizen's session (submitterOf).
func (s *Server) oneSubmission(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || streamingUpload(r) {
			next.ServeHTTP(w, r)
			return
		}
		s.submitOnce(w, r, r.PostFormValue(components.FormTokenField), next)
	})
}

// submitOnce runs next as the first submission of the form's one-time token, or answers a
// repeat of it (oneSubmission). An empty token, or nobody signed in, runs next as it is.
func (s *Server) submitOnce(w http.ResponseWriter, r *http.Request, token string, next http.Handler) {
	by, ok := s.submitterOf(r)
	if token == "" || !ok {
		next.ServeHTTP(w, r)
		return
	}
	if !validFormToken.MatchString(token) {
		s.renderError(w, r, http.StatusBadRequest)
		return
	}
	sub, err := s.awaitSubmission(r.Context(), by, token)
	if err != nil {
		s.handleError(w, r, err)
		return
	}
	if !sub.First {
		if sub.ResultURL == "" {
			s.renderErrorMessage(w, r, http.StatusConflict,
				"Formularen er allerede sendt og bliver stadig behandlet. Vent et øjeblik, og åbn siden igen.")
			return
		}
		by.flash(r, "info", "Formularen var allerede sendt. Her er resultatet; intet er oprettet to gange.")
		http.Redirect(w, r, sub.ResultURL, http.StatusSeeOther)
		return
	}
	sw := &submissionWriter{ResponseWriter: w, finish: func(location string) {
		if err := by.finish(r.Context(), token, location); err != nil {
			// The form was handled and the claim stays: a repeat still creates nothing, it
			// only waits in vain for the address (and is told the form is being handled).
			s.log.Error("record submission", "request_id", requestID(r), "err", err)
		}
	}}
	defer func() {
		if !sw.finished {
			// Nothing was created (or the handler failed): the form may be sent again. The
			// request's context may be gone (a client that hung up), the release must not be.
			if err := by.release(context.WithoutCancel(r.Context()), token); err != nil {
				s.log.Error("release submission", "request_id", requestID(r), "err", err)
			}
		}
	}()
	next.ServeHTTP(sw, r)
}

// submitter is whose one-time tokens a request claims: a staff user's (form_submissions) or,
// in the citizen area, the signed-in citizen's session's (self_form_submissions), with the
// realm's own flash.
type submitter struct {
	claim   func(ctx context.Context, token string) (store.Submission, error)
	finish  func(ctx context.Context, token, resultURL string) error
	release func(ctx context.Context, token string) error
	flash   func(r *http.Request, kind, msg string)
}

// submitterOf is the request's submitter; ok is false when nobody is signed in.
func (s *Server) submitterOf(r *http.Request) (submitter, bool) {
	if u := userFrom(r); u != nil {
		return submitter{
			claim: func(ctx context.Context, token string) (store.Submission, error) {
				return s.store.ClaimSubmission(ctx, u.ID, token)
			},
			finish: func(ctx context.Context, token, url string) error {
				return s.store.FinishSubmission(ctx, u.ID, token, url)
			},
			release: func(ctx context.Context, token string) error { return s.store.ReleaseSubmission(ctx, u.ID, token) },
			flash:   s.flash,
		}, true
	}
	if citizenFrom(r) != nil {
		// The session's token, hashed: the table never holds a live session token. The
		// token is the one the request came with (a sign-in renews it, a form is not one).
		tok := s.selfSessions.Token(r.Context())
		if tok == "" {
			return submitter{}, false
		}
		sum := sha256.Sum256([]byte(tok))
		key := hex.EncodeToString(sum[:])
		return submitter{
			claim: func(ctx context.Context, token string) (store.Submission, error) {
				return s.store.ClaimSelfSubmission(ctx, key, token)
			},
			finish: func(ctx context.Context, token, url string) error {
				return s.store.FinishSelfSubmission(ctx, key, token, url)
			},
			release: func(ctx context.Context, token string) error { return s.store.ReleaseSelfSubmission(ctx, key, token) },
			flash:   s.selfFlash,
		}, true
	}
	return submitter{}, false
}

// awaitSubmission claims token for by; a repeat whose first submission is still being
// handled waits for its result, briefly.
func (s *Server) awaitSubmission(ctx context.Context, by submitter, token string) (store.Submission, error) {
	ctx, cancel := context.WithTimeout(ctx, submissionWait)
	defer cancel()
	pause := 20 * time.Millisecond
	for {
		sub, err := by.claim(ctx, token)
		if err != nil || sub.First || sub.ResultURL != "" {
			return sub, err
		}
		select {
		case <-ctx.Done():
			return store.Submission{}, nil // still being handled: the caller says so
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

// submissionWriter watches a claimed submission's response: a 303 See Other to a local page
// means the handler did what the form asked, and where it went is recorded before the
// response leaves.
type submissionWriter struct {
	http.ResponseWriter
	finish   func(location string)
	finished bool
	wrote    bool
}

func (w *submissionWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if loc := w.Header().Get("Location"); code == http.StatusSeeOther && localPath(loc) {
			w.finish(loc)
			w.finished = true
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *submissionWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writer underneath.
func (w *submissionWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// localPath reports whether u is a path on this site (not //host or /\host).
func localPath(u string) bool {
	return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, "/\\")
}
