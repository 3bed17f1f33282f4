package components

import (
	"crypto/rand"
	"encoding/base64"
)

// FormTokenField is the name of a form's one-time token (FormToken).
const FormTokenField = "form_token"

// NewFormToken returns a fresh one-time token: 128 random bits, URL-safe base64 (22
// characters). It is not a secret and not signed: it only tells two sendings of the same
// rendered form apart from two forms, and the server keys it by the user who sends it.
func NewFormToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
