package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	mp "mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// smallPDF is a PDF-looking file.
var smallPDF = []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")

// uploadField is one part of an upload form, in the order the browser sends it.
type uploadField struct {
	name, value string
	file        bool   // a file part: value is the content
	filename    string // as the browser sends it (raw: no escaping)
}

// uploadBody writes the parts as multipart/form-data; the file's Content-Disposition is
// written by hand, so a test can send any name a client might.
func uploadBody(t *testing.T, fields ...uploadField) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := mp.NewWriter(&b)
	for _, f := range fields {
		var err error
		var w io.Writer
		if f.file {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="`+f.name+`"; filename="`+f.filename+`"`)
			if strings.ContainsFunc(f.filename, func(r rune) bool { return r < 0x20 }) {
				// A control character cannot stand in a header: a client sends it encoded
				// (RFC 2231), which the server decodes.
				h.Set("Content-Disposition", `form-data; name="`+f.name+`"; filename*=UTF-8''`+url.PathEscape(f.filename))
			}
			h.Set("Content-Type", "application/pdf") // what the client claims; never believed
			w, err = mw.CreatePart(h)
		} else {
			w, err = mw.CreateFormField(f.name)
		}
		if err == nil {
			_, err = io.WriteString(w, f.value)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), b.Bytes()
}

// documentsWorld is a caseworker's citizen and the clients that work with them.
type documentsWorld struct {
	app  *apptest.App
	a    int64
	cw   *apptest.Client
	path string
}

func newDocumentsWorld(t *testing.T) documentsWorld {
	t.Helper()
	return newDocumentsWorldWith(t, web.Config{})
}

func newDocumentsWorldWith(t *testing.T, cfg web.Config) documentsWorld {
	t.Helper()
	app := apptest.New(t, cfg)
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := app.Citizen(t, "020385-1233", "Anna", "Andersen", apptest.Jobcenter, cw.ID)
	return documentsWorld{app: app, a: a, cw: app.Login(t, "cw"), path: paths.Documents(a)}
}

// token is a fresh one-time token from the upload form, as a browser has it.
func (w documentsWorld) token(t *testing.T) string {
	t.Helper()
	p := w.cw.Get(w.path)
	tok := p.Value(`form[enctype="multipart/form-data"] input[name=form_token]`)
	if p.Status != http.StatusOK || tok == "" {
		t.Fatalf("documents page: %d, token %q", p.Status, tok)
	}
	return tok
}

// upload posts the form with the token first and the file last, as the page's form does.
func (w documentsWorld) upload(t *testing.T, title, typ, class, filename string, content []byte) *apptest.Page {
	t.Helper()
	ct, body := uploadBody(t, uploadField{name: "form_token", value: w.token(t)}, uploadField{name: "title", value: title},
		uploadField{name: "doc_type", value: typ}, uploadField{name: "class", value: class},
		uploadField{name: "file", file: true, filename: filename, value: string(content)})
	return w.cw.PostBody(w.path, ct, bytes.NewReader(body))
}

// stored counts the documents, their content pieces and upload audit rows.
func (w documentsWorld) stored(t *testing.T) (docs, chunks, audits int) {
	t.Helper()
	if err := w.app.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_chunks),
		(SELECT count(*) FROM audit_events WHERE action = $1)`, store.AuditDocumentUpload).Scan(&docs, &chunks, &audits); err != nil {
		t.Fatal(err)
	}
	return docs, chunks, audits
}

// Each bad upload is refused beside the file field in Danish, with the title and type as
// typed, and stores nothing: no document, no piece of content, no audit row.
func TestUploadRefusalsStoreNothing(t *testing.T) {
	t.Parallel()
	w := newDocumentsWorld(t)
	w.app.Store.DocumentMaxSize = 1 << 20 // 1 MB, so the test need not send 20
	over := append(append([]byte{}, smallPDF[:9]...), bytes.Repeat([]byte("x"), 1<<20)...)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 2000)...)
	for _, tc := range []struct {
		name, filename string
		content        []byte
		want           string
	}{
		{"over the limit", "stor.pdf", over, "Filen er for stor. Den må højst fylde 1 MB."},
		{"a Windows program renamed .pdf", "attest.pdf", exe, "Filen er et program, ikke et dokument."},
		{"a Linux program renamed .pdf", "attest.pdf", []byte("\x7fELF\x02\x01\x01\x00"), "Filen er et program, ikke et dokument."},
		{"an HTML file posing as .png", "scanning.png", []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script>"),
			"Filen hedder .png, men indholdet er en webside eller anden kode (HTML/XML)."},
		{"an empty file", "tom.pdf", nil, "Filen er tom."},
		{"a path for a name", "../../etc/attest.pdf", smallPDF, "Filnavnet må ikke indeholde / eller \\."},
		{"a Windows path for a name", `C:\Users\sb\attest.pdf`, smallPDF, "Filnavnet må ikke indeholde / eller \\."},
		{"a control character in the name", "attest\x01.pdf", smallPDF, "Filnavnet indeholder usynlige kontroltegn."},
		{"a line break in the name", "attest\r\n.pdf", smallPDF, "Filnavnet indeholder usynlige kontroltegn."},
		{"a right-to-left override in the name", "attest\u202efdp.exe", smallPDF, "Filnavnet indeholder usynlige kontroltegn."},
		{"no file chosen", "", nil, "Vælg en fil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := w.upload(t, "Lægeattest fra egen læge", "laegeattest", "", tc.filename, tc.content)
			if p.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d; want 422", p.Status)
			}
			if got := p.Text("#file-error"); !strings.Contains(got, tc.want) {
				t.Errorf("message beside the file: %q; want %q", got, tc.want)
			}
			if got := p.Text(".error-summary"); !strings.Contains(got, "Fil: "+tc.want) {
				t.Errorf("error summary: %q; want it to name the file field", got)
			}
			if got := p.Value("#title"); got != "Lægeattest fra egen læge" {
				t.Errorf("title after the refusal: %q; want it kept", got)
			}
			if got, _ := p.Doc.Find("#doc_type option[selected]").Attr("value"); got != "laegeattest" {
				t.Errorf("document type after the refusal: %q; want it kept", got)
			}
			if docs, chunks, audits := w.stored(t); docs+chunks+audits != 0 {
				t.Fatalf("refused upload stored %d documents, %d pieces, %d audit rows", docs, chunks, audits)
			}
		})
	}
	// Wrong fields: nothing stored, and the file is judged all the same.
	p := w.upload(t, "", "", "", "attest.pdf", exe)
	if p.Status != http.StatusUnprocessableEntity || p.Text("#title-error") == "" || p.Text("#doc_type-error") == "" ||
		!strings.Contains(p.Text("#file-error"), "program") {
		t.Errorf("empty fields and a program: %d, %q, %q, %q", p.Status, p.Text("#title-error"), p.Text("#doc_type-error"), p.Text("#file-error"))
	}
	// A form without a multipart body (a script's bare post) has no file.
	p = w.cw.Post(w.path, map[string][]string{"title": {"Brev"}, "doc_type": {"andet"}})
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Text("#file-error"), "Vælg en fil") || p.Value("#title") != "Brev" {
		t.Errorf("urlencoded post: %d, %q", p.Status, p.Text("#file-error"))
	}
	// A text field the database cannot store is refused before anything, as on every form.
	ct, body := uploadBody(t, uploadField{name: "title", value: "Brev\x00"}, uploadField{name: "file", file: true, filename: "a.pdf", value: string(smallPDF)})
	if p := w.cw.PostBody(w.path, ct, bytes.NewReader(body)); p.Status != http.StatusBadRequest {
		t.Errorf("NUL in the title: %d; want 400", p.Status)
	}
	// A file in another field than the form's is refused as well.
	ct, body = uploadBody(t, uploadField{name: "title", value: "Brev"}, uploadField{name: "bilag", file: true, filename: "a.pdf", value: string(smallPDF)})
	if p := w.cw.PostBody(w.path, ct, bytes.NewReader(body)); p.Status != http.StatusBadRequest {
		t.Errorf("a file in another field: %d; want 400", p.Status)
	}
	if docs, chunks, audits := w.stored(t); docs+chunks+audits != 0 {
		t.Fatalf("refused uploads stored %d documents, %d pieces, %d audit rows", docs, chunks, audits)
	}
}

// An upload is stored once however often the form is sent, lists newest first on the page
// and the citizen page, and downloads as an attachment under its Danish name, with the type
// detected on upload and headers that keep a browser from running or keeping it; the
// download is audited.
func TestUploadAndDownloadDocument(t *testing.T) {
	t.Parallel()
	w := newDocumentsWorld(t)
	tok := w.token(t)
	ct, body := uploadBody(t, uploadField{name: "form_token", value: tok}, uploadField{name: "title", value: "Lægeattest LÆ 265"},
		uploadField{name: "doc_type", value: "laegeattest"}, uploadField{name: "class", value: ""},
		uploadField{name: "file", file: true, filename: "lægeattest æøå.pdf", value: string(smallPDF)})
	first := w.cw.PostBody(w.path, ct, bytes.NewReader(body))
	if first.Status != http.StatusOK || first.URL.Path != w.path || !strings.Contains(first.Text(".alert"), "Dokumentet er gemt") {
		t.Fatalf("upload: %d at %s, %q", first.Status, first.URL.Path, first.Text(".alert"))
	}
	second := w.cw.PostBody(w.path, ct, bytes.NewReader(body))
	if docs, _, _ := w.stored(t); docs != 1 || !strings.Contains(second.Text(".alert"), "Formularen var allerede sendt") {
		t.Fatalf("the same form sent twice: %d documents, %q", docs, second.Text(".alert"))
	}
	row := first.Doc.Find("main table tbody tr").First()
	if got := row.Text(); !strings.Contains(got, "Lægeattest LÆ 265") || !strings.Contains(got, "Helbredsoplysninger") ||
		!strings.Contains(got, "lægeattest æøå.pdf") || !strings.Contains(got, "Lægeattest") {
		t.Errorf("the list's row: %q", got)
	}
	href, _ := row.Find("a").Attr("href")
	overview := w.cw.Get(paths.Citizen(w.a))
	if got := overview.Text("#dokumenter"); !strings.Contains(got, "Lægeattest LÆ 265") || !strings.Contains(got, "Alle dokumenter (1)") {
		t.Errorf("the citizen page's Dokumenter: %q", got)
	}

	before := w.app.AuditCount(t, store.AuditDocumentDownload, w.a)
	d := w.cw.Get(href)
	h := d.Header
	for k, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"Content-Length":          strconv.Itoa(len(smallPDF)),
		"Content-Disposition":     `attachment; filename="laegeattest aeoeaa.pdf"; filename*=UTF-8''l%C3%A6geattest%20%C3%A6%C3%B8%C3%A5.pdf`,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q; want %q", k, got, want)
		}
	}
	if cc := strings.Join(h.Values("Cache-Control"), ", "); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control: %q; want no-store", cc)
	}
	if d.Status != http.StatusOK || d.Body != string(smallPDF) {
		t.Errorf("download: %d, %d bytes; want the %d bytes uploaded", d.Status, len(d.Body), len(smallPDF))
	}
	if after := w.app.AuditCount(t, store.AuditDocumentDownload, w.a); after != before+1 {
		t.Errorf("download audit rows: %d → %d; want one more", before, after)
	}
	// A missing id is not found, and so is another citizen's document under this citizen's
	// URL, though the user may see both citizens.
	if p := w.cw.Get(paths.Document(w.a, 999999)); p.Status != http.StatusNotFound {
		t.Errorf("a missing document: %d", p.Status)
	}
	var cwID int64
	if err := w.app.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = 'cw'`).Scan(&cwID); err != nil {
		t.Fatal(err)
	}
	b := w.app.Citizen(t, "111190-1234", "Bo", "Berg", apptest.Jobcenter, cwID)
	bdoc, err := w.app.Store.AddDocument(context.Background(), store.Who{}, b, store.NewDocument{Title: "Bos brev", Type: "brev_fra_borger",
		Class: "sag", Filename: "bo.pdf"}, strings.NewReader("%PDF-1.4\nBo\n%%EOF\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p := w.cw.Get(paths.Document(b, bdoc.ID)); p.Status != http.StatusOK {
		t.Fatalf("B's document under B: %d", p.Status)
	}
	if p := w.cw.Get(paths.Document(w.a, bdoc.ID)); p.Status != http.StatusNotFound || strings.Contains(p.Body, "Bo\n") {
		t.Errorf("B's document under A's URL: %d; want not found", p.Status)
	}
}

// A lægeattest reaches a unit outside the case only under the citizen's health consent; a
// letter reaches whoever may see the citizen. A refused download is audited.
func TestHealthDocumentNeedsConsent(t *testing.T) {
	t.Parallel()
	w := newDocumentsWorld(t)
	ctx := context.Background()
	nurse := w.app.User(t, "sund", access.RoleHealth, apptest.Health)
	offer := w.app.Offer(t, "Livsstilsforløb", apptest.Health, nil, nil)
	cwWho := store.Who{UserID: userID(t, w.app, "cw"), RequestID: "t"}
	if err := w.app.Store.CreateConsents(ctx, cwWho, store.NewConsent{CitizenID: w.a, Information: store.ConsentHealth,
		UnitIDs: []int64{w.app.Units[apptest.Health]}, Purpose: "Henvisning", GivenOn: w.app.Store.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.Store.CreateReferral(ctx, cwWho, store.NewReferral{CitizenID: w.a, OfferID: offer,
		FromUnitID: w.app.Units[apptest.Jobcenter], CitizenAccepted: true}); err != nil {
		t.Fatal(err)
	}
	attest, err := w.app.Store.AddDocument(ctx, cwWho, w.a, store.NewDocument{Title: "Attest om rygsmerter", Type: "laegeattest", Filename: "attest.pdf"},
		bytes.NewReader(smallPDF))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.Store.AddDocument(ctx, cwWho, w.a, store.NewDocument{Title: "Indkaldelse til samtale", Type: "brev_til_borger", Filename: "brev.pdf"},
		bytes.NewReader(smallPDF)); err != nil {
		t.Fatal(err)
	}
	n := w.app.Login(t, "sund")
	if p := n.Get(w.path); !strings.Contains(p.Body, "Attest om rygsmerter") || !strings.Contains(p.Body, "Indkaldelse til samtale") {
		t.Fatalf("with consent the health centre sees: %q", p.Text("main"))
	}
	if p := n.Get(paths.Document(w.a, attest.ID)); p.Status != http.StatusOK {
		t.Fatalf("with consent: download %d", p.Status)
	}
	if _, err := w.app.Pool.Exec(ctx, `UPDATE consents SET withdrawn_at = now(), withdrawn_by = recorded_by WHERE citizen_id = $1`, w.a); err != nil {
		t.Fatal(err)
	}
	p := n.Get(w.path)
	if strings.Contains(p.Body, "Attest om rygsmerter") || !strings.Contains(p.Body, "Indkaldelse til samtale") ||
		!strings.Contains(p.Text(".withheld"), "1 dokument(er) vises kun med borgerens samtykke") {
		t.Fatalf("without consent the health centre sees: %q", p.Text("main"))
	}
	if p.Has(`form[enctype="multipart/form-data"]`) {
		t.Errorf("the health centre is offered the upload form")
	}
	denied := w.app.AuditCount(t, store.AuditCitizenDenied, w.a)
	if p := n.Get(paths.Document(w.a, attest.ID)); p.Status != http.StatusForbidden || strings.Contains(p.Body, "%PDF") {
		t.Fatalf("without consent: download %d", p.Status)
	}
	if got := w.app.AuditCount(t, store.AuditCitizenDenied, w.a); got != denied+1 {
		t.Errorf("the refused download is not audited (%d → %d)", denied, got)
	}
	_ = nurse
}

func userID(t *testing.T, app *apptest.App, username string) int64 {
	t.Helper()
	var id int64
	if err := app.Pool.QueryRow(context.Background(), `SELECT id FROM users WHERE username = $1`, username).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// A 20 MB upload streams through the server: the request body is generated as it is sent (an
// io.Pipe), and the process's heap grows by far less than the file, both at its peak during
// the upload and in what was allocated altogether. (Buffering the file, as ParseMultipartForm
// would in memory up to 32 MB, grows both by at least 20 MB.)
func TestUploadOf20MBStreams(t *testing.T) {
	// Not parallel: the heap is the whole process's, and other tests would move it.
	w := newDocumentsWorld(t)
	const size = store.DefaultDocumentMaxSize
	tok := w.token(t)
	pr, pw := io.Pipe()
	mw := mp.NewWriter(pw)
	go func() {
		fail := func(err error) { _ = pw.CloseWithError(err) }
		for _, f := range [][2]string{{"form_token", tok}, {"title", "Stor scanning"}, {"doc_type", "laegeattest"}} {
			if err := mw.WriteField(f[0], f[1]); err != nil {
				fail(err)
				return
			}
		}
		fw, err := mw.CreateFormFile("file", "scanning.pdf")
		if err != nil {
			fail(err)
			return
		}
		buf := bytes.Repeat([]byte("0123456789abcdef"), 4096) // 64 kB, written again and again
		copy(buf, "%PDF-1.4\n")
		for sent := 0; sent < size; sent += len(buf) {
			if _, err := fw.Write(buf[:min(len(buf), size-sent)]); err != nil {
				fail(err)
				return
			}
			copy(buf, "0123456789abcdef") // only the first piece starts with the signature
		}
		fail(mw.Close())
	}()

	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	var peak uint64
	stop := make(chan struct{})
	var sampled sync.WaitGroup
	sampled.Go(func() {
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	p := w.cw.PostBody(w.path, mw.FormDataContentType(), pr)
	close(stop)
	sampled.Wait()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)

	if p.Status != http.StatusOK || !strings.Contains(p.Text(".alert"), "Dokumentet er gemt") {
		t.Fatalf("upload: %d, %q %q", p.Status, p.Text(".alert"), p.Text("#file-error"))
	}
	var stored int64
	if err := w.app.Pool.QueryRow(context.Background(), `SELECT size FROM documents`).Scan(&stored); err != nil || stored != size {
		t.Fatalf("stored %d bytes (%v); want %d", stored, err, size)
	}
	growth := int64(peak) - int64(m0.HeapInuse)
	allocated := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("20 MB upload: heap in use %s at the start, peak %+d kB; %d kB allocated in all",
		fmt.Sprint(m0.HeapInuse>>10, " kB"), growth>>10, allocated>>10)
	if growth > 8<<20 {
		t.Errorf("the heap grew by %d MB during a 20 MB upload; want well under the file's size", growth>>20)
	}
	if allocated > 16<<20 {
		t.Errorf("%d MB allocated for a 20 MB upload; the file is copied in memory somewhere", allocated>>20)
	}
}

// The citizen's data export (art. 15) lists the documents with Danish headings and a link
// that downloads each; the JSON export has their metadata, not their content.
func TestExportListsDocuments(t *testing.T) {
	t.Parallel()
	w := newDocumentsWorld(t)
	d, err := w.app.Store.AddDocument(context.Background(), store.Who{UserID: userID(t, w.app, "cw")}, w.a,
		store.NewDocument{Title: "Udtalelse fra sundhedskoordinatoren", Type: "udtalelse", Filename: "udtalelse.pdf"}, bytes.NewReader(smallPDF))
	if err != nil {
		t.Fatal(err)
	}
	p := w.cw.Get(paths.CitizenExport(w.a))
	sec := p.Doc.Find("section").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("h2").Text() == "Dokumenter" })
	if got := sec.Find("thead").Text(); !strings.Contains(got, "Titel") || !strings.Contains(got, "Dokumenttype") || !strings.Contains(got, "Klassifikation") {
		t.Errorf("the export's document headings: %q", got)
	}
	if got := sec.Find("tbody").Text(); !strings.Contains(got, "Udtalelse fra sundhedskoordinatoren") || !strings.Contains(got, "Helbredsoplysninger") {
		t.Errorf("the export's document row: %q", got)
	}
	if href, _ := sec.Find("tbody a").Attr("href"); href != paths.Document(w.a, d.ID) || w.cw.Get(href).Body != string(smallPDF) {
		t.Errorf("the export links the document to %q", href)
	}
	j := w.cw.Get(paths.CitizenExportJSON(w.a)).Body
	if !strings.Contains(j, `"titel": "Udtalelse fra sundhedskoordinatoren"`) || !strings.Contains(j, `"filnavn": "udtalelse.pdf"`) || strings.Contains(j, "%PDF") {
		t.Errorf("JSON export: %s", j)
	}
}

// A document cannot be uploaded from another site: cross-origin protection refuses the
// multipart POST by its headers before any part of the body is read.
func TestCrossSiteUploadIsRefused(t *testing.T) {
	t.Parallel()
	w := newDocumentsWorld(t)
	tok := w.token(t)
	ct, body := uploadBody(t, uploadField{name: "form_token", value: tok}, uploadField{name: "title", value: "Brev"},
		uploadField{name: "doc_type", value: "andet"}, uploadField{name: "file", file: true, filename: "brev.pdf", value: string(smallPDF)})
	w.cw.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := w.cw.PostBody(w.path, ct, bytes.NewReader(body)); p.Status != http.StatusForbidden {
		t.Errorf("cross-site upload: %d; want 403", p.Status)
	}
	if docs, chunks, audits := w.stored(t); docs+chunks+audits != 0 {
		t.Fatalf("a cross-site upload stored %d documents, %d pieces, %d audit rows", docs, chunks, audits)
	}
}

// Uploads streaming into the database are bounded (Config.Uploads): each holds a connection
// until its last byte, so a slow one must not take the pool from everyone. Beyond the bound
// an upload is refused with a Danish "try again" and stores nothing; the slow one completes.
func TestUploadsAreBounded(t *testing.T) {
	t.Parallel()
	w := newDocumentsWorldWith(t, web.Config{Uploads: 1, UploadWait: 50 * time.Millisecond})
	tok := w.token(t)
	pr, pw := io.Pipe()
	mw := mp.NewWriter(pw)
	streaming := make(chan error, 1)
	release := make(chan struct{})
	var released sync.Once
	done := func() { released.Do(func() { close(release) }) }
	t.Cleanup(done) // a failure below must not leave the slow upload hanging
	go func() {
		for _, f := range [][2]string{{"form_token", tok}, {"title", "Langsom scanning"}, {"doc_type", "laegeattest"}} {
			if err := mw.WriteField(f[0], f[1]); err != nil {
				streaming <- err
				return
			}
		}
		fw, err := mw.CreateFormFile("file", "scanning.pdf")
		if err == nil {
			// The start of the file; the rest waits for release below.
			_, err = fw.Write([]byte("%PDF-1.4\n"))
			if err == nil {
				_, err = fw.Write(bytes.Repeat([]byte("x"), 64<<10))
			}
		}
		streaming <- err
		<-release
		if err == nil {
			_, err = fw.Write([]byte("\n%%EOF\n"))
		}
		if err == nil {
			err = mw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	slow := make(chan *apptest.Page, 1)
	go func() { slow <- w.cw.PostBody(w.path, mw.FormDataContentType(), pr) }()
	if err := <-streaming; err != nil {
		t.Fatal(err)
	}
	// The writes above may sit in socket buffers before the handler even runs; wait until the
	// slow upload holds its turn.
	for w.app.Server.UploadsInFlight() == 0 {
		select {
		case p := <-slow:
			t.Fatalf("the slow upload ended before it held a turn: %d %q", p.Status, p.Text("main"))
		case <-time.After(5 * time.Millisecond):
		}
	}

	p := w.upload(t, "Lægeattest", "laegeattest", "helbred", "attest.pdf", []byte("%PDF-1.4\n%%EOF\n"))
	if p.Status != http.StatusServiceUnavailable || !strings.Contains(p.Text("main"), "Prøv igen om lidt") || p.Header.Get("Retry-After") == "" {
		t.Fatalf("an upload beyond the bound: %d %q; want 503 asking to try again", p.Status, p.Text("main"))
	}
	if docs, _, _ := w.stored(t); docs != 0 {
		t.Fatalf("%d documents stored while the slow upload streams; want none", docs)
	}
	done()
	if p := <-slow; p.Status != http.StatusOK || !strings.Contains(p.Text(".alert"), "Dokumentet er gemt") {
		t.Fatalf("the slow upload: %d %q", p.Status, p.Text(".alert"))
	}
	// Its turn is given back: the next upload goes through.
	if p := w.upload(t, "Lægeattest", "laegeattest", "helbred", "attest.pdf", []byte("%PDF-1.4\n%%EOF\n")); p.Status != http.StatusOK {
		t.Fatalf("an upload after the slow one: %d %q", p.Status, p.Text("#file-error"))
	}
}
