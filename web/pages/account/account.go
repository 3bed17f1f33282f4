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
