package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
)

// Must show (issue 15), through the caseworker's form with a real session: a new
// uddannelseshjælp period dated after 30.06.2025 is refused with the law's reason beside the
// field (lov nr. 1655 af 30.12.2024, from the reference data's source) and everything typed
// kept; one that started in 2024 and ended with the reform is accepted and shown as history,
// not as the citizen's current benefit.
func TestBenefitPeriodFollowsTheLaw(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	citizen := app.Citizen(t, "020385-1233", "Ulla", "Uddannelse", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := "/borgere/" + strconv.FormatInt(citizen, 10)
	audited := app.AuditCount(t, store.AuditCitizenUpdate, citizen)

	// The form offers the ended benefit for a period of the past, marked with its dates, after
	// those in force.
	opts := c.Get(path).Doc.Find("select#benefit option")
	old := opts.FilterFunction(func(_ int, o *goquery.Selection) bool { v, _ := o.Attr("value"); return v == "uddannelseshjaelp" })
	if !strings.Contains(old.Text(), "tidligere, til og med 30. juni 2025") || opts.Index() < 0 ||
		old.Index() <= opts.FilterFunction(func(_ int, o *goquery.Selection) bool { v, _ := o.Attr("value"); return v == "kontanthjaelp" }).Index() {
		t.Errorf("the benefit choices: %q; want uddannelseshjælp offered after kontanthjælp, marked as ended", opts.Text())
	}

	p := c.Post(path+"/ydelser", url.Values{"benefit": {"uddannelseshjaelp"}, "start": {"2026-11-01"}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("uddannelseshjælp from 1.11.2026: %d; want 422", p.Status)
	}
	msg := p.Doc.Find("#benefit").Closest(".form-group").Find(".form-error-message").Text()
	if !strings.Contains(msg, "Uddannelseshjælp er afskaffet fra 1. juli 2025") || !strings.Contains(msg, "lov nr. 1655 af 30.12.2024") {
		t.Errorf("message beside the benefit field: %q", msg)
	}
	if p.Value("input#start") != "2026-11-01" || p.Doc.Find(`select#benefit option[value=uddannelseshjaelp][selected]`).Length() != 1 {
		t.Errorf("typed values not kept: start %q, benefit %q", p.Value("input#start"), p.Text("select#benefit option[selected]"))
	}
	if !p.Has(`details[open] form[action$="/ydelser"]`) || !strings.Contains(p.Text(".alert-error, .error-summary, [role=alert]"), "afskaffet") {
		t.Errorf("the form is not open with its error summary: %q", p.Text("[role=alert]"))
	}

	// The day after the last day in force is refused too; the last day itself is not.
	if p := c.Post(path+"/ydelser", url.Values{"benefit": {"uddannelseshjaelp"}, "start": {"2025-07-01"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("uddannelseshjælp from 1.7.2025: %d; want 422", p.Status)
	}

	p = c.Post(path+"/ydelser", url.Values{"benefit": {"uddannelseshjaelp"}, "start": {"2024-02-01"}, "end": {"2025-06-30"}, "exit": {"uddannelse"}})
	if p.Status != http.StatusOK || p.URL.Path != path {
		t.Fatalf("uddannelseshjælp in 2024: %d at %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	row := p.Doc.Find(`section[aria-labelledby=ydelser-h] tbody tr:has(th:contains("Uddannelseshjælp"))`)
	if row.Length() != 1 || !strings.Contains(row.Text(), "1. februar 2024") || !strings.Contains(row.Text(), "30. juni 2025") {
		t.Errorf("the benefit history: %q", p.Text(`section[aria-labelledby=ydelser-h] tbody`))
	}
	if facts := p.Text("dl"); strings.Contains(facts, "Uddannelseshjælp siden") {
		t.Errorf("the 2024 period shows as the current benefit: %q", facts)
	}
	if n := app.AuditCount(t, store.AuditCitizenUpdate, citizen) - audited; n != 1 {
		t.Errorf("%d changes audited; want 1: the accepted period, none for the refused ones", n)
	}
}

// Must show (issue 15, rule checks as dated data), through the caseworker's form: a period
// overlapping another forsørgelsesydelse is refused with the reason beside the start date and
// what was typed kept; a ressourceforløb with less than 6 years to folkepensionsalderen (LAB
// § 112, stk. 3; born 31.12.1962: 67 on 31.12.2029) re-renders with the warning beside the
// benefit and a reason field, and is saved with the citizen's wish as the reason, which the
// benefit history then shows.
func TestBenefitRulesOnTheForm(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	// app.Citizen records a running kontanthjælp period from seven months ago.
	citizen := app.Citizen(t, "311262-1234", "Rita", "Ressource", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	path := "/borgere/" + strconv.FormatInt(citizen, 10)
	audited := app.AuditCount(t, store.AuditCitizenUpdate, citizen)

	today := time.Now().Format(time.DateOnly)
	p := c.Post(path+"/ydelser", url.Values{"benefit": {"sygedagpenge"}, "start": {today}})
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("sygedagpenge beside the running kontanthjælp: %d; want 422", p.Status)
	}
	msg := p.Doc.Find("#start").Closest(".form-group").Find(".form-error-message").Text()
	if !strings.Contains(msg, "overlapper kontanthjælp") || !strings.Contains(msg, "forsørgelsesydelser") {
		t.Errorf("message beside the start date: %q", msg)
	}
	if p.Value("input#start") != today || p.Has("textarea#rule_reason") {
		t.Errorf("typed start %q not kept, or a reason field for a refusal", p.Value("input#start"))
	}
	// The same change of benefit, ending the running kontanthjælp the day before.
	p = c.Post(path+"/ydelser", url.Values{"benefit": {"sygedagpenge"}, "start": {today}, "end_running": {"andet"}})
	if p.Status != http.StatusOK || p.URL.Path != path {
		t.Fatalf("sygedagpenge ending the kontanthjælp: %d at %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	if facts := p.Text("dl"); !strings.Contains(facts, "Sygedagpenge") {
		t.Errorf("sygedagpenge is not the current benefit: %q", facts)
	}
	audited += 2 // the kontanthjælp ended and the sygedagpenge added

	// The ressourceforløb before the kontanthjælp, when less than 6 years remained.
	form := url.Values{"benefit": {"ressourceforloeb"}, "start": {"2024-01-01"}, "end": {"2024-12-31"}, "exit": {"andet"}}
	p = c.Post(path+"/ydelser", form)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("ressourceforløb with less than 6 years left: %d; want 422 with a warning", p.Status)
	}
	warn := p.Doc.Find("#benefit").Closest(".form-group").Find(".form-error-message").Text()
	if !strings.Contains(warn, "mindre end 6 år til folkepensionsalderen") || !strings.Contains(warn, "LAB § 112, stk. 3") {
		t.Errorf("warning beside the benefit: %q", warn)
	}
	if !p.Has("textarea#rule_reason") || p.Value("input#start") != "2024-01-01" || p.Value("input#end") != "2024-12-31" {
		t.Fatalf("the warning did not open the reason field with the typed values kept")
	}
	form.Set("rule_reason", "Borgeren ønsker det selv")
	p = c.Post(path+"/ydelser", form)
	if p.Status != http.StatusOK || p.URL.Path != path {
		t.Fatalf("with the reason: %d at %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	row := p.Doc.Find(`section[aria-labelledby=ydelser-h] tbody tr:has(th:contains("Ressourceforløb"))`)
	if !strings.Contains(row.Text(), "Borgeren ønsker det selv") {
		t.Errorf("the history does not show the reason: %q", row.Text())
	}
	if n := app.AuditCount(t, store.AuditCitizenUpdate, citizen) - audited; n != 1 {
		t.Errorf("%d changes audited; want 1", n)
	}
}
