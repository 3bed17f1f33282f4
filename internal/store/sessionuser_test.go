package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helhed/helhed/internal/store"
)

// TestSessionWithUserReadsTheWholeUser: the user read with the session (one statement, for
// every request) is the same as UserByID's, field for field. Every field of the fixture's
// user is set, so a column added to User but not to SessionWithUser's statement fails here
// (it did: TOTPEnabled was always false, which held an enrolled administrator at the
// enrolment page for ever).
func TestSessionWithUserReadsTheWholeUser(t *testing.T) {
	t.Parallel()
	st, unit, _ := fixture(t)
	ctx := context.Background()
	id, err := st.CreateUser(ctx, who, store.NewUser{Username: "hel", Name: "Hel Bruger", Email: "hel@example.dk",
		UnitID: unit, Role: "sagsbehandler", PasswordHash: "x", MustChangePassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE users SET disabled_at = now(), totp_enabled_at = now(), totp_secret = 'sealed' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	want, err := st.UserByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	v := reflect.ValueOf(want)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("the fixture leaves User.%s unset, so the comparison cannot see it", v.Type().Field(i).Name)
		}
	}
	if err := st.CommitSession(ctx, "tok", []byte("data"), time.Now().Add(time.Hour), id); err != nil {
		t.Fatal(err)
	}
	_, got, found, err := st.SessionWithUser(ctx, "tok")
	if err != nil || !found || got == nil {
		t.Fatalf("session: found %v, user %v, err %v", found, got, err)
	}
	if d := cmp.Diff(want, *got); d != "" {
		t.Errorf("user read with the session differs from UserByID (-want +got):\n%s", d)
	}
}
