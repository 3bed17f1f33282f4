package errorpage

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func render(t *testing.T, p Props) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Body(p).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestBody(t *testing.T) {
	for _, tc := range []struct {
		p    Props
		want []string
		not  []string
	}{
		{Props{Status: 404}, []string{"<h1>Siden findes ikke</h1>", `href="/"`, "Gå til forsiden"}, []string{"fejl-id"}},
		{Props{Status: 403, RequestID: "r1"}, []string{"<h1>Du har ikke adgang</h1>", "r1"}, nil},
		{Props{Status: 500, RequestID: "abc-123"}, []string{"<h1>Der opstod en fejl</h1>", "Oplys fejl-id", "abc-123", "til support"}, nil},
		{Props{Status: 502}, []string{"<h1>Der opstod en fejl</h1>"}, nil},
		{Props{Status: 401}, []string{"<h1>Du skal logge ind</h1>", `href="/login"`}, nil},
		{Props{Status: 418, Title: "Egen titel", Message: "Egen <besked>"}, []string{"<h1>Egen titel</h1>", "Egen &lt;besked&gt;"}, nil},
	} {
		out := render(t, tc.p)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%+v: missing %q in %s", tc.p, w, out)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%+v: unexpected %q", tc.p, n)
			}
		}
	}
}
