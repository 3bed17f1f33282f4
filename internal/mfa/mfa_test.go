package mfa

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestVerifyAtWindowBoundaries: with a fake clock, a code is accepted in its own 30-second
// step and one step either side, not two; at the last second of a step and the first of the
// next the neighbours shift; a code is accepted once (not again, nor an older one after it).
func TestVerifyAtWindowBoundaries(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	base := time.Unix(59_999_970, 0) // a step boundary: 1 999 999 × 30
	if base.Unix()%Period != 0 {
		t.Fatal("base is not a step boundary")
	}
	codeAt := func(step int64) string { return Code(secret, time.Unix(step*Period, 0)) }
	s0 := Step(base)
	for _, tc := range []struct {
		name string
		now  time.Time
		step int64 // the step whose code is typed
		ok   bool
	}{
		{"own step, first second", base, s0, true},
		{"own step, last second", base.Add(29 * time.Second), s0, true},
		{"previous step", base, s0 - 1, true},
		{"next step (phone ahead)", base, s0 + 1, true},
		{"two steps old", base, s0 - 2, false},
		{"two steps ahead", base, s0 + 2, false},
		{"last second of a step: the step after next is too far", base.Add(29 * time.Second), s0 + 2, false},
		{"first second of the next step: the old step is still one back", base.Add(30 * time.Second), s0, true},
		{"first second of the next step: two back is gone", base.Add(30 * time.Second), s0 - 1, false},
		{"90 s later: the code is gone", base.Add(90 * time.Second), s0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := Verify(secret, codeAt(tc.step), tc.now, 0)
			if ok != tc.ok || ok && step != tc.step {
				t.Errorf("Verify = step %d, %v; want step %d, %v", step, ok, tc.step, tc.ok)
			}
		})
	}
	// Once used, the same code and older ones are refused; the next step's code is not.
	if _, ok := Verify(secret, codeAt(s0), base, s0); ok {
		t.Error("a code accepted twice")
	}
	if _, ok := Verify(secret, codeAt(s0-1), base, s0); ok {
		t.Error("an older code accepted after a newer one")
	}
	if _, ok := Verify(secret, codeAt(s0+1), base.Add(30*time.Second), s0); !ok {
		t.Error("the next code refused")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", codeAt(s0) + "0"} {
		if _, ok := Verify(secret, bad, base, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, ok := Verify(secret, codeAt(s0)[:3]+" "+codeAt(s0)[3:], base, 0); !ok {
		t.Error("a code typed with a space refused")
	}
}

func TestEnrolAndSeal(t *testing.T) {
	e, err := Enrol("Helhed", "anna")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Secret) != 32 || !strings.HasPrefix(e.URL, "otpauth://totp/Helhed:anna?") || !strings.HasPrefix(e.QR, "data:image/png;base64,") {
		t.Errorf("enrolment %+v", e)
	}
	key := bytes.Repeat([]byte{7}, 32)
	sealed, err := Seal(key, e.Secret)
	if err != nil || strings.Contains(sealed, e.Secret) {
		t.Fatalf("sealed %q %v", sealed, err)
	}
	if got, err := Open(key, sealed); err != nil || got != e.Secret {
		t.Errorf("Open = %q %v", got, err)
	}
	if _, err := Open(bytes.Repeat([]byte{8}, 32), sealed); err == nil {
		t.Error("opened with another key")
	}
	if _, err := Open(nil, sealed); err == nil {
		t.Error("opened without a key")
	}
	for _, k := range []string{"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", strings.Repeat("07", 32)} {
		if b, err := ParseKey(k); err != nil || !bytes.Equal(b, key) {
			t.Errorf("ParseKey(%q) = %x %v", k, b, err)
		}
	}
	if _, err := ParseKey("kort"); err == nil {
		t.Error("a short key accepted")
	}
}
