package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/web"
)

// screeningAnswers is a complete screening form: WHO-5 items sum to 6 (score 24 ≤ 28: høj),
// 12 drinks a week (alcohol risk), 20 active minutes (exercise risk), BMI 22,9, no drugs.
func screeningAnswers() url.Values {
	return url.Values{
		"diet": {"middel"}, "smoking": {"aldrig"}, "drinks_week": {"12"}, "drinks_day": {"3"},
		"active_minutes": {"20"}, "sleep": {"nogle_gange"},
		"who5_1": {"1"}, "who5_2": {"1"}, "who5_3": {"2"}, "who5_4": {"1"}, "who5_5": {"1"},
		"self_health": {"mindre_godt"}, "work_impact": {"kort_mellem"}, "cond_notes": {"Rygsmerter siden 2023"},
		"cond_pain": {"true"}, "height_cm": {"175"}, "weight_kg": {"70"}, "hash": {"aldrig"}, "drugs": {"aldrig"},
	}
}

func TestCaseworkerScreensCitizen(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.Offer(t, "Livsstilsforløb", apptest.Health, []string{"hoej", "mellem"}, []string{"alkohol", "motion"})
	app.Offer(t, "Rygestop", apptest.Health, []string{"lav"}, []string{"rygning"})
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)

	p := c.Get(base + "/screeninger/ny")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "har jeg været glad og i godt humør") {
		t.Fatalf("screening form: %d, WHO-5 wording present: %v", p.Status, strings.Contains(p.Body, "glad og i godt humør"))
	}
	p = c.Post(base+"/screeninger/ny", screeningAnswers())
	if p.Status != http.StatusOK || !strings.Contains(p.URL.Path, "/screeninger/") {
		t.Fatalf("create screening: %d at %s: %s", p.Status, p.URL.Path, p.Text(".form-error-message"))
	}
	if got := p.Text(".screening-result .risk-badge"); !strings.Contains(got, "Høj") {
		t.Fatalf("result group = %q; want Høj", got)
	}
	fired := p.Text(".fired-rules")
	for _, want := range []string{"WHO-5 = 24 ≤ 28: tegn på depression", "afgørende"} {
		if !strings.Contains(fired, want) {
			t.Errorf("fired rules %q lack %q", fired, want)
		}
	}
	if !strings.Contains(p.Body, "12 genstande om ugen") || !strings.Contains(p.Body, "20 minutter") {
		t.Error("KRAMS risks not explained with the numbers")
	}
	// Suggestions come from the catalogue: offers for the group or the risks found.
	sug := p.Doc.Find("table.suggestions tbody tr")
	if sug.Length() == 0 || !strings.Contains(sug.First().Text(), "Livsstilsforløb") {
		t.Fatalf("suggestions: %d rows, first %q", sug.Length(), strings.TrimSpace(sug.First().Text()))
	}
	if want := "Foreslået fordi: Alkohol: 12 genstande om ugen (over 10); Motion: 20 minutter om dagen (under 30)"; !strings.Contains(sug.First().Text(), want) {
		t.Errorf("best suggestion %q; want it explained by %q", strings.TrimSpace(sug.First().Text()), want)
	}
	if strings.Contains(p.Text("table.suggestions"), "Rygestop") {
		t.Error("Rygestop suggested to a non-smoker in the høj group")
	}
	if href, _ := sug.First().Find("a[href*='henvisninger/ny?tilbud=']").Attr("href"); href == "" {
		t.Error("a suggestion has no Henvis link")
	}
	if app.AuditCount(t, "screening.create", id) != 1 || app.AuditCount(t, "screening.view", id) != 1 {
		t.Fatal("screening create/view not audited once each")
	}

	// The overview shows the trend and history; the caseload shows and filters by the group.
	p = c.Get(base)
	if !p.Has("svg.trend-svg") || !strings.Contains(p.Text("#screeninger table"), "Høj") {
		t.Fatal("overview lacks the screening trend or history")
	}
	p = c.Get("/borgere?risiko=hoej")
	if !strings.Contains(p.Text("table tbody"), "Ole Hansen") || !p.Has("table tbody .risk-badge") {
		t.Fatal("caseload filtered by høj does not list the citizen with a badge")
	}
	if p = c.Get("/borgere?risiko=lav"); strings.Contains(p.Body, "Ole Hansen") {
		t.Fatal("caseload filter by lav lists a høj citizen")
	}
}

func TestScreeningBadInputKeepsEverything(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	form := screeningAnswers()
	form.Set("drinks_week", "999")     // out of range
	form.Set("smoking", "hver_time")   // tampered enum
	form.Del("who5_3")                 // missing answer
	form.Set("active_minutes", "tyve") // not a number
	form.Set("height_cm", "1750")      // millimetres typed as centimetres
	form.Set("weight_kg", "halvfjerds")
	form.Set("hash", "hver_dag") // tampered enum
	form.Set("self_health", "nogenlunde")
	p := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", form)
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d; want 422", p.Status)
	}
	for _, f := range []string{"drinks_week", "smoking", "who5_3", "active_minutes", "height_cm", "weight_kg", "hash", "self_health"} {
		if p.Text("#"+f+"-error") == "" {
			t.Errorf("no error beside %s", f)
		}
	}
	if p.Value("#drinks_week") != "999" || p.Value("#active_minutes") != "tyve" || p.Value("#drinks_day") != "3" {
		t.Error("typed numbers not kept")
	}
	if p.Value("#height_cm") != "1750" || p.Value("#weight_kg") != "halvfjerds" {
		t.Errorf("typed height and weight not kept: %q, %q", p.Value("#height_cm"), p.Value("#weight_kg"))
	}
	if got := p.Text("#height_cm-error"); !strings.HasSuffix(got, "Skal være et helt tal fra 100 til 250") {
		t.Errorf("message beside the height: %q", got)
	}
	if !p.Has(`input[name=drugs][value=aldrig][checked]`) {
		t.Error("the drugs answer was not kept")
	}
	// The self-rated health question in its standard wording, with its five answers from the
	// reference data; the ended four-point answer is not offered.
	if !strings.Contains(p.Body, "Hvordan synes du, dit helbred er alt i alt?") {
		t.Error("self-rated health question not in its standard wording")
	}
	var answers []string
	p.Doc.Find("input[name=self_health]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		answers = append(answers, v)
	})
	if strings.Join(answers, ",") != "fremragende,vaeldig_godt,godt,mindre_godt,daarligt" {
		t.Errorf("self-rated health answers %v", answers)
	}
	if !p.Has(`input[name=who5_1][value="1"][checked]`) || !p.Has(`input[name=diet][value=middel][checked]`) {
		t.Error("chosen radio answers not kept")
	}
	if !strings.Contains(p.Body, "Rygsmerter siden 2023") || !p.Has(`input[name=cond_pain][checked]`) {
		t.Error("conditions not kept")
	}
	if app.AuditCount(t, "screening.create", id) != 0 {
		t.Fatal("an invalid screening was saved")
	}
	// The summary names each question; beside the field the message stands alone.
	summary := p.Text(".error-summary")
	for _, want := range []string{"WHO-5, spørgsmål 3: Vælg et svar", "Rygning: Vælg en af mulighederne",
		"Alkohol, genstande på en uge: Skal være et helt tal fra 0 til 200", "Motion, minutter om dagen: Skal være et helt tal fra 0 til 1440"} {
		if !strings.Contains(summary, want) {
			t.Errorf("error summary %q lacks %q", summary, want)
		}
	}
	if got := p.Text("#who5_3-error"); !strings.Contains(got, "Vælg et svar") || strings.Contains(got, "WHO-5, spørgsmål") {
		t.Errorf("message beside WHO-5 question 3: %q", got)
	}
}

func TestScreeningOverrideNeedsReason(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	p := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", screeningAnswers())
	path := p.URL.Path
	p = c.Post(path+"/vurdering", url.Values{"override_group": {"mellem"}, "override_reason": {""}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#override_reason-error") == "" {
		t.Fatalf("override without reason: %d %q", p.Status, p.Text("#override_reason-error"))
	}
	// The reason's limit holds on the server, not only in the browser's maxlength.
	long := strings.Repeat("begrundelse ", 100)
	p = c.Post(path+"/vurdering", url.Values{"override_group": {"mellem"}, "override_reason": {long}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#override_reason-error"), "1000") {
		t.Fatalf("override with a %d-character reason: %d %q", len(long), p.Status, p.Text("#override_reason-error"))
	}
	if p.Text("#override_reason") != strings.TrimSpace(long) {
		t.Error("the long reason was not kept as typed")
	}
	reason := "Borgeren er i behandling hos egen læge og i bedring"
	p = c.Post(path+"/vurdering", url.Values{"override_group": {"mellem"}, "override_reason": {reason}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".screening-result .risk-badge"), "Mellem") {
		t.Fatalf("override: %d %q", p.Status, p.Text(".screening-result .risk-badge"))
	}
	if !strings.Contains(p.Body, "Beregnet efter reglerne") || !strings.Contains(p.Body, reason) {
		t.Fatal("result does not show both the computed group and the override reason")
	}
	var computed, final string
	if err := app.Pool.QueryRow(t.Context(), `SELECT computed_group, final_group FROM screenings WHERE citizen_id = $1`, id).Scan(&computed, &final); err != nil {
		t.Fatal(err)
	}
	if computed != "hoej" || final != "mellem" {
		t.Fatalf("stored computed %q final %q", computed, final)
	}
	if p = c.Get("/borgere?risiko=mellem"); !strings.Contains(p.Body, "Ole Hansen") {
		t.Fatal("the caseload does not use the overridden group")
	}
}

// A new rule-set version changes new screenings, while an old screening re-displays exactly as
// it was scored.
func TestRuleSetVersioning(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	form := screeningAnswers()
	// WHO-5 = 32: mellem under version 1 (≤ 50), høj under a version with WHO5High = 32.
	form.Set("who5_3", "4")
	form.Set("work_impact", "ingen")
	old := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", form)
	if !strings.Contains(old.Text(".screening-result .risk-badge"), "Mellem") {
		t.Fatalf("v1 group: %q", old.Text(".screening-result .risk-badge"))
	}

	// The citizen page's WHO-5 chart draws the limits of the rule set in force.
	citizen := "/borgere/" + strconv.FormatInt(id, 10)
	if cap := c.Get(citizen).Text(".trend figcaption"); !strings.Contains(cap, "28 (tegn på depression) og 50") {
		t.Fatalf("chart caption under v1: %q", cap)
	}

	a := app.Login(t, "admin")
	bad := url.Values{"valid_from": {"2020-01-01"}, "who5_high": {"60"}, "who5_medium": {"50"}, "medium_krams_count": {"2"},
		"low_krams_count": {"1"}, "alcohol_week_max": {"10"}, "alcohol_day_max": {"4"}, "exercise_min_minutes": {"30"},
		"bmi_low10": {"185"}, "bmi_high10": {"300"}, "note": {"Forsøg"}}
	rp := a.Post("/admin/regelsaet", bad)
	if rp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an inconsistent rule set (høj 60 > mellem 50) was accepted: %d", rp.Status)
	}
	if got := rp.Text(".error-summary"); !strings.Contains(got, "Mellem: WHO-5 højst: Grænsen for mellem skal være højere") {
		t.Errorf("rule set summary %q; want it to name the field", got)
	}
	long := strings.Repeat("b", 501)
	bad.Set("note", long)
	bad.Set("who5_high", "101")
	rp = a.Post("/admin/regelsaet", bad)
	summary := rp.Text(".error-summary")
	for _, want := range []string{"Høj: WHO-5 højst: Skal være et helt tal fra 0 til 100", "Begrundelse for ændringen: Højst 500 tegn"} {
		if rp.Status != http.StatusUnprocessableEntity || !strings.Contains(summary, want) {
			t.Errorf("rule set: %d, summary %q; want it to contain %q", rp.Status, summary, want)
		}
	}
	if rp.Value("#note") != long {
		t.Error("the note over the limit was not kept")
	}
	good := url.Values{"valid_from": {"2020-01-01"}, "who5_high": {"32"}, "who5_medium": {"50"}, "medium_krams_count": {"2"},
		"low_krams_count": {"1"}, "alcohol_week_max": {"10"}, "alcohol_day_max": {"4"}, "exercise_min_minutes": {"30"},
		"bmi_low10": {"185"}, "bmi_high10": {"300"}, "note": {"Strammere grænse"}}
	// Version 2 is migration 0025's (BMI limits added), so this is version 3.
	if p := a.Post("/admin/regelsaet", good); p.Status != http.StatusOK || !strings.Contains(p.Body, "version 3 er udgivet") {
		t.Fatalf("publish v3: %d %s", p.Status, p.Text(".error-summary"))
	}

	if cap := c.Get(citizen).Text(".trend figcaption"); !strings.Contains(cap, "32 (tegn på depression) og 50") {
		t.Errorf("chart caption after publishing WHO5High = 32: %q", cap)
	}
	again := c.Get(old.URL.Path)
	if again.Text(".screening-result") != old.Text(".screening-result") {
		t.Fatal("the old screening displays differently after a new rule set was published")
	}
	if !strings.Contains(again.Body, "regelsæt version 2") {
		t.Fatal("the old screening does not name its rule-set version")
	}
	p := c.Post("/borgere/"+strconv.FormatInt(id, 10)+"/screeninger/ny", form)
	if !strings.Contains(p.Text(".screening-result .risk-badge"), "Høj") || !strings.Contains(p.Body, "regelsæt version 3") {
		t.Fatalf("new screening under v3: %q", p.Text(".screening-result .risk-badge"))
	}
}

func TestConsentRecordAndWithdraw(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	other := app.Citizen(t, "030486-1234", "Mette", "Olsen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)
	health := strconv.FormatInt(app.Units[apptest.Health], 10)

	p := c.Post(base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {""}, "c_units": {health}})
	if p.Status != http.StatusUnprocessableEntity || p.Text("#c_purpose-error") == "" {
		t.Fatalf("consent without purpose: %d", p.Status)
	}
	if !p.Has(`input[name=c_units][value="` + health + `"][checked]`) {
		t.Fatal("chosen unit not kept")
	}
	p = c.Post(base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {"Henvisning til sundhedstilbud"}, "c_units": {health}})
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#samtykker table"), "Gældende") {
		t.Fatalf("record consent: %d", p.Status)
	}
	ok, err := app.Store.HasConsent(t.Context(), id, app.Units[apptest.Health], "helbred", app.Store.Now())
	if err != nil || !ok {
		t.Fatalf("HasConsent after recording: %v %v", ok, err)
	}
	var cid int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM consents WHERE citizen_id = $1`, id).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	// A consent id under another citizen's URL is not found (no child-id swaps).
	if p := c.Post("/borgere/"+strconv.FormatInt(other, 10)+"/samtykker/"+strconv.FormatInt(cid, 10)+"/tilbagekald", nil); p.Status != http.StatusNotFound {
		t.Fatalf("withdraw under another citizen: %d; want 404", p.Status)
	}
	p = c.Post(base+"/samtykker/"+strconv.FormatInt(cid, 10)+"/tilbagekald", nil)
	if p.Status != http.StatusOK || !strings.Contains(p.Text("#samtykker table"), "Tilbagekaldt") {
		t.Fatalf("withdraw: %d", p.Status)
	}
	if ok, _ := app.Store.HasConsent(t.Context(), id, app.Units[apptest.Health], "helbred", app.Store.Now()); ok {
		t.Fatal("consent still in force after withdrawal")
	}
	if app.AuditCount(t, "consent.create", id) != 1 || app.AuditCount(t, "consent.withdraw", id) != 1 {
		t.Fatal("consent changes not audited")
	}
}

// Health data crosses to another administration only under a current consent: a health-centre
// user working a referral sees the screening's answers while the consent holds, and not on
// the very next request after it is withdrawn — only that a screening exists, and its date.
func TestScreeningAnswersNeedConsent(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "sund", access.RoleHealth, apptest.Health)
	id := app.Citizen(t, "020385-1233", "Ole", "Hansen", apptest.Jobcenter, cw.ID)
	offer := app.Offer(t, "Livsstilsforløb", apptest.Health, []string{"hoej"}, []string{"motion"})
	c := app.Login(t, "cw")
	base := "/borgere/" + strconv.FormatInt(id, 10)
	screening := c.Post(base+"/screeninger/ny", screeningAnswers()).URL.Path
	health := strconv.FormatInt(app.Units[apptest.Health], 10)
	c.Post(base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {"Henvisning"}, "c_units": {health}})
	if p := c.Post(base+"/henvisninger/ny", url.Values{"offer": {strconv.FormatInt(offer, 10)}, "citizen_accepted": {"true"}, "note": {"x"}}); p.Status != http.StatusOK {
		t.Fatalf("refer: %d %s", p.Status, p.Text(".form-error-message"))
	}

	h := app.Login(t, "sund")
	p := h.Get(screening)
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".screening-result"), "WHO-5 = 24") || !strings.Contains(p.Body, "Rygsmerter siden 2023") {
		t.Fatalf("with consent the health user should see the answers: %d", p.Status)
	}
	if p = h.Get(base); !p.Has("svg.trend-svg") {
		t.Fatal("with consent the health user should see the trend")
	}

	var cid int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM consents WHERE citizen_id = $1`, id).Scan(&cid); err != nil {
		t.Fatal(err)
	}
	c.Post(base+"/samtykker/"+strconv.FormatInt(cid, 10)+"/tilbagekald", nil)

	p = h.Get(screening)
	if p.Status != http.StatusOK || p.Has(".screening-result") || strings.Contains(p.Body, "Rygsmerter") || strings.Contains(p.Body, "WHO-5 = 24") {
		t.Fatalf("after withdrawal the answers still show (status %d)", p.Status)
	}
	if !strings.Contains(p.Body, "Helbredsoplysninger vises ikke") {
		t.Fatal("the page does not say why the answers are hidden")
	}
	p = h.Get(base)
	if p.Has("svg.trend-svg") || p.Has("#screeninger .risk-badge") || p.Has(".citizen-header .risk-badge") {
		t.Fatal("after withdrawal the overview still shows groups or the trend")
	}
	if !strings.Contains(p.Text("#screeninger"), "Screening") {
		t.Fatal("the overview should still show that a screening exists")
	}
}
