package web_test

import (
	"bytes"
	"encoding/json"
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

var payloads = []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:alert(1)`}

// assertEscaped checks one page: the payload is shown as text (so the page does show the
// field, and as characters, not markup), no raw markup of it is in the HTML, and no URL
// attribute starts with javascript:.
func assertEscaped(t *testing.T, what string, p *apptest.Page, payload string) {
	t.Helper()
	if p.Status != http.StatusOK {
		t.Errorf("%s: status %d", what, p.Status)
		return
	}
	for _, raw := range []string{"<script>alert", "<img src=x"} {
		if strings.Contains(p.Body, raw) {
			t.Errorf("%s: payload %q appears unescaped (%q)", what, payload, raw)
		}
	}
	if !strings.Contains(p.Doc.Text(), payload) {
		t.Errorf("%s: the payload %q is not shown as text: the test does not reach a field on this page", what, payload)
	}
	p.Doc.Find("[href], [src], [action], [formaction], [xlink\\:href]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"href", "src", "action", "formaction", "xlink:href"} {
			if v, ok := s.Attr(attr); ok && strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "javascript:") {
				t.Errorf("%s: %s=%q: a javascript: URL", what, attr, v)
			}
		}
	})
}

// Hostile text in every free-text field — names, addresses, notes, purposes, reasons, goals,
// effort and offer texts, TFA answers, professions, unit, user and role names, rule-set and
// retention notes, reference data labels, descriptions and sources (also in the law calendar), document titles — comes back escaped on every page that shows it, in the printed plan (the
// same component the PDF renders; web/pages/plans tests the PDF document itself) and in the
// JSON export; javascript: never becomes a URL.
func TestFreeTextIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	for i, p := range payloads {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			freeTextEverywhere(t, p)
		})
	}
}

// freeTextEverywhere writes p into every free-text field through the pages, checks each page
// that shows it and returns the app (TestAuditDetailsHoldNoFreeText reads its audit log).
func freeTextEverywhere(t *testing.T, p string) *apptest.App {
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "leder", access.RoleManager, apptest.Jobcenter)
	nurse := app.User(t, "sund", access.RoleHealth, apptest.Health)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	adm := app.Login(t, "admin")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	must := func(what string, pg *apptest.Page, status int) *apptest.Page {
		t.Helper()
		if pg.Status != status {
			t.Fatalf("%s: %d; want %d: %s", what, pg.Status, status, pg.Text(".form-error-message"))
		}
		return pg
	}

	// The administrator names a unit, a user and a role with the payload, and writes it in a
	// rule-set note and a retention note.
	must("unit", adm.Post("/admin/enheder", url.Values{"name": {"Sundhed " + p}, "kind": {"sundhedscenter"}}), http.StatusOK)
	var unit int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM units WHERE name = $1`, "Sundhed "+p).Scan(&unit); err != nil {
		t.Fatal(err)
	}
	must("rename nurse", adm.Post("/admin/brugere/"+id(nurse.ID), url.Values{"name": {"Sund " + p}, "unit": {id(unit)},
		"role": {access.RoleHealth}}), http.StatusOK)
	must("rename caseworker", adm.Post("/admin/brugere/"+id(cw.ID), url.Values{"name": {"Sag " + p}, "unit": {id(app.Units[apptest.Jobcenter])},
		"role": {access.RoleCaseworker}}), http.StatusOK)
	must("role label", adm.Post("/admin/roller/rehabteam", url.Values{"label": {"Team " + p}, "description": {p}}), http.StatusOK)
	must("rule set", adm.Post("/admin/regelsaet", url.Values{"valid_from": {"2099-01-01"}, "who5_high": {"28"}, "who5_medium": {"50"},
		"medium_krams_count": {"2"}, "low_krams_count": {"1"}, "alcohol_week_max": {"10"}, "alcohol_day_max": {"4"},
		"exercise_min_minutes": {"30"}, "bmi_low10": {"185"}, "bmi_high10": {"300"}, "note": {p}}), http.StatusOK)
	must("retention note", adm.Post("/admin/opbevaring", url.Values{"years": {"5"}, "valid_from": {"2099-01-01"}, "note": {p}}), http.StatusOK)
	must("reference value", adm.Post("/admin/referencedata/benefit_type", url.Values{"code": {"xss_ydelse"}, "label": {"Ydelse " + p},
		"description": {p}, "source": {"Lov " + p}, "sort_order": {"100"}, "valid_from": {app.Store.Now().Format("2006-01-02")}}), http.StatusOK)

	// The health centre describes an offer with the payload.
	h := app.Login(t, "sund")
	offerPage := must("offer", h.Post("/katalog/ny", url.Values{"name": {"Tilbud " + p}, "description": {p}, "opgavetype": {"ot06"},
		"capacity": {"10"}, "attendance": {p}, "contact": {p}, "risk": {"mellem"}}), http.StatusOK)
	offer := offerPage.URL.Path

	// The caseworker writes the payload into every field of the case.
	c := app.Login(t, "cw")
	form := citizenForm("010190-2345")
	form.Set("first_name", p)
	form.Set("last_name", "X"+p)
	form.Set("address", p)
	form.Set("city", p)
	form.Set("caseworker", id(cw.ID))
	base := must("create citizen", c.Post("/borgere/ny", form), http.StatusOK).URL.Path
	sc := screeningAnswers()
	sc.Set("cond_notes", p)
	screening := must("screening", c.Post(base+"/screeninger/ny", sc), http.StatusOK).URL.Path
	must("override", c.Post(screening+"/vurdering", url.Values{"override_group": {"lav"}, "override_reason": {p + " begrundelse"}}), http.StatusOK)
	must("consent", c.Post(base+"/samtykker", url.Values{"c_information": {"helbred"}, "c_purpose": {p}, "c_units": {id(unit)}}), http.StatusOK)
	offerID := strings.TrimPrefix(offer, "/katalog/")
	referral := must("referral", c.Post(base+"/henvisninger/ny", url.Values{"offer": {offerID}, "note": {p}, "citizen_accepted": {"true"}}), http.StatusOK).URL.Path
	tfa := must("TFA", c.Post(base+"/tfa/ny", nil), http.StatusOK).URL.Path
	tf := tfaForm("1", "gem")
	for k := range tf {
		if strings.HasSuffix(k, "_desc") || strings.HasSuffix(k, "_work") || strings.HasSuffix(k, "_res") || strings.HasSuffix(k, "_bar") ||
			k == "citizen_goals" || k == "conclusion" {
			tf.Set(k, p)
		}
	}
	must("TFA save", c.Post(tfa, tf), http.StatusOK)
	must("participant", c.Post(tfa+"/deltagere", url.Values{"participant_user": {id(nurse.ID)}, "participant_profession": {p}}), http.StatusOK)
	plan := base + "/plan"
	must("plan", c.Post(plan+"/ny", nil), http.StatusOK)
	must("goals", c.Post(plan+"/maal", url.Values{"version": {"1"}, "citizen_goal": {p}, "goal_text_0": {"Mål " + p}}), http.StatusOK)
	must("effort", c.Post(plan+"/indsatser/ny", url.Values{"version": {"2"}, "title": {"Indsats " + p}, "area": {"beskaeftigelse"},
		"status": {"planlagt"}, "unit": {id(app.Units[apptest.Jobcenter])}, "person": {p}, "contact": {p}, "start": {"2026-03-01"}}), http.StatusOK)
	var effort, goal int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT e.id, g.id FROM plan_efforts e JOIN plan_goals g ON g.plan_id = e.plan_id`).Scan(&effort, &goal); err != nil {
		t.Fatal(err)
	}
	must("follow-up", c.Post(plan+"/opfoelgning", url.Values{"held_on": {app.Store.Now().Format("2006-01-02")}, "note": {p},
		"score_" + id(goal): {"5"}}), http.StatusOK)
	ct, body := uploadBody(t, uploadField{name: "title", value: "Dokument " + p}, uploadField{name: "doc_type", value: "laegeattest"},
		uploadField{name: "file", file: true, filename: "attest.pdf", value: string(smallPDF)})
	must("document", c.PostBody(base+"/dokumenter", ct, bytes.NewReader(body)), http.StatusOK)
	journal := base + "/journal"
	must("note", c.Post(journal+"/ny", url.Values{"kind": {"samtale"}, "class": {"helbred"},
		"event_date": {app.Store.Now().Format("2006-01-02")}, "text": {p}}), http.StatusOK)
	must("close", c.Post(base+"/afslut", url.Values{"close_reason": {p}}), http.StatusOK)
	must("hold", app.Login(t, "leder").Post(base+"/slettestop", url.Values{"hold_reason": {p}}), http.StatusOK)

	// The provider opens and refuses the referral with the payload as reason.
	must("open referral", h.Get(referral), http.StatusOK)
	must("refuse", h.Post(referral+"/status", url.Values{"to": {"afvist"}, "version": {"1"}, "reason": {p}}), http.StatusOK)

	pages := []struct {
		who  *apptest.Client
		path string
	}{
		{c, base + "/dokumenter"},
		{c, base}, {c, base + "/rediger"}, {c, screening}, {c, base + "/indsigt"}, {c, "/borgere"}, {c, referral}, {c, "/henvisninger"},
		{c, base + "/henvisninger/ny?tilbud=" + offerID}, {c, "/katalog"}, {c, offer}, {c, base + "/tfa"}, {c, tfa}, {c, plan},
		{c, journal}, {c, plan + "/maal"}, {c, plan + "/indsatser/" + id(effort)}, {c, plan + "/versioner?fra=1&til=3"}, {c, plan + "/print"},
		{h, "/indbakke?vis=nye"}, {h, referral}, {h, base}, {h, offer}, {h, offer + "/rediger"},
		{adm, "/admin/brugere"}, {adm, "/admin/brugere/" + id(nurse.ID)}, {adm, "/admin/enheder"}, {adm, "/admin/roller"},
		{adm, "/admin/regelsaet"}, {adm, "/admin/opbevaring"}, {adm, "/admin/opbevaring/" + strings.TrimPrefix(base, "/borgere/")},
		{adm, "/admin/referencedata/benefit_type"}, {adm, "/admin/referencedata/benefit_type/xss_ydelse"}, {adm, "/lovkalender"},
	}
	for _, pg := range pages {
		assertEscaped(t, pg.path, pg.who.Get(pg.path), p)
	}
	// The inbox lists a refused referral under none of its tabs; the caseworker's list and the
	// citizen page show it. The search result page echoes the query.
	assertEscaped(t, "search", c.Post("/borgere/soeg", url.Values{"q": {p}}), p)
	assertEscaped(t, "journal search", c.Post(journal+"/soeg", url.Values{"q": {p}}), p)

	// The JSON export carries the text as JSON strings: no markup survives, and decoding gives
	// the payload back unchanged.
	j := c.Get(base + "/indsigt.json")
	if ct := j.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || j.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("JSON export served as %q (nosniff %q)", ct, j.Header.Get("X-Content-Type-Options"))
	}
	if strings.Contains(j.Body, "<script") || strings.Contains(j.Body, "<img") {
		t.Errorf("the JSON export carries raw markup of %q", p)
	}
	var decoded any
	if err := json.Unmarshal([]byte(j.Body), &decoded); err != nil || !strings.Contains(jsonStrings(decoded), p) {
		t.Errorf("the JSON export does not decode to the payload %q: %v", p, err)
	}
	return app
}

// jsonStrings joins every string in a decoded JSON value.
func jsonStrings(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x)
			b.WriteByte('\n')
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}
