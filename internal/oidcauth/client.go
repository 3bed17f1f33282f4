package oidcauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// PendingLifetime is how long a started login may take at the provider before its callback
// is refused.
const PendingLifetime = 10 * time.Minute

// maxPending is how many logins one session may have started and not finished (a login in
// two tabs works; a thousand do not grow the session).
const maxPending = 4

// Client runs one realm's logins. It discovers the provider on first use (and again after a
// failed discovery), so the application starts while the provider is down.
type Client struct {
	cfg      Config
	sessions *scs.SessionManager
	key      string
	http     *http.Client
	now      func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
	endSess  string
}

// Option changes a Client.
type Option func(*Client)

// WithHTTPClient makes the Client reach the provider with hc (tests; a proxy).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// WithClock makes the Client judge expiry by now (tests).
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a Client for cfg whose pending logins live in sessions under sessionKey (one
// key per realm).
func New(cfg Config, sessions *scs.SessionManager, sessionKey string, opts ...Option) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.defaults()
	c := &Client{cfg: cfg, sessions: sessions, key: sessionKey, http: &http.Client{Timeout: 15 * time.Second}, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Config returns the realm's configuration (with defaults filled in).
func (c *Client) Config() Config { return c.cfg }

func (c *Client) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, c.http)
}

// discover reads the provider's discovery document once.
func (c *Client) discover(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return nil
	}
	p, err := oidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return &Error{Kind: ErrProviderUnavailable, Err: err}
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err != nil {
		return &Error{Kind: ErrProviderUnavailable, Err: err}
	}
	c.provider = p
	c.endSess = extra.EndSession
	c.verifier = p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID, Now: c.now})
	c.oauth = oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: c.cfg.RedirectURL, Scopes: append([]string{oidc.ScopeOpenID}, c.cfg.Scopes...)}
	return nil
}

// pending is a login begun and not yet finished.
type pending struct {
	Nonce    string    `json:"n"`
	Verifier string    `json:"v"`
	ReturnTo string    `json:"r"`
	Started  time.Time `json:"t"`
}

func (c *Client) loadPending(ctx context.Context) map[string]pending {
	m := map[string]pending{}
	if raw := c.sessions.GetString(ctx, c.key); raw != "" {
		_ = json.Unmarshal([]byte(raw), &m)
	}
	return m
}

func (c *Client) savePending(ctx context.Context, m map[string]pending) {
	if len(m) == 0 {
		c.sessions.Remove(ctx, c.key)
		return
	}
	b, _ := json.Marshal(m)
	c.sessions.Put(ctx, c.key, string(b))
}

// Begin starts a login: it keeps a fresh state, nonce and PKCE verifier in the session and
// sends the browser to the provider. returnTo is handed back by Finish (the caller checks
// it is a safe local path before using it).
func (c *Client) Begin(w http.ResponseWriter, r *http.Request, returnTo string) error {
	ctx := r.Context()
	if err := c.discover(ctx); err != nil {
		return err
	}
	state, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
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
	m[state] = pending{Nonce: nonce, Verifier: verifier, ReturnTo: returnTo, Started: now}
	c.savePending(ctx, m)
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if len(c.cfg.ACRValues) > 0 {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", spaced(c.cfg.ACRValues)))
	}
	http.Redirect(w, r, c.oauth.AuthCodeURL(state, opts...), http.StatusSeeOther)
	return nil
}

// Finish completes a login at the realm's callback: the state must be one this session began
// (and is used up, so a replayed callback is refused), the code is exchanged with the PKCE
// verifier, and the ID token must be signed by the provider's key, for this client, unexpired,
// with the nonce this session sent and, when required, proof of a second factor.
func (c *Client) Finish(r *http.Request) (Identity, string, error) {
	ctx := r.Context()
	q := r.URL.Query()
	m := c.loadPending(ctx)
	state := q.Get("state")
	p, ok := m[state]
	if state == "" || !ok {
		return Identity{}, "", &Error{Kind: ErrState, Err: errors.New("unknown or used state")}
	}
	delete(m, state)
	c.savePending(ctx, m)
	if c.now().Sub(p.Started) > PendingLifetime {
		return Identity{}, p.ReturnTo, &Error{Kind: ErrState, Err: errors.New("login took too long")}
	}
	if e := q.Get("error"); e != "" {
		return Identity{}, p.ReturnTo, &Error{Kind: ErrRefused, Err: fmt.Errorf("provider: %s: %s", e, q.Get("error_description"))}
	}
	code := q.Get("code")
	if code == "" {
		return Identity{}, p.ReturnTo, &Error{Kind: ErrExchange, Err: errors.New("no code")}
	}
	if err := c.discover(ctx); err != nil {
		return Identity{}, p.ReturnTo, err
	}
	tok, err := c.oauth.Exchange(context.WithValue(ctx, oauth2.HTTPClient, c.http), code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return Identity{}, p.ReturnTo, &Error{Kind: ErrExchange, Err: err}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, p.ReturnTo, &Error{Kind: ErrToken, Err: errors.New("no id_token in the token response")}
	}
	id, err := c.Verify(ctx, raw, p.Nonce)
	if err == nil && c.cfg.UserInfo {
		err = c.addUserInfo(ctx, tok, &id)
	}
	return id, p.ReturnTo, err
}

// addUserInfo adds the claims of the provider's UserInfo endpoint that the ID token lacks.
// The answer must be about the ID token's subject (OpenID Connect Core 5.3.2).
func (c *Client) addUserInfo(ctx context.Context, tok *oauth2.Token, id *Identity) error {
	ui, err := c.provider.UserInfo(c.ctx(ctx), oauth2.StaticTokenSource(tok))
	if err != nil {
		return &Error{Kind: ErrExchange, Err: fmt.Errorf("userinfo: %w", err)}
	}
	if ui.Subject != id.Subject {
		return &Error{Kind: ErrToken, Err: fmt.Errorf("userinfo is about subject %q, the ID token about %q", ui.Subject, id.Subject)}
	}
	var more map[string]json.RawMessage
	if err := ui.Claims(&more); err != nil {
		return &Error{Kind: ErrToken, Err: fmt.Errorf("userinfo: %w", err)}
	}
	for k, v := range more {
		if _, ok := id.Claims[k]; !ok {
			id.Claims[k] = v
		}
	}
	return nil
}

// Verify checks a raw ID token as Finish does (signature, issuer, audience, expiry, nonce and
// the second factor) and reads its claims.
func (c *Client) Verify(ctx context.Context, raw, nonce string) (Identity, error) {
	if err := c.discover(ctx); err != nil {
		return Identity{}, err
	}
	t, err := c.verifier.Verify(c.ctx(ctx), raw)
	if err != nil {
		return Identity{}, &Error{Kind: ErrToken, Err: err}
	}
	if t.Nonce == "" || t.Nonce != nonce {
		return Identity{}, &Error{Kind: ErrNonce, Err: errors.New("nonce does not match")}
	}
	var all map[string]json.RawMessage
	if err := t.Claims(&all); err != nil {
		return Identity{}, &Error{Kind: ErrToken, Err: err}
	}
	id := Identity{Issuer: t.Issuer, Subject: t.Subject, Claims: all, RawIDToken: raw}
	_ = id.Claim("acr", &id.ACR)
	id.AMR = id.Strings("amr")
	var at int64
	if id.Claim("auth_time", &at) == nil && at > 0 {
		id.AuthTime = time.Unix(at, 0)
	}
	id.Email = id.String(c.cfg.EmailClaim)
	id.Name = id.String(c.cfg.NameClaim)
	id.Groups = id.Strings(c.cfg.GroupsClaim)
	if c.cfg.RequireMFA && !id.HasMFA(c.cfg.MFAACR, c.cfg.MFAAMR) {
		return id, &Error{Kind: ErrMFA, Err: fmt.Errorf("no second factor: acr %q, amr %q", id.ACR, id.AMR)}
	}
	return id, nil
}

// LogoutURL is where to send the browser to end the user's session at the provider too
// (RP-initiated logout), with the ID token as hint; ok is false when the provider has no
// end_session_endpoint.
func (c *Client) LogoutURL(ctx context.Context, idTokenHint string) (string, bool) {
	if err := c.discover(ctx); err != nil || c.endSess == "" {
		return "", false
	}
	u, err := url.Parse(c.endSess)
	if err != nil {
		return "", false
	}
	q := u.Query()
	if idTokenHint != "" {
		q.Set("id_token_hint", idTokenHint)
	}
	q.Set("client_id", c.cfg.ClientID)
	if c.cfg.PostLogoutRedirectURL != "" {
		q.Set("post_logout_redirect_uri", c.cfg.PostLogoutRedirectURL)
	}
	u.RawQuery = q.Encode()
	return u.String(), true
}

// Identity is what a verified ID token says about the person who logged in.
type Identity struct {
	Issuer, Subject string
	Email, Name     string
	Groups          []string
	ACR             string
	AMR             []string
	AuthTime        time.Time
	// Claims are every claim of the ID token, for a realm that needs more (a CPR number, a
	// level of assurance): read them with Claim, String or Strings.
	Claims map[string]json.RawMessage
	// RawIDToken is the verified token, kept as the hint for RP-initiated logout.
	RawIDToken string
}

// Claim decodes the claim name into v; an absent claim is an error.
func (id Identity) Claim(name string, v any) error {
	raw, ok := id.Claims[name]
	if !ok {
		return fmt.Errorf("claim %q is missing", name)
	}
	return json.Unmarshal(raw, v)
}

// String is a string claim, or "" when it is absent or not a string.
func (id Identity) String(name string) string {
	var s string
	_ = id.Claim(name, &s)
	return s
}

// Strings is a claim holding a list of strings, or a single string, as a list.
func (id Identity) Strings(name string) []string {
	var l []string
	if id.Claim(name, &l) == nil {
		return l
	}
	if s := id.String(name); s != "" {
		return []string{s}
	}
	return nil
}

// HasMFA reports whether the token proves a second factor: its acr is one of acr, or its amr
// holds one of amr.
func (id Identity) HasMFA(acr, amr []string) bool {
	if id.ACR != "" && slices.Contains(acr, id.ACR) {
		return true
	}
	return slices.ContainsFunc(id.AMR, func(m string) bool { return slices.Contains(amr, m) })
}

// ErrorKind says why a login failed, so the caller can tell the person what to do.
type ErrorKind int

const (
	// ErrState: the callback does not belong to a login this session began (replayed,
	// forged, or begun in a session that has since ended), or the login took too long.
	ErrState ErrorKind = iota + 1
	// ErrRefused: the provider refused the login (error=access_denied and the like).
	ErrRefused
	// ErrExchange: the code could not be exchanged (used already, wrong PKCE verifier).
	ErrExchange
	// ErrToken: the ID token is not valid (signature, issuer, audience, expiry).
	ErrToken
	// ErrNonce: the ID token was not issued for this login.
	ErrNonce
	// ErrMFA: the ID token proves no second factor, and the realm requires one.
	ErrMFA
	// ErrProviderUnavailable: the provider's discovery document could not be read.
	ErrProviderUnavailable
)

func (k ErrorKind) String() string {
	switch k {
	case ErrState:
		return "state"
	case ErrRefused:
		return "refused"
	case ErrExchange:
		return "exchange"
	case ErrToken:
		return "token"
	case ErrNonce:
		return "nonce"
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

func (e *Error) Error() string { return "oidc " + e.Kind.String() + ": " + e.Err.Error() }
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
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func spaced(l []string) string { return strings.Join(l, " ") }
