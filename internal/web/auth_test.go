package web

import "testing"

// safeNext is the only guard between ?next= and a redirect after login: whatever it returns
// must be a path on this site as a browser reads it, and browsers strip tab, CR and LF from
// URLs and treat a backslash as a slash.
func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/borgere", "/borgere"},
		{"/borgere?side=2", "/borgere?side=2"},
		{"/borgere/12/plan?fane=maal&x=%2F%2Fy", "/borgere/12/plan?fane=maal&x=%2F%2Fy"},
		{"/moeder/3#dagsorden", "/moeder/3#dagsorden"},
		{"", "/"},
		{"borgere", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r/evil.example", "/"},
		{"/%09/evil.example", "/"},
		{"/%5Cevil.example", "/"},
		{"/%2F%2Fevil.example", "/"},
		{"/.//evil.example", "/"},
		{"/./%2F/evil.example", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/borgere\x00", "/"},
		{"/borgere\x7f", "/"},
		{"/borgere\u0085", "/"},
		{" /borgere", "/"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
