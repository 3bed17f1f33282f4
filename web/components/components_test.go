package components

import (
	"strings"
	"testing"

	"github.com/a-h/templ"
	"golang.org/x/net/html"
)

func TestTextFieldErrorState(t *testing.T) {
	out, doc := render(t, TextField(FieldProps{
		Name: "navn", Label: "Navn", Value: `Jens "J" <Hansen>`, Error: "Udfyld navn",
		Hint: "Fulde navn", Required: true, Width: "m", Autocomplete: "name",
		Attrs: templ.Attributes{"maxlength": "80"},
	}))
	in := byID(doc, "navn")
	if in == nil || in.Data != "input" {
		t.Fatalf("no input#navn in %s", out)
	}
	want := map[string]string{
		"name": "navn", "type": "text", "value": `Jens "J" <Hansen>`,
		"aria-invalid": "true", "aria-describedby": "navn-hint navn-error",
		"aria-required": "true", "autocomplete": "name", "maxlength": "80",
		"class": "form-input input-width-m",
	}
	for k, v := range want {
		if got, _ := attr(in, k); got != v {
			t.Errorf("input %s = %q, want %q", k, got, v)
		}
	}
	if e := byID(doc, "navn-error"); e == nil || !strings.Contains(text(e), "Udfyld navn") || !hasClass(e, "form-error-message") {
		t.Errorf("error message missing: %s", out)
	}
	if h := byID(doc, "navn-hint"); h == nil || text(h) != "Fulde navn" {
		t.Errorf("hint missing: %s", out)
	}
	if g := in.Parent; !hasClass(g, "form-group") || !hasClass(g, "form-error") {
		t.Errorf("wrapper lacks form-group form-error: %s", out)
	}
	labels := byTag(doc, "label")
	if len(labels) != 1 || text(labels[0]) != "Navn (*skal udfyldes)" {
		t.Errorf("label: %s", out)
	}
	if f, _ := attr(labels[0], "for"); f != "navn" {
		t.Errorf("label for = %q", f)
	}
}

func TestTextFieldNoError(t *testing.T) {
	out, doc := render(t, TextField(FieldProps{Name: "dato", Label: "Dato", Type: "date", Value: "2024-01-02"}))
	in := byID(doc, "dato")
	if typ, _ := attr(in, "type"); typ != "date" {
		t.Errorf("type = %q", typ)
	}
	for _, k := range []string{"aria-invalid", "aria-describedby", "aria-required"} {
		if _, ok := attr(in, k); ok {
			t.Errorf("unexpected %s: %s", k, out)
		}
	}
	if strings.Contains(out, "form-error") {
		t.Errorf("error class without error: %s", out)
	}
}

func TestPasswordNeverEchoed(t *testing.T) {
	out, _ := render(t, TextField(FieldProps{Name: "pw", Label: "Adgangskode", Type: "password", Value: "hemmelig"}))
	if strings.Contains(out, "hemmelig") {
		t.Errorf("password echoed: %s", out)
	}
}

func TestTextAreaKeepsValue(t *testing.T) {
	out, doc := render(t, TextArea(FieldProps{Name: "note", Label: "Note", Value: "linje 1\n<linje 2>", Error: "For lang"}))
	ta := byID(doc, "note")
	if ta == nil || ta.Data != "textarea" || text(ta) != "linje 1 <linje 2>" {
		t.Fatalf("textarea: %s", out)
	}
	if v, _ := attr(ta, "aria-invalid"); v != "true" {
		t.Errorf("aria-invalid missing: %s", out)
	}
	if v, _ := attr(ta, "rows"); v != "5" {
		t.Errorf("rows = %q", v)
	}
	_, doc = render(t, TextArea(FieldProps{Name: "n", Label: "N", Attrs: templ.Attributes{"rows": "10"}}))
	if v, _ := attr(byID(doc, "n"), "rows"); v != "10" {
		t.Errorf("rows override = %q", v)
	}
}

func TestSelectField(t *testing.T) {
	out, doc := render(t, SelectField(ChoiceProps{
		Name: "kommune", Label: "Kommune", Selected: "751", Error: "Vælg en kommune",
		Options: []Option{{"101", "København"}, {"751", "Aarhus"}},
	}))
	sel := byID(doc, "kommune")
	if sel == nil || sel.Data != "select" {
		t.Fatalf("no select: %s", out)
	}
	opts := byTag(sel, "option")
	if len(opts) != 3 || text(opts[0]) != "Vælg …" {
		t.Fatalf("options: %s", out)
	}
	if v, _ := attr(opts[0], "value"); v != "" {
		t.Errorf("first option value %q", v)
	}
	if _, ok := attr(opts[2], "selected"); !ok {
		t.Errorf("Aarhus not selected: %s", out)
	}
	if _, ok := attr(opts[1], "selected"); ok {
		t.Errorf("København selected: %s", out)
	}
	if v, _ := attr(sel, "aria-invalid"); v != "true" || !strings.Contains(out, "Vælg en kommune") {
		t.Errorf("error state: %s", out)
	}
}

func TestRadioGroup(t *testing.T) {
	out, doc := render(t, RadioGroup(ChoiceProps{
		Name: "risiko", Label: "Risiko", Hint: "Vælg én", Error: "Vælg en risiko", Selected: "lav",
		Options: []Option{{"hoej", "Høj"}, {"lav", "Lav"}, {"ingen", "Ingen"}},
	}))
	fs := byTag(doc, "fieldset")
	if len(fs) != 1 {
		t.Fatalf("fieldset: %s", out)
	}
	if v, _ := attr(fs[0], "aria-describedby"); v != "risiko-hint risiko-error" {
		t.Errorf("fieldset aria-describedby = %q", v)
	}
	if l := byTag(fs[0], "legend"); len(l) != 1 || text(l[0]) != "Risiko" {
		t.Errorf("legend: %s", out)
	}
	radios := find(doc, func(n *html.Node) bool { v, _ := attr(n, "type"); return v == "radio" })
	if len(radios) != 3 {
		t.Fatalf("radios: %d", len(radios))
	}
	ids := []string{"risiko", "risiko-2", "risiko-3"}
	for i, r := range radios {
		id, _ := attr(r, "id")
		name, _ := attr(r, "name")
		_, checked := attr(r, "checked")
		if id != ids[i] || name != "risiko" || checked != (i == 1) {
			t.Errorf("radio %d: id=%q name=%q checked=%v", i, id, name, checked)
		}
		if labels := find(doc, func(n *html.Node) bool { v, _ := attr(n, "for"); return n.Data == "label" && v == id }); len(labels) != 1 {
			t.Errorf("radio %s has no label", id)
		}
	}
	if !strings.Contains(out, "Vælg en risiko") || !strings.Contains(out, "form-error") {
		t.Errorf("error state missing: %s", out)
	}
}

func TestCheckboxField(t *testing.T) {
	out, doc := render(t, CheckboxField("samtykke", "Samtykke givet", "Skriftligt", true))
	cb := byID(doc, "samtykke")
	if cb == nil {
		t.Fatalf("no checkbox: %s", out)
	}
	if _, ok := attr(cb, "checked"); !ok {
		t.Error("not checked")
	}
	if v, _ := attr(cb, "aria-describedby"); v != "samtykke-hint" {
		t.Errorf("aria-describedby = %q", v)
	}
	out, _ = render(t, CheckboxField("x", "X", "", false))
	if strings.Contains(out, "checked") || strings.Contains(out, "aria-describedby") {
		t.Errorf("unchecked: %s", out)
	}
}

func TestErrorSummary(t *testing.T) {
	out, _ := render(t, ErrorSummary(nil, []string{"a"}))
	if out != "" {
		t.Errorf("empty errs rendered %q", out)
	}
	errs := map[string]string{"navn": "Udfyld navn", "cpr": "Ugyldigt CPR-nummer", "z": "Z", "b": "B"}
	out, doc := render(t, ErrorSummary(errs, []string{"navn", "cpr", "ikke-her"}))
	if !strings.Contains(out, "Der er fejl i formularen") {
		t.Errorf("heading missing: %s", out)
	}
	var hrefs []string
	for _, a := range byTag(doc, "a") {
		h, _ := attr(a, "href")
		hrefs = append(hrefs, h+"="+text(a))
	}
	want := "#navn=Udfyld navn,#cpr=Ugyldigt CPR-nummer,#b=B,#z=Z"
	if got := strings.Join(hrefs, ","); got != want {
		t.Errorf("links %q, want %q", got, want)
	}
	if !strings.Contains(out, `tabindex="-1"`) || !strings.Contains(out, "autofocus") {
		t.Errorf("summary not focusable: %s", out)
	}
}

func TestPageInfo(t *testing.T) {
	tests := []struct {
		p                PageInfo
		pages, cur       int
		hasPrev, hasNext bool
	}{
		{PageInfo{Page: 1, PerPage: 25, Total: 0}, 1, 1, false, false},
		{PageInfo{Page: 1, PerPage: 25, Total: 25}, 1, 1, false, false},
		{PageInfo{Page: 1, PerPage: 25, Total: 26}, 2, 1, false, true},
		{PageInfo{Page: 3, PerPage: 25, Total: 123}, 5, 3, true, true},
		{PageInfo{Page: 9, PerPage: 25, Total: 123}, 5, 5, true, false},
		{PageInfo{Page: 0, PerPage: 0, Total: 123}, 1, 1, false, false},
	}
	for _, tc := range tests {
		if tc.p.Pages() != tc.pages || tc.p.Current() != tc.cur || tc.p.HasPrev() != tc.hasPrev || tc.p.HasNext() != tc.hasNext {
			t.Errorf("%+v: pages=%d cur=%d prev=%v next=%v", tc.p, tc.p.Pages(), tc.p.Current(), tc.p.HasPrev(), tc.p.HasNext())
		}
	}
}

func pageNumbers(p PageInfo) string {
	var s []string
	for _, it := range p.items() {
		if it.N == 0 {
			s = append(s, "…")
		} else if it.Current {
			s = append(s, "["+itoa(it.N)+"]")
		} else {
			s = append(s, itoa(it.N))
		}
	}
	return strings.Join(s, " ")
}

func itoa(n int) string { return FormatInt(n) }

func TestPaginationItems(t *testing.T) {
	tests := []struct {
		page, total int
		want        string
	}{
		{1, 3, "[1] 2 3"},
		{2, 7, "1 [2] 3 4 5 6 7"},
		{1, 20, "[1] 2 3 4 5 … 20"},
		{4, 20, "1 2 3 [4] 5 … 20"},
		{5, 20, "1 … 4 [5] 6 … 20"},
		{17, 20, "1 … 16 [17] 18 19 20"},
		{20, 20, "1 … 16 17 18 19 [20]"},
	}
	for _, tc := range tests {
		got := pageNumbers(PageInfo{Page: tc.page, PerPage: 10, Total: tc.total * 10})
		if got != tc.want {
			t.Errorf("page %d of %d: %q, want %q", tc.page, tc.total, got, tc.want)
		}
	}
}

func TestPagination(t *testing.T) {
	url := func(n int) string { return "/borgere?q=a&side=" + itoa(n) }
	out, doc := render(t, Pagination(PageInfo{Page: 3, PerPage: 25, Total: 123, URL: url}))
	navs := byTag(doc, "nav")
	if len(navs) != 1 {
		t.Fatalf("nav: %s", out)
	}
	if v, _ := attr(navs[0], "aria-label"); v != "Sidenavigation" || !hasClass(navs[0], "pagination") {
		t.Errorf("nav attrs: %s", out)
	}
	if !strings.Contains(text(navs[0]), "Side 3 af 5") {
		t.Errorf("no 'Side 3 af 5': %s", text(navs[0]))
	}
	rel := func(r string) string {
		ns := find(doc, func(n *html.Node) bool { v, _ := attr(n, "rel"); return v == r })
		if len(ns) != 1 {
			return ""
		}
		h, _ := attr(ns[0], "href")
		return h
	}
	if got := rel("prev"); got != "/borgere?q=a&side=2" {
		t.Errorf("prev href %q", got)
	}
	if got := rel("next"); got != "/borgere?q=a&side=4" {
		t.Errorf("next href %q", got)
	}
	cur := find(doc, func(n *html.Node) bool { v, _ := attr(n, "aria-current"); return v == "page" })
	if len(cur) != 1 || text(cur[0]) != "3" {
		t.Errorf("aria-current: %s", out)
	}
	nums := find(doc, func(n *html.Node) bool { return n.Data == "li" && hasClass(n, "pagination-number") })
	if len(nums) != 5 {
		t.Errorf("%d page numbers, want 5", len(nums))
	}

	// First page: no prev link; last page: no next link.
	_, doc = render(t, Pagination(PageInfo{Page: 1, PerPage: 25, Total: 123, URL: url}))
	if ns := find(doc, func(n *html.Node) bool { v, _ := attr(n, "rel"); return v == "prev" }); len(ns) != 0 {
		t.Error("prev link on first page")
	}
	_, doc = render(t, Pagination(PageInfo{Page: 5, PerPage: 25, Total: 123, URL: url}))
	if ns := find(doc, func(n *html.Node) bool { v, _ := attr(n, "rel"); return v == "next" }); len(ns) != 0 {
		t.Error("next link on last page")
	}
	// One page: nothing.
	if out, _ := render(t, Pagination(PageInfo{Page: 1, PerPage: 25, Total: 10})); out != "" {
		t.Errorf("single page rendered %q", out)
	}
	// Default URL.
	out, _ = render(t, Pagination(PageInfo{Page: 1, PerPage: 10, Total: 30}))
	if !strings.Contains(out, `href="?side=2"`) {
		t.Errorf("default URL: %s", out)
	}
}

func TestResultCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		noun string
		want string
	}{
		{123, "borgere", "123 borgere"},
		{1234567, "borgere", "1.234.567 borgere"},
		{1, "borger|borgere", "1 borger"},
		{0, "borger|borgere", "0 borgere"},
		{-1500, "x", "-1.500 x"},
	} {
		out, _ := render(t, ResultCount(tc.n, tc.noun))
		if !strings.Contains(out, ">"+tc.want+"<") {
			t.Errorf("ResultCount(%d, %q) = %s, want %q", tc.n, tc.noun, out, tc.want)
		}
	}
}

func TestRiskBadge(t *testing.T) {
	for _, tc := range []struct{ code, label, class, text string }{
		{"hoej", "", "risk-hoej", "Høj risiko"},
		{"mellem", "Mellem", "risk-mellem", "Mellem"},
		{"lav", "", "risk-lav", "Lav risiko"},
		{"ingen", "", "risk-ingen", "Ingen risiko"},
		{"", "", "risk-ukendt", "Ikke screenet"},
		{"noget", "", "risk-ukendt", "Ikke screenet"},
	} {
		out, doc := render(t, RiskBadge(tc.code, tc.label))
		spans := byTag(doc, "span")
		if len(spans) != 1 || !hasClass(spans[0], "risk-badge") || !hasClass(spans[0], tc.class) || text(spans[0]) != tc.text {
			t.Errorf("RiskBadge(%q, %q) = %s", tc.code, tc.label, out)
		}
	}
}

func TestFlashAndAlert(t *testing.T) {
	if out, _ := render(t, FlashMessage(Flash{})); out != "" {
		t.Errorf("empty flash rendered %q", out)
	}
	for _, tc := range []struct{ kind, class, role string }{
		{"success", "alert-success", "status"},
		{"error", "alert-error", "alert"},
		{"info", "alert-info", "status"},
		{"", "alert-info", "status"},
	} {
		out, doc := render(t, FlashMessage(Flash{Kind: tc.kind, Message: "Gemt <ok>"}))
		divs := find(doc, func(n *html.Node) bool { return hasClass(n, "alert") })
		if len(divs) != 1 || !hasClass(divs[0], tc.class) {
			t.Errorf("%q: %s", tc.kind, out)
			continue
		}
		if r, _ := attr(divs[0], "role"); r != tc.role {
			t.Errorf("%q: role %q, want %q", tc.kind, r, tc.role)
		}
		if !strings.Contains(text(divs[0]), "Gemt <ok>") {
			t.Errorf("%q: message missing: %s", tc.kind, out)
		}
	}
}

func TestIconUsesFingerprintedSprite(t *testing.T) {
	out, _ := render(t, Icon("lock"))
	if !strings.Contains(out, `aria-hidden="true"`) || !strings.Contains(out, ".svg#lock\"") || !strings.Contains(out, "/static/img/all-svg-icons.") {
		t.Errorf("icon: %s", out)
	}
}

func TestButtonsAndDefinitionList(t *testing.T) {
	out, _ := render(t, Button("Gem", "secondary"))
	if out != `<button type="submit" class="button button-secondary">Gem</button>` {
		t.Errorf("Button: %s", out)
	}
	out, _ = render(t, LinkButton("Ny sag", "/sager/ny", ""))
	if !strings.Contains(out, `href="/sager/ny"`) || !strings.Contains(out, "button-primary") {
		t.Errorf("LinkButton: %s", out)
	}
	out, doc := render(t, DefinitionList([]DL{{"CPR-nummer", "010203-1234"}, {"Adresse", ""}}))
	dts, dds := byTag(doc, "dt"), byTag(doc, "dd")
	if len(dts) != 2 || len(dds) != 2 || text(dds[0]) != "010203-1234" || !strings.Contains(text(dds[1]), "Ikke oplyst") {
		t.Errorf("DefinitionList: %s", out)
	}
	if out, _ := render(t, DefinitionList(nil)); out != "" {
		t.Errorf("empty DefinitionList rendered %q", out)
	}
}

func TestCheckboxGroupKeepsChoices(t *testing.T) {
	out, doc := render(t, CheckboxGroup(MultiChoiceProps{Name: "krams", Label: "KRAMS", Error: "Vælg mindst én",
		Options: []Option{{"kost", "Kost"}, {"rygning", "Rygning"}, {"motion", "Motion"}}, Selected: []string{"kost", "motion"}}))
	boxes := find(doc, func(n *html.Node) bool { return n.Data == "input" })
	if len(boxes) != 3 {
		t.Fatalf("%d checkboxes: %s", len(boxes), out)
	}
	var checked []string
	for i, b := range boxes {
		id, _ := attr(b, "id")
		if want := radioID("krams", i); id != want {
			t.Errorf("checkbox %d id %q; want %q", i, id, want)
		}
		if _, ok := attr(b, "checked"); ok {
			v, _ := attr(b, "value")
			checked = append(checked, v)
		}
	}
	if strings.Join(checked, ",") != "kost,motion" {
		t.Errorf("checked %v; want kost, motion", checked)
	}
	if !strings.Contains(out, "Vælg mindst én") || !strings.Contains(out, `aria-describedby="krams-error"`) {
		t.Errorf("error not shown or not linked: %s", out)
	}
}
