// Package layout renders Helhed's page chrome around a body component:
// Page (the normal DKFDS page with header, navigation and footer), Bare (the
// meeting-room board: large type, no chrome) and Print (plans, minimal
// chrome).
//
// Every layout loads css/dkfds.min.css and css/helhed.css from package static
// and links img/favicon.ico. Only Bare, the board, loads js/htmx.min.js and
// js/sse.min.js (the htmx SSE extension; enable it per element with
// hx-ext="sse"): the other pages are plain forms and links and need no script
// to work. Page, for a logged-in user, loads js/session.js, which opens the
// warning before the session ends (see Session). Scripts are deferred and carry the CSP nonce (Chrome.Nonce, or
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
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/web/components"
)

// User is the logged-in user shown in the header.
type User struct {
	Name, RoleLabel, UnitName string
	// SSOOnly: the user has no password (logs in through the identity provider), so the
	// header offers no "Skift adgangskode".
	SSOOnly bool
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
	// Session is when the session ends, for the warning before it does (logged-in pages).
	Session Session
	// Home is where the header's "Helhed" leads ("" is "/"; the citizen area's is /mit).
	Home string
}

// home is the header's "Helhed" link.
func (c Chrome) home() string {
	if c.Home != "" {
		return c.Home
	}
	return "/"
}

// Restore is what a user typed into a form that was posted after their session had ended.
// Page renders an alert and the values as JSON; js/restore.js puts them back into the page's
// form by field name (not the one-time form token), and the user sends the form again.
type Restore struct {
	ValuesJSON string // {"field": ["value", …], …}
	PostedAt   time.Time
}

// Session is when a logged-in page's session will end, for the warning Page shows shortly
// before it does (WCAG 2.2.1): a DKFDS modal dialog, opened by js/session.js, whose
// "Forbliv logget ind" POSTs to RenewURL. The zero value (logged out) shows no warning; so
// does a page without JavaScript, where nothing changes.
type Session struct {
	// Timeout is the idle timeout as configured, for the warning's text.
	Timeout time.Duration
	// Idle is how long after this page the session ends unless another request comes: the
	// idle timeout, less what the session store may take off it.
	Idle time.Duration
	// EndsAt is when the session ends however active it is (login + its lifetime). It is
	// given as a time, not as what is left of it, so that two pages of one session are alike
	// byte for byte (internal/web's TestMissingAndForeignCitizenLookAlike compares them); the
	// script compares it with the browser's clock, which is near enough for a warning that
	// comes minutes early.
	EndsAt time.Time
	// RenewURL answers a same-origin POST with 204 and moves the idle deadline on.
	RenewURL string
	// LoginURL is where "Log ind igen" leads once the session has ended ("" is the staff
	// login, /login; the citizen area has its own).
	LoginURL string
}

// loginURL is the session warning's "Log ind igen" address.
func (s Session) loginURL() string {
	if s.LoginURL != "" {
		return s.LoginURL
	}
	return "/login"
}

// warnBefore is how long before the end the warning comes: five minutes, or half of a
// shorter idle timeout.
func (s Session) warnBefore() time.Duration { return min(5*time.Minute, s.Idle/2) }

// seconds renders a duration as whole seconds, for the script.
func seconds(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

// idleText is the idle timeout in words: "30 minutter", "1 minut", "20 sekunder".
func idleText(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= 2*time.Minute:
		return strconv.Itoa(int(d.Round(time.Minute)/time.Minute)) + " minutter"
	case d >= time.Minute:
		return "1 minut"
	}
	return strconv.Itoa(int(d/time.Second)) + " sekunder"
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
