package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// A citizen outside one's remit and a citizen id that does not exist get the same answer on
// every citizen route (status and page, apart from the request id and the CSP nonce), so ids
// cannot be probed for existence. The refusal is still audited.
func TestMissingAndForeignCitizenLookAlike(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "nabo", access.RoleCaseworker, apptest.Jobcenter2)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	foreign := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	missing := foreign + 1000

	var routes []string
	if err := chi.Walk(app.Server.Handler(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if strings.HasPrefix(route, "/borgere/{id}") && (method == http.MethodGet || method == http.MethodPost) {
			routes = append(routes, method+" "+route)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(routes) < 30 {
		t.Fatalf("walked only %d citizen routes", len(routes))
	}
	children := regexp.MustCompile(`\{[a-z]+\}`)
	for _, user := range []string{"nabo", "sund"} {
		c := app.Login(t, user).NoRedirects()
		before := app.AuditCount(t, store.AuditCitizenDenied, foreign)
		for _, route := range routes {
			method, pattern, _ := strings.Cut(route, " ")
			fetch := func(id int64) *apptest.Page {
				path := children.ReplaceAllString(strings.Replace(pattern, "{id}", strconv.FormatInt(id, 10), 1), "1")
				if method == http.MethodGet {
					return c.Get(path)
				}
				return c.Post(path, url.Values{})
			}
			a, b := fetch(foreign), fetch(missing)
			if a.Status != http.StatusNotFound || b.Status != http.StatusNotFound {
				t.Errorf("%s as %s: %d for a citizen outside the remit, %d for a missing one; want 404 for both", route, user, a.Status, b.Status)
				continue
			}
			if x, y := comparable(a), comparable(b); x != y {
				t.Errorf("%s as %s: the pages differ:\n%s\n----\n%s", route, user, x, y)
			}
		}
		if after := app.AuditCount(t, store.AuditCitizenDenied, foreign); after-before < len(routes) {
			t.Errorf("%s: %d refusals audited for %d routes", user, after-before, len(routes))
		}
	}
}

var nonceAttr = regexp.MustCompile(`nonce="[^"]*"`)

// comparable is a page's body without what differs between any two responses: the request id
// and the CSP nonce.
func comparable(p *apptest.Page) string {
	return nonceAttr.ReplaceAllString(strings.ReplaceAll(p.Body, p.Header.Get("X-Request-Id"), "ID"), `nonce=""`)
}
