package browsertest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/browsertest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// The pages no journey visits yet, checked with axe: the login page (also
// with an error), the 404 page, and the administrator's pages — the
// reference data pages also with field errors (422) and after a conflict
// with another administrator's save (409), and the law calendar.
func TestAdminAndErrorPagesAccessible(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	p := browsertest.Open(t, app.URL)

	p.Go("/login")
	p.Fill("Brugernavn", "admin")
	p.Fill("Adgangskode", "forkert")
	if status := p.Click("Log ind"); status != http.StatusUnauthorized {
		t.Errorf("wrong password: HTTP %d; want 401", status)
	}
	p.ExpectText(".alert", "Forkert brugernavn eller adgangskode.")
	if status := p.Go("/findes-ikke"); status != http.StatusNotFound {
		t.Errorf("unknown page: HTTP %d; want 404", status)
	}

	p.Login("admin", apptest.Password)
	for _, page := range []struct{ path, h1 string }{
		{"/admin/brugere", "Brugere"},
		{"/admin/brugere/ny", "Opret bruger"},
		{"/admin/enheder", "Enheder"},
		{"/admin/roller", "Roller"},
		{"/admin/audit", "Auditlog"},
		{"/admin/referencedata", "Referencedata"},
		{"/admin/referencedata/visitation_category", "Visitationskategorier"},
		{"/admin/referencedata/visitation_category/sdp_kategori_3", "Ret værdi: Sygedagpenge kategori 3"},
		{"/lovkalender", "Lovkalender"},
	} {
		if status := p.Go(page.path); status != http.StatusOK {
			t.Errorf("%s: HTTP %d", page.path, status)
		}
		p.ExpectText("h1", page.h1)
	}

	p.Go("/admin/referencedata/benefit_type")
	p.Fill("Kode", "Ny kode")
	p.Fill("Betegnelse", "Ny ydelse")
	if status := p.Click("Tilføj værdi"); status != http.StatusUnprocessableEntity {
		t.Errorf("bad code: HTTP %d; want 422", status)
	}
	p.ExpectFieldError("Kode", "små bogstaver")
	p.Go("/admin/referencedata/benefit_type/ressourceforloeb")
	v, err := app.Store.RefValueByCode(context.Background(), "benefit_type", "ressourceforloeb")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.RetireRefValue(context.Background(), store.Who{RequestID: "test"}, "benefit_type", "ressourceforloeb", v.Version,
		time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	p.Fill("Betegnelse", "Ressourceforløb (lukket)")
	if status := p.Click("Gem"); status != http.StatusConflict {
		t.Errorf("stale save: HTTP %d; want 409", status)
	}
	p.ExpectText("#version", "ændret af en anden")

	if status := p.Go("/borgere/findes-ikke"); status != http.StatusNotFound {
		t.Errorf("unknown page when logged in: HTTP %d; want 404", status)
	}
	p.ExpectText("h1", "Siden findes ikke")
}
