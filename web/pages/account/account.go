// Package account renders the pages where a logged-in user manages their own account.
package account

// PasswordProps is the change-own-password form. Passwords are never echoed back, so besides
// the field errors there is nothing typed to keep.
type PasswordProps struct {
	Errors map[string]string
	// Forced says an administrator chose the current password: the user must choose their
	// own before they can do anything else, so the form has no way back.
	Forced bool
}
