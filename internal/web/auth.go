package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/auth"
)

// currentUser is the logged-in user for this request.
type currentUser struct {
	ID        int64
	Name      string
	UnitID    int64
	UnitName  string
	UnitKind  string
	Role      string
	RoleLabel string
}

func (u *currentUser) access() access.User {
	return access.User{ID: u.ID, UnitID: u.UnitID, Role: u.Role}
}

// userFrom returns the logged-in user, or nil.
func userFrom(r *http.Request) *currentUser {
	u, _ := r.Context().Value(keyUser).(*currentUser)
	return u
}

// who is the audit identity of this request.
func who(r *http.Request) store.Who {
	w := store.Who{RequestID: requestID(r)}
	if u := userFrom(r); u != nil {
		w.UserID = u.ID
	}
	return w
}

const (
	sessUserID  = "uid"
	sessLoginAt = "login_at"
)

// sessionValid reports whether a session of u that logged in at loginAt (Unix nanoseconds)
// still holds: the user is active and has not had every session ended since (disabled, or
// a new password).
func sessionValid(u store.User, loginAt int64) bool {
	return u.Active() && !time.Unix(0, loginAt).Before(u.SessionsValidAfter)
}

// loadUser reads the session's user from the database on every request, so a disabled user,
// a changed role or a password reset takes effect at once, on every instance.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), keySession, true)
		r = r.WithContext(ctx)
		id := s.sessions.GetInt64(ctx, sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.store.UserByID(ctx, id)
		if err != nil || !sessionValid(u, s.sessions.GetInt64(ctx, sessLoginAt)) {
			if err != nil && helhed.ErrorCode(err) != helhed.ENotFound {
				s.handleError(w, r, err)
				return
			}
			_ = s.sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		}
		setLogUser(r, u.ID)
		cu := &currentUser{ID: u.ID, Name: u.Name, UnitID: u.UnitID, UnitName: u.UnitName, UnitKind: u.UnitKind,
			Role: u.Role, RoleLabel: u.RoleLabel}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyUser, cu)))
	})
}

// requireLogin sends anonymous users to the login page, remembering where they were going.
func requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r) == nil {
			target := "/login"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// safeNext accepts only local paths as a post-login destination (no open redirect).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginGet(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r) != nil {
		return redirect(w, r, "/")
	}
	return s.page(w, r, http.StatusOK, "Log ind", auth.Login(auth.LoginProps{Next: safeNext(r.URL.Query().Get("next"))}))
}

// dummyHash makes a login for an unknown username cost as much as a wrong password, so timing
// does not reveal which usernames exist.
var dummyHash, _ = password.Hash("ingen-bruger", password.Default)

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientIP(r)
	fail := func(msg string) error {
		return s.page(w, r, http.StatusUnauthorized, "Log ind",
			auth.Login(auth.LoginProps{Username: username, Error: msg, Next: next}))
	}
	if username == "" || pw == "" || len(username) > 100 || len(pw) > 1000 {
		return fail("Skriv brugernavn og adgangskode.")
	}

	byUser, byIP, err := s.store.LoginFailures(ctx, username, ip, s.now().Add(-s.cfg.LoginWindow))
	if err != nil {
		return err
	}
	if byUser >= s.cfg.LoginMaxPerUser || byIP >= s.cfg.LoginMaxPerIP {
		if err := s.store.RecordLoginFailure(ctx, who(r), username, ip, store.AuditLoginThrottle); err != nil {
			return err
		}
		s.log.Warn("login throttled", "request_id", requestID(r))
		return fail("For mange mislykkede forsøg. Vent et kvarter, og prøv igen.")
	}

	u, err := s.store.UserByUsername(ctx, username)
	if err != nil && !errors.Is(err, helhed.ErrNotFound) {
		return err
	}
	hash := dummyHash
	if err == nil {
		hash = u.PasswordHash
	}
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	ok, verr := password.Verify(pw, hash)
	<-s.hashing
	if err != nil || verr != nil || !ok || !u.Active() {
		attempt := store.Who{RequestID: requestID(r), UserID: u.ID}
		if err := s.store.RecordLoginFailure(ctx, attempt, username, ip, store.AuditLoginFailed); err != nil {
			return err
		}
		return fail("Forkert brugernavn eller adgangskode.")
	}

	// A new session token at login defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessLoginAt, s.now().UnixNano())
	setLogUser(r, u.ID)
	if err := s.store.RecordLoginSuccess(ctx, store.Who{UserID: u.ID, RequestID: requestID(r)}, username); err != nil {
		return err
	}
	return redirect(w, r, next)
}

func (s *Server) logoutPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := userFrom(r); u != nil {
		if err := s.store.Audit(ctx, who(r), 0, store.AuditLogout, ""); err != nil {
			return err
		}
	}
	// Destroy deletes the session row server-side; the flash starts a new one with a new token.
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	s.flash(r, "success", "Du er logget ud.")
	return redirect(w, r, "/login")
}

// EndUserSessions deletes every stored session of a user (used when an administrator disables
// them). loadUser would refuse those sessions anyway; this removes them from the database too.
func (s *Server) EndUserSessions(ctx context.Context, userID int64) error {
	return s.sessions.Iterate(ctx, func(ctx context.Context) error {
		if s.sessions.GetInt64(ctx, sessUserID) == userID {
			return s.sessions.Destroy(ctx)
		}
		return nil
	})
}
