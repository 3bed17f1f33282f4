package format

import (
	"testing"
	"time"
)

func d(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

func TestSince(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"2025-03-03", "2025-03-04", "1 dag"},
		{"2025-03-03", "2025-03-20", "17 dage"},
		{"2025-03-03", "2025-06-03", "3 mdr."},
		{"2025-03-03", "2026-03-03", "1 år"},
		{"2025-03-03", "2026-05-02", "1 år og 1 mdr."},
	} {
		if got := Since(d(tc.from), d(tc.to)); got != tc.want {
			t.Errorf("Since(%s, %s) = %q; want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestDateAndInt(t *testing.T) {
	if got := Date(d("2025-03-03")); got != "3. marts 2025" {
		t.Errorf("Date = %q", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1.000", 1234567: "1.234.567", -4500: "-4.500"} {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q; want %q", n, got, want)
		}
	}
}
