package web_test

import (
	"bytes"
	mime "mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// Text the database cannot store (invalid UTF-8, NUL) and page numbers that are not page
// numbers are refused with the Danish 400 page, on /login as on every other route, before a
// handler runs: nothing is saved, nothing fails with 500.
func TestBadInputGivesDanish400(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	anon, cw := app.Client(t), app.Login(t, "cw")
	valid := citizenForm("020385-1233")
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range valid {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	for _, tc := range []struct {
		name string
		do   func() *apptest.Page
	}{
		{"invalid UTF-8 at login", func() *apptest.Page {
			return anon.Post("/login", url.Values{"username": {"cw\xff\xfe"}, "password": {apptest.Password}})
		}},
		{"NUL at login", func() *apptest.Page {
			return anon.Post("/login", url.Values{"username": {"cw\x00"}, "password": {apptest.Password}})
		}},
		{"invalid UTF-8 in a form", func() *apptest.Page { return cw.Post("/borgere/ny", with("first_name", "Ka\xc3ren")) }},
		{"NUL in a form", func() *apptest.Page { return cw.Post("/borgere/ny", with("last_name", "Teste\x00sen")) }},
		{"NUL in a field name", func() *apptest.Page { return cw.Post("/borgere/ny", with("x\x00", "y")) }},
		{"invalid UTF-8 in a query", func() *apptest.Page { return cw.Get("/katalog?q=%FF%FE") }},
		{"NUL in a query", func() *apptest.Page { return cw.Get("/borgere?sort=navn%00") }},
		{"overlong page number", func() *apptest.Page { return cw.Get("/borgere?side=9223372036854775807") }},
		{"page number beyond int64", func() *apptest.Page { return cw.Get("/borgere?side=99999999999999999999") }},
		{"page number that is no number", func() *apptest.Page { return cw.Get("/henvisninger?side=to") }},
		{"negative page number", func() *apptest.Page { return cw.Get("/katalog?side=-3") }},
		{"malformed query escape", func() *apptest.Page { return cw.Get("/katalog?q=%zz") }},
		{"version beyond the database's integers", func() *apptest.Page {
			return cw.Post("/borgere/1/rediger", with("version", "9223372036854775807"))
		}},
		{"malformed one-time form token", func() *apptest.Page { return cw.Post("/borgere/ny", with("form_token", "x\"<")) }},
		{"NUL in a multipart form", func() *apptest.Page { return multipart(t, anon, "/login", "username", "cw\x00", "") }},
		{"a file upload", func() *apptest.Page { return multipart(t, anon, "/login", "username", "cw", "bilag.pdf") }},
	} {
		p := tc.do()
		if p.Status != http.StatusBadRequest || p.Text("h1") != "Forespørgslen kan ikke bruges" {
			t.Errorf("%s: %d %q; want 400 with the Danish error page", tc.name, p.Status, p.Text("h1"))
		}
		if id := p.Header.Get("X-Request-Id"); id == "" || !strings.Contains(p.Body, id) {
			t.Errorf("%s: the 400 page does not show the request id", tc.name)
		}
	}
	if n := app.AuditCount(t, "citizen.create", 0); n != 0 {
		t.Fatalf("%d citizens created from refused forms", n)
	}
	// Ordinary input passes: Danish letters, an empty page number, a real one.
	if p := cw.Post("/borgere/ny", with("first_name", "Åse Ærø")); p.Status != http.StatusOK {
		t.Fatalf("valid form: %d", p.Status)
	}
	for _, path := range []string{"/borgere?side=", "/borgere?side=2", "/katalog?q=%C3%A6bler"} {
		if p := cw.Get(path); p.Status != http.StatusOK {
			t.Errorf("%s: %d; want 200", path, p.Status)
		}
	}
}

// multipart posts a multipart form with one field (and a file, when filename is set) as a
// browser would, and returns the page.
func multipart(t *testing.T, c *apptest.Client, path, name, value, filename string) *apptest.Page {
	t.Helper()
	var body bytes.Buffer
	mw := mime.NewWriter(&body)
	if err := mw.WriteField(name, value); err != nil {
		t.Fatal(err)
	}
	if filename != "" {
		fw, err := mw.CreateFormFile("bilag", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write([]byte("%PDF-1.4"))
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return c.PostBody(path, mw.FormDataContentType(), &body)
}

// FuzzPostRoutes posts one fuzzed value to every POST route (from chi.Walk, so a new route is
// covered unedited), as a logged-in caseworker with a citizen, a screening, a consent, a
// referral, a TFA and a plan: in every field of the forms that post to the route, or, for a
// route no page's form posts to, in the fields of the forms of the nearest path above it, or
// in every form field the app knows (the version aside).
// Whatever the value, the answer is never a 5xx: input is refused (400), rejected beside its
// field (422) or accepted. (Every field the app knows, sent to every route, made a long value
// megabytes per request, and one input took longer than the fuzzer waits for a worker.)
func FuzzPostRoutes(f *testing.F) {
	for _, v := range []string{"", "1", "\xff\xfe", "a\x00b", "9223372036854775807", "-1", "2026-02-30",
		strings.Repeat("æ", 5000), "<script>alert(1)</script>", "true", " 020385-1233 "} {
		f.Add(v)
	}
	app := apptest.New(f, web.Config{})
	fx := newFuzzFixture(f, app)
	all, byAction := fx.formFields(f)
	cw := app.Login(f, "cw")
	f.Fuzz(func(t *testing.T, v string) {
		c := cw.For(t).NoRedirects()
		for _, route := range fx.posts {
			if route == "/logout" {
				continue
			}
			path := fx.path(route)
			names := formFieldsFor(path, byAction, all)
			value := v
			if len(names) == len(all) && len(value) > maxEveryFieldValue {
				// Every field the app knows holds the value: a long one is cut, or the
				// request is megabytes (the route's own form's fields get it whole).
				value = value[:maxEveryFieldValue]
			}
			// The version (a number the server hands out) stays a plausible one, or every
			// non-numeric value would be refused before any handler reads the other fields.
			form := url.Values{"version": {"1"}}
			for _, n := range names {
				form.Set(n, value)
			}
			if p := c.Post(path, form); p.Status >= 500 {
				t.Errorf("POST %s with %q in every field: %d", route, v, p.Status)
			}
		}
	})
}

// maxEveryFieldValue bounds the fuzzed value FuzzPostRoutes puts in every field the app knows
// (about 200) for a route whose own form it has not found.
const maxEveryFieldValue = 512

// formFieldsFor is the field names to post to path: those of the forms that post to it, else
// those of the forms posting to the nearest path above it (a form the fixture's pages do not
// show, such as one for an object the caseworker may not see), else all.
func formFieldsFor(path string, byAction map[string][]string, all []string) []string {
	for p := path; p != "" && p != "/"; p = p[:strings.LastIndexByte(p, '/')] {
		if names, ok := byAction[p]; ok {
			return names
		}
	}
	return all
}
