package apptest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Client is a browser-like HTTP client: cookie jar, follows redirects, parses HTML.
type Client struct {
	t    testing.TB
	base string
	http *http.Client
	// Header is added to every request (e.g. Sec-Fetch-Site for CSRF tests).
	Header http.Header
}

// Page is a response with its parsed document.
type Page struct {
	Status int
	Header http.Header
	URL    *url.URL
	Body   string
	Doc    *goquery.Document
}

// Text returns the trimmed text of the first element matching sel.
func (p *Page) Text(sel string) string { return strings.TrimSpace(p.Doc.Find(sel).First().Text()) }

// Has reports whether sel matches anything.
func (p *Page) Has(sel string) bool { return p.Doc.Find(sel).Length() > 0 }

// Value returns the value attribute of the first element matching sel.
func (p *Page) Value(sel string) string { v, _ := p.Doc.Find(sel).First().Attr("value"); return v }

// Client returns an anonymous client.
func (a *App) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: a.URL, http: &http.Client{Jar: jar}, Header: http.Header{}}
}

// Login returns a client logged in as username; it fails the test if login does not succeed.
func (a *App) Login(t testing.TB, username string) *Client {
	t.Helper()
	c := a.Client(t)
	p := c.Post("/login", url.Values{"username": {username}, "password": {Password}})
	if p.URL.Path == "/login" {
		t.Fatalf("login as %s failed: %d %s", username, p.Status, p.Text(".alert"))
	}
	return c
}

// For returns a client that shares c's cookies (its session) but reports failures to t: a
// fuzz target or subtest must not fail through the test that logged in.
func (c *Client) For(t testing.TB) *Client {
	d := *c
	d.t = t
	return &d
}

// NoRedirects makes the client stop at redirects (to assert 303s).
func (c *Client) NoRedirects() *Client {
	c.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Cookies returns the jar's cookies for the app.
func (c *Client) Cookies() []*http.Cookie {
	u, _ := url.Parse(c.base)
	return c.http.Jar.Cookies(u)
}

// Get fetches path.
func (c *Client) Get(path string) *Page {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// Post submits a form to path.
func (c *Client) Post(path string, form url.Values) *Page {
	c.t.Helper()
	return c.PostBody(path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// PostBody posts body of contentType to path (a multipart form, say).
func (c *Client) PostBody(path, contentType string, body io.Reader) *Page {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return c.do(req)
}

func (c *Client) do(req *http.Request) *Page {
	c.t.Helper()
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		c.t.Fatal(err)
	}
	return &Page{Status: resp.StatusCode, Header: resp.Header, URL: resp.Request.URL, Body: string(b), Doc: doc}
}

// HTTP is the client's own HTTP client (its cookie jar is the session), for a flow that
// leaves the app, such as a login at an identity provider.
func (c *Client) HTTP() *http.Client { return c.http }

// SetSessionCookie puts a session token into the jar (to replay a copied cookie).
func (c *Client) SetSessionCookie(token string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "helhed_session", Value: token, Path: "/"}})
}

// SetCookie puts a cookie for the app into the jar (to replay a token under another name).
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.base)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// Cookie returns the value of the jar's cookie name for the app, "" if none.
func (c *Client) Cookie(name string) string {
	for _, k := range c.Cookies() {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

// SignInCitizen returns a client signed in to the citizen area as the citizen with cpr,
// through the development sign-in (web.Config.CitizenDevSignIn); it fails the test if the
// sign-in does not reach the citizen's plan.
func (a *App) SignInCitizen(t testing.TB, cpr string) *Client {
	t.Helper()
	c := a.Client(t)
	p := c.Post("/mit/log-ind/demo", url.Values{"cpr": {cpr}, "assurance": {"betydelig"}})
	if p.URL.Path != "/mit" || p.Status != http.StatusOK {
		t.Fatalf("citizen sign-in: %d %s %s", p.Status, p.URL.Path, p.Text("h1"))
	}
	return c
}
