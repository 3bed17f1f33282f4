package web

import (
	"errors"
	"net/http"

	"github.com/helhed/helhed/internal/password"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/account"
)

// changePasswordPath is where every logged-in user changes their own password, and where a
// user whose password an administrator chose is held until they have.
const changePasswordPath = "/konto/adgangskode"

// passwordProblem words a password.Check refusal in Danish, for beside the field.
func passwordProblem(pw string, err error) string {
	switch {
	case errors.Is(err, password.ErrBlank) && pw == "":
		return "Angiv en adgangskode"
	case errors.Is(err, password.ErrBlank):
		return "Adgangskoden må ikke kun bestå af mellemrum"
	case errors.Is(err, password.ErrTooShort):
		return "Adgangskoden skal have mindst 12 tegn (mellemrum før og efter tæller ikke med)"
	case errors.Is(err, password.ErrTooLong):
		return "Adgangskoden må højst have 200 tegn"
	case errors.Is(err, password.ErrHasUsername):
		return "Adgangskoden må ikke indeholde brugernavnet"
	case errors.Is(err, password.ErrRepetitive):
		return "Adgangskoden må ikke være en gentagelse (som aaaa eller abcabc) eller en række (som 123456 eller abcdef)"
	case errors.Is(err, password.ErrCommon):
		return "Adgangskoden er for almindelig og let at gætte. Vælg en anden, gerne en sætning på flere ord"
	}
	return "Adgangskoden kan ikke bruges"
}

// passwordForm is the typed change-own-password form. Its fields are never echoed back.
type passwordForm struct {
	current, next, repeat string
	errors                map[string]string
}

func decodePasswordForm(r *http.Request) passwordForm {
	return passwordForm{current: r.PostFormValue("current_password"), next: r.PostFormValue("new_password"),
		repeat: r.PostFormValue("new_password_repeat"), errors: map[string]string{}}
}

// validate checks everything that needs no password hash; the current password is checked
// after, so only a change that is otherwise valid costs a hash and counts as an attempt.
func (f *passwordForm) validate(username string) {
	if f.current == "" {
		f.errors["current_password"] = "Skriv din nuværende adgangskode"
	}
	if err := password.Check(f.next, username); err != nil {
		f.errors["new_password"] = passwordProblem(f.next, err)
	} else if f.next == f.current {
		f.errors["new_password"] = "Den nye adgangskode skal være en anden end den nuværende"
	}
	if _, bad := f.errors["new_password"]; !bad && f.repeat != f.next {
		f.errors["new_password_repeat"] = "Adgangskoderne er ikke ens. Skriv den nye adgangskode igen"
	}
}

func (s *Server) renderPasswordForm(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	return s.page(w, r, status, "Skift adgangskode", account.Password(account.PasswordProps{Errors: errs,
		Forced: userFrom(r).MustChangePassword}))
}

func (s *Server) accountPasswordGet(w http.ResponseWriter, r *http.Request) error {
	return s.renderPasswordForm(w, r, http.StatusOK, nil)
}

// accountPasswordPost changes the user's own password. The current password is required
// (ASVS 6.2.3) and checked under the login limits, since a session left open must not let
// someone find it out by guessing; a wrong one is audited as a failed login. The change ends
// every other session of the user's; this one goes on under a new token.
func (s *Server) accountPasswordPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := userFrom(r)
	f := decodePasswordForm(r)
	f.validate(u.Username)
	if len(f.errors) > 0 {
		return s.renderPasswordForm(w, r, http.StatusUnprocessableEntity, f.errors)
	}

	wait, err := s.store.BeginLogin(ctx, who(r), u.Username, clientIP(r, s.cfg.TrustedProxies), s.loginLimits())
	if err != nil {
		return err
	}
	if wait > 0 {
		f.errors["current_password"] = "For mange forkerte forsøg. Vent " + danishDuration(wait) + ", og prøv igen"
		return s.renderPasswordForm(w, r, http.StatusUnprocessableEntity, f.errors)
	}
	stored, err := s.store.UserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	ok, err := s.verifyPassword(ctx, f.current, stored.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.store.Audit(ctx, who(r), 0, store.AuditLoginFailed, "ved skift af adgangskode"); err != nil {
			return err
		}
		f.errors["current_password"] = "Adgangskoden er forkert"
		return s.renderPasswordForm(w, r, http.StatusUnprocessableEntity, f.errors)
	}

	hash, err := s.hashPassword(ctx, f.next)
	if err != nil {
		return err
	}
	validAfter, err := s.store.ChangeOwnPassword(ctx, who(r), u.ID, hash)
	if err != nil {
		return err
	}
	// Every session of the user's ended with the change; date this one's login there so it
	// holds, under a new token.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessLoginAt, validAfter.UnixNano())
	s.flash(r, "success", "Din adgangskode er skiftet. Du er logget ud alle andre steder.")
	return redirect(w, r, "/")
}
