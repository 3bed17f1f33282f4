package password

import (
	_ "embed"
	"errors"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The length rule, in characters, counted after leading and trailing spaces are trimmed (the
// password itself is stored and verified exactly as typed).
const (
	MinLength = 12
	MaxLength = 200
)

// Why Check refuses a new password. The web layer words them in Danish beside the field.
var (
	ErrBlank       = errors.New("password: empty or only spaces")
	ErrTooShort    = errors.New("password: shorter than 12 characters")
	ErrTooLong     = errors.New("password: longer than 200 characters")
	ErrHasUsername = errors.New("password: contains the username")
	ErrRepetitive  = errors.New("password: one character or sequence repeated, or a run such as 123456…")
	ErrCommon      = errors.New("password: a common password")
)

// Check reports why username may not choose pw as a new password, or nil. It follows NIST
// SP 800-63B: a minimum length and a blocklist, no composition rules (any character counts,
// spaces included, and long passphrases are welcome). Refused are: fewer than MinLength
// characters once leading and trailing spaces are trimmed; more than MaxLength; the username
// or a part of it of four characters or more (a two-letter username such as "cw" would
// otherwise forbid ordinary words); one character or one sequence repeated ("aaaa…",
// "abcabc…") and runs ("123456789012", "abcdefghijkl"); and common passwords, whole or
// as the core left inside leading and trailing digits and symbols ("Password1234!"). Case
// never matters to the comparisons.
func Check(pw, username string) error {
	if utf8.RuneCountInString(pw) > MaxLength {
		return ErrTooLong
	}
	t := strings.TrimSpace(pw)
	switch n := utf8.RuneCountInString(t); {
	case n == 0:
		return ErrBlank
	case n < MinLength:
		return ErrTooShort
	}
	lower := strings.ToLower(t)
	for _, part := range usernameParts(username) {
		if strings.Contains(lower, part) {
			return ErrHasUsername
		}
	}
	if repeated(lower) || run(lower) {
		return ErrRepetitive
	}
	list := common()
	if _, ok := list[lower]; ok {
		return ErrCommon
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if _, ok := list[core]; ok {
		return ErrCommon
	}
	return nil
}

// usernameParts are the username and its parts between dots, dashes and underscores, each of
// at least four characters, lower-cased.
func usernameParts(username string) []string {
	username = strings.ToLower(strings.TrimSpace(username))
	var parts []string
	for _, p := range append(strings.FieldsFunc(username, func(r rune) bool { return r == '.' || r == '-' || r == '_' }), username) {
		if utf8.RuneCountInString(p) >= 4 {
			parts = append(parts, p)
		}
	}
	return parts
}

// repeated reports whether s is one shorter sequence over and over, the last time perhaps
// cut short ("aaaa", "abcabcab").
func repeated(s string) bool {
	r := []rune(s)
	for p := 1; p <= len(r)/2; p++ {
		if slices.Equal(r[p:], r[:len(r)-p]) {
			return true
		}
	}
	return false
}

// run reports whether every character of s is the one after (or every one the one before)
// the character before it, digits wrapping around: "123456789012", "lkjihgfedcba".
func run(s string) bool {
	r := []rune(s)
	next := func(a, b rune, step rune) bool {
		if a >= '0' && a <= '9' && b >= '0' && b <= '9' {
			return b-'0' == (a-'0'+10+step)%10
		}
		return b == a+step
	}
	for _, step := range []rune{1, -1} {
		ok := true
		for i := 1; i < len(r) && ok; i++ {
			ok = next(r[i-1], r[i], step)
		}
		if ok {
			return true
		}
	}
	return false
}

//go:embed common.txt
var commonText string

// common is the embedded list of common passwords as a set, read once on first use.
var common = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 4096)
	for line := range strings.Lines(commonText) {
		line = strings.ToLower(strings.TrimSpace(line))
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
})
