package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/apptest"
)

// auditMarker is planted in every free-text field; letters only, so every field accepts it.
const auditMarker = "Qzxmarkoer"

// Audit details carry ids, codes and field names, never what people typed: a marker written
// into every free-text field of a case (names, addresses, notes, reasons, goals, TFA and
// screening texts, search criteria), of the catalogue, the strategy, the teams and the
// administration is in no audit row's detail, and no detail holds a CPR-shaped string (a
// search for a mistyped CPR number, a username typed at login). Reference data is the one
// exception: its audit names the old and new value of each field (a law change, not personal
// data; docs/security.md 16.2.1).
func TestAuditDetailsHoldNoFreeText(t *testing.T) {
	t.Parallel()
	app := freeTextEverywhere(t, auditMarker)
	leader := app.Login(t, "leder")
	if p := leader.NoRedirects().Post("/ledelse/strategi/ny", url.Values{"theme": {"sundhed_beskaeftigelse"}, "title": {"Titel " + auditMarker},
		"status": {"fremdrift"}, "note": {auditMarker}, "counts_from": {"2026-01-01"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("initiative: %d %s", p.Status, p.Text(".form-error-message"))
	}
	if p := app.Login(t, "leder").Post("/rehabteams", url.Values{"name": {"Team " + auditMarker},
		"unit": {strconv.FormatInt(app.Units[apptest.Jobcenter], 10)}}); p.Status != http.StatusOK {
		t.Fatalf("team: %d %s", p.Status, p.Text(".form-error-message"))
	}
	c := app.Login(t, "cw")
	// 31 February is no CPR number, so this is a name search for a CPR-shaped text; then a
	// real CPR number that is not registered.
	for _, q := range []string{"310290-1234", "0202021234", auditMarker} {
		if p := c.Post("/borgere/soeg", url.Values{"q": {q}}); p.Status != http.StatusOK {
			t.Fatalf("search %q: %d", q, p.Status)
		}
	}
	app.Client(t).Post("/login", url.Values{"username": {"0202021234"}, "password": {auditMarker}})
	app.Client(t).Post("/login", url.Values{"username": {"cw"}, "password": {auditMarker}})
	// A refused path with typed text in it: the route, not the path, is audited.
	c.Get("/admin/brugere/" + auditMarker)

	rows, err := app.Pool.Query(context.Background(), `SELECT id, action, detail FROM audit_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var action, detail string
		if err := rows.Scan(&id, &action, &detail); err != nil {
			t.Fatal(err)
		}
		n++
		if strings.Contains(strings.ToLower(detail), strings.ToLower(auditMarker)) && !strings.HasPrefix(action, "refdata.") {
			t.Errorf("audit row %d (%s) carries typed text: %q", id, action, detail)
		}
		if cprShaped.MatchString(detail) {
			t.Errorf("audit row %d (%s) carries a CPR-shaped string: %q", id, action, detail)
		}
	}
	if rows.Err() != nil || n < 40 {
		t.Fatalf("%d audit rows, %v", n, rows.Err())
	}
}
