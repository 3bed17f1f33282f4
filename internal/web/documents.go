package web

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/filetype"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/errorpage"
	"github.com/helhed/helhed/web/paths"
)

// documentsPerPage is the documents page's length.
const documentsPerPage = 50

// maxUploadFields bounds the text an upload form may carry besides its file: a title, a type
// and a class, the token, and the multipart framing around them, with room to spare.
const maxUploadFields = 64 << 10

// uploadReadTimeout is how long an upload may take to arrive: the server's ReadTimeout (30 s)
// is for forms of text, and 20 MB over a slow line (0.5 Mbit/s) takes about five minutes.
const uploadReadTimeout = 10 * time.Minute

// documentClassLabels name the classes on the page.
var documentClassLabels = map[string]string{
	access.Case.String():   "Sagsoplysninger",
	access.Health.String(): "Helbredsoplysninger",
	access.Social.String(): "Sociale forhold",
}

// documentClassOptions are the upload form's choices of class; "" takes the type's.
var documentClassOptions = []components.Option{
	{Value: "", Label: "Efter dokumenttypen: lægeattest, statusrapport, udtalelse og andet er helbredsoplysninger, breve sagsoplysninger"},
	{Value: access.Case.String(), Label: "Sagsoplysninger: alle, der må se borgeren"},
	{Value: access.Health.String(), Label: "Helbredsoplysninger: andre enheder kun med samtykke til helbredsoplysninger"},
	{Value: access.Social.String(), Label: "Sociale forhold: andre enheder kun med samtykke til sociale forhold"},
}

// seenDocumentClasses are the classes of documents the viewer with sight s may have.
func seenDocumentClasses(s access.Sight) []string {
	var out []string
	for _, c := range access.DocumentClasses {
		if s.SeesRow(access.DocumentRow(c.String())) {
			out = append(out, c.String())
		}
	}
	return out
}

// documentRows turns documents into rows for the page; each passes its row's gate (the list
// holds only classes the viewer sees, so a withheld one here is a bug, and is left out).
func (s *Server) documentRows(sight access.Sight, types store.RefSet, docs []store.Document) []citizens.DocumentRow {
	var gated []access.Gated[citizens.DocumentRow]
	for _, d := range docs {
		gated = append(gated, access.GateRow(sight, access.DocumentRow(d.Class), access.DocumentTitle, citizens.DocumentRow{
			Href: paths.Document(d.CitizenID, d.ID), Title: d.Title, Type: types.Label(d.Type), Class: documentClassLabels[d.Class],
			Filename: d.Filename, Size: store.FormatSize(d.Size), UploadedAt: d.UploadedAt, UploadedBy: d.UploadedBy}))
	}
	return access.Visible(gated)
}

// overviewDocuments fills the citizen page's Dokumenter section: one statement in the page's
// batch for the count and the three newest.
func (s *Server) overviewDocuments(r *http.Request, b *store.Batch, p *citizens.OverviewProps, rel access.Relation, sight access.Sight) fill {
	list := b.ListDocuments(p.ID, seenDocumentClasses(sight), store.Page{Number: 1, PerPage: 3})
	return func() error {
		types, err := s.vocab.Values(r.Context(), "document_type")
		if err != nil {
			return err
		}
		l := list.Value()
		p.Documents = citizens.DocumentSummary{Newest: s.documentRows(sight, types, l.Rows), Total: l.Shown, Withheld: l.Withheld,
			CanUpload: access.CanCitizen(userFrom(r).access(), access.UploadDocument, rel)}
		return nil
	}
}

// documentsView lists the citizen's documents the viewer may see, newest first.
func (s *Server) documentsView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderDocuments(w, r, cr, http.StatusOK, form.New(nil))
}

// renderDocuments renders the documents page with the upload form f (as typed, with its
// messages). The read is audited.
func (s *Server) renderDocuments(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, f *form.Form) error {
	ctx := r.Context()
	page, _ := parsePage(r.URL.Query().Get(pageParam))
	sight := access.SightOf(userFrom(r).access(), cr.Rel)
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	if err := s.store.Audit(ctx, who(r), cr.ID, store.AuditCitizenView, "dokumenter"); err != nil {
		return err
	}
	list, err := s.store.ListDocuments(ctx, cr.ID, seenDocumentClasses(sight), store.Page{Number: page, PerPage: documentsPerPage})
	if err != nil {
		return err
	}
	types, err := s.vocab.Values(ctx, "document_type")
	if err != nil {
		return err
	}
	p := citizens.DocumentsProps{ID: cr.ID, Name: c.Name(), Rows: s.documentRows(sight, types, list.Rows), Total: list.Shown,
		Withheld: list.Withheld,
		Pages: components.PageInfo{Page: page, PerPage: documentsPerPage, Total: list.Shown,
			URL: func(n int) string { return paths.DocumentsPage(cr.ID, n) }},
		CanUpload: access.CanCitizen(userFrom(r).access(), access.UploadDocument, cr.Rel),
		Types:     options(types.Current(s.today())), Classes: documentClassOptions,
		Accept: filetype.Accept(), MaxSize: store.FormatSize(s.store.DocumentMaxSize),
		Form: f.Values, Errors: f.Errors, Summary: f.SummaryTexts()}
	return s.page(w, r, status, "Dokumenter – "+c.Name(), citizens.Documents(p))
}

// upload is the file part of an upload form.
type upload struct {
	part *multipart.Part // nil: no file part at all
	name string          // the file name as sent ("" when no file was chosen)
}

// documentUploadPost files a document on the case. The form is multipart with the file last;
// its body is read here as a stream (validateInput and oneSubmission leave it alone,
// input.go's uploadRoutes): the text fields before the file with validateInput's checks, the
// one-time token among them claimed as oneSubmission would, then the file straight into the
// store, which checks it while it streams and keeps all or nothing. A body without a file part
// (not multipart at all, say) is the form without a file.
func (s *Server) documentUploadPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.receiveUpload(w, r, func(w http.ResponseWriter, r *http.Request, values url.Values, up upload) error {
		return s.storeUpload(w, r, uploadTarget{citizenID: cr.ID, who: who(r), chooseClass: true,
			refused: func(f *form.Form) error { return s.renderDocuments(w, r, cr, http.StatusUnprocessableEntity, f) },
			stored: func() error {
				s.flash(r, "success", "Dokumentet er gemt.")
				return redirect(w, r, paths.Documents(cr.ID))
			}}, values, up)
	})
}

// receiveUpload reads an upload form (one of uploadRoutes) and hands its text fields and its
// file part, unread, to store: as a stream, in a turn among the uploads (Config.Uploads), the
// one-time token claimed as oneSubmission would. The staff's and the citizen's uploads share
// it, and so the same rules.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request, store func(http.ResponseWriter, *http.Request, url.Values, upload) error) error {
	if !streamingUpload(r) {
		_ = r.ParseForm()
		return store(w, r, r.PostForm, upload{})
	}
	// A turn among the uploads streaming into the database (Config.Uploads): each holds a
	// connection until its last byte, so beyond the bound the user is asked to try again.
	t := time.NewTimer(s.cfg.UploadWait)
	defer t.Stop()
	select {
	case s.uploads <- struct{}{}:
		defer func() { <-s.uploads }()
	case <-t.C:
		return s.uploadsBusy(w, r)
	case <-r.Context().Done():
		return r.Context().Err()
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.store.DocumentMaxSize+2*maxUploadFields)
	// Deadlines are set on the connection; a writer that cannot (a test's recorder) is fine.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTimeout))
	values, up, why := readUpload(r)
	if why != "" {
		s.log.Info("bad input refused", "method", r.Method, "path", safePath(r.URL.Path), "request_id", requestID(r), "reason", why)
		s.renderError(w, r, http.StatusBadRequest)
		return nil
	}
	s.submitOnce(w, r, values.Get(components.FormTokenField), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := store(w, r, values, up); err != nil {
			s.handleError(w, r, err)
		}
	}))
	return nil
}

// uploadTarget is where an upload goes and what answers it: the case, who uploads (staff, or
// the citizen themself), whether the form chooses the class (the citizen's takes the
// document type's), the page that shows a refused form and the answer to a stored one.
type uploadTarget struct {
	citizenID   int64
	who         store.Who
	chooseClass bool
	refused     func(f *form.Form) error
	stored      func() error
}

// readUpload reads the parts of an upload form up to its file part, which it returns unread.
// The text fields are refused, as validateInput refuses them elsewhere, when they are not
// text PostgreSQL can store, when together they exceed maxUploadFields, or when a second
// file (or a file under another name) comes first; why says which, for the log.
func readUpload(r *http.Request) (url.Values, upload, string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, upload{}, "multipart: " + err.Error()
	}
	values := url.Values{}
	left := maxUploadFields
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return values, upload{}, ""
		}
		if err != nil {
			return nil, upload{}, "multipart: malformed"
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if name, isFile := params["filename"]; isFile {
			if p.FormName() != store.DocumentFieldFile {
				return nil, upload{}, "multipart: a file in another field"
			}
			return values, upload{part: p, name: name}, ""
		}
		b, err := io.ReadAll(io.LimitReader(p, int64(left)+1))
		left -= len(b)
		switch {
		case err != nil:
			return nil, upload{}, "multipart: malformed"
		case left < 0:
			return nil, upload{}, "form: body too large"
		case !cleanText(p.FormName()):
			return nil, upload{}, "field name: invalid UTF-8 or NUL"
		case !cleanText(string(b)):
			return nil, upload{}, "field value: invalid UTF-8 or NUL"
		}
		values.Add(p.FormName(), string(b))
	}
}

// storeUpload reads the upload form's fields, and stores the file when they are right; a
// refusal re-renders the page with the messages beside the fields and everything typed kept
// (only the file must be chosen again: no browser lets a page preset it).
func (s *Server) storeUpload(w http.ResponseWriter, r *http.Request, to uploadTarget, values url.Values, up upload) error {
	ctx := r.Context()
	types, err := s.vocab.Values(ctx, "document_type")
	if err != nil {
		return err
	}
	today := s.today()
	f := form.New(values)
	title := f.RequiredText(store.DocumentFieldTitle, "Titel", store.MaxDocumentTitle)
	typ := f.RequiredChoice(store.DocumentFieldType, "Dokumenttype", func(v string) bool { return types.ValidOn(v, today) })
	class := ""
	if to.chooseClass {
		class = f.Choice(store.DocumentFieldClass, "Hvem må se dokumentet", func(v string) bool {
			_, ok := access.ParseDocumentClass(v)
			return ok
		})
	}
	f.Label(store.DocumentFieldFile, "Fil")
	switch {
	case up.part == nil || up.name == "":
		f.Fail(store.DocumentFieldFile, "Vælg en fil")
	case f.OK():
		_, err := s.store.AddDocument(ctx, to.who, to.citizenID, store.NewDocument{Title: title, Type: typ, Class: class, Filename: up.name}, up.part)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			f.Fail(store.DocumentFieldFile, store.MsgDocumentTooLarge(s.store.DocumentMaxSize))
		case len(fieldErrors(err)) > 0:
			for k, msg := range fieldErrors(err) {
				f.Fail(k, msg)
			}
		case err != nil:
			return err
		}
	default:
		// The fields are wrong, so nothing is stored; the file's name and first bytes are
		// checked all the same, so every problem shows at once.
		if err := precheckFile(up); err != nil {
			f.Fail(store.DocumentFieldFile, err.Error())
		}
	}
	if !f.OK() {
		// Read what is left of the request (bounded by its MaxBytesReader), so the browser
		// gets the page instead of a connection closed while it was still sending.
		_, _ = io.Copy(io.Discard, r.Body)
		return to.refused(f)
	}
	return to.stored()
}

// precheckFile is what filetype can say of an upload from its name and first bytes.
func precheckFile(up upload) error {
	name, err := filetype.CheckName(up.name)
	if err != nil {
		return err
	}
	head, err := bufio.NewReaderSize(up.part, filetype.HeadSize).Peek(filetype.HeadSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil // the read's own problem; the form's messages come first
	}
	_, err = filetype.Sniff(head, name)
	return err
}

// documentDownload sends a document as an attachment, streamed from the store, if the viewer
// may see its class; the download is audited. The document is served with the type detected
// when it was stored and headers that keep a browser from running anything in it: nosniff, a
// sandboxing CSP that allows nothing, and no caching.
func (s *Server) documentDownload(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	did, err := urlID(r, "did")
	if err != nil {
		return err
	}
	d, err := s.store.DocumentByID(r.Context(), cr.ID, did)
	if err != nil {
		return err
	}
	if !access.SightOf(userFrom(r).access(), cr.Rel).SeesRow(access.DocumentRow(d.Class)) {
		return s.denied(r, cr.ID, "dokument "+strconv.FormatInt(d.ID, 10)+" ("+d.Class+") uden samtykke")
	}
	rc, err := s.store.OpenDocument(r.Context(), who(r), d)
	if err != nil {
		return err
	}
	defer rc.Close()
	// The first piece is read before the headers go, so a failing read is still an error page.
	body := bufio.NewReaderSize(rc, 32<<10)
	if _, err := body.Peek(1); err != nil {
		return fmt.Errorf("document %d: %w", d.ID, err)
	}
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	h.Set("Content-Disposition", attachment(d.Filename))
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if _, err := io.Copy(w, body); err != nil {
		// Too late for an error page: cut the connection, so the browser sees a broken
		// download rather than a short file.
		s.log.Error("document download broke off", "request_id", requestID(r), "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// attachment is a Content-Disposition that saves the file under its name (RFC 6266): the
// name in UTF-8 as filename* (RFC 5987), and an ASCII stand-in as filename for clients that
// know only that.
func attachment(name string) string {
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + rfc5987(name)
}

// asciiName spells the Danish letters out and replaces other characters outside printable
// ASCII, and the quote and backslash, with an underscore.
func asciiName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ø':
			b.WriteString("oe")
		case r == 'å':
			b.WriteString("aa")
		case r == 'Æ':
			b.WriteString("Ae")
		case r == 'Ø':
			b.WriteString("Oe")
		case r == 'Å':
			b.WriteString("Aa")
		case r < 0x20 || r > 0x7e || r == '"' || r == '\\':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// rfc5987 percent-encodes s's UTF-8 bytes except RFC 5987's attr-char.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// uploadsBusy answers 503 when every upload turn is taken for longer than Config.UploadWait.
func (s *Server) uploadsBusy(w http.ResponseWriter, r *http.Request) error {
	s.log.Warn("upload refused: too many at once", "request_id", requestID(r))
	w.Header().Set("Retry-After", "30")
	body := errorpage.Body(errorpage.Props{Status: http.StatusServiceUnavailable, Title: "Dokumentet kan ikke tilføjes lige nu",
		Message: "Mange tilføjer dokumenter på samme tid. Prøv igen om lidt; intet er gemt.", RequestID: requestID(r)})
	return s.page(w, r, http.StatusServiceUnavailable, "Dokumentet kan ikke tilføjes lige nu", body)
}
