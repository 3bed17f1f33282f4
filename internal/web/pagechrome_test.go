package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// Browsers fetch /favicon.ico by themselves: it is Helhed's icon, for anyone, and every page
// links it. A page that is not the board loads no htmx.
func TestFaviconAndPageScripts(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	ico := app.Client(t).Get("/favicon.ico")
	if ico.Status != http.StatusOK || ico.Header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(ico.Body, "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico: HTTP %d, %s", ico.Status, ico.Header.Get("Content-Type"))
	}
	for _, p := range []*apptest.Page{app.Client(t).Get("/login"), app.Login(t, "cw").Get("/borgere")} {
		if href, _ := p.Doc.Find(`link[rel="icon"]`).Attr("href"); !strings.Contains(href, "favicon") {
			t.Errorf("%s links no icon", p.URL.Path)
		}
		if strings.Contains(p.Body, "htmx") {
			t.Errorf("%s loads htmx, which only the board uses", p.URL.Path)
		}
	}
}
