// Package layout renders Helhed's page chrome around a body component:
// Page (the normal DKFDS page with header, navigation and footer), Bare (the
// meeting-room board: large type, no chrome) and Print (plans, minimal
// chrome).
//
// Every layout loads css/dkfds.min.css and css/helhed.css from package static
// and links img/favicon.ico. Only Bare, the board, loads js/htmx.min.js and
// js/sse.min.js (the htmx SSE extension; enable it per element with
// hx-ext="sse"): the other pages are plain forms and links and need no script
// to work. Scripts are deferred and carry the CSP nonce (Chrome.Nonce, or
// templ.GetNonce(ctx) when that is empty).
//
// htmx is configured through <meta name="htmx-config"> (see HTMXConfig) for
// a strict CSP: it injects no inline <style>, never evaluates code
// (allowEval:false, so no hx-on*, no "js:" in hx-vals/hx-headers, no
// hx-trigger [filters]), does not run <script> in swapped content, and keeps
// no copy of pages in sessionStorage (historyCacheSize:0; pages hold personal
// data), reloading from the server on back/forward instead.
//
// Everything works without JavaScript: the logout button is a POST form, and
// the navigation and user menu stay visible at every width (we do not use the
// DKFDS JS mobile drawer).
package layout

import (
	"context"
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/web/components"
)

// User is the logged-in user shown in the header.
type User struct {
	Name, RoleLabel, UnitName string
}

// NavItem is one entry in the primary navigation. Badge > 0 shows a count of new items next
// to the label (e.g. new referrals in the inbox), read out as "N nye".
type NavItem struct {
	Label, Href string
	Active      bool
	Badge       int
}

// Flash is a one-off message shown at the top of the page: Kind is
// "success", "error" or "info" ("warning" also works). It is the same type
// as components.Flash.
type Flash = components.Flash

// Chrome is what the layouts need besides the body.
type Chrome struct {
	Title     string // page title; rendered as "<Title> – Helhed"
	User      *User  // nil when logged out (login page, error pages)
	Nav       []NavItem
	Flash     Flash
	Nonce     string // CSP nonce for script tags; "" falls back to templ.GetNonce(ctx)
	RequestID string // rendered as <meta name="request-id">
	// Restore is a form posted after the session ended, to put back into this page's form.
	Restore *Restore
}

// Restore is what a user typed into a form that was posted after their session had ended.
// Page renders an alert and the values as JSON; js/restore.js puts them back into the page's
// form by field name (not the one-time form token), and the user sends the form again.
type Restore struct {
	ValuesJSON string // {"field": ["value", …], …}
	PostedAt   time.Time
}

// HTMXConfig is the content of <meta name="htmx-config">.
const HTMXConfig = `{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,"refreshOnHistoryMiss":true,"selfRequestsOnly":true}`

// FullTitle is the <title> for a page title: "<title> – Helhed", or just
// "Helhed".
func FullTitle(title string) string {
	if title == "" {
		return "Helhed"
	}
	return title + " – Helhed"
}

func nonce(ctx context.Context, c Chrome) string {
	if c.Nonce != "" {
		return c.Nonce
	}
	return templ.GetNonce(ctx)
}

func userLine(u *User) string {
	s := u.Name
	if u.RoleLabel != "" {
		if s != "" {
			s += ", "
		}
		s += u.RoleLabel
	}
	return s
}

// printedBy is "Name, Role, Unit" for the print header.
func printedBy(u *User) string {
	s := userLine(u)
	if u.UnitName != "" {
		if s != "" {
			s += ", "
		}
		s += u.UnitName
	}
	return s
}

func navClass(it NavItem) string {
	if it.Active {
		return "active current"
	}
	return ""
}
