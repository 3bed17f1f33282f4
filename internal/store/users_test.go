package store_test

import (
	"context"
	"testing"

	"github.com/helhed/helhed/internal/store"
)

// An administrator's password (reset or new user) must be changed; the user's own change
// clears that, the failed logins and every older session, with an audit row.
func TestPasswordResetAndOwnChange(t *testing.T) {
	t.Parallel()
	st, unit, _ := fixture(t)
	ctx := context.Background()
	id, err := st.CreateUser(ctx, who, store.NewUser{Username: "ny", Name: "Ny", UnitID: unit, Role: "sagsbehandler",
		PasswordHash: "x", MustChangePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := st.UserByID(ctx, id); !u.MustChangePassword {
		t.Fatal("a user created with an administrator's password need not change it")
	}
	if _, err := st.ChangeOwnPassword(ctx, who, id, "y"); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.UserByID(ctx, id); u.MustChangePassword || u.PasswordHash != "y" {
		t.Fatalf("after the user's own change: must change %v, hash %q", u.MustChangePassword, u.PasswordHash)
	}

	before, _ := st.UserByID(ctx, id)
	if err := st.SetPassword(ctx, who, id, "z"); err != nil {
		t.Fatal(err)
	}
	u, _ := st.UserByID(ctx, id)
	if !u.MustChangePassword || u.PasswordHash != "z" || !u.SessionsValidAfter.After(before.SessionsValidAfter) {
		t.Fatalf("after a reset: must change %v, hash %q, sessions valid after %v (was %v)",
			u.MustChangePassword, u.PasswordHash, u.SessionsValidAfter, before.SessionsValidAfter)
	}

	for range 3 {
		if _, err := st.BeginLogin(ctx, who, "ny", "203.0.113.7", limits); err != nil {
			t.Fatal(err)
		}
	}
	validAfter, err := st.ChangeOwnPassword(ctx, who, id, "w")
	if err != nil {
		t.Fatal(err)
	}
	u, _ = st.UserByID(ctx, id)
	if u.MustChangePassword || !validAfter.Equal(u.SessionsValidAfter) {
		t.Fatalf("after the change: must change %v, returned %v, stored %v", u.MustChangePassword, validAfter, u.SessionsValidAfter)
	}
	var failures, audits int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM login_failures WHERE username = 'ny'`).Scan(&failures); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1`, store.AuditPasswordChange).Scan(&audits); err != nil {
		t.Fatal(err)
	}
	if failures != 0 || audits != 2 {
		t.Fatalf("%d failed logins left, %d password changes audited; want 0 and 2", failures, audits)
	}
	if _, err := st.ChangeOwnPassword(ctx, who, 999999, "w"); err == nil {
		t.Fatal("changed the password of a user that does not exist")
	}
}
