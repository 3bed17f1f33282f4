package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/format"
)

// The case-holding unit closes a case with a reason (a missing reason is a field error, the
// page keeps everything else), the page says when it is deleted, the unit's leader stops the
// deletion, the administrator sees the case on the retention overview without a name and may
// lift the hold there, and reopening clears the closure. Every step is audited.
func TestCloseCaseAndLegalHold(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	base := "/borgere/" + strconv.FormatInt(id, 10)
	c, leader, adm := app.Login(t, "cw"), app.Login(t, "leder"), app.Login(t, "admin")

	p := c.Post(base+"/afslut", url.Values{"close_reason": {"   "}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#close_reason-error") == "" || !p.Has("#afslutning details[open]") {
		t.Fatalf("close without reason: %d %q", p.Status, p.Text("#close_reason-error"))
	}
	if app.AuditCount(t, store.AuditCaseClose, id) != 0 {
		t.Fatal("a refused closure was saved")
	}
	p = c.Post(base+"/afslut", url.Values{"close_reason": {"Borgeren er i ordinært job"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#afslutning .closure-status"), "Borgeren er i ordinært job") {
		t.Fatalf("close: %d %q", p.Status, p.Text("#afslutning"))
	}
	due := format.Date(helhed.CaseDeletionDue(time.Now(), 5))
	if !strings.Contains(p.Text(".closure-deletion"), due) || !p.Has(".citizen-header .closed-tag") {
		t.Fatalf("the page does not say the case is closed and deleted %s: %q", due, p.Text("#afslutning"))
	}
	if p.Has(`form[action$="/slettestop"]`) {
		t.Fatal("a caseworker is offered the slettestop")
	}
	if p := c.Post(base+"/slettestop", url.Values{"hold_reason": {"Klage"}}); p.Status != http.StatusForbidden {
		t.Fatalf("caseworker places a slettestop: %d; want 403", p.Status)
	}

	p = leader.Post(base+"/slettestop", url.Values{"hold_reason": {""}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#hold_reason-error") == "" {
		t.Fatalf("slettestop without reason: %d", p.Status)
	}
	p = leader.Post(base+"/slettestop", url.Values{"hold_reason": {"Verserende klagesag i Ankestyrelsen"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".legal-hold"), "Ankestyrelsen") || p.Has(".closure-deletion") {
		t.Fatalf("slettestop: %d %q", p.Status, p.Text("#afslutning"))
	}
	if p := leader.Post(base+"/slettestop", url.Values{"hold_reason": {"igen"}}); p.Status != http.StatusConflict {
		t.Fatalf("a second slettestop: %d; want 409", p.Status)
	}

	// The administrator sees case numbers and units, never names, and cannot open the
	// citizen page or use its slettestop route.
	p = adm.Get("/admin/opbevaring")
	row := p.Doc.Find("table.retention-cases tbody tr")
	if p.Status != http.StatusOK || row.Length() != 1 || !strings.Contains(row.Text(), "Slettes ikke") || !strings.Contains(p.Text(".retention-years"), "5 år") {
		t.Fatalf("retention overview: %d, %d rows %q", p.Status, row.Length(), row.Text())
	}
	if strings.Contains(p.Body, "Hansen") || strings.Contains(p.Body, "020385") {
		t.Fatal("the retention overview shows the citizen's name or CPR number")
	}
	if p := adm.Post(base+"/slettestop/ophaev", nil); p.Status != http.StatusNotFound {
		t.Fatalf("admin on the citizen page's route: %d; want 404", p.Status)
	}
	casePath := "/admin/opbevaring/" + strconv.FormatInt(id, 10)
	p = adm.Post(casePath+"/slettestop/ophaev", nil)
	if p.Status != http.StatusOK || p.Has(".legal-hold") || !strings.Contains(p.Text("dl"), due) {
		t.Fatalf("admin lifts the hold: %d %q", p.Status, p.Text("main"))
	}
	if p := adm.Post(casePath+"/slettestop", url.Values{"hold_reason": {""}}); p.Status != http.StatusUnprocessableEntity || p.Text("#hold_reason-error") == "" {
		t.Fatalf("admin slettestop without reason: %d", p.Status)
	}
	if p := adm.Post(casePath+"/slettestop", url.Values{"hold_reason": {"Tilsyn"}}); p.Status != http.StatusOK || !strings.Contains(p.Text(".legal-hold"), "Tilsyn") {
		t.Fatalf("admin places a hold: %d", p.Status)
	}

	p = c.Post(base+"/genaabn", nil)
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".closure-status"), "åben") || p.Has(".citizen-header .closed-tag") {
		t.Fatalf("reopen: %d %q", p.Status, p.Text("#afslutning"))
	}
	for action, want := range map[string]int{store.AuditCaseClose: 1, store.AuditCaseReopen: 1, store.AuditLegalHoldSet: 2, store.AuditLegalHoldClear: 1} {
		if n := app.AuditCount(t, action, id); n != want {
			t.Errorf("%s audited %d times; want %d", action, n, want)
		}
	}
}

// The administrator sets a new retention period from a date; a bad number is a field error
// with what was typed kept.
func TestRetentionPeriodIsDatedSetting(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	c := app.Login(t, "admin")
	p := c.Post("/admin/opbevaring", url.Values{"years": {"0"}, "valid_from": {"2027-01-01"}, "note": {"Ny regel"}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#years-error") == "" || p.Value("#valid_from") != "2027-01-01" || p.Value("#note") != "Ny regel" {
		t.Fatalf("0 years: %d %q", p.Status, p.Text("#years-error"))
	}
	if got := p.Text(".error-summary"); !strings.Contains(got, "Antal år: Skal være et helt tal fra") {
		t.Errorf("retention summary %q; want it to name Antal år", got)
	}
	long := strings.Repeat("n", 301)
	p = c.Post("/admin/opbevaring", url.Values{"years": {"10"}, "valid_from": {""}, "note": {long}})
	summary := p.Text(".error-summary")
	for _, want := range []string{"Gælder fra: Skal udfyldes", "Note: Højst 300 tegn"} {
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(summary, want) {
			t.Errorf("retention: %d, summary %q; want it to contain %q", p.Status, summary, want)
		}
	}
	if p.Value("#note") != long {
		t.Error("the note over the limit was not kept")
	}
	p = c.Post("/admin/opbevaring", url.Values{"years": {"10"}, "valid_from": {"2027-01-01"}, "note": {"Ny regel"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "1. januar 2027") {
		t.Fatalf("new period: %d", p.Status)
	}
	day, _ := time.Parse(time.DateOnly, "2027-06-01")
	if n, err := app.Store.CaseRetentionYears(t.Context(), day); err != nil || n != 10 {
		t.Fatalf("period in force in 2027: %d, %v", n, err)
	}
	if app.AuditCount(t, store.AuditSettingUpdate, 0) != 1 {
		t.Fatal("the new period is not audited")
	}
}

// Lowering the retention period shows first what it would delete — closed cases per year of
// closure, no names — and asks for confirmation; confirmed, it takes effect after the grace
// period, and the retention job run at once deletes nothing.
func TestShorterRetentionIsPreviewedAndWaits(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Karen", "Lukket", apptest.Jobcenter, cw.ID)
	closed := time.Now().AddDate(-3, 0, 0)
	if _, err := app.Pool.Exec(t.Context(), `UPDATE citizens SET closed_at = $2, closed_reason = 'Flyttet' WHERE id = $1`, id, closed); err != nil {
		t.Fatal(err)
	}
	c := app.Login(t, "admin")
	today := time.Now().Format(time.DateOnly)
	p := c.Post("/admin/opbevaring", url.Values{"years": {"1"}, "valid_from": {today}, "note": {"Kortere"}})
	preview := p.Text(".retention-preview")
	if p.Status != http.StatusOK || !strings.Contains(preview, strconv.Itoa(closed.Year())) || p.Text(".retention-preview tbody td") != "1" {
		t.Fatalf("preview: %d %q", p.Status, preview)
	}
	if strings.Contains(p.Body, "Lukket") {
		t.Fatal("the preview names a citizen")
	}
	if n := app.AuditCount(t, store.AuditSettingUpdate, 0); n != 0 {
		t.Fatalf("the period was saved before it was confirmed (%d audit rows)", n)
	}
	p = c.Post("/admin/opbevaring", url.Values{"years": {"1"}, "valid_from": {today}, "note": {"Kortere"}, "confirm": {"ja"}})
	if p.Status != http.StatusOK || app.AuditCount(t, store.AuditSettingUpdate, 0) != 1 {
		t.Fatalf("confirm: %d", p.Status)
	}
	if n, err := app.Store.CaseRetentionYears(t.Context(), time.Now()); err != nil || n != 5 {
		t.Fatalf("period in force today after lowering it: %d, %v; want still 5", n, err)
	}
	res, err := app.Store.RunRetention(t.Context(), 183*24*time.Hour)
	if err != nil || len(res.Cases) != 0 {
		t.Fatalf("retention run within the grace period: %+v, %v; want nothing deleted", res, err)
	}
	if _, err := app.Store.CitizenByID(t.Context(), id); err != nil {
		t.Fatalf("the closed case is gone: %v", err)
	}
}
