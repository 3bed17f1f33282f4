package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// Creating a citizen tells the caseworker whether the CPR number is registered in any unit.
// That check is audited — with the registered citizen's id, never the number — and a user
// may make Store.CPRCheckLimit attempts within store.CPRCheckWindow, counted in PostgreSQL so
// the limit holds across app instances. Attempts older than the window do not count, and
// another user has their own count.
func TestCPRCheckIsAuditedAndLimited(t *testing.T) {
	t.Parallel()
	st, unit, cw := fixture(t)
	ctx := context.Background()
	other, err := st.CreateUnit(ctx, who, "Jobcenter Nabo", "jobcenter")
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, err := st.CreateCitizen(ctx, who, other, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	if err != nil {
		t.Fatal(err)
	}
	w := store.Who{UserID: cw, RequestID: "t"}
	_, err = st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	var de *helhed.Error
	if !errors.As(err, &de) || de.Fields["cpr"] == "" {
		t.Fatalf("a registered CPR number: %v; want the field error", err)
	}
	var n int
	var detail string
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) OVER (), detail FROM audit_events WHERE action = $1 AND user_id = $2 AND citizen_id = $3`,
		store.AuditCPRCheck, cw, elsewhere).Scan(&n, &detail); err != nil || n != 1 {
		t.Fatalf("the check is not audited with the registered citizen: %d rows, %v", n, err)
	}
	if strings.Contains(detail, "0203") || strings.Contains(detail, "Nabo") {
		t.Fatalf("the audit detail says too much: %q", detail)
	}

	// Attempts in the window count, whether they created a citizen or found one; older ones
	// do not.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO audit_events (at, user_id, action) SELECT now() - interval '11 minutes', $1, $2
		FROM generate_series(1, 50)`, cw, store.AuditCPRCheck); err != nil {
		t.Fatal(err)
	}
	for i := 2; i < st.CPRCheckLimit; i++ {
		if _, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: helhed.CPR(fmt.Sprintf("01019%05d", i)), FirstName: "N", LastName: "N"}); err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, err = st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	if !errors.As(err, &de) || de.Fields["cpr"] == "" {
		t.Fatalf("attempt %d: %v; want the field error", st.CPRCheckLimit, err)
	}
	_, err = st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	if !errors.Is(err, store.ErrCPRCheckLimit) || !errors.As(err, &de) || de.Fields["cpr"] == "" {
		t.Fatalf("attempt %d: %v; want the limit", st.CPRCheckLimit+1, err)
	}
	_, err = st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "030486-1234"), FirstName: "B", LastName: "B"})
	if !errors.Is(err, store.ErrCPRCheckLimit) {
		t.Fatalf("a new citizen over the limit: %v; want the limit", err)
	}
	if n := auditRows(t, st, store.AuditCPRCheckLimit, cw); n != 2 {
		t.Fatalf("refusals audited: %d; want 2", n)
	}
	if n := auditRows(t, st, store.AuditCPRCheck, cw); n != 50+2 {
		t.Fatalf("checks audited: %d; want 52 (50 old, 2 found)", n)
	}
	// Another caseworker is not limited by cw's attempts.
	cw2, err := st.CreateUser(ctx, who, store.NewUser{Username: "cw2", Name: "Anden", UnitID: unit, Role: "sagsbehandler", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateCitizen(ctx, store.Who{UserID: cw2}, unit, store.CitizenInput{CPR: mustCPR(t, "030486-1234"), FirstName: "B", LastName: "B"}); err != nil {
		t.Fatalf("another user: %v", err)
	}
}

func auditRows(t *testing.T, st *store.Store, action string, userID int64) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1 AND user_id = $2`, action, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
