package auth

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func render(t *testing.T, p LoginProps) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Login(p).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestLogin(t *testing.T) {
	out := render(t, LoginProps{Username: "jens", Error: "Forkert brugernavn eller adgangskode.", Next: "/borgere?side=2"})
	for _, w := range []string{
		`<form method="post" action="/login">`,
		`<input type="hidden" name="next" value="/borgere?side=2">`,
		`id="username" name="username"`, `value="jens"`, `autocomplete="username"`,
		`type="password" id="password" name="password"`, `autocomplete="current-password"`,
		`class="alert alert-error" role="alert"`, "Forkert brugernavn eller adgangskode.",
		`<button type="submit" class="button button-primary">Log ind</button>`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in %s", w, out)
		}
	}
	if strings.Index(out, "alert-error") > strings.Index(out, "<form") {
		t.Error("error alert is not above the form")
	}

	out = render(t, LoginProps{})
	for _, n := range []string{"alert", `name="next"`, "value="} {
		if strings.Contains(out, n) {
			t.Errorf("empty props: unexpected %q in %s", n, out)
		}
	}
}
