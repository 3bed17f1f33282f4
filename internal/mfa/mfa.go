// Package mfa is the second factor of local accounts: TOTP (RFC 6238, 30-second steps, six
// digits, SHA-1 as every authenticator app supports) through github.com/pquerna/otp, each
// code accepted once, and the secrets sealed with AES-GCM before they are stored.
package mfa

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Period is the length of a TOTP step; Skew how many steps either side of now are accepted
// (a phone's clock a little off, a code typed as it changes).
const (
	Period = 30
	Skew   = 1
)

var opts = totp.ValidateOpts{Period: Period, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is a new secret with what the person scans or types into their app.
type Enrolment struct {
	// Secret is the base32 secret (shown once, for typing in by hand).
	Secret string
	// URL is the otpauth:// URL the QR code holds.
	URL string
	// QR is the QR code as a PNG data URL, generated here (no third party sees the secret).
	QR string
}

// Enrol makes a new 160-bit secret for account at issuer.
func Enrol(issuer, account string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: Period, SecretSize: 20,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return Enrolment{}, err
	}
	return FromURL(key.URL())
}

// Step is the TOTP step at t.
func Step(t time.Time) int64 { return t.Unix() / Period }

// Verify checks code against secret at now, Skew steps either side. It returns the step the
// code belongs to; a code whose step is not after lastUsed (the step of the last code
// accepted) is refused, so each code works once.
func Verify(secret, code string, now time.Time, lastUsed int64) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != 6 {
		return 0, false
	}
	cur := Step(now)
	for s := cur - Skew; s <= cur+Skew; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*Period, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, s > lastUsed
		}
	}
	return 0, false
}

// Code is the code for secret at t (tests; the demo).
func Code(secret string, t time.Time) string {
	c, _ := totp.GenerateCodeCustom(secret, t, opts)
	return c
}

// Sealing. A sealed secret is "v1:" + base64(nonce || AES-256-GCM(secret)); with no key it is
// "v0:" + the secret (development only: docs/operations.md says to set TOTP_KEY).

// Seal seals secret with key (32 bytes, or nil).
func Seal(key []byte, secret string) (string, error) {
	if key == nil {
		return "v0:" + secret, nil
	}
	gcm, err := newGCM(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return "v1:" + base64.StdEncoding.EncodeToString(gcm.Seal(nonce, nonce, []byte(secret), []byte("helhed-totp"))), nil
}

// Open returns the secret sealed in sealed.
func Open(key []byte, sealed string) (string, error) {
	switch {
	case strings.HasPrefix(sealed, "v0:"):
		return strings.TrimPrefix(sealed, "v0:"), nil
	case strings.HasPrefix(sealed, "v1:"):
		if key == nil {
			return "", errors.New("mfa: the TOTP secret is sealed but TOTP_KEY is not set")
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
		if err != nil {
			return "", err
		}
		gcm, err := newGCM(key)
		if err != nil {
			return "", err
		}
		if len(raw) < gcm.NonceSize() {
			return "", errors.New("mfa: sealed secret too short")
		}
		plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte("helhed-totp"))
		if err != nil {
			return "", errors.New("mfa: the TOTP secret cannot be opened with TOTP_KEY")
		}
		return string(plain), nil
	}
	return "", errors.New("mfa: unknown sealed secret")
}

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("mfa: TOTP_KEY must be 32 bytes, not %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// ParseKey reads TOTP_KEY: 32 bytes, base64 (standard or URL) or hex. Empty is no key.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, dec := range []func(string) ([]byte, error){base64.StdEncoding.DecodeString, base64.RawStdEncoding.DecodeString,
		base64.URLEncoding.DecodeString, base64.RawURLEncoding.DecodeString, hex.DecodeString} {
		if b, err := dec(s); err == nil && len(b) == 32 {
			return b, nil
		}
	}
	return nil, errors.New("TOTP_KEY must be 32 random bytes, base64 or hex (e.g. `openssl rand -base64 32`)")
}

// FromURL is the enrolment of an otpauth:// URL made by Enrol (kept while it is confirmed).
func FromURL(u string) (Enrolment, error) {
	key, err := otp.NewKeyFromURL(u)
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(),
		QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())}, nil
}
