package password

import (
	"errors"
	"strings"
	"testing"
)

// NIST SP 800-63B style: length and a blocklist, no composition rules; the password is
// checked as typed, trimmed only for counting.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		pw, username string
		want         error
	}{
		// Accepted: long enough, any characters, passphrases welcome.
		{"korrekt hest batteri", "jdoe", nil},
		{"æøå ☺ 🙂 æøå ☺ 🙂", "jdoe", nil},
		{"Tre-små-grise-på-cykel", "jdoe", nil},
		{"x9#Lq2!vR7$m", "jdoe", nil},
		{"  korrekt hest batteri  ", "jdoe", nil},
		{strings.Repeat("a1", 100), "jdoe", ErrRepetitive}, // 200 characters, but a repeated pair
		{"cw-er-en-god-kollega", "cw", nil},                // a two-letter username is not searched for

		// Length, counted after trimming leading and trailing spaces.
		{"", "jdoe", ErrBlank},
		{strings.Repeat(" ", 12), "jdoe", ErrBlank},
		{"\t\n  \u00a0 \t  \u3000   ", "jdoe", ErrBlank},
		{"elleve-tegn", "jdoe", ErrTooShort},
		{"   elleve-tegn   ", "jdoe", ErrTooShort},
		{strings.Repeat("æ", 11), "jdoe", ErrTooShort},
		{strings.Repeat("x7", 100) + "y", "jdoe", ErrTooLong},

		// One character or one short sequence over and over, and runs.
		{"aaaaaaaaaaaa", "jdoe", ErrRepetitive},
		{"AAAAAAaaaaaa", "jdoe", ErrRepetitive},
		{"111111111111", "jdoe", ErrRepetitive},
		{"abcabcabcabc", "jdoe", ErrRepetitive},
		{"hejhejhejhej", "jdoe", ErrRepetitive},
		{"abcdabcdabcda", "jdoe", ErrRepetitive},
		{strings.Repeat("æøå ☺ 🙂 ", 8), "jdoe", ErrRepetitive},
		{"123456789012", "jdoe", ErrRepetitive},
		{"987654321098", "jdoe", ErrRepetitive},
		{"abcdefghijklm", "jdoe", ErrRepetitive},

		// The username, in any case, or a part of it of four letters or more.
		{"jdoe-jdoe-jdoe-1", "jdoe", ErrHasUsername},
		{"MinJDoeAdgangskode", "jdoe", ErrHasUsername},
		{"hansen-er-sejest-2024", "jens.hansen", ErrHasUsername},
		{"ny.bruger.2024!", "ny.bruger", ErrHasUsername},

		// Common passwords, whole or as the core of digits and symbols around them.
		{"password1234", "jdoe", ErrCommon},
		{"Password1234!", "jdoe", ErrCommon},
		{"PASSWORD123456", "jdoe", ErrCommon},
		{"1234Liverpool!!", "jdoe", ErrCommon},
		{"Sommer2025!!!", "jdoe", ErrCommon},
		{"adgangskode123", "jdoe", ErrCommon},
		{"Helhed2026!!", "jdoe", ErrCommon},
		{"qwertyuiop123", "jdoe", ErrCommon},
		{"1qaz2wsx3edc", "jdoe", ErrCommon},
		{"qwertyuiopå", "jdoe", ErrTooShort},
		{"qwertyuiopåasd", "jdoe", nil}, // not on the list; long enough
	} {
		if got := Check(tc.pw, tc.username); !errors.Is(got, tc.want) {
			t.Errorf("Check(%q, %q) = %v; want %v", tc.pw, tc.username, got, tc.want)
		}
	}
}

// The embedded list is loaded, lower-case, without comments or blanks.
func TestCommonList(t *testing.T) {
	list := common()
	if len(list) < 3000 {
		t.Fatalf("%d common passwords loaded; want a few thousand", len(list))
	}
	for _, pw := range []string{"password", "123456", "iloveyou", "adgangskode", "helhed", "sommerfugl"} {
		if _, ok := list[pw]; !ok {
			t.Errorf("%q is not on the list", pw)
		}
	}
	for pw := range list {
		if pw == "" || strings.HasPrefix(pw, "#") || pw != strings.ToLower(pw) || strings.TrimSpace(pw) != pw {
			t.Errorf("bad list entry %q", pw)
		}
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("korrekt hest batteri", "jdoe")
	f.Add("   ", "")
	f.Add("ab", "ab")
	f.Fuzz(func(t *testing.T, pw, username string) {
		_ = Check(pw, username) // must never panic, whatever is typed
	})
}
