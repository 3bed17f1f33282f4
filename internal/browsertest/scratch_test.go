package browsertest_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/web"
)

func TestScratch(t *testing.T) {
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	p := browsertest.Open(t, app.URL)
	p.Login("cw", apptest.Password)
	_ = chromedp.Void{}
	n := browsertest.Eval[[]string](p, `(async () => { const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}}); return [String(r.passes.length), String(r.incomplete.length), r.incomplete.map(i => i.id + ':' + i.nodes.length).join(','), r.passes.map(i=>i.id).join(',')]; })()`)
	t.Logf("%v", n)
}
