package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/migrations"
)

func TestMain(m *testing.M) {
	code := testdb.Main(m, migrations.Up, testdb.AfterConnect(store.AsRuntimeRole))
	// After every handler test has run: no CPR-shaped string in any request log line.
	if cprs := cprShaped.FindAllString(apptest.AllLogs(), 5); code == 0 && len(cprs) > 0 {
		fmt.Fprintf(os.Stderr, "CPR-shaped strings in the request logs: %q\n", cprs)
		code = 1
	}
	os.Exit(code)
}

// cprShaped matches DDMMYY-SSSS and DDMMYYSSSS with a plausible day and month.
var cprShaped = regexp.MustCompile(`\b(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}\b`)

func citizenForm(cpr string) url.Values {
	return url.Values{
		"cpr": {cpr}, "first_name": {"Karen"}, "last_name": {"Testesen"}, "address": {"Algade 12"},
		"postal_code": {"4640"}, "city": {"Faxe"}, "phone": {"12 34 56 78"}, "email": {"karen@example.dk"},
		"visitation": {"aktivitetsparat"},
	}
}

// The foundation journey: log in, see the caseload, fail to create a citizen with a bad CPR
// (Danish error beside the field, every other value kept), then create one that appears in
// the caseload.
func TestCaseworkerCreatesCitizen(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Citizen(t, "020385-1233", "Ole", "Eksisterende", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")

	p := c.Get("/borgere")
	if p.Status != http.StatusOK || p.Text("h1") != "Mine borgere" {
		t.Fatalf("caseload: %d %q", p.Status, p.Text("h1"))
	}
	if !strings.Contains(p.Text("table tbody"), "Ole Eksisterende") {
		t.Fatal("caseload does not list the caseworker's citizen")
	}
	if strings.Contains(p.Body, "020385-1233") {
		t.Fatal("caseload shows a full CPR number")
	}

	for _, bad := range []struct{ cpr, want string }{
		{"311399-1234", "dato"},
		{"abc", "DDMMÅÅ-XXXX"},
		{"", "Skal udfyldes"},
	} {
		form := citizenForm(bad.cpr)
		form.Set("caseworker", strconv.FormatInt(cw.ID, 10))
		p = c.Post("/borgere/ny", form)
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad CPR %q: status %d; want 422", bad.cpr, p.Status)
		}
		msg := p.Text("#cpr-error")
		if !strings.Contains(msg, bad.want) {
			t.Errorf("bad CPR %q: error beside field = %q; want it to mention %q", bad.cpr, msg, bad.want)
		}
		if p.Value("#cpr") != bad.cpr {
			t.Errorf("CPR value not kept: %q", p.Value("#cpr"))
		}
		for field, want := range map[string]string{"first_name": "Karen", "last_name": "Testesen", "address": "Algade 12",
			"postal_code": "4640", "city": "Faxe", "phone": "12 34 56 78", "email": "karen@example.dk"} {
			if got := p.Value("#" + field); got != want {
				t.Errorf("bad CPR %q: field %s = %q; want %q kept", bad.cpr, field, got, want)
			}
		}
		if got, _ := p.Doc.Find("#visitation option[selected]").Attr("value"); got != "aktivitetsparat" {
			t.Errorf("visitation not kept: %q", got)
		}
		if !p.Has("#cpr[aria-invalid=true]") {
			t.Error("the CPR field is not marked invalid")
		}
	}

	form := citizenForm("010190-2345")
	form.Set("caseworker", strconv.FormatInt(cw.ID, 10))
	p = c.Post("/borgere/ny", form)
	if p.Status != http.StatusOK || !strings.HasPrefix(p.URL.Path, "/borgere/") {
		t.Fatalf("create: %d at %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	if p.Text("h1") != "Karen Testesen" || !strings.Contains(p.Body, "010190-XXXX") || strings.Contains(p.Body, "010190-2345") {
		t.Fatalf("overview after create: h1 %q; masked CPR shown: %v", p.Text("h1"), strings.Contains(p.Body, "010190-XXXX"))
	}
	p = c.Get("/borgere")
	if !strings.Contains(p.Text("table tbody"), "Karen Testesen") {
		t.Fatal("new citizen missing from the caseload")
	}

	// The same CPR again is a clear field error.
	p = c.Post("/borgere/ny", form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#cpr-error"), "allerede") {
		t.Fatalf("duplicate CPR: %d %q", p.Status, p.Text("#cpr-error"))
	}
}

// Mass assignment: the unit of a new citizen is the user's, whatever the form says.
func TestCreateCitizenIgnoresPostedUnit(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	c := app.Login(t, "cw")
	form := citizenForm("010190-2345")
	form.Set("unit_id", strconv.FormatInt(app.Units[apptest.Jobcenter2], 10))
	form.Set("unit", strconv.FormatInt(app.Units[apptest.Jobcenter2], 10))
	form.Set("caseworker", "999999")
	p := c.Post("/borgere/ny", form)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#caseworker-error") == "" {
		t.Fatalf("tampered caseworker id accepted: %d", p.Status)
	}
	form.Del("caseworker")
	p = c.Post("/borgere/ny", form)
	if p.Status != http.StatusOK {
		t.Fatalf("create: %d", p.Status)
	}
	var unit int64
	if err := app.Pool.QueryRow(context.Background(), `SELECT unit_id FROM citizens WHERE cpr = '0101902345'`).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	if unit != app.Units[apptest.Jobcenter] {
		t.Fatalf("citizen created in unit %d; want the user's unit %d", unit, app.Units[apptest.Jobcenter])
	}
}

func TestCitizenViewIsAuditedOnce(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	for i := 1; i <= 3; i++ {
		if p := c.Get("/borgere/" + strconv.FormatInt(id, 10)); p.Status != http.StatusOK {
			t.Fatalf("view: %d", p.Status)
		}
		if n := app.AuditCount(t, "citizen.view", id); n != i {
			t.Fatalf("after %d views: %d audit rows; want %d", i, n, i)
		}
	}
}

func TestOtherUnitCannotSeeCitizen(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "nabo", access.RoleCaseworker, apptest.Jobcenter2)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	path := "/borgere/" + strconv.FormatInt(id, 10)
	for _, u := range []string{"nabo", "sund"} {
		c := app.Login(t, u)
		if p := c.Get(path); p.Status != http.StatusNotFound {
			t.Errorf("%s GET %s: %d; want 404", u, path, p.Status)
		}
		// Outside one's remit every action is 404, as for a missing id (TestMissingAndForeignCitizenLookAlike).
		if p := c.Get(path + "/rediger"); p.Status != http.StatusNotFound {
			t.Errorf("%s GET edit: %d; want 404", u, p.Status)
		}
		if p := c.Post(path+"/cpr", nil); p.Status != http.StatusNotFound {
			t.Errorf("%s reveal CPR: %d; want 404", u, p.Status)
		}
	}
	if n := app.AuditCount(t, "citizen.denied", id); n < 6 {
		t.Fatalf("denied attempts audited: %d; want 6", n)
	}
	if n := app.AuditCount(t, "citizen.view", id); n != 0 {
		t.Fatalf("a denied view left %d view rows", n)
	}
}

func TestRevealCPRIsDeliberateAndAudited(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := "/borgere/" + strconv.FormatInt(id, 10)
	if p := c.Get(path); strings.Contains(p.Body, "020385-1233") || !strings.Contains(p.Body, "020385-XXXX") {
		t.Fatal("overview does not mask the CPR number")
	}
	p := c.Post(path+"/cpr", nil)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "020385-1233") {
		t.Fatalf("reveal: %d, full CPR shown: %v", p.Status, strings.Contains(p.Body, "020385-1233"))
	}
	if strings.Contains(p.URL.String(), "1233") {
		t.Fatal("CPR in URL")
	}
	if n := app.AuditCount(t, "citizen.reveal_cpr", id); n != 1 {
		t.Fatalf("reveal audited %d times", n)
	}
}

// Search by CPR is a POST: the number never appears in a URL, and the kind of criterion is
// audited.
func TestSearchByCPRAndName(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	app.Citizen(t, "030486-1234", "Mette", "Olsen", apptest.Jobcenter, 0)
	app.Citizen(t, "040587-1235", "Ole", "Fremmed", apptest.Jobcenter2, 0)
	c := app.Login(t, "cw")

	p := c.Post("/borgere/soeg", url.Values{"q": {"0203851233"}})
	rows := p.Doc.Find("table tbody tr")
	if p.Status != http.StatusOK || rows.Length() != 1 || !strings.Contains(rows.Text(), "Ole Hansen") {
		t.Fatalf("CPR search: %d, %d rows", p.Status, rows.Length())
	}
	if n := app.AuditCount(t, "citizen.search", id); n != 1 {
		t.Fatalf("CPR search audited with citizen: %d", n)
	}
	p = c.Post("/borgere/soeg", url.Values{"q": {"ole"}})
	if got := p.Doc.Find("table tbody tr").Length(); got != 1 {
		t.Fatalf("name search 'ole' in own unit: %d rows; want 1 (the other Ole is in another unit)", got)
	}
	var detail string
	if err := app.Pool.QueryRow(context.Background(),
		`SELECT detail FROM audit_events WHERE action = 'citizen.search' ORDER BY id DESC LIMIT 1`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	// The kind of criterion, never the text as typed (TestAuditDetailsHoldNoFreeText).
	if detail != "søgning på navn" {
		t.Fatalf("search criterion audited as %q", detail)
	}
	if strings.Contains(app.Logs(), "0203851233") || strings.Contains(app.Logs(), "020385-1233") {
		t.Fatal("CPR number in the request log")
	}
}

func TestEditConflictKeepsInput(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "cw2", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	path := "/borgere/" + strconv.FormatInt(id, 10) + "/rediger"
	a, b := app.Login(t, "cw"), app.Login(t, "cw2")
	pa, pb := a.Get(path), b.Get(path)
	formFrom := func(p *apptest.Page, phone string) url.Values {
		v := url.Values{}
		p.Doc.Find("form input[name], form select[name]").Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			if s.Is("select") {
				val, _ := s.Find("option[selected]").Attr("value")
				v.Set(name, val)
				return
			}
			val, _ := s.Attr("value")
			v.Set(name, val)
		})
		v.Set("phone", phone)
		return v
	}
	if p := a.Post(path, formFrom(pa, "11 11 11 11")); p.Status != http.StatusOK {
		t.Fatalf("first save: %d", p.Status)
	}
	p := b.Post(path, formFrom(pb, "22 22 22 22"))
	if p.Status != http.StatusConflict {
		t.Fatalf("second save: %d; want 409", p.Status)
	}
	if p.Value("#phone") != "22 22 22 22" || !strings.Contains(p.Body, "ændret af en anden") {
		t.Fatal("conflict page lost the input or does not explain")
	}
}

func TestCPRShapedPattern(t *testing.T) {
	for s, want := range map[string]bool{
		"path=/borgere/020385-1233": true, "q=0203851233 x": true, "id=310199-0000": true,
		"request_id=0a1b2c3d4e5f6071": false, "ms=1234567890123": false, "path=/borgere/12345": false,
	} {
		if got := cprShaped.MatchString(s); got != want {
			t.Errorf("cprShaped(%q) = %v; want %v", s, got, want)
		}
	}
}
