package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/format"
)

// noteValues is a filled-in note form.
func noteValues(kind, class, text string, day time.Time) url.Values {
	return url.Values{"kind": {kind}, "class": {class}, "event_date": {day.Format(time.DateOnly)}, "text": {text}}
}

// timelineTexts are the texts of the notes on a timeline page, in order.
func timelineTexts(p *apptest.Page) []string {
	var out []string
	p.Doc.Find("li.timeline-item p.pre-line").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

// The caseworker writes notes through the form and reads them on the timeline, newest event
// first, narrowed by kind and by author; the citizen page shows the count and the newest; every
// write is audited, and so is every reading of the journal, as a view of the citizen.
func TestJournalWriteTimelineAndFilters(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	colleague := app.User(t, "kollega", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	journal := "/borgere/" + strconv.FormatInt(a, 10) + "/journal"
	c, k := app.Login(t, "cw"), app.Login(t, "kollega")
	today := form.Today(time.Now())

	p := c.Get(journal + "/ny")
	if p.Status != http.StatusOK || p.Value("#event_date") != today.Format(time.DateOnly) || p.Value("input[name=class][checked]") != "sag" {
		t.Fatalf("new note form: %d, date %q, class %q; want today and case data", p.Status, p.Value("#event_date"), p.Value("input[name=class][checked]"))
	}
	p = app.Login(t, "cw").NoRedirects().Post(journal+"/ny", noteValues("samtale", "sag", "Samtale om praktik i Brugsen.", today.AddDate(0, 0, -2)))
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), journal+"#notat-") {
		t.Fatalf("write: %d to %q; want 303 to the note on the timeline", p.Status, p.Header.Get("Location"))
	}
	if p := k.Post(journal+"/ny", noteValues("telefonsamtale", "sag", "Borgeren ringede og meldte afbud.", today)); p.Status != http.StatusOK {
		t.Fatalf("the colleague's note: %d", p.Status)
	}

	p = c.Get(journal)
	if got := timelineTexts(p); len(got) != 2 || got[0] != "Borgeren ringede og meldte afbud." || got[1] != "Samtale om praktik i Brugsen." {
		t.Fatalf("timeline: %q; want both notes, the newest event first", got)
	}
	if !strings.Contains(p.Text("main"), "Skrevet af Test kollega") || p.Text(".result-count") != "2 notater" {
		t.Errorf("timeline: author or count missing: %q", p.Text(".result-count"))
	}
	if got := timelineTexts(c.Get(journal + "?art=samtale")); len(got) != 1 || got[0] != "Samtale om praktik i Brugsen." {
		t.Errorf("filter on kind samtale: %q", got)
	}
	if got := timelineTexts(c.Get(journal + "?forfatter=" + strconv.FormatInt(colleague.ID, 10))); len(got) != 1 || got[0] != "Borgeren ringede og meldte afbud." {
		t.Errorf("filter on the colleague: %q", got)
	}
	if got := timelineTexts(c.Get(journal + "?art=afgoerelse")); len(got) != 0 {
		t.Errorf("filter on a kind without notes: %q", got)
	}
	// The author filter offers who wrote, by name.
	if opts := p.Doc.Find("#forfatter option").Length(); opts != 3 {
		t.Errorf("author filter has %d options; want 'Vælg' and the two authors", opts)
	}

	ov := c.Get("/borgere/" + strconv.FormatInt(a, 10))
	if got := ov.Text("#journal .result-count"); got != "2 notater" || !strings.Contains(ov.Text("#journal"), "Borgeren ringede og meldte afbud.") {
		t.Errorf("the citizen page's journal section: %q / %q", got, ov.Text("#journal"))
	}
	if app.AuditCount(t, store.AuditNoteCreate, a) != 2 {
		t.Errorf("note writes audited: %d; want 2", app.AuditCount(t, store.AuditNoteCreate, a))
	}
	var views int
	if err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action = $2 AND detail LIKE 'journal%'`,
		a, store.AuditCitizenView).Scan(&views); err != nil || views != 5 {
		t.Errorf("journal views audited: %d, %v; want 5 (the timeline after the colleague's note, and four lists)", views, err)
	}
}

// A note of a megabyte is refused beside the text with the Danish message; everything typed
// is kept in the form and nothing is stored.
func TestJournalRefusesAMegabyteNote(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	text := strings.Repeat("x", 1<<20)
	p := c.Post("/borgere/"+strconv.FormatInt(a, 10)+"/journal/ny", noteValues("samtale", "helbred", text, form.Today(time.Now())))
	if p.Status != http.StatusUnprocessableEntity {
		t.Fatalf("1 MB note: %d; want 422", p.Status)
	}
	msg := p.Text("#text-error")
	if !strings.Contains(msg, "Notatet er på 1.048.576 tegn") || !strings.Contains(msg, "højst 20.000") || !strings.Contains(p.Text(".error-summary"), "Notat:") {
		t.Errorf("message beside the text: %q; summary %q", msg, p.Text(".error-summary"))
	}
	if got := p.Doc.Find("#text").Text(); got != text {
		t.Errorf("the text typed is not kept: %d characters back of %d", len(got), len(text))
	}
	if p.Value("input[name=class][checked]") != "helbred" || p.Value("#kind option[selected]") != "samtale" {
		t.Error("the other fields are not kept")
	}
	var n int
	if err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM journal_notes`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("notes stored: %d, %v", n, err)
	}
	if app.AuditCount(t, store.AuditNoteCreate, a) != 0 {
		t.Error("the refused note was audited as written")
	}
}

// The search is a POST (the words may be health data and stay out of addresses): "samtaler"
// finds the note about a "samtale", and nothing of another citizen's; its pages are posted.
func TestJournalSearch(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	b := app.Citizen(t, "030486-1234", "Bo", "Berg", apptest.Jobcenter, cw.ID)
	c := app.Login(t, "cw")
	today := form.Today(time.Now())
	for _, n := range []struct {
		citizen int64
		text    string
	}{{a, "God samtale om fremtiden."}, {a, "Ringede til lægen."}, {b, "Samtale med Bo."}} {
		if p := c.Post("/borgere/"+strconv.FormatInt(n.citizen, 10)+"/journal/ny", noteValues("samtale", "sag", n.text, today)); p.Status != http.StatusOK {
			t.Fatalf("write: %d", p.Status)
		}
	}
	journal := "/borgere/" + strconv.FormatInt(a, 10) + "/journal"
	p := c.Post(journal+"/soeg", url.Values{"q": {"samtaler"}})
	if got := timelineTexts(p); p.Status != http.StatusOK || len(got) != 1 || got[0] != "God samtale om fremtiden." {
		t.Fatalf("search 'samtaler': %d %q; want Anna's one note", p.Status, got)
	}
	if p.URL.Path != journal+"/soeg" || p.URL.RawQuery != "" {
		t.Errorf("the search result's address: %s", p.URL)
	}
	html, _ := p.Doc.Find("main").Html()
	if strings.Contains(html, "?q=") || strings.Contains(html, "q=samtaler") {
		t.Error("the words searched for are in a link")
	}
	if p.Value("#q") != "samtaler" {
		t.Errorf("the search field shows %q", p.Value("#q"))
	}
	if got := timelineTexts(c.Post(journal+"/soeg", url.Values{"q": {"tandlæge"}})); len(got) != 0 {
		t.Errorf("search 'tandlæge': %q", got)
	}
	// An empty search is the timeline again.
	if p := c.Post(journal+"/soeg", url.Values{"q": {"  "}, "art": {"samtale"}}); p.URL.Path != journal || p.URL.Query().Get("art") != "samtale" {
		t.Errorf("empty search lands on %s", p.URL)
	}
}

// The author amends a note until it locks; after the lock the amendment is refused with the
// text kept, and a correction is a new note that the timeline shows beside the old one. The
// clock is the store's.
func TestJournalAmendThenCorrectAfterTheLock(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	app.User(t, "kollega", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	journal := "/borgere/" + strconv.FormatInt(a, 10) + "/journal"
	c, k := app.Login(t, "cw"), app.Login(t, "kollega")
	written := time.Now()
	app.Store.Now = func() time.Time { return written }
	today := form.Today(written)
	p := app.Login(t, "cw").NoRedirects().Post(journal+"/ny", noteValues("samtale", "sag", "Aftalt praktik i Brugsen.", today))
	nid := strings.TrimPrefix(p.Header.Get("Location"), journal+"#notat-")
	amend := journal + "/" + nid + "/rediger"

	p = c.Get(journal)
	if !p.Has(`a[href="` + amend + `"]`) {
		t.Fatal("the author is not offered to amend the new note")
	}
	if k.Get(journal).Has(`a[href="` + amend + `"]`) {
		t.Error("a colleague is offered to amend someone else's note")
	}
	denied := app.AuditCount(t, store.AuditCitizenDenied, a)
	if p := k.Get(amend); p.Status != http.StatusForbidden {
		t.Errorf("a colleague opens the amendment: %d; want 403", p.Status)
	}
	if app.AuditCount(t, store.AuditCitizenDenied, a) != denied+1 {
		t.Error("a colleague's refused amendment is not audited")
	}
	p = c.Get(amend)
	if p.Doc.Find("#text").Text() != "Aftalt praktik i Brugsen." {
		t.Fatalf("amendment form: %d %q", p.Status, p.Doc.Find("#text").Text())
	}
	app.Store.Now = func() time.Time { return written.Add(23*time.Hour + 59*time.Minute) }
	p = c.Post(amend, url.Values{"version": {p.Value("input[name=version]")}, "text": {"Aftalt praktik i Netto."}})
	if got := timelineTexts(p); p.Status != http.StatusOK || len(got) != 1 || got[0] != "Aftalt praktik i Netto." {
		t.Fatalf("amend at 23h59m: %d %q", p.Status, got)
	}

	app.Store.Now = func() time.Time { return written.Add(24*time.Hour + time.Minute) }
	if p := c.Get(amend); p.Status != http.StatusConflict || !strings.Contains(p.Text("main"), "låst 24 timer efter") {
		t.Errorf("amendment form after the lock: %d %q", p.Status, p.Text("main"))
	}
	p = c.Post(amend, url.Values{"version": {"2"}, "text": {"Aftalt praktik i Føtex."}})
	if p.Status != http.StatusConflict || !strings.Contains(p.Text("#text-error"), "Skriv en rettelse") || p.Doc.Find("#text").Text() != "Aftalt praktik i Føtex." {
		t.Fatalf("amend at 24h01m: %d %q, text %q; want 409 with the lock message and the text kept", p.Status, p.Text("#text-error"), p.Doc.Find("#text").Text())
	}
	if c.Get(journal).Has(`a[href="` + amend + `"]`) {
		t.Error("the locked note is still offered for amendment")
	}

	// The correction: the form shows the old note and its kind, date and class.
	correct := journal + "/" + nid + "/ret"
	views := noteReads(t, app, a, nid)
	p = k.Get(correct)
	if noteReads(t, app, a, nid) != views+1 {
		t.Error("the correction form showed the note's text without an audit row")
	}
	if p.Status != http.StatusOK || !strings.Contains(p.Text("main"), "Aftalt praktik i Netto.") || p.Value("#kind option[selected]") != "samtale" ||
		p.Value("#event_date") != today.Format(time.DateOnly) {
		t.Fatalf("correction form: %d %q", p.Status, p.Text("main"))
	}
	p = k.Post(correct, noteValues("samtale", "sag", "Rettelse: praktikken er i Føtex.", today))
	if p.Status != http.StatusOK || !strings.Contains(p.Text(".alert"), "Rettelsen er gemt") {
		t.Fatalf("correction: %d %q", p.Status, p.Text(".alert"))
	}
	if got := timelineTexts(p); len(got) != 2 || got[0] != "Rettelse: praktikken er i Føtex." || got[1] != "Aftalt praktik i Netto." {
		t.Fatalf("timeline after the correction: %q", got)
	}
	main := p.Text("main")
	if !strings.Contains(main, "Retter notat fra "+format.Date(written.In(form.Zone))) ||
		!strings.Contains(main, "Rettet af notat fra "+format.Date(written.Add(24*time.Hour+time.Minute).In(form.Zone))) {
		t.Errorf("the references between the notes are missing: %q", main)
	}
	if app.AuditCount(t, store.AuditNoteAmend, a) != 1 || app.AuditCount(t, store.AuditNoteCorrect, a) != 1 {
		t.Error("amendment and correction not audited once each")
	}
}

// noteReads counts the audit rows of forms that showed note nid whole.
func noteReads(t *testing.T, app *apptest.App, citizen int64, nid string) int {
	t.Helper()
	var n int
	if err := app.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events WHERE action = $1 AND citizen_id = $2 AND detail = $3`,
		store.AuditCitizenView, citizen, "journal: notat "+nid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
