package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/components"
)

// fakePDF "prints" a letter as a minimal PDF that carries the letter's HTML, so a test can
// read what was printed without Chromium.
type fakePDF struct{}

func (fakePDF) Available() bool { return true }
func (fakePDF) Render(_ context.Context, html string) ([]byte, error) {
	return []byte("%PDF-1.4\n%" + strings.ReplaceAll(html, "\n", " ") + "\n%%EOF\n"), nil
}
func (fakePDF) Close() {}

// letterWorld is a caseworker's citizen on tomorrow's meeting with the team's indstilling,
// and a partshøring in the case.
type letterWorld struct {
	app                   *apptest.App
	cw                    store.User
	member                store.User
	a, mid, mcid, hearing int64
	base                  string
}

func newLetterWorld(t *testing.T, cfg web.Config, first, last string) letterWorld {
	t.Helper()
	app := apptest.New(t, cfg)
	w := letterWorld{app: app}
	w.cw = app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	w.member = app.User(t, "member", access.RoleRehabTeam, apptest.Region)
	w.a = app.Citizen(t, "020385-1233", first, last, apptest.Jobcenter, w.cw.ID)
	ctx := context.Background()
	who := store.Who{UserID: w.cw.ID}
	team, err := app.Store.CreateTeam(ctx, who, "Rehabiliteringsteam Test", app.Units[apptest.Jobcenter])
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetTeamMember(ctx, who, team, w.member.ID, "sundhedskoordinator"); err != nil {
		t.Fatal(err)
	}
	if w.mid, err = app.Store.CreateMeeting(ctx, who, store.MeetingInput{TeamID: team, StartsAt: time.Now().Add(24 * time.Hour),
		SlotMinutes: 30, ChairID: w.member.ID, MinuteTakerID: w.member.ID}); err != nil {
		t.Fatal(err)
	}
	if w.mcid, err = app.Store.AddMeetingCase(ctx, who, w.mid, w.a, "Fleksjob?"); err != nil {
		t.Fatal(err)
	}
	writePostTeamRecords(t, app, w.a, w.cw, w.member) // a fleksjob indstilling needs them (lov nr. 1750)
	if err := app.Store.RecordIndstilling(ctx, store.Who{UserID: w.member.ID}, w.mid, w.mcid, 1,
		helhed.Indstilling{Outcome: "fleksjob", Reasons: "Arbejdsevnen er varigt nedsat"}); err != nil {
		t.Fatal(err)
	}
	today := helhed.DanishToday(time.Now())
	if w.hearing, err = app.Store.StartHearing(ctx, who, w.mid, w.mcid, helhed.HearingInput{Subject: "Lægeattest af 1. december om arbejdsevnen",
		SentOn: today, Deadline: today.AddDate(0, 0, 14)}); err != nil {
		t.Fatal(err)
	}
	w.base = "/borgere/" + strconv.FormatInt(w.a, 10)
	return w
}

// counts are the rows a letter makes.
func (w letterWorld) counts(t *testing.T) [3]int {
	t.Helper()
	var n [3]int
	if err := w.app.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM documents WHERE citizen_id = $1),
		(SELECT count(*) FROM journal_notes WHERE citizen_id = $1), (SELECT count(*) FROM letters WHERE citizen_id = $1)`, w.a).
		Scan(&n[0], &n[1], &n[2]); err != nil {
		t.Fatal(err)
	}
	return n
}

// formValues reads a letter form as the browser would send it: its hidden fields, inputs,
// checked radios and textareas.
func formValues(p *apptest.Page) url.Values {
	v := url.Values{}
	p.Doc.Find(`form[method=post] input`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		val, _ := s.Attr("value")
		if name == "" || (typ == "radio" && s.AttrOr("checked", "no") == "no") {
			return
		}
		v.Set(name, val)
	})
	p.Doc.Find(`form[method=post] textarea`).Each(func(_ int, s *goquery.Selection) {
		v.Set(s.AttrOr("name", ""), s.Text())
	})
	return v
}

// The caseworker sends the partshøring letter from the partshøring on the case page: the
// form is prefilled from it; sent without a heading it comes back beside the field with the
// texts kept; sent right it becomes a PDF document (downloadable, application/pdf), a journal
// note of kind partshøring and a letter in the outbox, and the page says it waits in the
// outbox, not that it was sent. Another citizen's partshøring is not found.
func TestSendPartshoeringLetter(t *testing.T) {
	t.Parallel()
	w := newLetterWorld(t, web.Config{PDF: fakePDF{}}, "Anna", "Andersen")
	cw := w.app.Login(t, "cw")
	casePage := cw.Get("/moeder/" + strconv.FormatInt(w.mid, 10) + "/sager/" + strconv.FormatInt(w.mcid, 10))
	href, ok := casePage.Doc.Find(`a:contains("Send partshøringsbrev")`).Attr("href")
	if !ok || !strings.Contains(href, "hoering="+strconv.FormatInt(w.hearing, 10)) {
		t.Fatalf("the case page has no partshøring letter link: %q", href)
	}
	if !casePage.Has(`a:contains("Send indstillingen til borgeren")`) {
		t.Error("the case page does not offer to send the indstilling")
	}
	p := cw.Get(href)
	if p.Status != http.StatusOK {
		t.Fatalf("letter form: %d", p.Status)
	}
	v := formValues(p)
	if v.Get("basis") != "Lægeattest af 1. december om arbejdsevnen" || !strings.Contains(v.Get("matter"), "Fleksjob") ||
		v.Get("deadline") != helhed.DanishToday(time.Now()).AddDate(0, 0, 14).Format(time.DateOnly) || v.Get("class") != "helbred" {
		t.Fatalf("the form is not prefilled from the partshøring: %v", v)
	}

	before := w.counts(t)
	bad := url.Values{}
	for k := range v {
		bad.Set(k, v.Get(k))
	}
	bad.Set("subject", "")
	bad.Set("basis", "Min egen tekst om lægeattesten")
	r := cw.Post(w.base+"/breve/ny", bad)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text("#subject-error"), "Skal udfyldes") ||
		r.Text(`textarea[name=basis]`) != "Min egen tekst om lægeattesten" {
		t.Fatalf("without a heading: %d, error %q, basis %q", r.Status, r.Text("#subject-error"), r.Text(`textarea[name=basis]`))
	}
	if after := w.counts(t); after != before {
		t.Fatalf("a refused letter kept something: %v → %v", before, after)
	}

	v.Set("basis", "Min egen tekst om lægeattesten")
	r = cw.Post(w.base+"/breve/ny", v)
	if r.Status != http.StatusOK || r.URL.Path != w.base+"/breve" {
		t.Fatalf("send: %d at %s", r.Status, r.URL.Path)
	}
	body := r.Text("main")
	if !strings.Contains(body, "Lagt i udbakken – afventer afsendelse via Digital Post") || strings.Contains(strings.ToLower(body), "afsendt ") ||
		strings.Contains(body, "er sendt") {
		t.Fatalf("the letters page after sending: %s", body)
	}
	if after := w.counts(t); after != [3]int{before[0] + 1, before[1] + 1, before[2] + 1} {
		t.Fatalf("documents, notes, letters %v → %v; want one more of each", before, after)
	}
	var did, hid int64
	var state, noteKind string
	if err := w.app.Pool.QueryRow(context.Background(), `SELECT l.document_id, l.hearing_id, l.state, n.kind FROM letters l
		JOIN journal_notes n ON n.id = l.journal_note_id WHERE l.citizen_id = $1`, w.a).Scan(&did, &hid, &state, &noteKind); err != nil {
		t.Fatal(err)
	}
	if hid != w.hearing || state != store.LetterOutbox || noteKind != "partshoering" {
		t.Fatalf("letter: hearing %d, state %s, note %s", hid, state, noteKind)
	}
	doc := cw.Get(w.base + "/dokumenter/" + strconv.FormatInt(did, 10))
	if doc.Status != http.StatusOK || doc.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(doc.Body, "%PDF") ||
		!strings.Contains(doc.Body, "Min egen tekst om lægeattesten") || !strings.Contains(doc.Body, "Anna Andersen") {
		t.Fatalf("the letter's document: %d %s %.80q", doc.Status, doc.Header.Get("Content-Type"), doc.Body)
	}
	if j := cw.Get(w.base + "/journal"); !strings.Contains(j.Text("main"), "Partshøring før afgørelse") {
		t.Errorf("the journal does not say the letter was sent: %s", j.Text("main"))
	}
	if ov := cw.Get(w.base); !strings.Contains(ov.Text("#breve"), "Breve til borgeren (1)") || !strings.Contains(ov.Text("#breve"), "1 af brevene afventer") {
		t.Errorf("the citizen page's letters: %q", ov.Text("#breve"))
	}
	if w.app.AuditCount(t, store.AuditLetterSend, w.a) != 1 {
		t.Error("the letter is not audited")
	}

	// Another citizen's partshøring under this citizen's address is not found.
	other := w.app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter, w.cw.ID)
	if p := cw.Get("/borgere/" + strconv.FormatInt(other, 10) + "/breve/ny?type=partshoering&hoering=" + strconv.FormatInt(w.hearing, 10)); p.Status != http.StatusNotFound {
		t.Errorf("another citizen's partshøring: %d; want 404", p.Status)
	}
	v.Set("hoering", strconv.FormatInt(w.hearing, 10))
	v.Del(components.FormTokenField) // the form was sent once already
	if p := cw.Post("/borgere/"+strconv.FormatInt(other, 10)+"/breve/ny", v); p.Status != http.StatusNotFound {
		t.Errorf("posting another citizen's partshøring: %d; want 404", p.Status)
	}
	// A kind without a template is not offered.
	if p := cw.Get(w.base + "/breve/ny?type=rykker"); p.Status != http.StatusNotFound {
		t.Errorf("an unknown kind: %d; want 404", p.Status)
	}
}

// Without Chromium the letter cannot be printed: the form comes back with a Danish message
// and everything typed, and nothing is kept.
func TestLetterWithoutPDFRendererStoresNothing(t *testing.T) {
	t.Parallel()
	w := newLetterWorld(t, web.Config{ChromiumPath: "/nonexistent/chromium"}, "Anna", "Andersen")
	cw := w.app.Login(t, "cw")
	p := cw.Get(w.base + "/breve/ny?type=indkaldelse")
	v := formValues(p)
	v.Set("at_date", form.Today(time.Now()).AddDate(0, 0, 3).Format(time.DateOnly))
	v.Set("at_time", "10.30")
	v.Set("purpose", "Vi skal tale om din plan og dit næste skridt")
	before := w.counts(t)
	r := cw.Post(w.base+"/breve/ny", v)
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Text(".alert-error"), "Intet er gemt") ||
		r.Text(`textarea[name=purpose]`) != "Vi skal tale om din plan og dit næste skridt" || r.Value(`input[name=at_time]`) != "10.30" {
		t.Fatalf("without chromium: %d %q, purpose %q", r.Status, r.Text(".alert-error"), r.Text(`textarea[name=purpose]`))
	}
	if after := w.counts(t); after != before {
		t.Fatalf("without chromium something was kept: %v → %v", before, after)
	}
	// A wrong time comes back beside its field.
	v.Set("at_time", "25.99")
	if r := cw.Post(w.base+"/breve/ny", v); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text("#at_time-error"), "klokkeslæt") {
		t.Fatalf("a wrong time: %d %q", r.Status, r.Text("#at_time-error"))
	}
}

// A letter whose document the viewer may not see is counted, not shown: the team's member
// from the region, without a health consent, sees the indkaldelse (case data) but not the
// partshøring letter (health data), on the letters page and the citizen page; with a health
// consent, both.
func TestHealthLetterIsCountedNotShown(t *testing.T) {
	t.Parallel()
	w := newLetterWorld(t, web.Config{}, "Anna", "Andersen")
	ctx := context.Background()
	who := store.Who{UserID: w.cw.ID}
	for _, in := range []store.LetterInput{
		{Kind: store.LetterPartshoering, Subject: "Partshøring om diagnosen", HearingID: w.hearing},
		{Kind: store.LetterIndkaldelse, Subject: "Indkaldelse til samtale i jobcentret"},
	} {
		if _, err := w.app.Store.SendLetter(ctx, who, w.a, in, strings.NewReader("%PDF-1.4\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
	}
	member := w.app.Login(t, "member")
	p := member.Get(w.base + "/breve")
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Indkaldelse til samtale i jobcentret") || strings.Contains(p.Body, "diagnosen") ||
		!strings.Contains(p.Text("main"), "1 brev(e)") || p.Has(`a[href$="/breve/ny"]`) {
		t.Fatalf("the member's letters page: %d %s", p.Status, p.Text("main"))
	}
	if ov := member.Get(w.base); strings.Contains(ov.Body, "diagnosen") || !strings.Contains(ov.Text("#breve"), "Breve til borgeren (1)") {
		t.Fatalf("the member's citizen page: %q", ov.Text("#breve"))
	}
	if err := w.app.Store.CreateConsents(ctx, who, store.NewConsent{CitizenID: w.a, Information: store.ConsentHealth,
		UnitIDs: []int64{w.app.Units[apptest.Region]}, Purpose: "Rehabiliteringsteam", GivenOn: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if p := member.Get(w.base + "/breve"); !strings.Contains(p.Body, "Partshøring om diagnosen") {
		t.Fatalf("with a health consent the member does not see the partshøring letter: %s", p.Text("main"))
	}
	if p := member.Get(w.base + "/breve/ny?type=indkaldelse"); p.Status != http.StatusForbidden && p.Status != http.StatusNotFound {
		t.Fatalf("the member may write a letter: %d", p.Status)
	}
}

// The printed afgørelse letter as the citizen gets it, through the page: the text of the
// stored PDF holds the citizen's name with æ, ø and å intact and the klagevejledning in
// force. Without chromium or pdftotext the test is skipped locally and fails in CI.
func TestAfgoerelseLetterPDFText(t *testing.T) {
	t.Parallel()
	if !(&pdf.Renderer{}).Available() || !hasPDFToText() {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have chromium and pdftotext (poppler-utils) to check the letter's text")
		}
		t.Skip("chromium or pdftotext (poppler-utils) is not installed")
	}
	w := newLetterWorld(t, web.Config{}, "Søren Ærø", "Østergård")
	ctx := context.Background()
	who := store.Who{UserID: w.cw.ID}
	today := helhed.DanishToday(time.Now())
	if err := w.app.Store.RecordHearingResult(ctx, who, w.mid, w.mcid, w.hearing, 1, helhed.HearingResultInput{Result: helhed.HearingAnswered,
		ResponseOn: today, Summary: "Borgeren er enig"}); err != nil {
		t.Fatal(err)
	}
	dec, err := w.app.Store.RecordDecision(ctx, who, w.mid, w.mcid, 0, helhed.Decision{Outcome: "fleksjob",
		Reasons: "LAB § 116: arbejdsevnen er varigt og væsentligt nedsat.", DecidedOn: today})
	if err != nil {
		t.Fatal(err)
	}
	cw := w.app.Login(t, "cw")
	casePage := cw.Get("/moeder/" + strconv.FormatInt(w.mid, 10) + "/sager/" + strconv.FormatInt(w.mcid, 10))
	href, ok := casePage.Doc.Find(`a:contains("Send afgørelsesbrev")`).Attr("href")
	if !ok || !strings.Contains(href, "afgoerelse="+strconv.FormatInt(dec, 10)) {
		t.Fatalf("the case page has no afgørelse letter link: %q", href)
	}
	v := formValues(cw.Get(href))
	if !strings.Contains(v.Get("guidance"), "Ankestyrelsen") || v.Get("outcome") != "Fleksjob" {
		t.Fatalf("the afgørelse form: %v", v)
	}
	if r := cw.Post(w.base+"/breve/ny", v); r.Status != http.StatusOK || !strings.Contains(r.Text("main"), "Lagt i udbakken") {
		t.Fatalf("send: %d %s", r.Status, r.Text("main"))
	}
	var did int64
	if err := w.app.Pool.QueryRow(ctx, `SELECT document_id FROM letters WHERE citizen_id = $1 AND decision_id = $2`, w.a, dec).Scan(&did); err != nil {
		t.Fatal(err)
	}
	doc := cw.Get(w.base + "/dokumenter/" + strconv.FormatInt(did, 10))
	f := filepath.Join(t.TempDir(), "afgoerelse.pdf")
	if err := os.WriteFile(f, []byte(doc.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Søren Ærø Østergård", "Kære Søren Ærø Østergård", "Afgørelse om fleksjob", "Vi har besluttet: Fleksjob.",
		"følger rehabiliteringsteamets indstilling", "Klagevejledning", "senest 4 uger efter", "Ankestyrelsen", "Med venlig hilsen"} {
		if !strings.Contains(text, want) {
			t.Errorf("the letter's PDF lacks %q:\n%s", want, text)
		}
	}
}

func hasPDFToText() bool {
	_, err := exec.LookPath("pdftotext")
	return err == nil
}
