package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/admin"
	"github.com/helhed/helhed/web/pages/auth"
	"github.com/helhed/helhed/web/paths"
)

// Staff single sign-on through the municipality's identity provider (OpenID Connect). The
// protocol is internal/oidcauth's; here a verified identity becomes a Helhed user through the
// group mapping the administrator keeps (store.SSOLogin).

const (
	// sessStaffOIDC is the session key of the staff realm's pending logins.
	sessStaffOIDC = "staff_oidc"
	// sessIDToken is the ID token of an SSO login, the hint for RP-initiated logout.
	sessIDToken = "oidc_id_token"
)

// SSOLoginPath starts a staff login at the identity provider; SSOCallbackPath is where the
// provider sends the browser back.
const (
	SSOLoginPath    = "/login/sso"
	SSOCallbackPath = "/login/sso/callback"
)

// ssoBegin sends the browser to the identity provider.
func (s *Server) ssoBegin(w http.ResponseWriter, r *http.Request) error {
	if s.sso == nil {
		s.renderError(w, r, http.StatusNotFound)
		return nil
	}
	if userFrom(r) != nil {
		return redirect(w, r, "/")
	}
	if err := s.sso.Begin(w, r, safeNext(r.URL.Query().Get("next"))); err != nil {
		s.log.Warn("sso: identity provider unavailable", "request_id", requestID(r), "err", err)
		return s.ssoRefused(w, r, http.StatusServiceUnavailable, "Kommunens login svarer ikke lige nu. Prøv igen om lidt.")
	}
	return nil
}

// ssoCallback finishes a login: the identity provider's proof is checked by oidcauth, then
// Helhed's own rules (a mapped group, not disabled) by the store.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	if s.sso == nil {
		s.renderError(w, r, http.StatusNotFound)
		return nil
	}
	ctx := r.Context()
	id, next, err := s.sso.Finish(r)
	if err != nil {
		kind := oidcauth.KindOf(err)
		s.log.Warn("sso: login refused", "request_id", requestID(r), "kind", kind.String(), "err", err)
		if kind == 0 {
			return err
		}
		if aerr := s.store.Audit(ctx, who(r), 0, store.AuditLoginFailed, "sso: "+kind.String()); aerr != nil {
			return aerr
		}
		status, msg := http.StatusForbidden, ssoMessage(kind)
		if kind == oidcauth.ErrProviderUnavailable {
			status = http.StatusServiceUnavailable
		}
		return s.ssoRefused(w, r, status, msg)
	}
	u, err := s.store.SSOLogin(ctx, who(r), store.SSOIdentity{Issuer: id.Issuer, Subject: id.Subject, Name: id.Name,
		Email: id.Email, Groups: id.Groups})
	switch {
	case errors.Is(err, store.ErrSSONoMapping):
		return s.ssoRefused(w, r, http.StatusForbidden, "Du er logget ind hos kommunen, men ingen af dine grupper giver adgang til Helhed. "+
			"Bed din leder om at få dig tilføjet den rigtige gruppe, eller Helheds administrator om at knytte gruppen til en enhed og en rolle.")
	case errors.Is(err, store.ErrSSOAmbiguous):
		return s.ssoRefused(w, r, http.StatusForbidden, "Dine grupper hos kommunen giver adgang til flere forskellige enheder eller roller i Helhed, "+
			"og Helhed kan ikke vælge for dig. Bed Helheds administrator om at rette gruppernes tilknytning.")
	case errors.Is(err, store.ErrUserDisabled):
		return s.ssoRefused(w, r, http.StatusForbidden, "Din bruger er deaktiveret i Helhed. Kontakt Helheds administrator.")
	case err != nil:
		return err
	}
	// A new session token at login defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessLoginAt, s.now().UnixNano())
	s.sessions.Put(ctx, sessIDToken, id.RawIDToken)
	setLogUser(r, u.ID)
	return redirect(w, r, safeNext(next))
}

// ssoMessage tells the person, in Danish, why the identity provider's answer was not accepted.
func ssoMessage(kind oidcauth.ErrorKind) string {
	switch kind {
	case oidcauth.ErrState:
		return "Login-forsøget er udløbet eller allerede brugt. Start forfra med knappen nedenfor."
	case oidcauth.ErrRefused:
		return "Kommunens login afviste at logge dig ind. Kontakt kommunens it-support, hvis du mener, det er en fejl."
	case oidcauth.ErrMFA:
		return "Helhed kræver, at du logger ind med to faktorer (fx adgangskode og en godkendelse på din telefon). " +
			"Kommunens login bekræftede ikke en anden faktor. Log ind igen, og brug to faktorer."
	case oidcauth.ErrProviderUnavailable:
		return "Kommunens login svarer ikke lige nu. Prøv igen om lidt."
	}
	return "Helhed kunne ikke bekræfte dit login hos kommunen. Prøv igen; sker det igen, så kontakt it-support."
}

// ssoRefused shows the login page with why the login was refused.
func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	return s.page(w, r, status, "Log ind", auth.Login(auth.LoginProps{Error: msg, SSO: s.ssoStart() != "", SSOPath: s.ssoStart()}))
}

// ssoLogoutURL is where to send the browser after the session is destroyed, to end the
// person's session at the identity provider too (RP-initiated logout); "" when the login was
// local or the provider has no end_session_endpoint.
func (s *Server) ssoLogoutURL(r *http.Request) string {
	if s.sso == nil {
		return ""
	}
	hint := s.sessions.GetString(r.Context(), sessIDToken)
	if hint == "" {
		return ""
	}
	u, ok := s.sso.LogoutURL(r.Context(), hint)
	if !ok {
		return ""
	}
	return u
}

// formOrigins are the origins besides our own that a form's response may redirect to (CSP
// form-action also applies to redirects): the identity provider's, whose end_session endpoint
// the logout form leads to. Empty, or " " and the origin.
func (s *Server) formOrigins() string {
	if s.sso == nil {
		return ""
	}
	u, err := url.Parse(s.sso.Config().Issuer)
	if err != nil || u.Host == "" {
		return ""
	}
	return " " + u.Scheme + "://" + u.Host
}

// The administrator's mapping from identity-provider groups to units and roles.

func (s *Server) adminSSOGroupsView(w http.ResponseWriter, r *http.Request) error {
	return s.renderSSOGroups(w, r, http.StatusOK, nil)
}

func (s *Server) renderSSOGroups(w http.ResponseWriter, r *http.Request, status int, f *form.Form) error {
	pageNo, _ := strconv.Atoi(r.URL.Query().Get("side"))
	ms, total, err := s.store.ListSSOMappings(r.Context(), store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	units, roles, _, _, err := s.userFormOptions(r)
	if err != nil {
		return err
	}
	p := admin.SSOGroupsProps{Mappings: ms, Units: units, Roles: roles, Configured: s.sso != nil,
		Pages: components.PageInfo{Page: max(pageNo, 1), PerPage: 50, Total: total,
			URL: func(n int) string { return paths.SSOGroups + "?side=" + strconv.Itoa(n) }}}
	if f != nil {
		p.Group, p.Unit, p.Role, p.Errors, p.Summary = f.Values["group"], f.Values["unit"], f.Values["role"], f.Errors, f.SummaryTexts()
	}
	return s.page(w, r, status, "Grupper fra kommunens login", admin.SSOGroups(p))
}

func (s *Server) adminSSOGroupCreatePost(w http.ResponseWriter, r *http.Request) error {
	_, _, unitIDs, roleCodes, err := s.userFormOptions(r)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	group := f.RequiredText("group", "Gruppe", store.MaxSSOGroup)
	unit := f.RequiredChoice("unit", "Enhed", func(v string) bool {
		id, err := strconv.ParseInt(v, 10, 64)
		return err == nil && unitIDs[id]
	})
	role := f.RequiredChoice("role", "Rolle", func(v string) bool { return roleCodes[v] })
	if f.OK() {
		unitID, _ := strconv.ParseInt(unit, 10, 64)
		_, err := s.store.CreateSSOMapping(r.Context(), who(r), group, unitID, role)
		if fe := fieldErrors(err); fe != nil {
			for k, msg := range fe {
				f.Fail(k, msg)
			}
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		return s.renderSSOGroups(w, r, http.StatusUnprocessableEntity, f)
	}
	s.flash(r, "success", "Gruppen "+group+" giver nu adgang til Helhed.")
	return redirect(w, r, paths.SSOGroups)
}

func (s *Server) adminSSOGroupDeletePost(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteSSOMapping(r.Context(), who(r), id); err != nil {
		return err
	}
	s.flash(r, "success", "Gruppen er fjernet. Dens medlemmer kan ikke længere logge ind via kommunens login, medmindre en anden gruppe giver dem adgang.")
	return redirect(w, r, paths.SSOGroups)
}
