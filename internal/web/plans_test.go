package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// tfaForm is a TFA draft with answers on one track and one element.
func tfaForm(version, action string) url.Values {
	return url.Values{"version": {version}, "action": {action},
		"t_fysiske_lidelser_rel": {"relevant"}, "t_fysiske_lidelser_desc": {"Rygsmerter"}, "t_fysiske_lidelser_work": {"Kan ikke løfte"},
		"r_uddannelse_res": {"Faglært lagerarbejder"}, "r_uddannelse_bar": {"Ingen"},
		"citizen_goals": {"Jeg vil have et job på et lager\nSove bedre"}, "conclusion": {"Parallelle indsatser: sundhed og praktik"}}
}

// The whole flow: TFA draft → refused conclusion without a health participant (the text is
// kept) → concluded → plan pre-filled with the goals → effort → follow-up → progression.
func TestTFAToPlanFlow(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	nurse := app.User(t, "nurse", access.RoleHealth, apptest.Health)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)

	p := c.Post(base+"/tfa/ny", nil)
	if p.Status != http.StatusOK || !strings.Contains(p.URL.Path, "/tfa/") {
		t.Fatalf("start TFA: %d %s", p.Status, p.URL.Path)
	}
	tfa := p.URL.Path
	if !strings.Contains(p.Text("#deltagere .alert"), "sundhedsfaglig deltager") {
		t.Fatal("the form does not say the health participant is missing")
	}
	p = c.Post(tfa, tfaForm(p.Value("input[name=version]"), "afslut"))
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, "kan ikke afsluttes") {
		t.Fatalf("conclude without health participant: %d", p.Status)
	}
	if p.Text("#citizen_goals") != "Jeg vil have et job på et lager\nSove bedre" || p.Text("#t_fysiske_lidelser_desc") != "Rygsmerter" {
		t.Fatal("typed text not kept on the refused conclusion")
	}
	if app.AuditCount(t, "assessment.update", id) != 1 {
		t.Fatal("the draft was not saved before the conclusion was refused")
	}
	p = c.Post(tfa+"/deltagere", url.Values{"participant_user": {strconv.FormatInt(nurse.ID, 10)}, "participant_profession": {"Sygeplejerske"}})
	if p.Status != http.StatusOK || p.Has("#deltagere .alert") {
		t.Fatalf("add participant: %d, still missing: %v", p.Status, p.Has("#deltagere .alert"))
	}
	p = c.Post(tfa, tfaForm(p.Value("input[name=version]"), "afslut"))
	if p.Status != http.StatusOK || !strings.HasSuffix(p.URL.Path, "/plan") {
		t.Fatalf("conclude: %d at %s", p.Status, p.URL.Path)
	}
	if !strings.Contains(p.Text(".plan-citizen-goal"), "job på et lager") || !strings.Contains(p.Text(".plan-goals"), "Sove bedre") {
		t.Fatal("the plan is not pre-filled with the citizen's goals")
	}
	if p = c.Get(tfa); p.Has("#tfa-form") || !strings.Contains(p.Body, "låst") {
		t.Fatal("a concluded TFA is still editable")
	}

	// A free-text effort (the catalogue is not on this branch). End before start is refused
	// with everything typed kept.
	p = c.Get(base + "/plan/indsatser/ny")
	v := p.Value("input[name=version]")
	effort := url.Values{"version": {v}, "title": {"Virksomhedspraktik"}, "area": {"beskaeftigelse"}, "status": {"planlagt"},
		"unit": {strconv.FormatInt(app.Units[apptest.Jobcenter], 10)}, "person": {"Kim Jensen"}, "contact": {"12 34 56 78"},
		"start": {"2026-03-01"}, "end": {"2026-02-01"}}
	p = c.Post(base+"/plan/indsatser/ny", effort)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#end-error") == "" || p.Value("#person") != "Kim Jensen" {
		t.Fatalf("end before start: %d %q", p.Status, p.Text("#end-error"))
	}
	effort.Set("end", "2026-05-31")
	p = c.Post(base+"/plan/indsatser/ny", effort)
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".effort-table"), "Virksomhedspraktik") || !p.Has("svg.timeline-svg") {
		t.Fatalf("add effort: %d", p.Status)
	}

	// Follow-up: a score outside 1–10 is refused and kept; a valid one shows as progression.
	goal := ""
	if sel := p.Doc.Find("input[name^=score_]").First(); sel.Length() > 0 {
		goal, _ = sel.Attr("name")
	}
	if goal == "" {
		t.Fatal("no score field per goal")
	}
	today := time.Now().Format(time.DateOnly)
	p = c.Post(base+"/plan/opfoelgning", url.Values{"held_on": {today}, goal: {"11"}, "note": {"Går fremad"}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#"+goal+"-error") == "" || p.Value("#"+goal) != "11" {
		t.Fatalf("score 11: %d %q", p.Status, p.Text("#"+goal+"-error"))
	}
	p = c.Post(base+"/plan/opfoelgning", url.Values{"held_on": {today}, goal: {"4"}, "note": {"Går fremad"}})
	if p.Status != http.StatusOK || !p.Has("svg.progress-svg") || !strings.Contains(p.Text(".follow-up-table"), "4") {
		t.Fatalf("follow-up: %d, chart %v", p.Status, p.Has("svg.progress-svg"))
	}
	if app.AuditCount(t, "plan.follow_up", id) != 1 {
		t.Fatal("follow-up not audited")
	}

	// The citizen page shows both sections; an overdue follow-up shows and filters in the
	// caseload.
	p = c.Get(base)
	if !strings.Contains(p.Text("#tfa"), "afsluttet") || !strings.Contains(p.Text("#indsatsplan"), "Virksomhedspraktik") {
		t.Fatal("the citizen page lacks the TFA status or the plan's efforts")
	}
	if p = c.Get("/borgere?opfoelgning=true"); strings.Contains(p.Body, "Ole Hansen") {
		t.Fatal("a citizen just followed up is listed as overdue")
	}
	if _, err := app.Pool.Exec(t.Context(), `UPDATE citizens SET next_follow_up = current_date - 1 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if p = c.Get("/borgere?opfoelgning=true"); !strings.Contains(p.Text("table tbody"), "Opfølgning overskredet") {
		t.Fatal("the caseload does not flag and filter the overdue follow-up")
	}
}

// Two sessions hold version 3 of the plan; both save. The first wins; the second sees the
// conflict page with both texts, and nothing is lost.
func TestPlanEditConflict(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "cw2", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	a, b := app.Login(t, "cw"), app.Login(t, "cw2")
	base := "/borgere/" + strconv.FormatInt(id, 10) + "/plan"
	a.Post(base+"/ny", nil)
	for _, goal := range []string{"Et job", "Et job snart"} { // versions 2 and 3
		a.Post(base+"/maal", url.Values{"version": {a.Get(base + "/maal").Value("input[name=version]")}, "citizen_goal": {goal}})
	}
	pa, pb := a.Get(base+"/maal"), b.Get(base+"/maal")
	if pa.Value("input[name=version]") != "3" || pb.Value("input[name=version]") != "3" {
		t.Fatalf("both should hold version 3: %s %s", pa.Value("input[name=version]"), pb.Value("input[name=version]"))
	}
	p := a.Post(base+"/maal", url.Values{"version": {"3"}, "citizen_goal": {"Job på lager"}, "goal_text_0": {"Sove bedre"}})
	if p.Status != http.StatusOK {
		t.Fatalf("first save: %d", p.Status)
	}
	p = b.Post(base+"/maal", url.Values{"version": {"3"}, "citizen_goal": {"Uddannelse som smed"}, "goal_text_0": {"Tage kørekort"}})
	if p.Status != http.StatusConflict {
		t.Fatalf("second save: %d; want 409", p.Status)
	}
	if !strings.Contains(p.Text(".conflict-saved"), "Job på lager") || !strings.Contains(p.Text(".conflict-saved"), "Sove bedre") {
		t.Fatal("the conflict page does not show the saved version")
	}
	if p.Text(".conflict-yours #citizen_goal") != "Uddannelse som smed" || p.Value(".conflict-yours #goal_text_0") != "Tage kørekort" {
		t.Fatal("the conflict page lost the second user's text")
	}
	if p.Value(".conflict-yours input[name=version]") != "4" {
		t.Fatalf("the form should carry the current version 4, has %s", p.Value(".conflict-yours input[name=version]"))
	}
	if p = a.Get(base); !strings.Contains(p.Text(".plan-citizen-goal"), "Job på lager") {
		t.Fatal("the first save was overwritten")
	}
	p = a.Get(base + "/versioner?fra=3&til=4")
	if !strings.Contains(p.Text(".plan-diff"), "Job på lager") || !strings.Contains(p.Text(".plan-diff"), "Sove bedre") {
		t.Fatal("the diff of versions 3 and 4 does not show the changes")
	}
}

func TestPlanPrintAndPDF(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10) + "/plan"
	c.Post(base+"/ny", nil)
	c.Post(base+"/maal", url.Values{"version": {"1"}, "citizen_goal": {"Jeg vil arbejde med dyr"}})

	p := c.Get(base + "/print")
	if p.Status != http.StatusOK || !p.Has("body.print-page") || !strings.Contains(p.Text(".print-goal"), "arbejde med dyr") {
		t.Fatalf("print page: %d", p.Status)
	}
	if strings.Contains(p.Body, "020385-1233") || !strings.Contains(p.Body, "020385-XXXX") {
		t.Fatal("the printed plan must show the CPR number masked")
	}

	res, err := http.NewRequest(http.MethodGet, app.URL+base+"/pdf", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range c.Cookies() {
		res.AddCookie(ck)
	}
	resp, err := http.DefaultClient.Do(res)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if _, err := exec.LookPath("chromium"); err != nil {
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(buf.String(), "PDF kræver Chromium på serveren; brug Udskriv") {
			t.Fatalf("without chromium: %d", resp.StatusCode)
		}
		t.Skip("chromium is not installed: checked the Danish fallback instead of the PDF")
	}
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf: %d %q", resp.StatusCode, buf.String()[:min(40, buf.Len())])
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext (poppler-utils) is not installed: the PDF's text is not checked, only that it is a PDF")
		return
	}
	f := t.TempDir() + "/plan.pdf"
	if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Jeg vil arbejde med dyr") {
		t.Fatalf("the PDF lacks the goal text: %s", out)
	}
	if app.AuditCount(t, "plan.view", id) < 2 {
		t.Fatal("print and PDF exports are not audited")
	}
}

func TestPDFWithoutChromium(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{ChromiumPath: "/nonexistent/chromium"})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10) + "/plan"
	c.Post(base+"/ny", nil)
	if p := c.Get(base); !strings.Contains(p.Body, "PDF kræver Chromium på serveren; brug Udskriv") || p.Has(`a[href$="/pdf"]`) {
		t.Fatal("the plan page offers a PDF without chromium")
	}
	p := c.Get(base + "/pdf")
	if p.Status != http.StatusServiceUnavailable || !strings.Contains(p.Body, "PDF kræver Chromium på serveren; brug Udskriv") {
		t.Fatalf("pdf without chromium: %d", p.Status)
	}
}
