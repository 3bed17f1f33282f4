package layout

import (
	"bytes"
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/web/static"
)

func render(t *testing.T, ctx context.Context, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func mustContain(t *testing.T, out string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(out, p) {
			t.Errorf("missing %q", p)
		}
	}
}

var body = templ.Raw(`<h1>Borgere</h1>`)

func TestPage(t *testing.T) {
	c := Chrome{
		Title:     "Borgere",
		User:      &User{Name: "Jens Hansen", RoleLabel: "Sagsbehandler", UnitName: "Familieafdelingen"},
		Nav:       []NavItem{{Label: "Forside", Href: "/"}, {Label: "Borgere", Href: "/borgere", Active: true}},
		Flash:     Flash{Kind: "success", Message: "Ændringerne er gemt."},
		Nonce:     "n0nce",
		RequestID: "req-42",
	}
	out := render(t, context.Background(), Page(c, body))
	mustContain(t, out,
		"<!doctype html>", `<html lang="da">`,
		"<title>Borgere – Helhed</title>",
		`<a class="skipnav" href="#indhold">Gå til indhold</a>`,
		`<main id="indhold"`, "<h1>Borgere</h1>",
		"Jens Hansen, Sagsbehandler", "Familieafdelingen",
		`<a class="function-link" href="/konto/adgangskode">Skift adgangskode</a>`,
		`<form method="post" action="/logout"`, "Log af",
		`aria-label="Hovedmenu"`,
		`<a href="/borgere" class="nav-link" aria-current="page">`,
		`class="alert alert-success" role="status"`, "Ændringerne er gemt.",
		`<meta name="request-id" content="req-42">`,
		`<link rel="stylesheet" href="`+static.Path("css/dkfds.min.css")+`">`,
		`<link rel="stylesheet" href="`+static.Path("css/helhed.css")+`">`,
		`<link rel="icon" href="`+static.Path("img/favicon.ico")+`">`,
		"<footer>",
	)
	for _, s := range []string{"htmx", "sse.min.js"} { // only the board uses htmx
		if strings.Contains(out, s) {
			t.Errorf("page loads %q", s)
		}
	}
	if strings.Count(out, `aria-current="page"`) != 1 {
		t.Error("aria-current on more than one nav item")
	}
	if strings.Contains(out, "style=") {
		t.Error("inline style attribute (CSP forbids)")
	}
}

func TestPageLoggedOut(t *testing.T) {
	ctx := templ.WithNonce(context.Background(), "ctxnonce")
	out := render(t, ctx, Page(Chrome{Title: "Log ind"}, body))
	mustContain(t, out, "<title>Log ind – Helhed</title>", "Helhed")
	for _, s := range []string{"/logout", "Hovedmenu", "alert", "request-id"} {
		if strings.Contains(out, s) {
			t.Errorf("logged-out page contains %q", s)
		}
	}
	out = render(t, context.Background(), Page(Chrome{}, body))
	mustContain(t, out, "<title>Helhed</title>")
}

func TestBare(t *testing.T) {
	out := render(t, context.Background(), Bare(Chrome{Title: "Tavle", Nonce: "n0nce"}, body))
	mustContain(t, out, `<html lang="da" class="board">`, `<body class="board">`, "<title>Tavle – Helhed</title>",
		static.Path("css/helhed.css"), "<h1>Borgere</h1>",
		`<script src="`+static.Path("js/htmx.min.js")+`" defer nonce="n0nce"></script>`,
		`<script src="`+static.Path("js/sse.min.js")+`" defer nonce="n0nce"></script>`)
	mustContain(t, html.UnescapeString(out), `<meta name="htmx-config" content="{"includeIndicatorStyles":false,"allowEval":false,`)
	// The nonce comes from the context when Chrome has none, and none is rendered empty.
	out = render(t, templ.WithNonce(context.Background(), "ctxnonce"), Bare(Chrome{}, body))
	mustContain(t, out, `nonce="ctxnonce"`)
	if out = render(t, context.Background(), Bare(Chrome{}, body)); strings.Contains(out, "nonce=") {
		t.Error("empty nonce rendered")
	}
	for _, s := range []string{"<header", "<nav", "<footer", "skipnav"} {
		if strings.Contains(out, s) {
			t.Errorf("board contains %q", s)
		}
	}
}

func TestPrint(t *testing.T) {
	out := render(t, context.Background(), Print(Chrome{Title: "Handleplan", User: &User{Name: "Jens", RoleLabel: "Sagsbehandler", UnitName: "Familie"}}, body))
	mustContain(t, out, `<body class="print-page">`, "<title>Handleplan – Helhed</title>", "Helhed</strong> · Jens, Sagsbehandler, Familie</p>", "<h1>Borgere</h1>")
	for _, s := range []string{"<nav", "/logout", "<footer"} {
		if strings.Contains(out, s) {
			t.Errorf("print page contains %q", s)
		}
	}
}

// A logged-in page carries the warning before its session ends, closed, with the times the
// script needs; a page without a session, the board and the print layout do not.
func TestPageSessionWarning(t *testing.T) {
	s := Session{Timeout: 30 * time.Minute, Idle: 29 * time.Minute, EndsAt: time.Unix(1796000000, 0), RenewURL: "/session/forny"}
	out := render(t, context.Background(), Page(Chrome{Title: "Borgere", User: &User{Name: "Jens"}, Session: s, Nonce: "n"}, body))
	mustContain(t, out, `<dialog id="session-warning" class="fds-modal session-warning"`,
		`data-idle="1740" data-ends-at="1796000000" data-warn="300" data-renew="/session/forny"`,
		"når du ikke har gemt eller åbnet en side i 30 minutter.", ">Forbliv logget ind</button>", "Log ind igen",
		`<script src="`+static.Path("js/session.js")+`" defer nonce="n"></script>`)
	if strings.Contains(out, "<dialog id=\"session-warning\" open") {
		t.Error("the warning is open without the script")
	}
	for _, out := range []string{
		render(t, context.Background(), Page(Chrome{Title: "Log ind"}, body)),
		render(t, context.Background(), Bare(Chrome{Title: "Tavle", Session: s}, body)),
		render(t, context.Background(), Print(Chrome{Title: "Plan", Session: s}, body)),
	} {
		if strings.Contains(out, "session-warning") || strings.Contains(out, "session.js") {
			t.Errorf("warning on a page without it:\n%s", out)
		}
	}
}

func TestIdleText(t *testing.T) {
	for d, want := range map[time.Duration]string{29 * time.Minute: "29 minutter", 90 * time.Second: "1 minut",
		18 * time.Second: "18 sekunder", 30*time.Minute - 3*time.Second: "30 minutter"} {
		if got := idleText(d); got != want {
			t.Errorf("idleText(%v) = %q; want %q", d, got, want)
		}
	}
}
