package web

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/helhed/helhed/internal/samlauth"
	"github.com/helhed/helhed/internal/store"
)

// Staff single sign-on over SAML 2.0 (KOMBIT's Context Handler, AD FS). The protocol is
// internal/samlauth's; the verified identity becomes a Helhed user through the same group
// mapping as OpenID Connect (store.SSOLogin): issuer = the IdP's entity ID, subject = the
// NameID, groups = the mapped attribute (OIO-BPP privileges included).
//
// The IdP posts its response from its own site, so the browser sends no session cookie with
// it (SameSite=Lax) and the cross-origin protection would refuse it. The ACS therefore only
// hands the response on: a page that posts it again, now from Helhed's own origin, to
// SAMLContinuePath, where the session is read and the response checked.

const (
	// sessStaffSAML is the session key of the SAML logins begun.
	sessStaffSAML = "staff_saml"

	SAMLMetadataPath = "/saml/metadata"
	SAMLLoginPath    = "/login/saml"
	SAMLACSPath      = "/login/saml/acs"
	SAMLContinuePath = "/login/saml/fortsaet"
)

// maxSAMLResponse bounds a posted SAMLResponse (an encrypted assertion with a large
// privilege list is tens of kilobytes).
const maxSAMLResponse = 512 << 10

func (s *Server) samlMetadata(w http.ResponseWriter, r *http.Request) error {
	b, err := s.saml.Metadata(r.Context())
	if err != nil {
		s.log.Warn("saml: metadata unavailable", "request_id", requestID(r), "err", err)
		s.renderError(w, r, http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, err = w.Write(b)
	return err
}

// samlBegin sends the browser to the IdP with a signed AuthnRequest.
func (s *Server) samlBegin(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r) != nil {
		return redirect(w, r, "/")
	}
	if err := s.saml.Begin(w, r, safeNext(r.URL.Query().Get("next"))); err != nil {
		s.log.Warn("saml: identity provider unavailable", "request_id", requestID(r), "err", err)
		return s.ssoRefused(w, r, http.StatusServiceUnavailable, "Kommunens login svarer ikke lige nu. Prøv igen om lidt.")
	}
	return nil
}

var samlRelayPage = template.Must(template.New("relay").Parse(`<!doctype html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Du logges ind – Helhed</title></head>
<body><main><h1>Du logges ind …</h1>
<form method="post" action="{{.Action}}" id="saml-relay">
<input type="hidden" name="SAMLResponse" value="{{.Response}}">
<input type="hidden" name="RelayState" value="{{.Relay}}">
<p>Sker der ikke noget, så tryk på knappen.</p>
<button type="submit">Fortsæt til Helhed</button>
</form></main>
<script nonce="{{.Nonce}}">document.getElementById('saml-relay').submit();</script>
</body></html>`))

// samlACS receives the IdP's response and posts it on from Helhed's own origin (see above).
// Nothing is checked or changed here.
func (s *Server) samlACS(w http.ResponseWriter, r *http.Request) error {
	resp, relay := r.PostFormValue("SAMLResponse"), r.PostFormValue("RelayState")
	if resp == "" || len(resp) > maxSAMLResponse || len(relay) > 200 {
		return s.ssoRefused(w, r, http.StatusBadRequest, samlMessage(samlauth.ErrAssertion))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return samlRelayPage.Execute(w, map[string]string{"Action": SAMLContinuePath, "Response": resp, "Relay": relay, "Nonce": nonce(r)})
}

// samlContinue finishes a login: the IdP's proof is checked by samlauth, then Helhed's own
// rules (a mapped group, not disabled) by the store.
func (s *Server) samlContinue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	resp, relay := r.PostFormValue("SAMLResponse"), r.PostFormValue("RelayState")
	if len(resp) > maxSAMLResponse {
		resp = ""
	}
	id, next, err := s.saml.Finish(r, resp, relay)
	if err != nil {
		kind := samlauth.KindOf(err)
		s.log.Warn("saml: login refused", "request_id", requestID(r), "kind", kind.String(), "err", err)
		if kind == 0 {
			return err
		}
		if aerr := s.store.Audit(ctx, who(r), 0, store.AuditLoginFailed, "saml: "+kind.String()); aerr != nil {
			return aerr
		}
		status := http.StatusForbidden
		if kind == samlauth.ErrProviderUnavailable {
			status = http.StatusServiceUnavailable
		}
		return s.ssoRefused(w, r, status, samlMessage(kind))
	}
	if id.Subject == "" {
		if aerr := s.store.Audit(ctx, who(r), 0, store.AuditLoginFailed, "saml: no NameID"); aerr != nil {
			return aerr
		}
		return s.ssoRefused(w, r, http.StatusForbidden, samlMessage(samlauth.ErrAssertion))
	}
	u, err := s.store.SSOLogin(ctx, who(r), store.SSOIdentity{Issuer: id.Issuer, Subject: id.Subject, Name: id.Name,
		Email: id.Email, Groups: id.Groups})
	if msg, refused := ssoStoreRefusal(err); refused {
		return s.ssoRefused(w, r, http.StatusForbidden, msg)
	} else if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessLoginAt, s.now().UnixNano())
	setLogUser(r, u.ID)
	return redirect(w, r, safeNext(next))
}

// ssoStoreRefusal is the Danish message for a login Helhed's own rules refused.
func ssoStoreRefusal(err error) (string, bool) {
	switch {
	case errors.Is(err, store.ErrSSONoMapping):
		return "Du er logget ind hos kommunen, men ingen af dine grupper giver adgang til Helhed. " +
			"Bed din leder om at få dig tilføjet den rigtige gruppe, eller Helheds administrator om at knytte gruppen til en enhed og en rolle.", true
	case errors.Is(err, store.ErrSSOAmbiguous):
		return "Dine grupper hos kommunen giver adgang til flere forskellige enheder eller roller i Helhed, " +
			"og Helhed kan ikke vælge for dig. Bed Helheds administrator om at rette gruppernes tilknytning.", true
	case errors.Is(err, store.ErrUserDisabled):
		return "Din bruger er deaktiveret i Helhed. Kontakt Helheds administrator.", true
	}
	return "", false
}

// samlMessage tells the person, in Danish, why the IdP's answer was not accepted.
func samlMessage(kind samlauth.ErrorKind) string {
	switch kind {
	case samlauth.ErrState:
		return "Login-forsøget er udløbet eller hører ikke til denne browser. Start forfra med knappen nedenfor."
	case samlauth.ErrRefused:
		return "Kommunens login afviste at logge dig ind. Kontakt kommunens it-support, hvis du mener, det er en fejl."
	case samlauth.ErrReplay:
		return "Dette login er allerede brugt. Start forfra med knappen nedenfor."
	case samlauth.ErrMFA:
		return "Helhed kræver, at du logger ind med to faktorer (fx adgangskode og en godkendelse på din telefon). " +
			"Kommunens login bekræftede ikke en anden faktor. Log ind igen, og brug to faktorer."
	case samlauth.ErrProviderUnavailable:
		return "Kommunens login svarer ikke lige nu. Prøv igen om lidt."
	}
	return "Helhed kunne ikke bekræfte dit login hos kommunen. Prøv igen; sker det igen, så kontakt it-support."
}

// ssoStart is where the login page's button starts a login through the municipality's
// identity provider: OpenID Connect if configured, else SAML; "" when neither is.
func (s *Server) ssoStart() string {
	switch {
	case s.sso != nil:
		return SSOLoginPath
	case s.saml != nil:
		return SAMLLoginPath
	}
	return ""
}
