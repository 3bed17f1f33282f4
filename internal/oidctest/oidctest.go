// Package oidctest starts a real OpenID provider (zitadel/oidc's op package: discovery, JWKS,
// authorization code flow with PKCE, signed ID tokens, end_session) in the test process, with
// users whose claims a test chooses: subject, name, e-mail, groups, acr, amr and any extra
// claim (a CPR number, a level of assurance). A test can also have the next token response
// carry a forged ID token (another signer, alg none, expired, another audience) to show that
// the relying party refuses it.
//
// Its login page is a plain form that asks only for the username: a browser test types it
// and submits, a handler test posts it (Provider.Login follows the whole flow).
package oidctest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// User is a person the provider can log in.
type User struct {
	Subject string
	Name    string
	Email   string
	Groups  []string
	ACR     string
	AMR     []string
	// Claims are extra claims put in the ID token as they are.
	Claims map[string]any
	// UserinfoClaims are extra claims given only at the UserInfo endpoint, as some brokers
	// give a CPR number.
	UserinfoClaims map[string]any
	// Disabled users are refused at the provider's login (error=access_denied).
	Disabled bool
}

// Provider is a running OpenID provider.
type Provider struct {
	// Issuer is the provider's issuer URL (its discovery document is below it).
	Issuer string
	// Key signs the ID tokens; its public half is published in the JWKS.
	Key *rsa.PrivateKey
	// KeyID is the key's "kid".
	KeyID string

	t        testing.TB
	provider *op.Provider
	st       *storage
	server   *httptest.Server

	mu     sync.Mutex
	tamper func(claims map[string]any) string
}

// New starts a provider on a loopback port; it stops when the test ends.
func New(t testing.TB) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{t: t, Key: key, KeyID: "oidctest-1"}
	p.st = &storage{p: p, users: map[string]*User{}, clients: map[string]*client{}, requests: map[string]*authRequest{},
		codes: map[string]string{}, tokens: map[string]User{}}
	p.server = httptest.NewUnstartedServer(nil)
	p.Issuer = "http://" + p.server.Listener.Addr().String()
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte("oidctest")), CodeMethodS256: true, AuthMethodPost: true}
	p.provider, err = op.NewOpenIDProvider(p.Issuer, cfg, p.st, op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	login := op.NewIssuerInterceptor(p.provider.IssuerFromRequest)
	mux.HandleFunc("GET /login", p.loginPage)
	mux.Handle("POST /login", login.HandlerFunc(p.loginPost))
	mux.HandleFunc("GET /logged-out", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "logget ud") })
	mux.Handle("/", p.provider)
	p.server.Config.Handler = p.tamperTokens(mux)
	p.server.Start()
	t.Cleanup(p.server.Close)
	return p
}

// AddClient registers a confidential web client with its callback and post-logout URLs; for
// a client registered already, it adds the URLs (two instances of one application).
func (p *Provider) AddClient(id, secret string, redirectURIs, postLogoutURIs []string) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	if c, ok := p.st.clients[id]; ok && c.secret == secret {
		c.redirects = append(c.redirects, redirectURIs...)
		c.postLogout = append(c.postLogout, postLogoutURIs...)
		return
	}
	p.st.clients[id] = &client{id: id, secret: secret, redirects: redirectURIs, postLogout: postLogoutURIs}
}

// SetUser adds or replaces the user who logs in as username.
func (p *Provider) SetUser(username string, u User) {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	cp := u
	p.st.users[username] = &cp
}

// TerminatedSessions are the subjects whose sessions end_session has ended, in order.
func (p *Provider) TerminatedSessions() []string {
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	return append([]string(nil), p.st.terminated...)
}

// TamperNextToken makes the next token response carry forge(claims) as its ID token, where
// claims are those of the genuine token the provider issued. Use Sign, SignWith or Unsigned.
func (p *Provider) TamperNextToken(forge func(claims map[string]any) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamper = forge
}

// Sign signs claims with the provider's own key.
func (p *Provider) Sign(claims map[string]any) string {
	return SignWith(p.t, p.Key, p.KeyID, claims)
}

// SignWith signs claims with key (RS256) under kid.
func SignWith(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Unsigned is an ID token with "alg": "none" and no signature.
func Unsigned(claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload, _ := json.Marshal(claims)
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "."
}

// tamperTokens replaces the ID token of a token response when a test asked for it.
func (p *Provider) tamperTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		forge := p.tamper
		if r.URL.Path == "/oauth/token" {
			p.tamper = nil
		}
		p.mu.Unlock()
		if forge == nil || r.URL.Path != "/oauth/token" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(rec.Body.Bytes(), &body) == nil {
			if raw, ok := body["id_token"].(string); ok {
				parts := strings.Split(raw, ".")
				var claims map[string]any
				if b, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil && json.Unmarshal(b, &claims) == nil {
					body["id_token"] = forge(claims)
				}
			}
		}
		out, _ := json.Marshal(body)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(out)
	})
}

const loginForm = `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Test-IdP</title></head>
<body><main><h1>Test-IdP: log ind</h1>%s<form method="post" action="/login">
<input type="hidden" name="id" value="%s"><label for="username">Brugernavn</label>
<input id="username" name="username" autocomplete="username"><button type="submit">Fortsæt</button></form></main></body></html>`

func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, loginForm, "", html.EscapeString(r.URL.Query().Get("authRequestID")))
}

func (p *Provider) loginPost(w http.ResponseWriter, r *http.Request) {
	id, username := r.PostFormValue("id"), r.PostFormValue("username")
	p.st.mu.Lock()
	req, okReq := p.st.requests[id]
	u, okUser := p.st.users[username]
	if okReq && okUser && !u.Disabled {
		req.user = *u
		req.done = true
		req.authTime = time.Now()
	}
	p.st.mu.Unlock()
	switch {
	case !okReq:
		http.Error(w, "unknown auth request", http.StatusBadRequest)
	case !okUser:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, loginForm, "<p>Ukendt bruger</p>", html.EscapeString(id))
	case u.Disabled:
		op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("user is disabled"), p.provider)
	default:
		http.Redirect(w, r, op.AuthCallbackURL(p.provider)(r.Context(), id), http.StatusFound)
	}
}

// Login runs a whole login with hc (a client with a cookie jar that follows redirects) from
// startURL (the relying party's login start) as username, and returns the last response
// (the relying party's page after its callback). The caller closes its body.
func (p *Provider) Login(hc *http.Client, startURL, username string) (*http.Response, error) {
	res, err := hc.Get(startURL)
	if err != nil {
		return nil, err
	}
	_ = res.Body.Close()
	if !strings.HasPrefix(res.Request.URL.String(), p.Issuer+"/login") {
		return nil, fmt.Errorf("login start ended at %s, not the provider's login page", res.Request.URL)
	}
	form := strings.NewReader("id=" + res.Request.URL.Query().Get("authRequestID") + "&username=" + username)
	return hc.Post(p.Issuer+"/login", "application/x-www-form-urlencoded", form)
}

// storage is the provider's in-memory state.
type storage struct {
	p          *Provider
	mu         sync.Mutex
	users      map[string]*User
	clients    map[string]*client
	requests   map[string]*authRequest
	codes      map[string]string
	tokens     map[string]User // access token id → the user it was issued for
	terminated []string
	seq        int
}

type notFound struct{ what string }

func (e notFound) Error() string { return e.what + " not found" }
func (notFound) IsNotFound()     {}

func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	req := &authRequest{id: "ar" + strconv.Itoa(s.seq), req: *r}
	s.requests[req.id] = req
	return req, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.requests[id]; ok {
		return r, nil
	}
	return nil, notFound{"auth request"}
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, notFound{"code"}
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest runs once the code is exchanged: a code works once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for c, rid := range s.codes {
		if rid == id {
			delete(s.codes, c)
		}
	}
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, r op.TokenRequest) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	id := "at" + strconv.Itoa(s.seq)
	if ar, ok := r.(*authRequest); ok {
		s.tokens[id] = ar.user
	}
	return id, time.Now().Add(5 * time.Minute), nil
}

func (s *storage) CreateAccessAndRefreshTokens(ctx context.Context, r op.TokenRequest, _ string) (string, string, time.Time, error) {
	id, exp, err := s.CreateAccessToken(ctx, r)
	return id, "", exp, err
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(_ context.Context, userID, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.terminated = append(s.terminated, userID)
	return nil
}

func (s *storage) RevokeToken(context.Context, string, string, string) *oidc.Error { return nil }

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

type signingKey struct{ p *Provider }

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.p.Key }
func (k signingKey) ID() string                                  { return k.p.KeyID }

type publicKey struct{ p *Provider }

func (k publicKey) ID() string                         { return k.p.KeyID }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.p.Key.PublicKey }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return signingKey{s.p}, nil }
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}
func (s *storage) KeySet(context.Context) ([]op.Key, error) { return []op.Key{publicKey{s.p}}, nil }

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok {
		return c, nil
	}
	return nil, notFound{"client"}
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.clients[id]; ok && c.secret == secret {
		return nil
	}
	return fmt.Errorf("wrong client or secret")
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the user's claims in the ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, ui *oidc.UserInfo, r op.IDTokenRequest, _ []string) error {
	ar, ok := r.(*authRequest)
	if !ok {
		return nil
	}
	s.mu.Lock()
	u := ar.user
	s.mu.Unlock()
	ui.Subject = u.Subject
	ui.Name = u.Name
	ui.Email = u.Email
	if u.Groups != nil {
		ui.AppendClaims("groups", u.Groups)
	}
	for k, v := range u.Claims {
		ui.AppendClaims(k, v)
	}
	return nil
}

// SetUserinfoFromToken answers the UserInfo endpoint: the user's claims, the ones given only
// there included.
func (s *storage) SetUserinfoFromToken(_ context.Context, ui *oidc.UserInfo, tokenID, _, _ string) error {
	s.mu.Lock()
	u, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok {
		return notFound{"token"}
	}
	ui.Subject = u.Subject
	ui.Name = u.Name
	ui.Email = u.Email
	for k, v := range u.Claims {
		ui.AppendClaims(k, v)
	}
	for k, v := range u.UserinfoClaims {
		ui.AppendClaims(k, v)
	}
	return nil
}
func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return nil
}
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, notFound{"key"}
}
func (s *storage) ValidateJWTProfileScopes(_ context.Context, _ string, scopes []string) ([]string, error) {
	return scopes, nil
}
func (s *storage) Health(context.Context) error { return nil }

// authRequest is one authorization request, done once the user has logged in.
type authRequest struct {
	id       string
	req      oidc.AuthRequest
	user     User
	done     bool
	authTime time.Time
}

func (a *authRequest) GetID() string                      { return a.id }
func (a *authRequest) GetACR() string                     { return a.user.ACR }
func (a *authRequest) GetAMR() []string                   { return a.user.AMR }
func (a *authRequest) GetAudience() []string              { return []string{a.req.ClientID} }
func (a *authRequest) GetAuthTime() time.Time             { return a.authTime }
func (a *authRequest) GetClientID() string                { return a.req.ClientID }
func (a *authRequest) GetNonce() string                   { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *authRequest) GetScopes() []string                { return a.req.Scopes }
func (a *authRequest) GetState() string                   { return a.req.State }
func (a *authRequest) GetSubject() string                 { return a.user.Subject }
func (a *authRequest) Done() bool                         { return a.done }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}

// client is a confidential web client.
type client struct {
	id, secret            string
	redirects, postLogout []string
}

func (c *client) GetID() string                       { return c.id }
func (c *client) RedirectURIs() []string              { return c.redirects }
func (c *client) PostLogoutRedirectURIs() []string    { return c.postLogout }
func (c *client) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *client) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *client) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c *client) LoginURL(id string) string    { return "/login?authRequestID=" + id }
func (c *client) AccessTokenType() op.AccessTokenType {
	return op.AccessTokenTypeBearer
}
func (c *client) IDTokenLifetime() time.Duration { return 5 * time.Minute }
func (c *client) DevMode() bool                  { return true }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) IsScopeAllowed(string) bool           { return true }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
