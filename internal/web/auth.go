package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/auth"
)

// currentUser is the logged-in user for this request.
type currentUser struct {
	ID        int64
	Username  string
	Name      string
	UnitID    int64
	UnitName  string
	UnitKind  string
	Role      string
	RoleLabel string
	// MustChangePassword: an administrator chose the password; requireLogin sends the user
	// to the change page until they have chosen their own.
	MustChangePassword bool
	// MustEnrolTOTP: an administrator with a password and no TOTP app while
	// Config.RequireAdminTOTP is on; requireLogin holds them at the enrolment page.
	MustEnrolTOTP bool
	// SSOOnly: the user logs in only through the identity provider (no password to change).
	SSOOnly bool
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

// loadUser reads the session's user from the database on every request (with the session, in
// one statement: sessionStore.FindCtx), so a disabled user,
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
		u, ok := sessionUser(ctx, id) // read with the session, in the same statement
		var err error
		if !ok {
			u, err = s.store.UserByID(ctx, id)
		}
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
		cu := &currentUser{ID: u.ID, Username: u.Username, Name: u.Name, UnitID: u.UnitID, UnitName: u.UnitName, UnitKind: u.UnitKind,
			Role: u.Role, RoleLabel: u.RoleLabel, MustChangePassword: u.MustChangePassword, SSOOnly: u.SSOOnly(),
			MustEnrolTOTP: s.cfg.RequireAdminTOTP && u.Role == access.RoleAdmin && !u.TOTPEnabled && !u.SSOOnly()}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, keyUser, cu)))
	})
}

// requireLogin sends anonymous users to the login page, remembering where they were going,
// and users whose password an administrator chose to the change page: until they have chosen
// their own, that page and logging out are all they can reach, GET or POST.
//
// A form posted after the session ended is kept for the page it was posted from
// (keepPendingForm), and the user returns there after logging in.
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r)
		if u == nil {
			target := "/login"
			switch {
			case r.Method == http.MethodGet && r.URL.Path != "/":
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			case r.Method == http.MethodPost && r.URL.Path != "/logout":
				page, kept := s.keepPendingForm(r)
				if page != "/" {
					target += "?next=" + url.QueryEscape(page)
				}
				if kept {
					s.flash(r, "info", "Du blev logget ud, før formularen blev sendt. Log ind igen: så kommer du tilbage til siden, og det, du skrev, bliver sat ind igen.")
				} else {
					s.flash(r, "info", "Du blev logget ud, før formularen blev sendt, og den er ikke gemt. Log ind igen, og udfyld den på ny.")
				}
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if u.MustChangePassword && r.URL.Path != changePasswordPath && r.URL.Path != "/logout" {
			http.Redirect(w, r, changePasswordPath, http.StatusSeeOther)
			return
		}
		if u.MustEnrolTOTP && !u.MustChangePassword && r.URL.Path != totpEnrolPath && r.URL.Path != "/logout" {
			http.Redirect(w, r, totpEnrolPath, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// safeNext accepts only a clean path on this site, with an optional query, as the
// destination after login, and "/" for anything else (no open redirect). Browsers strip tab,
// CR and LF from a URL and read a backslash as a slash, so "/\t/evil.example" reaches them as
// "//evil.example": any control character or backslash, raw or percent-encoded in the path,
// is refused outright rather than cleaned. The path must be canonical (no "//", ".", ".."),
// which also rules out a "//" that would appear after cleaning.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || strings.ContainsFunc(next, badURLRune) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(next, "/") || strings.ContainsFunc(u.Path, badURLRune) {
		return "/"
	}
	clean := path.Clean(u.Path)
	if u.Path != clean && u.Path != clean+"/" || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// badURLRune reports a character no redirect target of ours contains: a control character
// (browsers drop some of them silently) or a backslash (browsers read it as a slash).
func badURLRune(r rune) bool { return r == '\\' || unicode.IsControl(r) }

func (s *Server) loginGet(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r) != nil {
		return redirect(w, r, "/")
	}
	return s.page(w, r, http.StatusOK, "Log ind", auth.Login(auth.LoginProps{Next: safeNext(r.URL.Query().Get("next")), SSO: s.ssoStart() != "", SSOPath: s.ssoStart()}))
}

// dummyHash makes a login for an unknown username cost as much as a wrong password, so timing
// does not reveal which usernames exist.
var dummyHash, _ = password.Hash("ingen-bruger", password.Default)

// clientIP is the address the per-address login limit counts. A request whose direct peer
// is not a trusted proxy is counted by the peer, whatever its headers say. From a trusted
// proxy, X-Forwarded-For is read from the right: every proxy appends the address it saw, so
// the rightmost address that is not itself a trusted proxy is the client as our own proxies
// saw it, and anything to its left is the client's own say-so. An unreadable entry stops the
// walk at the last proxy. Without X-Forwarded-For, X-Real-IP is used.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	peer, err := parseAddr(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	isTrusted := func(a netip.Addr) bool {
		return slices.ContainsFunc(trusted, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	if !isTrusted(peer) {
		return peer.String()
	}
	client := peer
	if hops := r.Header.Values("X-Forwarded-For"); len(hops) > 0 {
		entries := strings.Split(strings.Join(hops, ","), ",")
		for i := len(entries) - 1; i >= 0; i-- {
			a, err := parseAddr(strings.TrimSpace(entries[i]))
			if err != nil {
				break
			}
			client = a
			if !isTrusted(a) {
				break
			}
		}
		return client.String()
	}
	if a, err := parseAddr(strings.TrimSpace(r.Header.Get("X-Real-IP"))); err == nil {
		client = a
	}
	return client.String()
}

// parseAddr reads an IP address with or without a port; IPv4-mapped IPv6 addresses become
// plain IPv4, so one client has one spelling.
func parseAddr(s string) (netip.Addr, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, err
	}
	return a.Unmap(), nil
}

// ParseTrustedProxies reads a comma-separated list of IP addresses and CIDR prefixes (the
// -trusted-proxies flag). An empty list trusts no proxy.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxies: %q is not an IP address or CIDR prefix", f)
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxies: %q is not an IP address or CIDR prefix", f)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	username := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientIP(r, s.cfg.TrustedProxies)
	fail := func(msg string) error {
		return s.page(w, r, http.StatusUnauthorized, "Log ind",
			auth.Login(auth.LoginProps{Username: username, Error: msg, Next: next, SSO: s.ssoStart() != "", SSOPath: s.ssoStart()}))
	}
	if username == "" || pw == "" || len(username) > 100 || len(pw) > 1000 {
		return fail("Skriv brugernavn og adgangskode.")
	}

	wait, err := s.store.BeginLogin(ctx, who(r), username, ip, s.loginLimits())
	if err != nil {
		return err
	}
	if wait > 0 {
		s.log.Warn("login throttled", "request_id", requestID(r))
		return fail("For mange mislykkede forsøg. Vent " + danishDuration(wait) + ", og prøv igen.")
	}

	u, err := s.store.UserByUsername(ctx, username)
	if err != nil && !errors.Is(err, helhed.ErrNotFound) {
		return err
	}
	found, hash := err == nil, dummyHash
	if found {
		hash = u.PasswordHash
	}
	ok, err := s.verifyPassword(ctx, pw, hash)
	if err != nil {
		return err
	}
	if !found || !ok || !u.Active() {
		// BeginLogin has counted the attempt as a failure already; this is its audit row.
		attempt := store.Who{RequestID: requestID(r), UserID: u.ID}
		// What was typed as the username may be a mistyped password or CPR number.
		detail := "ukendt brugernavn"
		if found {
			detail = "kendt bruger"
		}
		if err := s.store.Audit(ctx, attempt, 0, store.AuditLoginFailed, detail); err != nil {
			return err
		}
		return fail("Forkert brugernavn eller adgangskode.")
	}

	// A user with a TOTP app gives a code next (totp.go); the password alone logs no one in.
	if u.TOTPEnabled {
		return s.beginTOTP(w, r, u, next)
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
	if u.MustChangePassword {
		return redirect(w, r, changePasswordPath)
	}
	return redirect(w, r, next)
}

// verifyPassword checks pw against a stored hash, waiting for a free hashing slot first. A
// malformed hash is a wrong password, never a way in.
func (s *Server) verifyPassword(ctx context.Context, pw, hash string) (bool, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	ok, err := password.Verify(pw, hash)
	<-s.hashing
	return ok && err == nil, nil
}

// hashPassword hashes a new password in a hashing slot: hashing costs what verifying does.
func (s *Server) hashPassword(ctx context.Context, pw string) (string, error) {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.hashing }()
	return password.Hash(pw, password.Default)
}

// loginLimits are the configured login limits in the store's terms.
func (s *Server) loginLimits() store.LoginLimits {
	return store.LoginLimits{FreeFailures: s.cfg.LoginMaxPerUser, Delay: s.cfg.LoginDelay, MaxDelay: s.cfg.LoginMaxDelay,
		IPWindow: s.cfg.LoginWindow, MaxPerIP: s.cfg.LoginMaxPerIP}
}

// danishDuration says how long to wait in words, rounded up: "1 sekund", "30 sekunder",
// "2 minutter", "1 time".
func danishDuration(d time.Duration) string {
	plural := func(n int64, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.FormatInt(n, 10) + " " + many
	}
	ceil := func(unit time.Duration) int64 { return int64((d + unit - 1) / unit) }
	switch {
	case d <= 59*time.Second:
		return plural(max(1, ceil(time.Second)), "sekund", "sekunder")
	case d <= 59*time.Minute:
		return plural(ceil(time.Minute), "minut", "minutter")
	}
	return plural(ceil(time.Hour), "time", "timer")
}

func (s *Server) logoutPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if u := userFrom(r); u != nil {
		if err := s.store.Audit(ctx, who(r), 0, store.AuditLogout, ""); err != nil {
			return err
		}
	}
	// A login through the identity provider is ended there too (RP-initiated logout).
	idp := s.ssoLogoutURL(r)
	// Destroy deletes the session row server-side; the flash starts a new one with a new token.
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	s.flash(r, "success", "Du er logget ud.")
	if idp != "" {
		return redirect(w, r, idp)
	}
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
