package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/helhed/helhed/internal/store"
)

// A form token is claimed once per user: a repeat sees the first still pending, then where it
// went; a released claim can be taken again; another user's identical token is their own;
// the retention job forgets tokens after a day.
func TestSubmissionClaims(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	other, err := st.CreateUser(ctx, who, store.NewUser{Username: "cw2", Name: "Other", UnitID: unit, Role: "sagsbehandler", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	const token = "AAAAAAAAAAAAAAAAAAAAAA"
	claim := func(user int64) store.Submission {
		t.Helper()
		s, err := st.ClaimSubmission(ctx, user, token)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	steps := []struct {
		name string
		do   func()
		user int64
		want store.Submission
	}{
		{"first", func() {}, uid, store.Submission{First: true}},
		{"repeat while pending", func() {}, uid, store.Submission{}},
		{"another user's same token", func() {}, other, store.Submission{First: true}},
		{"repeat after release", func() {
			if err := st.ReleaseSubmission(ctx, uid, token); err != nil {
				t.Fatal(err)
			}
		}, uid, store.Submission{First: true}},
		{"repeat after finish", func() {
			if err := st.FinishSubmission(ctx, uid, token, "/borgere/7"); err != nil {
				t.Fatal(err)
			}
			// A release after the finish (a late cleanup) does not undo it.
			if err := st.ReleaseSubmission(ctx, uid, token); err != nil {
				t.Fatal(err)
			}
		}, uid, store.Submission{ResultURL: "/borgere/7"}},
		{"after a day", func() {
			if err := st.PruneSubmissions(ctx, time.Now().Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}, uid, store.Submission{First: true}},
	}
	for _, s := range steps {
		s.do()
		if diff := cmp.Diff(s.want, claim(s.user)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", s.name, diff)
		}
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO form_submissions (user_id, token, result_url, created_at)
		VALUES ($1, 'BBBBBBBBBBBBBBBBBBBBBB', '/borgere/8', now() - interval '25 hours')`, uid); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Pool().Exec(ctx, `INSERT INTO self_form_submissions (session, token, result_url, created_at)
		VALUES (repeat('a', 64), 'BBBBBBBBBBBBBBBBBBBBBB', '/mit/samtaler', now() - interval '25 hours')`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RunRetention(ctx, 365*24*time.Hour); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM form_submissions WHERE created_at < now() - interval '1 day')
		+ (SELECT count(*) FROM self_form_submissions WHERE created_at < now() - interval '1 day')`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d submissions older than a day after the retention run (%v)", n, err)
	}
}
