package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/migrations"
)

// `helhed user add` applies the same password policy as the web forms, and the user it
// creates must choose their own password at the first login (the operator knows this one);
// `helhed user reset-totp` removes a lost second factor.
func TestUserAddAppliesThePasswordPolicy(t *testing.T) {
	ctx := context.Background()
	c := startCluster(t)
	url := c.URL("helhed")
	if err := migrations.Up(ctx, url); err != nil {
		t.Fatal(err)
	}
	pool, err := store.OpenPool(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	if _, err := st.CreateUnit(ctx, store.Who{RequestID: "test"}, "Jobcenter Test", "jobcenter"); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string { return map[string]string{"DATABASE_URL": url}[k] }
	add := func(username, pw string) (string, error) {
		var out bytes.Buffer
		args := []string{"user", "add", "--username", username, "--name", "Jens Hansen", "--role", "sagsbehandler", "--unit", "Jobcenter Test"}
		if pw != "" {
			args = append(args, "--password", pw)
		}
		err := run(ctx, args, env, &out, io.Discard)
		return out.String(), err
	}
	for _, pw := range []string{strings.Repeat(" ", 12), "Password1234!", "jens.hansen-2024", "111111111111", "kort"} {
		if _, err := add("jens.hansen", pw); err == nil {
			t.Errorf("user add with password %q succeeded", pw)
		}
	}
	if _, err := st.UserByUsername(ctx, "jens.hansen"); err == nil {
		t.Fatal("a user was created with a weak password")
	}
	if _, err := add("jens.hansen", "Grøn kaffe på Tirsdage 77"); err != nil {
		t.Fatalf("user add with a strong password: %v", err)
	}
	out, err := add("anne", "") // a generated password, printed once
	if err != nil || !strings.Contains(out, "Adgangskode: ") {
		t.Fatalf("user add with a generated password: %v, %q", err, out)
	}
	for _, name := range []string{"jens.hansen", "anne"} {
		if u, err := st.UserByUsername(ctx, name); err != nil || !u.MustChangePassword {
			t.Errorf("%s: must change password %v (%v); want true", name, u.MustChangePassword, err)
		}
	}

	// `helhed user reset-totp`: a lost phone; the user logs in with the password alone again.
	jens, _ := st.UserByUsername(ctx, "jens.hansen")
	if err := st.EnableTOTP(ctx, store.Who{RequestID: "test"}, jens.ID, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1); err != nil {
		t.Fatal(err)
	}
	var out2 bytes.Buffer
	if err := run(ctx, []string{"user", "reset-totp", "--username", "jens.hansen"}, env, &out2, io.Discard); err != nil || !strings.Contains(out2.String(), "nulstillet") {
		t.Fatalf("reset-totp: %v %q", err, out2.String())
	}
	if u, _ := st.UserByUsername(ctx, "jens.hansen"); u.TOTPEnabled {
		t.Error("TOTP still on after reset-totp")
	}
}
