package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// "Opret borger" tells a caseworker that a CPR number is registered, also in another unit:
// the attempt is audited with that citizen's id, and a caseworker who keeps trying gets a
// Danish refusal (429) with everything typed kept, not another answer.
func TestCreateCitizenCPRCheckIsAuditedAndLimited(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	elsewhere := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter2, 0)
	c := app.Login(t, "cw")

	p := c.Post("/borgere/ny", citizenForm("020385-1233"))
	if p.Status != http.StatusUnprocessableEntity || p.Text("#cpr-error") == "" {
		t.Fatalf("a CPR number registered in another unit: %d %q", p.Status, p.Text("#cpr-error"))
	}
	if n := app.AuditCount(t, store.AuditCPRCheck, elsewhere); n != 1 {
		t.Fatalf("the check is audited %d times with the registered citizen; want 1", n)
	}

	// The caseworker has used up the attempts of the window.
	if _, err := app.Pool.Exec(context.Background(), `INSERT INTO audit_events (user_id, action) SELECT $1, $2 FROM generate_series(2, $3)`,
		cw.ID, store.AuditCPRCheck, app.Store.CPRCheckLimit); err != nil {
		t.Fatal(err)
	}
	p = c.Post("/borgere/ny", citizenForm("030486-1234"))
	if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Text("#cpr-error"), "Vent") || p.Value("#first_name") != "Karen" {
		t.Fatalf("over the limit: %d %q, first name kept %q", p.Status, p.Text("#cpr-error"), p.Value("#first_name"))
	}
	if n := app.AuditCount(t, store.AuditCPRCheckLimit, 0); n != 1 {
		t.Fatalf("the refusal is audited %d times; want 1", n)
	}
	if n := app.AuditCount(t, store.AuditCitizenCreate, 0); n != 1 {
		t.Fatalf("%d citizens created; want only the fixture", n)
	}
}
