// Package samltest starts a real SAML 2.0 identity provider (crewjam/saml's IdentityProvider:
// metadata, the SSO endpoint checking the SP's signed AuthnRequest, signed and encrypted
// assertions posted back) in the test process, with its own key and users whose NameID,
// attributes, OIO-BPP privileges and AuthnContextClassRef a test chooses. A test can also have
// the next response carry a bad assertion (unsigned, another signer, expired, another
// audience) to show that the service provider refuses it.
//
// Its login page is a plain form that asks only for the username: a browser test types it and
// submits; a handler test posts it (IdP.Login follows the whole flow).
package samltest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/crewjam/saml"
	"github.com/crewjam/saml/samlsp"
)

// User is a person the IdP can log in.
type User struct {
	// NameID is the persistent subject the SP matches the person by.
	NameID              string
	FirstName, LastName string
	Email               string
	// Privileges are sent as an OIO-BPP privilege list (OIOSAML 3 privilegesIntermediate),
	// in one PrivilegeGroup scoped to CVR 29189129.
	Privileges []string
	// AuthnContext is the AuthnContextClassRef asserted (default NSIS Substantial).
	AuthnContext string
	// Attributes are further attributes, as they are.
	Attributes map[string][]string
	// Disabled users are refused at the IdP (status Responder/RequestDenied).
	Disabled bool
}

// Tamper spoils the next response.
type Tamper int

const (
	// Unsigned: neither the response nor the assertion is signed.
	Unsigned Tamper = iota + 1
	// WrongSigner: signed by a key that is not in the IdP's metadata.
	WrongSigner
	// Expired: the assertion's NotOnOrAfter has passed.
	Expired
	// WrongAudience: the assertion is for another service provider.
	WrongAudience
)

// IdP is a running identity provider.
type IdP struct {
	// URL is the IdP's base URL; EntityID its entity ID (the metadata URL).
	URL, EntityID string
	Key           *rsa.PrivateKey
	Certificate   *x509.Certificate

	t      testing.TB
	idp    *saml.IdentityProvider
	forger *saml.IdentityProvider
	server *httptest.Server

	mu     sync.Mutex
	users  map[string]User
	sps    map[string]*saml.EntityDescriptor
	tamper Tamper
	last   url.Values
}

// New starts an IdP on a loopback port; it stops when the test ends.
func New(t testing.TB) *IdP {
	t.Helper()
	p := &IdP{t: t, users: map[string]User{}, sps: map[string]*saml.EntityDescriptor{}}
	p.server = httptest.NewUnstartedServer(nil)
	p.URL = "http://" + p.server.Listener.Addr().String()
	p.EntityID = p.URL + "/metadata"
	p.Key, p.Certificate = KeyPair(t, "samltest IdP")
	base, _ := url.Parse(p.URL)
	p.idp = &saml.IdentityProvider{
		Key: p.Key, Certificate: p.Certificate,
		MetadataURL: *base.JoinPath("metadata"), SSOURL: *base.JoinPath("sso"),
		ServiceProviderProvider: p, SessionProvider: p, AssertionMaker: p, ResponseWriter: p,
		WantAuthnRequestsSigned: true,
		Logger:                  log.New(io.Discard, "", 0),
	}
	otherKey, otherCert := KeyPair(t, "samltest forger")
	forger := *p.idp
	forger.Key, forger.Certificate = otherKey, otherCert
	p.forger = &forger
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metadata", p.idp.ServeMetadata)
	mux.HandleFunc("/sso", p.idp.ServeSSO)
	mux.HandleFunc("POST /login", p.loginPost)
	p.server.Config.Handler = mux
	p.server.Start()
	t.Cleanup(p.server.Close)
	return p
}

// KeyPair makes an RSA key and a self-signed certificate for it, valid for a day.
func KeyPair(t testing.TB, cn string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// Metadata is the IdP's metadata document.
func (p *IdP) Metadata() []byte {
	b, err := xml.Marshal(p.idp.Metadata())
	if err != nil {
		p.t.Fatal(err)
	}
	return b
}

// AddServiceProvider trusts the SP whose metadata is at metadataURL (read now).
func (p *IdP) AddServiceProvider(metadataURL string) {
	p.t.Helper()
	res, err := http.Get(metadataURL)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		p.t.Fatalf("SP metadata: %s\n%s", res.Status, b)
	}
	ed, err := samlsp.ParseMetadata(b)
	if err != nil {
		p.t.Fatalf("SP metadata: %v\n%s", err, b)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sps[ed.EntityID] = ed
}

// SetUser adds or replaces the user who logs in as username.
func (p *IdP) SetUser(username string, u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users[username] = u
}

// TamperNext spoils the next response the IdP sends.
func (p *IdP) TamperNext(t Tamper) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamper = t
}

// LastResponse is the form (SAMLResponse, RelayState) of the last response the IdP sent.
func (p *IdP) LastResponse() url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// GetServiceProvider implements saml.ServiceProviderProvider.
func (p *IdP) GetServiceProvider(_ *http.Request, id string) (*saml.EntityDescriptor, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ed, ok := p.sps[id]; ok {
		return ed, nil
	}
	return nil, os.ErrNotExist
}

const loginForm = `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Test-IdP (SAML)</title></head>
<body><main><h1>Test-IdP: log ind</h1>%s<form method="post" action="/login">
<input type="hidden" name="back" value="%s"><label for="username">Brugernavn</label>
<input id="username" name="username" autocomplete="username"><button type="submit">Fortsæt</button></form></main></body></html>`

// GetSession implements saml.SessionProvider: the user named by the one-time cookie the login
// form set, or the login form.
func (p *IdP) GetSession(w http.ResponseWriter, r *http.Request, req *saml.IdpAuthnRequest) *saml.Session {
	ck, err := r.Cookie("samltest_user")
	p.mu.Lock()
	u, ok := User{}, false
	if err == nil {
		u, ok = p.users[ck.Value]
	}
	p.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, loginForm, "", html.EscapeString(r.URL.RequestURI()))
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: "samltest_user", Value: "", Path: "/", MaxAge: -1})
	if u.Disabled {
		_ = p.idp.SendErrorResponse(w, req, &saml.StatusError{TopLevel: saml.StatusResponder, SecondLevel: saml.StatusRequestDenied, Message: "user is disabled"})
		return nil
	}
	ac := u.AuthnContext
	if ac == "" {
		ac = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
	}
	s := &saml.Session{ID: randomID(), CreateTime: time.Now(), ExpireTime: time.Now().Add(time.Hour), Index: randomID(),
		NameID: u.NameID, NameIDFormat: string(saml.PersistentNameIDFormat), AuthnContextClassRef: ac}
	add := func(name string, values ...string) {
		a := saml.Attribute{Name: name, NameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}
		for _, v := range values {
			a.Values = append(a.Values, saml.AttributeValue{Type: "xs:string", Value: v})
		}
		s.CustomAttributes = append(s.CustomAttributes, a)
	}
	add("https://data.gov.dk/model/core/specVersion", "OIO-SAML-3.0")
	if u.FirstName != "" {
		add("https://data.gov.dk/model/core/eid/firstName", u.FirstName)
	}
	if u.LastName != "" {
		add("https://data.gov.dk/model/core/eid/lastName", u.LastName)
	}
	if u.Email != "" {
		add("https://data.gov.dk/model/core/eid/email", u.Email)
	}
	if len(u.Privileges) > 0 {
		add("https://data.gov.dk/model/core/eid/privilegesIntermediate", PrivilegeList("29189129", u.Privileges...))
	}
	for name, vs := range u.Attributes {
		add(name, vs...)
	}
	return s
}

// PrivilegeList is an OIO-BPP privilege list, base64-encoded, granting privileges within the
// organisation with CVR number cvr.
func PrivilegeList(cvr string, privileges ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	fmt.Fprintf(&b, `<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:%s">`, cvr)
	for _, pr := range privileges {
		b.WriteString("<Privilege>")
		_ = xml.EscapeText(&b, []byte(pr))
		b.WriteString("</Privilege>")
	}
	b.WriteString(`</PrivilegeGroup></bpp:PrivilegeList>`)
	return base64.StdEncoding.EncodeToString([]byte(b.String()))
}

// MakeAssertion implements saml.AssertionMaker: crewjam's own assertion, spoilt when asked.
func (p *IdP) MakeAssertion(req *saml.IdpAuthnRequest, s *saml.Session) error {
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, s); err != nil {
		return err
	}
	p.mu.Lock()
	tamper := p.tamper
	p.mu.Unlock()
	a := req.Assertion
	switch tamper {
	case Expired:
		past := time.Now().Add(-time.Hour)
		a.Conditions.NotBefore, a.Conditions.NotOnOrAfter = past.Add(-5*time.Minute), past
		for i := range a.Subject.SubjectConfirmations {
			if d := a.Subject.SubjectConfirmations[i].SubjectConfirmationData; d != nil {
				d.NotOnOrAfter = past
			}
		}
	case WrongAudience:
		a.Conditions.AudienceRestrictions = []saml.AudienceRestriction{{Audience: saml.Audience{Value: "https://andet-system.example/saml"}}}
	}
	return nil
}

// WriteResponse implements saml.ResponseWriter: the HTTP-POST form, its response spoilt when
// asked, and remembered for LastResponse.
func (p *IdP) WriteResponse(w http.ResponseWriter, req *saml.IdpAuthnRequest) error {
	p.mu.Lock()
	tamper := p.tamper
	p.tamper = 0
	p.mu.Unlock()
	if req.ResponseEl == nil {
		switch tamper {
		case WrongSigner:
			req.IDP = p.forger
		case Unsigned:
			req.AssertionEl = req.Assertion.Element()
		}
		if err := req.MakeResponse(); err != nil {
			return err
		}
		if tamper == Unsigned {
			for _, c := range req.ResponseEl.ChildElements() {
				if c.Tag == "Signature" {
					req.ResponseEl.RemoveChild(c)
				}
			}
		}
	}
	form, err := req.PostBinding()
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.last = url.Values{"SAMLResponse": {form.SAMLResponse}, "RelayState": {form.RelayState}}
	p.mu.Unlock()
	return req.WriteResponse(w)
}

func (p *IdP) loginPost(w http.ResponseWriter, r *http.Request) {
	username, back := r.PostFormValue("username"), r.PostFormValue("back")
	p.mu.Lock()
	_, ok := p.users[username]
	p.mu.Unlock()
	if !ok || !strings.HasPrefix(back, "/sso?") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, loginForm, "<p>Ukendt bruger</p>", html.EscapeString(back))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "samltest_user", Value: username, Path: "/", HttpOnly: true})
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// Login runs a whole login with hc (a client with a cookie jar that follows redirects) from
// startURL (the SP's login start) as username: the IdP's login form, then each
// auto-submitting form (the IdP's to the SP's ACS, and any the SP posts on to itself) as a
// browser would. It returns the last response; the caller closes its body.
func (p *IdP) Login(hc *http.Client, startURL, username string) (*http.Response, error) {
	res, err := hc.Get(startURL)
	if err != nil {
		return nil, err
	}
	_ = res.Body.Close()
	if !strings.HasPrefix(res.Request.URL.String(), p.URL+"/sso") {
		return nil, fmt.Errorf("login start ended at %s, not the IdP's login", res.Request.URL)
	}
	res, err = hc.PostForm(p.URL+"/login", url.Values{"username": {username}, "back": {res.Request.URL.RequestURI()}})
	if err != nil {
		return nil, err
	}
	return PostForms(hc, res)
}

// PostForms submits, as a browser's script would, the form of each page that posts a
// SAMLResponse on, and returns the first response that is not such a page.
func PostForms(hc *http.Client, res *http.Response) (*http.Response, error) {
	for range 5 {
		b, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if err != nil {
			return nil, err
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
		if err != nil {
			return nil, err
		}
		f := doc.Find(`form:has(input[name="SAMLResponse"])`).First()
		if f.Length() == 0 {
			res.Body = io.NopCloser(strings.NewReader(string(b)))
			return res, nil
		}
		action, _ := f.Attr("action")
		to, err := res.Request.URL.Parse(action)
		if err != nil {
			return nil, err
		}
		vals := url.Values{}
		f.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
			n, _ := s.Attr("name")
			v, _ := s.Attr("value")
			vals.Add(n, v)
		})
		if res, err = hc.PostForm(to.String(), vals); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("too many forms")
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("id-%x", b)
}
