// Package auth renders the login page body.
package auth

import "net/url"

// LoginProps configures Login. Username is echoed back after a failed
// attempt; the password never is. Next is the local path to return to after
// login (the handler must check that it is a local path before redirecting).
//
// SSO shows the button that logs in through the municipality's identity provider (only when
// one is configured); local passwords stay for the break-glass administrator and the demo.
type LoginProps struct {
	Username, Error string
	Next            string
	SSO             bool
	// SSOPath is where the button starts the login (default /login/sso).
	SSOPath string
}

// ssoHref starts a login at the identity provider, returning to next afterwards.
func ssoHref(start, next string) string {
	if start == "" {
		start = "/login/sso"
	}
	if next == "" || next == "/" {
		return start
	}
	return start + "?next=" + url.QueryEscape(next)
}
