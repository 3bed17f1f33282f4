package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/pages/mit"
	"github.com/helhed/helhed/web/paths"
)

// The citizen's login with MitID through the municipality's MitID broker (OpenID Connect,
// docs/citizen-area.md). The protocol is internal/oidcauth's, as for staff SSO, in the
// citizen realm's own session under its own key; a verified identity goes through the one
// sign-in seam, signInCitizen, with the CPR number and the NSIS level of assurance read from
// the claims the broker names them by.

// sessMitID is the citizen realm's session key of its pending MitID logins; selfSessIDToken
// is the broker's ID token of the signed-in citizen, the hint for logging out at the broker.
const (
	sessMitID       = "mitid_login"
	selfSessIDToken = "self_id_token"
)

// CitizenOIDC is the MitID broker's login for the citizen area: the broker's OpenID
// Connect configuration and the names of its claims that carry the CPR number and the NSIS
// level of assurance.
type CitizenOIDC struct {
	oidcauth.Config
	CPRClaim       string
	AssuranceClaim string
}

// Claim names and scopes used when CITIZEN_OIDC_* does not name them: those of the
// Signaturgruppen broker (NEB), which gives the CPR number as "dk.cpr" for the "ssn" scope
// at its UserInfo endpoint only, and the level of assurance as "loa" in the ID token with
// https://data.gov.dk/concept/core/nsis/{Low,Substantial,High} as values. Other brokers name
// them otherwise (docs/citizen-area.md).
const (
	DefaultCitizenCPRClaim       = "dk.cpr"
	DefaultCitizenAssuranceClaim = "loa"
	defaultCitizenScopes         = "ssn"
)

// CitizenOIDCFromEnv reads the MitID broker's login from CITIZEN_OIDC_*: the variables of
// oidcauth.FromEnv (ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URL, POST_LOGOUT_REDIRECT_URL,
// SCOPES, ACR_VALUES, USERINFO, REQUIRE_MFA…) and CPR_CLAIM and ASSURANCE_CLAIM. For the
// citizen realm SCOPES defaults to "ssn", USERINFO to true (the CPR claim may be given
// only there) and REQUIRE_MFA to false (the NSIS level is the check: signInCitizen). nil when
// CITIZEN_OIDC_ISSUER is unset. baseURL is the public base URL the callback and the
// post-logout address default to.
func CitizenOIDCFromEnv(getenv func(string) string, baseURL string) (*CitizenOIDC, error) {
	const prefix = "CITIZEN_OIDC_"
	base := strings.TrimSuffix(baseURL, "/")
	env := func(k string) string {
		v := getenv(k)
		if strings.TrimSpace(v) != "" {
			return v
		}
		switch strings.TrimPrefix(k, prefix) {
		case "SCOPES":
			return defaultCitizenScopes
		case "USERINFO":
			return "true"
		case "REQUIRE_MFA":
			return "false"
		}
		return v
	}
	cfg, ok, err := oidcauth.FromEnv(env, prefix, base+paths.SelfMitIDReturn)
	if err != nil || !ok {
		return nil, err
	}
	if cfg.PostLogoutRedirectURL == "" {
		cfg.PostLogoutRedirectURL = base + paths.SelfSignIn
	}
	c := &CitizenOIDC{Config: cfg, CPRClaim: strings.TrimSpace(getenv(prefix + "CPR_CLAIM")),
		AssuranceClaim: strings.TrimSpace(getenv(prefix + "ASSURANCE_CLAIM"))}
	c.defaults()
	return c, nil
}

func (c *CitizenOIDC) defaults() {
	if c.CPRClaim == "" {
		c.CPRClaim = DefaultCitizenCPRClaim
	}
	if c.AssuranceClaim == "" {
		c.AssuranceClaim = DefaultCitizenAssuranceClaim
	}
}

// newMitID is the citizen realm's OIDC client, on the realm's own sessions; nil (logged) when
// the configuration cannot work, which the command has checked before.
func (s *Server) newMitID(cfg *CitizenOIDC) *oidcauth.Client {
	c, err := oidcauth.New(cfg.Config, s.selfSessions, sessMitID)
	if err != nil {
		s.log.Error("MitID login is off: invalid configuration", "err", err)
		return nil
	}
	return c
}

// mitidBegin sends the citizen to the MitID broker.
func (s *Server) mitidBegin(w http.ResponseWriter, r *http.Request) error {
	if s.mitid == nil {
		s.renderError(w, r, http.StatusNotFound)
		return nil
	}
	if citizenFrom(r) != nil {
		return redirect(w, r, paths.SelfHome)
	}
	if err := s.mitid.Begin(w, r, paths.SelfHome); err != nil {
		s.log.Warn("mitid: broker unavailable", "request_id", requestID(r), "err", err)
		return s.selfPage(w, r, http.StatusServiceUnavailable, "Log ind", mit.Refused(mitidMessage(oidcauth.ErrProviderUnavailable)))
	}
	return nil
}

// mitidCallback finishes a MitID login: oidcauth checks the broker's proof (state, PKCE,
// signature, issuer, audience, expiry, nonce), then the sign-in seam decides on the level
// of assurance and the CPR number.
func (s *Server) mitidCallback(w http.ResponseWriter, r *http.Request) error {
	if s.mitid == nil {
		s.renderError(w, r, http.StatusNotFound)
		return nil
	}
	ctx := r.Context()
	id, _, err := s.mitid.Finish(r)
	if err != nil {
		kind := oidcauth.KindOf(err)
		s.log.Warn("mitid: login refused", "request_id", requestID(r), "kind", kind.String(), "err", err)
		if kind == 0 {
			return err
		}
		if aerr := s.store.Audit(ctx, store.Who{RequestID: requestID(r)}, 0, store.AuditSelfLoginFailed, "mitid: "+kind.String()); aerr != nil {
			return aerr
		}
		status := http.StatusForbidden
		if kind == oidcauth.ErrProviderUnavailable {
			status = http.StatusServiceUnavailable
		}
		return s.selfPage(w, r, status, "Log ind", mit.Refused(mitidMessage(kind)))
	}
	cfg := s.cfg.CitizenOIDC
	cpr := id.String(cfg.CPRClaim)
	if cpr == "" {
		// A broker that does not give the claim is configured wrongly (the claim's name, the
		// scope, the UserInfo endpoint): say so in the log, never the claims themselves.
		s.log.Error("mitid: the identity has no CPR claim", "request_id", requestID(r), "claim", cfg.CPRClaim)
		if aerr := s.store.Audit(ctx, store.Who{RequestID: requestID(r)}, 0, store.AuditSelfLoginFailed, "mitid: intet cpr-nummer"); aerr != nil {
			return aerr
		}
		return s.selfPage(w, r, http.StatusForbidden, "Log ind", mit.Refused(
			"Vi fik ikke dit CPR-nummer fra MitID, og uden det kan vi ikke finde din sag. Prøv igen. Sker det igen, så kontakt kommunen."))
	}
	// The ID token goes with the sign-in, as the hint for logging out at the broker too; only
	// a successful sign-in keeps it (signInCitizen).
	ctx = context.WithValue(ctx, brokerIDTokenKey{}, id.RawIDToken)
	return s.signInCitizen(ctx, w, r.WithContext(ctx), cpr, id.String(cfg.AssuranceClaim))
}

// brokerIDTokenKey carries the broker's ID token from the callback to the sign-in seam.
type brokerIDTokenKey struct{}

// mitidMessage tells the citizen, in plain Danish, why the broker's answer was not accepted.
func mitidMessage(kind oidcauth.ErrorKind) string {
	switch kind {
	case oidcauth.ErrState:
		return "Dit log ind er udløbet eller allerede brugt. Start forfra."
	case oidcauth.ErrRefused:
		return "Log ind med MitID blev afbrudt eller afvist. Du kan prøve igen."
	case oidcauth.ErrProviderUnavailable:
		return "MitID-log ind svarer ikke lige nu. Prøv igen om lidt."
	}
	return "Vi kunne ikke bekræfte dit log ind med MitID. Prøv igen. Sker det igen, så kontakt kommunen."
}

// selfLogoutURL is where to send the browser after the citizen's session has ended, to end
// their session at the MitID broker too (RP-initiated logout); "" without a broker login or
// when the broker has no end_session_endpoint. hint is the session's ID token, read before
// the session was destroyed.
func (s *Server) selfLogoutURL(r *http.Request, hint string) string {
	if s.mitid == nil || hint == "" {
		return ""
	}
	u, ok := s.mitid.LogoutURL(r.Context(), hint)
	if !ok {
		return ""
	}
	return u
}

// brokerOrigin is the MitID broker's origin for CSP form-action (the citizen's logout form
// leads to its end_session endpoint): "" or " " and the origin.
func (s *Server) brokerOrigin() string {
	if s.mitid == nil {
		return ""
	}
	u, err := url.Parse(s.mitid.Config().Issuer)
	if err != nil || u.Host == "" {
		return ""
	}
	return fmt.Sprintf(" %s://%s", u.Scheme, u.Host)
}
