// Package auth renders the login page body.
package auth

// LoginProps configures Login. Username is echoed back after a failed
// attempt; the password never is. Next is the local path to return to after
// login (the handler must check that it is a local path before redirecting).
type LoginProps struct {
	Username, Error string
	Next            string
}
