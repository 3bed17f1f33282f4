package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"testing"
)

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

// The client address counted by the per-address login limit: the proxy's headers are
// believed only from a trusted proxy, and then only the rightmost address that no trusted
// proxy put there (a client may write anything to the left).
func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		realIP  string
		want    string
	}{
		{"no proxies trusted: headers ignored", nil, "10.0.0.1:4000", []string{"203.0.113.7"}, "203.0.113.8", "10.0.0.1"},
		{"untrusted peer: headers ignored", trusted, "198.51.100.1:4000", []string{"203.0.113.7"}, "203.0.113.8", "198.51.100.1"},
		{"trusted proxy", trusted, "10.0.0.1:4000", []string{"203.0.113.7"}, "", "203.0.113.7"},
		{"spoofed left part", trusted, "10.0.0.1:4000", []string{"6.6.6.6, 203.0.113.7"}, "", "203.0.113.7"},
		{"two proxies", trusted, "10.0.0.1:4000", []string{"203.0.113.7, 10.0.0.2"}, "", "203.0.113.7"},
		{"header repeated", trusted, "10.0.0.1:4000", []string{"6.6.6.6", "203.0.113.7"}, "", "203.0.113.7"},
		{"garbage left of the client", trusted, "10.0.0.1:4000", []string{"nonsense, 203.0.113.7"}, "", "203.0.113.7"},
		{"garbage from the proxy", trusted, "10.0.0.1:4000", []string{"203.0.113.7, nonsense"}, "", "10.0.0.1"},
		{"only proxies", trusted, "10.0.0.1:4000", []string{"10.0.0.3, 10.0.0.2"}, "", "10.0.0.3"},
		{"port in the header", trusted, "10.0.0.1:4000", []string{"203.0.113.7:5555"}, "", "203.0.113.7"},
		{"IPv6 in the header", trusted, "10.0.0.1:4000", []string{"[2001:db8::5]:80"}, "", "2001:db8::5"},
		{"X-Real-IP without X-Forwarded-For", trusted, "10.0.0.1:4000", nil, "203.0.113.8", "203.0.113.8"},
		{"X-Forwarded-For wins over X-Real-IP", trusted, "10.0.0.1:4000", []string{"203.0.113.7"}, "203.0.113.8", "203.0.113.7"},
		{"X-Real-IP garbage", trusted, "10.0.0.1:4000", nil, "nonsense", "10.0.0.1"},
		{"IPv6 proxy", trusted, "[::1]:4000", []string{"2001:db8::2"}, "", "2001:db8::2"},
		{"IPv4-mapped proxy", trusted, "[::ffff:10.0.0.1]:4000", []string{"203.0.113.7"}, "", "203.0.113.7"},
		{"direct IPv6 client", trusted, "[2001:db8::9]:4000", nil, "", "2001:db8::9"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/login", nil)
		r.RemoteAddr = tc.remote
		for _, v := range tc.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if tc.realIP != "" {
			r.Header.Set("X-Real-IP", tc.realIP)
		}
		if got := clientIP(r, tc.trusted); got != tc.want {
			t.Errorf("%s: clientIP = %q; want %q", tc.name, got, tc.want)
		}
	}
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.1, 192.168.0.0/16 ,::1,")
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32"), netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("::1/128")}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("ParseTrustedProxies = %v, %v; want %v", got, err, want)
	}
	if got, err := ParseTrustedProxies(""); err != nil || got != nil {
		t.Fatalf("empty: %v, %v; want none", got, err)
	}
	for _, bad := range []string{"proxy.example", "10.0.0.1/33", "10.0.0.0/8/8", "10.0.0.1:80"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("ParseTrustedProxies(%q) accepted it", bad)
		}
	}
}
