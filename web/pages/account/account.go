// Package account renders the pages where a logged-in user manages their own account.
package account

import "time"

// PasswordProps is the change-own-password form. Passwords are never echoed back, so besides
// the field errors there is nothing typed to keep.
type PasswordProps struct {
	Errors map[string]string
	// Forced says an administrator chose the current password: the user must choose their
	// own before they can do anything else, so the form has no way back.
	Forced bool
}

// FeedProps is the calendar feed's account page: whether a feed is in force, and the
// address of one just made (shown once: only its hash is kept).
type FeedProps struct {
	Active   bool
	Created  time.Time
	LastUsed *time.Time
	URL      string
}

// TOTPProps is the second-factor account page. Secret and QR are shown during enrolment only
// (they are kept in the session until a code confirms them, and never shown again).
type TOTPProps struct {
	SSOOnly, Enabled, Forced bool
	Secret, QR               string
	Errors                   map[string]string
}

// TOTPLoginProps is the second step of a password login.
type TOTPLoginProps struct {
	Error string
}
