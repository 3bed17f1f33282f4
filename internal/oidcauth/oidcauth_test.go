package oidcauth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/oidctest"
)

// rp is a minimal relying party on the package: /start begins a login, /cb finishes it and
// writes "ok <subject>" or "error <kind>".
type rp struct {
	url    string
	client *oidcauth.Client
	ids    chan oidcauth.Identity
}

func newRP(t *testing.T, p *oidctest.Provider, mutate func(*oidcauth.Config)) *rp {
	t.Helper()
	sm := scs.New()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	cfg := oidcauth.Config{Issuer: p.Issuer, ClientID: "helhed", ClientSecret: "hemmelig", RedirectURL: base + "/cb",
		PostLogoutRedirectURL: base + "/ude", RequireMFA: true, MFAAMR: []string{"mfa"}}
	if mutate != nil {
		mutate(&cfg)
	}
	p.AddClient("helhed", "hemmelig", []string{base + "/cb"}, []string{base + "/ude"})
	c, err := oidcauth.New(cfg, sm, "staff_oidc")
	if err != nil {
		t.Fatal(err)
	}
	r := &rp{url: base, client: c, ids: make(chan oidcauth.Identity, 10)}
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, req *http.Request) {
		if err := c.Begin(w, req, "/efter"); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	mux.HandleFunc("/cb", func(w http.ResponseWriter, req *http.Request) {
		id, next, err := c.Finish(req)
		if err != nil {
			fmt.Fprintf(w, "error %s", oidcauth.KindOf(err))
			return
		}
		r.ids <- id
		fmt.Fprintf(w, "ok %s %s", id.Subject, next)
	})
	ts.Config.Handler = sm.LoadAndSave(mux)
	ts.Start()
	t.Cleanup(ts.Close)
	return r
}

func browser(t *testing.T) (*http.Client, *[]string) {
	jar, _ := cookiejar.New(nil)
	var callbacks []string
	return &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if req.URL.Path == "/cb" {
			callbacks = append(callbacks, req.URL.String())
		}
		return nil
	}}, &callbacks
}

// text reads a response's body as a string (called as text(t)(hc.Get(…))).
func text(t *testing.T) func(*http.Response, error) string {
	return func(res *http.Response, err error) string {
		t.Helper()
		return readBody(t, res, err)
	}
}

func readBody(t *testing.T, res *http.Response, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// TestBadTokensRefused logs in through a real provider and has it answer with a token that
// must be refused; the good cases show that the same flow succeeds.
func TestBadTokensRefused(t *testing.T) {
	p := oidctest.New(t)
	p.SetUser("anna", oidctest.User{Subject: "sub-anna", Name: "Anna", Email: "anna@kommune.dk", Groups: []string{"helhed-jc"},
		AMR: []string{"pwd", "mfa"}, Claims: map[string]any{"dk:cpr": "0101011234", "loa": "substantial"}})
	p.SetUser("ole", oidctest.User{Subject: "sub-ole", Name: "Ole", AMR: []string{"pwd"}})
	p.SetUser("acr", oidctest.User{Subject: "sub-acr", Name: "Acr", ACR: "https://data.gov.dk/concept/core/nsis/loa/Substantial", AMR: []string{"pwd"}})
	p.SetUser("spaerret", oidctest.User{Subject: "sub-x", AMR: []string{"mfa"}, Disabled: true})
	other, _ := rsa.GenerateKey(rand.Reader, 2048)

	cases := []struct {
		name  string
		user  string
		cfg   func(*oidcauth.Config)
		forge func(map[string]any) string
		want  string
	}{
		{name: "good", user: "anna", want: "ok sub-anna /efter"},
		{name: "unsigned alg none", user: "anna", forge: oidctest.Unsigned, want: "error token"},
		{name: "wrong signer", user: "anna", forge: func(c map[string]any) string { return oidctest.SignWith(t, other, p.KeyID, c) }, want: "error token"},
		{name: "wrong signer, unknown kid", user: "anna", forge: func(c map[string]any) string { return oidctest.SignWith(t, other, "fremmed", c) }, want: "error token"},
		{name: "expired", user: "anna", forge: func(c map[string]any) string {
			c["exp"], c["iat"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-2*time.Hour).Unix()
			return p.Sign(c)
		}, want: "error token"},
		{name: "wrong audience", user: "anna", forge: func(c map[string]any) string { c["aud"] = []string{"en-anden-klient"}; return p.Sign(c) }, want: "error token"},
		{name: "wrong issuer", user: "anna", forge: func(c map[string]any) string { c["iss"] = "https://idp.example"; return p.Sign(c) }, want: "error token"},
		{name: "nonce mismatch", user: "anna", forge: func(c map[string]any) string { c["nonce"] = "en-anden"; return p.Sign(c) }, want: "error nonce"},
		{name: "no nonce", user: "anna", forge: func(c map[string]any) string { delete(c, "nonce"); return p.Sign(c) }, want: "error nonce"},
		{name: "missing MFA proof", user: "ole", want: "error mfa"},
		{name: "MFA proof removed from a re-signed token", user: "anna", forge: func(c map[string]any) string { c["amr"] = []string{"pwd"}; return p.Sign(c) }, want: "error mfa"},
		{name: "MFA not required", user: "ole", cfg: func(c *oidcauth.Config) { c.RequireMFA = false }, want: "ok sub-ole /efter"},
		{name: "MFA by acr", user: "acr", cfg: func(c *oidcauth.Config) { c.MFAACR = []string{"https://data.gov.dk/concept/core/nsis/loa/Substantial"} }, want: "ok sub-acr /efter"},
		{name: "disabled at the provider", user: "spaerret", want: "error refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := newRP(t, p, tc.cfg)
			hc, _ := browser(t)
			if tc.forge != nil {
				p.TamperNextToken(tc.forge)
			}
			got := text(t)(p.Login(hc, r.url+"/start", tc.user))
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestIdentityClaims: the identity carries the configured claims and any other claim.
func TestIdentityClaims(t *testing.T) {
	p := oidctest.New(t)
	p.SetUser("anna", oidctest.User{Subject: "sub-anna", Name: "Anna Berg", Email: "anna@kommune.dk", Groups: []string{"a", "b"},
		ACR: "loa-high", AMR: []string{"mfa"}, Claims: map[string]any{"dk:cpr": "0101011234", "roles": []string{"sagsbehandler"}}})
	r := newRP(t, p, nil)
	hc, _ := browser(t)
	if got := text(t)(p.Login(hc, r.url+"/start", "anna")); !strings.HasPrefix(got, "ok") {
		t.Fatal(got)
	}
	id := <-r.ids
	if id.Issuer != p.Issuer || id.Subject != "sub-anna" || id.Name != "Anna Berg" || id.Email != "anna@kommune.dk" ||
		strings.Join(id.Groups, ",") != "a,b" || id.ACR != "loa-high" || strings.Join(id.AMR, ",") != "mfa" {
		t.Errorf("identity = %+v", id)
	}
	if id.String("dk:cpr") != "0101011234" || strings.Join(id.Strings("roles"), ",") != "sagsbehandler" {
		t.Errorf("extra claims: cpr %q roles %q", id.String("dk:cpr"), id.Strings("roles"))
	}
	if id.AuthTime.IsZero() || id.RawIDToken == "" {
		t.Errorf("auth time %v, raw token %d bytes", id.AuthTime, len(id.RawIDToken))
	}
	logout, ok := r.client.LogoutURL(t.Context(), id.RawIDToken)
	if !ok || !strings.Contains(logout, "id_token_hint=") || !strings.Contains(logout, "post_logout_redirect_uri="+url.QueryEscape(r.url+"/ude")) {
		t.Errorf("logout URL %q %v", logout, ok)
	}
	res, err := hc.Get(logout)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.String() != r.url+"/ude" {
		t.Errorf("after logout at %s, want %s/ude", res.Request.URL, r.url)
	}
	if got := p.TerminatedSessions(); len(got) != 1 || got[0] != "sub-anna" {
		t.Errorf("provider ended sessions %v", got)
	}
}

// TestUserInfoClaims: with UserInfo on, a claim the provider gives only at its UserInfo
// endpoint joins the identity, and the ID token's own claims are not overwritten; without
// it, the identity has the ID token's claims only.
func TestUserInfoClaims(t *testing.T) {
	p := oidctest.New(t)
	p.SetUser("anna", oidctest.User{Subject: "sub-anna", AMR: []string{"mfa"}, Claims: map[string]any{"loa": "id-token"},
		UserinfoClaims: map[string]any{"dk.cpr": "0101011234", "loa": "userinfo"}})
	for _, on := range []bool{true, false} {
		r := newRP(t, p, func(c *oidcauth.Config) { c.UserInfo = on })
		hc, _ := browser(t)
		if got := text(t)(p.Login(hc, r.url+"/start", "anna")); !strings.HasPrefix(got, "ok") {
			t.Fatal(got)
		}
		id := <-r.ids
		want := ""
		if on {
			want = "0101011234"
		}
		if got := id.String("dk.cpr"); got != want {
			t.Errorf("userinfo %v: cpr %q, want %q", on, got, want)
		}
		if got := id.String("loa"); got != "id-token" {
			t.Errorf("userinfo %v: loa %q, want the ID token's", on, got)
		}
	}
}

// TestReplayRefused: a callback works once (state is used up), a code works once, and a
// callback with a state this session never began is refused.
func TestReplayRefused(t *testing.T) {
	p := oidctest.New(t)
	p.SetUser("anna", oidctest.User{Subject: "sub-anna", AMR: []string{"mfa"}})
	r := newRP(t, p, nil)
	hc, callbacks := browser(t)
	if got := text(t)(p.Login(hc, r.url+"/start", "anna")); got != "ok sub-anna /efter" {
		t.Fatal(got)
	}
	first := (*callbacks)[0]
	if got := text(t)(hc.Get(first)); got != "error state" {
		t.Errorf("replayed callback: %q", got)
	}

	// The same code under a state this session did begin: the provider refuses the used code.
	state := lastState(t, hc, r.url+"/start")
	old, _ := url.Parse(first)
	q := old.Query()
	q.Set("state", state)
	old.RawQuery = q.Encode()
	if got := text(t)(hc.Get(old.String())); got != "error exchange" {
		t.Errorf("replayed code: %q", got)
	}

	if got := text(t)(hc.Get(r.url + "/cb?state=opdigtet&code=x")); got != "error state" {
		t.Errorf("forged state: %q", got)
	}
}

// lastState begins a login and returns the state of the authorization request.
func lastState(t *testing.T, hc *http.Client, start string) string {
	t.Helper()
	noFollow := *hc
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := noFollow.Get(start)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Query().Get("state") == "" {
		t.Fatalf("no state in %q", res.Header.Get("Location"))
	}
	if loc.Query().Get("code_challenge_method") != "S256" || loc.Query().Get("nonce") == "" {
		t.Errorf("authorization request without PKCE S256 or nonce: %s", loc)
	}
	return loc.Query().Get("state")
}
