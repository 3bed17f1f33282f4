package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/mfa"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/account"
)

// TOTP, the second factor of a password login (internal/mfa). A user who has confirmed an
// app gives a code after the password: the password step leaves only a pending login in the
// session (no user), and the code step, under the same login limits as passwords, logs them
// in. Enrolment is on the account page; recovery is an administrator's reset
// (`helhed user reset-totp`).

const (
	totpLoginPath  = "/login/totp"
	totpEnrolPath  = "/konto/totp"
	sessMFAUserID  = "mfa_uid"
	sessMFAStarted = "mfa_at"
	sessMFANext    = "mfa_next"
	sessTOTPEnrol  = "totp_enrol"
	// mfaPendingLifetime is how long the code step may take after the password.
	mfaPendingLifetime = 5 * time.Minute
)

// beginTOTP ends the password step of a user with a TOTP app: a new session token holding the
// pending login, and the code page.
func (s *Server) beginTOTP(w http.ResponseWriter, r *http.Request, u store.User, next string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessMFAUserID, u.ID)
	s.sessions.Put(ctx, sessMFAStarted, s.now().UnixNano())
	s.sessions.Put(ctx, sessMFANext, next)
	return redirect(w, r, totpLoginPath)
}

// pendingMFA is the user whose password was right and whose code is awaited, if any.
func (s *Server) pendingMFA(r *http.Request) (store.User, bool) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessMFAUserID)
	started := time.Unix(0, s.sessions.GetInt64(ctx, sessMFAStarted))
	if id == 0 || s.now().Sub(started) > mfaPendingLifetime {
		return store.User{}, false
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil || !u.Active() || !u.TOTPEnabled {
		return store.User{}, false
	}
	return u, true
}

func (s *Server) clearPendingMFA(r *http.Request) {
	for _, k := range []string{sessMFAUserID, sessMFAStarted, sessMFANext} {
		s.sessions.Remove(r.Context(), k)
	}
}

func (s *Server) totpLoginGet(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r) != nil {
		return redirect(w, r, "/")
	}
	if _, ok := s.pendingMFA(r); !ok {
		s.clearPendingMFA(r)
		s.flash(r, "info", "Log ind med brugernavn og adgangskode først.")
		return redirect(w, r, "/login")
	}
	return s.page(w, r, http.StatusOK, "Kode fra din app", account.TOTPLogin(account.TOTPLoginProps{}))
}

// totpLoginPost checks the code: counted against the account's login limits before it is
// checked (like a password), audited when wrong, used up when right.
func (s *Server) totpLoginPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if userFrom(r) != nil {
		return redirect(w, r, "/")
	}
	u, ok := s.pendingMFA(r)
	if !ok {
		s.clearPendingMFA(r)
		s.flash(r, "info", "Login-forsøget er udløbet. Log ind med brugernavn og adgangskode igen.")
		return redirect(w, r, "/login")
	}
	fail := func(msg string) error {
		return s.page(w, r, http.StatusUnauthorized, "Kode fra din app", account.TOTPLogin(account.TOTPLoginProps{Error: msg}))
	}
	attempt := store.Who{RequestID: requestID(r), UserID: u.ID}
	wait, err := s.store.BeginLogin(ctx, attempt, u.Username, clientIP(r, s.cfg.TrustedProxies), s.loginLimits())
	if err != nil {
		return err
	}
	if wait > 0 {
		s.log.Warn("totp throttled", "request_id", requestID(r))
		return fail("For mange mislykkede forsøg. Vent " + danishDuration(wait) + ", og prøv igen.")
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	ok, err = false, nil
	if len(code) <= 20 {
		ok, err = s.store.VerifyTOTP(ctx, u.ID, code)
		if err != nil {
			return err
		}
	}
	if !ok {
		if err := s.store.Audit(ctx, attempt, 0, store.AuditLoginFailed, "totp"); err != nil {
			return err
		}
		return fail("Koden passer ikke. Skriv den kode, appen viser nu (koderne skifter hvert 30. sekund, og hver kode kan kun bruges én gang).")
	}
	next := safeNext(s.sessions.GetString(ctx, sessMFANext))
	s.clearPendingMFA(r)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessLoginAt, s.now().UnixNano())
	setLogUser(r, u.ID)
	if err := s.store.RecordTOTPLoginSuccess(ctx, attempt, u.Username); err != nil {
		return err
	}
	if u.MustChangePassword {
		return redirect(w, r, changePasswordPath)
	}
	return redirect(w, r, next)
}

// The account page.

func (s *Server) totpEnrolGet(w http.ResponseWriter, r *http.Request) error {
	return s.renderTOTPEnrol(w, r, http.StatusOK, nil)
}

func (s *Server) renderTOTPEnrol(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	ctx := r.Context()
	cu := userFrom(r)
	u, err := s.store.UserByID(ctx, cu.ID)
	if err != nil {
		return err
	}
	p := account.TOTPProps{SSOOnly: u.SSOOnly(), Enabled: u.TOTPEnabled, Forced: cu.MustEnrolTOTP, Errors: errs}
	if !p.SSOOnly && !p.Enabled {
		// The secret waits in the (server-side) session until a code confirms it.
		secret := s.sessions.GetString(ctx, sessTOTPEnrol)
		var e mfa.Enrolment
		if secret == "" {
			e, err = mfa.Enrol("Helhed", u.Username)
			if err != nil {
				return err
			}
			s.sessions.Put(ctx, sessTOTPEnrol, e.URL)
		} else if e, err = mfa.FromURL(secret); err != nil {
			return err
		}
		p.Secret, p.QR = groupSecret(e.Secret), e.QR
	}
	return s.page(w, r, status, "Totrinsbekræftelse", account.TOTP(p))
}

// groupSecret shows a base32 secret in groups of four, for typing.
func groupSecret(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// totpEnrolPost turns TOTP on when the code matches the secret shown (so the app works before
// the account depends on it), audited.
func (s *Server) totpEnrolPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cu := userFrom(r)
	u, err := s.store.UserByID(ctx, cu.ID)
	if err != nil {
		return err
	}
	if u.SSOOnly() || u.TOTPEnabled {
		return redirect(w, r, totpEnrolPath)
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	code := f.RequiredText("code", "Kode fra appen", 20)
	pending := s.sessions.GetString(ctx, sessTOTPEnrol)
	if pending == "" {
		return redirect(w, r, totpEnrolPath)
	}
	e, err := mfa.FromURL(pending)
	if err != nil {
		return err
	}
	if f.OK() {
		step, ok := mfa.Verify(e.Secret, code, s.now(), 0)
		if !ok {
			f.Fail("code", "Koden passer ikke. Skriv den kode, appen viser nu for Helhed")
		} else {
			if err := s.store.EnableTOTP(ctx, who(r), u.ID, e.Secret, step); err != nil {
				return err
			}
			s.sessions.Remove(ctx, sessTOTPEnrol)
			s.flash(r, "success", "Totrinsbekræftelse er slået til. Næste gang du logger ind, skal du også skrive en kode fra appen.")
			return redirect(w, r, "/")
		}
	}
	return s.renderTOTPEnrol(w, r, http.StatusUnprocessableEntity, f.Errors)
}
