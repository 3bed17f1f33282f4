package samlauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
	dsig "github.com/russellhaering/goxmldsig"
)

// PendingLifetime is how long a started login may take at the identity provider.
const PendingLifetime = 10 * time.Minute

// maxPending is how many logins one session may have begun and not finished.
const maxPending = 4

// SP runs the logins of one service provider at one identity provider. It reads the IdP's
// metadata on first use (and again after a failure), so the application starts while the
// IdP is down.
type SP struct {
	cfg      Config
	sessions *scs.SessionManager
	key      string
	replay   saml.AssertionReplayCache
	http     *http.Client
	now      func() time.Time

	mu sync.Mutex
	sp *saml.ServiceProvider
}

// Option changes an SP.
type Option func(*SP)

// WithHTTPClient makes the SP fetch the IdP's metadata with hc.
func WithHTTPClient(hc *http.Client) Option { return func(c *SP) { c.http = hc } }

// WithClock makes the SP judge how long a pending login has taken by now (tests). The
// assertion's own time window is judged by the real clock.
func WithClock(now func() time.Time) Option { return func(c *SP) { c.now = now } }

// New returns an SP for cfg whose pending logins live in sessions under sessionKey. replay
// records each accepted assertion's ID, so that it is accepted once: share it between every
// instance (store.SAMLReplayCache keeps it in PostgreSQL).
func New(cfg Config, sessions *scs.SessionManager, sessionKey string, replay saml.AssertionReplayCache, opts ...Option) (*SP, error) {
	cfg.defaults()
	if err := cfg.load(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if replay == nil {
		return nil, errors.New("samlauth: a replay cache is required")
	}
	c := &SP{cfg: cfg, sessions: sessions, key: sessionKey, replay: replay,
		http: &http.Client{Timeout: 15 * time.Second}, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Config returns the configuration, with defaults filled in.
func (c *SP) Config() Config { return c.cfg }

// provider builds the crewjam ServiceProvider once the IdP's metadata has been read.
func (c *SP) provider(ctx context.Context) (*saml.ServiceProvider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sp != nil {
		return c.sp, nil
	}
	raw := c.cfg.IdPMetadata
	if raw == nil {
		b, err := c.fetch(ctx, c.cfg.IdPMetadataURL)
		if err != nil {
			return nil, &Error{Kind: ErrProviderUnavailable, Err: err}
		}
		raw = b
	}
	idp, err := samlsp.ParseMetadata(raw)
	if err != nil {
		return nil, &Error{Kind: ErrProviderUnavailable, Err: fmt.Errorf("IdP metadata: %w", err)}
	}
	mdURL, _ := url.Parse(c.cfg.MetadataURL)
	acsURL, _ := url.Parse(c.cfg.ACSURL)
	sp := &saml.ServiceProvider{
		EntityID:    c.cfg.EntityID,
		Key:         c.cfg.Key,
		Certificate: c.cfg.Certificate,
		MetadataURL: *mdURL,
		AcsURL:      *acsURL,
		IDPMetadata: idp,
		// Persistent: the same person has the same NameID at every login, which is what
		// users are matched by.
		AuthnNameIDFormat:                saml.PersistentNameIDFormat,
		SignatureMethod:                  dsig.RSASHA256SignatureMethod,
		AssertionConsumerServiceBindings: []string{saml.HTTPPostBinding},
		ReplayCache:                      c.replay,
		RejectSHA1Signatures:             true,
		MetadataValidDuration:            7 * 24 * time.Hour,
	}
	if len(c.cfg.RequestedContexts) > 0 {
		sp.RequestedAuthnContext = &saml.RequestedAuthnContext{Comparison: "minimum", AuthnContextClassRefs: c.cfg.RequestedContexts}
	}
	c.sp = sp
	return sp, nil
}

func (c *SP) fetch(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("IdP metadata: %s", res.Status)
	}
	return io.ReadAll(io.LimitReader(res.Body, 4<<20))
}

// Metadata is this SP's metadata document (entity ID, ACS, signing certificate).
func (c *SP) Metadata(ctx context.Context) ([]byte, error) {
	sp, err := c.provider(ctx)
	if err != nil {
		return nil, err
	}
	b, err := xml.MarshalIndent(sp.Metadata(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), b...), nil
}

// pending is a login begun and not yet finished, under its RelayState.
type pending struct {
	RequestID string    `json:"i"`
	ReturnTo  string    `json:"r"`
	Started   time.Time `json:"t"`
}

func (c *SP) loadPending(ctx context.Context) map[string]pending {
	m := map[string]pending{}
	if raw := c.sessions.GetString(ctx, c.key); raw != "" {
		_ = json.Unmarshal([]byte(raw), &m)
	}
	return m
}

func (c *SP) savePending(ctx context.Context, m map[string]pending) {
	if len(m) == 0 {
		c.sessions.Remove(ctx, c.key)
		return
	}
	b, _ := json.Marshal(m)
	c.sessions.Put(ctx, c.key, string(b))
}

// Begin starts a login: a signed AuthnRequest over the HTTP-Redirect binding, its ID kept
// in the session under a fresh RelayState. returnTo is handed back by Finish (the caller
// checks it is a safe local path).
func (c *SP) Begin(w http.ResponseWriter, r *http.Request, returnTo string) error {
	ctx := r.Context()
	sp, err := c.provider(ctx)
	if err != nil {
		return err
	}
	req, err := sp.MakeAuthenticationRequest(sp.GetSSOBindingLocation(saml.HTTPRedirectBinding), saml.HTTPRedirectBinding, saml.HTTPPostBinding)
	if err != nil {
		return &Error{Kind: ErrProviderUnavailable, Err: err}
	}
	relay := random()
	u, err := req.Redirect(relay, sp)
	if err != nil {
		return &Error{Kind: ErrProviderUnavailable, Err: err}
	}
	m := c.loadPending(ctx)
	now := c.now()
	for k, p := range m {
		if now.Sub(p.Started) > PendingLifetime {
			delete(m, k)
		}
	}
	for len(m) >= maxPending {
		oldest := ""
		for k, p := range m {
			if oldest == "" || p.Started.Before(m[oldest].Started) {
				oldest = k
			}
		}
		delete(m, oldest)
	}
	m[relay] = pending{RequestID: req.ID, ReturnTo: returnTo, Started: now}
	c.savePending(ctx, m)
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
	return nil
}

// Finish checks the IdP's response (SAMLResponse and RelayState, as posted to the ACS): the
// RelayState must be a login this session began and the response must answer its
// AuthnRequest; the assertion must be signed by the key in the IdP's metadata, for this
// SP's audience, within its time window, not seen before (the replay cache) and, when
// required, prove a second factor. The pending login stays until it expires: the replay
// cache, shared by every instance, is what makes each assertion count once.
func (c *SP) Finish(r *http.Request, samlResponse, relayState string) (Identity, string, error) {
	ctx := r.Context()
	m := c.loadPending(ctx)
	p, ok := m[relayState]
	if relayState == "" || !ok {
		return Identity{}, "", &Error{Kind: ErrState, Err: errors.New("unknown RelayState")}
	}
	if c.now().Sub(p.Started) > PendingLifetime {
		delete(m, relayState)
		c.savePending(ctx, m)
		return Identity{}, p.ReturnTo, &Error{Kind: ErrState, Err: errors.New("login took too long")}
	}
	sp, err := c.provider(ctx)
	if err != nil {
		return Identity{}, p.ReturnTo, err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(samlResponse))
	if err != nil || len(raw) == 0 {
		return Identity{}, p.ReturnTo, &Error{Kind: ErrAssertion, Err: errors.New("SAMLResponse is not base64")}
	}
	a, err := sp.ParseXMLResponse(raw, []string{p.RequestID}, sp.AcsURL)
	if err != nil {
		return Identity{}, p.ReturnTo, classify(err)
	}
	id := c.identity(sp, a)
	if c.cfg.RequireMFA && !id.HasMFA(c.cfg) {
		return id, p.ReturnTo, &Error{Kind: ErrMFA, Err: fmt.Errorf("no second factor: AuthnContextClassRef %q", id.AuthnContexts)}
	}
	return id, p.ReturnTo, nil
}

// classify sorts crewjam's reasons into the kinds the caller tells apart. The detail is in
// the wrapped error (InvalidResponseError.PrivateErr), for the log only.
func classify(err error) error {
	kind := ErrAssertion
	var ire *saml.InvalidResponseError
	detail := err
	if errors.As(err, &ire) && ire.PrivateErr != nil {
		detail = ire.PrivateErr
	}
	var bad saml.ErrBadStatus
	switch {
	case errors.Is(detail, saml.ErrAssertionReplayed) || errors.Is(err, saml.ErrAssertionReplayed):
		kind = ErrReplay
	case errors.As(detail, &bad) || errors.As(err, &bad):
		kind = ErrRefused
	case errors.Is(detail, saml.ErrInvalidSignature), errors.Is(detail, saml.ErrUntrustedCertificate),
		// An unsigned assertion: crewjam/saml's error for it is not exported.
		strings.Contains(detail.Error(), "signature element not present"):
		kind = ErrSignature
	case errors.Is(detail, saml.ErrExpired), errors.Is(detail, saml.ErrNotYetValid):
		kind = ErrExpired
	}
	return &Error{Kind: kind, Err: detail}
}

// Identity is what a verified assertion says about the person who logged in.
type Identity struct {
	// Issuer is the IdP's entity ID; Subject the assertion's NameID.
	Issuer, Subject string
	Name, Email     string
	Groups          []string
	AuthnContexts   []string
	// Attributes are every attribute of the assertion by name, values in order.
	Attributes map[string][]string
	// SessionIndex is the IdP's session, for a later single logout.
	SessionIndex string
}

// HasMFA reports whether the assertion proves a second factor under cfg.
func (id Identity) HasMFA(cfg Config) bool {
	if slices.ContainsFunc(id.AuthnContexts, func(ac string) bool { return slices.Contains(cfg.MFAContexts, ac) }) {
		return true
	}
	if cfg.MFAAttribute == "" {
		return false
	}
	return slices.ContainsFunc(id.Attributes[cfg.MFAAttribute], func(v string) bool { return slices.Contains(cfg.MFAValues, v) })
}

func (c *SP) identity(sp *saml.ServiceProvider, a *saml.Assertion) Identity {
	id := Identity{Issuer: a.Issuer.Value, Attributes: map[string][]string{}}
	if id.Issuer == "" {
		id.Issuer = sp.IDPMetadata.EntityID
	}
	if a.Subject != nil && a.Subject.NameID != nil {
		id.Subject = strings.TrimSpace(a.Subject.NameID.Value)
	}
	for _, st := range a.AuthnStatements {
		if st.AuthnContext.AuthnContextClassRef != nil {
			id.AuthnContexts = append(id.AuthnContexts, strings.TrimSpace(st.AuthnContext.AuthnContextClassRef.Value))
		}
		if id.SessionIndex == "" {
			id.SessionIndex = st.SessionIndex
		}
	}
	for _, st := range a.AttributeStatements {
		for _, at := range st.Attributes {
			for _, v := range at.Values {
				id.Attributes[at.Name] = append(id.Attributes[at.Name], strings.TrimSpace(v.Value))
			}
		}
	}
	first := func(name string) string {
		if vs := id.Attributes[name]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	id.Email = first(c.cfg.EmailAttribute)
	if c.cfg.NameAttribute != "" {
		id.Name = first(c.cfg.NameAttribute)
	}
	if id.Name == "" {
		id.Name = strings.TrimSpace(first(c.cfg.FirstNameAttribute) + " " + first(c.cfg.LastNameAttribute))
	}
	for _, v := range id.Attributes[c.cfg.GroupsAttribute] {
		gs, isBPP, err := Privileges(v)
		switch {
		case err != nil:
			// An unreadable privilege list grants nothing.
		case isBPP:
			id.Groups = append(id.Groups, gs...)
		case v != "":
			id.Groups = append(id.Groups, v)
		}
	}
	return id
}

// ErrorKind says why a login failed, so the caller can tell the person what to do.
type ErrorKind int

const (
	// ErrState: the response does not belong to a login this session began, or it took
	// too long.
	ErrState ErrorKind = iota + 1
	// ErrRefused: the IdP answered with a status other than Success.
	ErrRefused
	// ErrSignature: the response or assertion is unsigned or not signed by the IdP's key.
	ErrSignature
	// ErrExpired: the assertion is outside its time window.
	ErrExpired
	// ErrReplay: the assertion has been used already.
	ErrReplay
	// ErrAssertion: any other reason the assertion is invalid (audience, recipient, the
	// request it answers, malformed).
	ErrAssertion
	// ErrMFA: the assertion proves no second factor, and one is required.
	ErrMFA
	// ErrProviderUnavailable: the IdP's metadata could not be read.
	ErrProviderUnavailable
)

func (k ErrorKind) String() string {
	switch k {
	case ErrState:
		return "state"
	case ErrRefused:
		return "refused"
	case ErrSignature:
		return "signature"
	case ErrExpired:
		return "expired"
	case ErrReplay:
		return "replay"
	case ErrAssertion:
		return "assertion"
	case ErrMFA:
		return "mfa"
	case ErrProviderUnavailable:
		return "unavailable"
	}
	return "unknown"
}

// Error is a failed login.
type Error struct {
	Kind ErrorKind
	Err  error
}

func (e *Error) Error() string { return "saml " + e.Kind.String() + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// KindOf is the kind of a login error, or 0 for any other error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
