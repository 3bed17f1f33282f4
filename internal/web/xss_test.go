package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

var payloads = []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:alert(1)`}

// Hostile text in every free-text field comes back escaped on every page that shows it.
func TestFreeTextIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	for i, p := range payloads {
		form := citizenForm("0" + strconv.Itoa(i+1) + "0190-2345")
		form.Set("first_name", p)
		form.Set("last_name", "X"+p)
		form.Set("address", p)
		form.Set("city", p)
		form.Set("caseworker", strconv.FormatInt(cw.ID, 10))
		page := c.Post("/borgere/ny", form)
		if page.Status != http.StatusOK {
			t.Fatalf("create with payload %q: %d %s", p, page.Status, page.Text(".form-error-message"))
		}
		base := page.URL.Path
		sc := screeningAnswers()
		sc.Set("cond_notes", p)
		page = c.Post(base+"/screeninger/ny", sc)
		screening := page.URL.Path
		c.Post(screening+"/vurdering", url.Values{"override_group": {"lav"}, "override_reason": {p + " begrundelse"}})
		c.Post(base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {p},
			"c_units": {strconv.FormatInt(app.Units[apptest.Health], 10)}})

		for _, path := range []string{base, screening, base + "/rediger", base + "/indsigt", "/borgere"} {
			body := c.Get(path).Body
			for _, raw := range []string{"<script>alert", "<img src=x", `href="javascript:`} {
				if strings.Contains(body, raw) {
					t.Errorf("payload %q appears unescaped (%q) on %s", p, raw, path)
				}
			}
		}
		// The search result page echoes the query.
		if body := c.Post("/borgere/soeg", url.Values{"q": {p}}).Body; strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("search echoes payload %q unescaped", p)
		}
	}
}
