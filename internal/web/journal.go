package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/journal"
	"github.com/helhed/helhed/web/paths"
)

// journalPerPage is the timeline's page size.
const journalPerPage = 20

// maxJournalQuery bounds the search text (a search is a few words).
const maxJournalQuery = 200

// journalOverviewNotes is how many of the newest notes the citizen page shows.
const journalOverviewNotes = 3

// journalView is the timeline, narrowed by ?art= (a kind of note) and ?forfatter= (an
// author's id), a page at a time.
func (s *Server) journalView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	q := r.URL.Query()
	page, _ := parsePage(q.Get(pageParam))
	return s.renderJournal(w, r, cr, journalFilter(q.Get("art"), q.Get("forfatter")), page)
}

// journalSearchPost is the timeline searched in the notes' text. It is a POST, like the
// search for citizens: the words may themselves be health data, and must not end up in an
// address, the browser's history or a proxy's log. Its pages are posted again.
func (s *Server) journalSearchPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	f := journalFilter(r.PostFormValue("art"), r.PostFormValue("forfatter"))
	q := strings.TrimSpace(r.PostFormValue("q"))
	if rs := []rune(q); len(rs) > maxJournalQuery {
		q = string(rs[:maxJournalQuery])
	}
	if q == "" {
		return redirect(w, r, paths.JournalFiltered(cr.ID, f.Kind, f.AuthorID, 1))
	}
	f.Query = q
	page, _ := parsePage(r.PostFormValue(pageParam))
	return s.renderJournal(w, r, cr, f, page)
}

// journalFilter reads the timeline's filters; an author that is not a number is no filter.
func journalFilter(kind, author string) store.NoteFilter {
	f := store.NoteFilter{Kind: strings.TrimSpace(kind)}
	if id, err := strconv.ParseInt(author, 10, 64); err == nil && id > 0 {
		f.AuthorID = id
	}
	return f
}

// renderJournal renders one page of the timeline as the user may see it; the store audits
// the read.
func (s *Server) renderJournal(w http.ResponseWriter, r *http.Request, cr citizenReq, f store.NoteFilter, page int) error {
	ctx := r.Context()
	u := userFrom(r)
	sight := access.SightOf(u.access(), cr.Rel)
	kinds, err := s.vocab.Values(ctx, store.NoteKindRef)
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	notes, total, err := s.store.ListNotes(ctx, who(r), cr.ID, sight, f, store.Page{Number: page, PerPage: journalPerPage})
	if err != nil {
		return err
	}
	authors, err := s.store.NoteAuthors(ctx, cr.ID, sight)
	if err != nil {
		return err
	}
	canWrite := access.CanCitizen(u.access(), access.WriteJournal, cr.Rel)
	p := journal.TimelineProps{CitizenID: cr.ID, CitizenName: c.Name(), Total: total, Kind: f.Kind, Query: f.Query,
		Kinds: options(kinds), CanWrite: canWrite, LockPeriod: helhed.NoteLockPeriod(s.store.NoteLockPeriod()),
		Notes: noteViews(notes, kinds, sight, u, canWrite)}
	if f.AuthorID != 0 {
		p.Author = strconv.FormatInt(f.AuthorID, 10)
	}
	for _, a := range authors {
		p.Authors = append(p.Authors, components.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name})
	}
	if f.Query != "" {
		pi := components.PageInfo{Page: page, PerPage: journalPerPage, Total: total}
		p.SearchPage, p.SearchPages = pi.Current(), pi.Pages()
	} else {
		p.Pages = components.PageInfo{Page: page, PerPage: journalPerPage, Total: total, URL: func(n int) string {
			return paths.JournalFiltered(cr.ID, f.Kind, f.AuthorID, n)
		}}
	}
	return s.page(w, r, http.StatusOK, "Journal – "+c.Name(), journal.Timeline(p))
}

// noteViews gates each note for the viewer (the store has left out what the viewer may not
// see; the gate says so again, by the note's own class and unit) and says what the viewer
// may do with it.
func noteViews(notes []store.Note, kinds store.RefSet, sight access.Sight, u *currentUser, canWrite bool) []access.Gated[journal.Note] {
	out := make([]access.Gated[journal.Note], len(notes))
	for i, n := range notes {
		out[i] = access.GateRow(sight, n.Row(), access.NoteText, noteView(n, kinds, u, canWrite))
	}
	return out
}

// noteView is one note's view data.
func noteView(n store.Note, kinds store.RefSet, u *currentUser, canWrite bool) journal.Note {
	return journal.Note{ID: n.ID, CitizenID: n.CitizenID, Kind: kinds.Label(n.Kind), Class: n.Row().Class, EventDate: n.EventDate,
		Text: n.Text, Author: n.AuthorName, Unit: n.UnitName, CreatedAt: n.CreatedAt, AmendedAt: n.AmendedAt,
		Corrects: n.CorrectsAt, CorrectsHidden: n.CorrectsHidden(), CorrectedAt: n.CorrectedAt, CorrectedHidden: n.CorrectedHidden,
		CanAmend: canWrite && n.AuthorID == u.ID && !n.Locked, LocksAt: n.LocksAt, CanCorrect: canWrite}
}

// overviewJournal fills the citizen page's journal section: the number of notes the user may
// see and the newest few, in one statement of the page's batch (the page's view is audited
// already).
func (s *Server) overviewJournal(r *http.Request, b *store.Batch, props *citizens.OverviewProps, rel access.Relation, sight access.Sight) fill {
	u := userFrom(r)
	if !access.CanCitizen(u.access(), access.ViewJournal, rel) {
		return nil
	}
	summary := b.NoteSummary(props.ID, sight, journalOverviewNotes)
	return func() error {
		kinds, err := s.vocab.Values(r.Context(), store.NoteKindRef)
		if err != nil {
			return err
		}
		notes := summary.Value()
		j := &props.Journal
		j.Shown, j.Total = true, notes.Total
		j.CanWrite = access.CanCitizen(u.access(), access.WriteJournal, rel)
		for _, n := range notes.Rows {
			j.Notes = append(j.Notes, access.GateRow(sight, n.Row(), access.NoteText, citizens.JournalNote{
				Date: n.EventDate, Kind: kinds.Label(n.Kind), Author: n.AuthorName, Text: n.Text, Href: paths.Note(props.ID, n.ID)}))
		}
		return nil
	}
}

// noteForm is a posted note as read, and the input it decoded.
type noteForm struct {
	in store.NoteInput
	*form.Form
}

// decodeNoteForm reads a new note or correction: a kind in force today (or, for a correction,
// the corrected note's own kind), the day of the event, the class and the text.
func decodeNoteForm(r *http.Request, kinds store.RefSet, today time.Time) noteForm {
	f := noteForm{Form: form.New(r.PostForm)}
	f.in.Kind = f.RequiredChoice("kind", "Notattype", kinds.Has)
	if d, ok := f.RequiredDate("event_date", "Dato for begivenheden"); ok {
		if msg := helhed.NoteDateProblem(d, today); msg != "" {
			f.Fail("event_date", msg)
		}
		f.in.EventDate = d
	}
	f.in.Class = f.RequiredChoice("class", "Notatet indeholder", func(v string) bool { _, ok := access.NoteClass(v); return ok })
	f.in.Text = f.noteText()
	return f
}

// noteText reads the text without cutting it: a text too long keeps every character in the
// form, with the message that says how long it is (helhed.NoteTextProblem).
func (f noteForm) noteText() string {
	t := f.Text(helhed.FieldNoteText, "Notat", 1<<30) // the body's own limit comes first
	if msg := helhed.NoteTextProblem(t); msg != "" {
		f.Fail(helhed.FieldNoteText, msg)
	}
	return t
}

// noteFormProps is the form's frame: the citizen, the kinds on offer, the lock period.
func (s *Server) noteFormProps(r *http.Request, id int64, kinds store.RefSet, keep string) (journal.FormProps, error) {
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return journal.FormProps{}, err
	}
	return journal.FormProps{CitizenID: id, CitizenName: c.Name(), Kinds: keptOptions(kinds.Keeping(s.today(), keep), s.today()),
		LockPeriod: helhed.NoteLockPeriod(s.store.NoteLockPeriod())}, nil
}

// defaultNoteClass is the class a new note starts with: what the author's unit works with
// (a health centre's note is about health), case data in the jobcenter.
func defaultNoteClass(u *currentUser) string {
	switch access.ConsentInformation(u.UnitKind) {
	case "helbred":
		return access.Health.String()
	case "sociale_forhold":
		return access.Social.String()
	}
	return access.Case.String()
}

// noteNewGet shows the form for a new note: today's date, the class of the author's unit.
func (s *Server) noteNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	kinds, err := s.vocab.Values(r.Context(), store.NoteKindRef)
	if err != nil {
		return err
	}
	p, err := s.noteFormProps(r, cr.ID, kinds, "")
	if err != nil {
		return err
	}
	p.Values = map[string]string{"event_date": s.today().Format(time.DateOnly), "class": defaultNoteClass(userFrom(r))}
	return s.page(w, r, http.StatusOK, p.Title()+" – "+p.CitizenName, journal.NoteForm(p))
}

// noteNewPost writes a note; a rejected form comes back whole, the text included.
func (s *Server) noteNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.saveNote(w, r, cr, nil)
}

// noteCorrectGet shows the form for a correction of note {nid}, with the note above it and
// its kind, date and class filled in.
func (s *Server) noteCorrectGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	n, kinds, err := s.loadNote(r, cr)
	if err != nil {
		return err
	}
	p, err := s.noteFormProps(r, cr.ID, kinds, n.Kind)
	if err != nil {
		return err
	}
	view := noteView(n, kinds, userFrom(r), false)
	p.Corrected = &view
	if err := s.auditNoteRead(r, cr.ID, n.ID); err != nil {
		return err
	}
	p.Values = map[string]string{"kind": n.Kind, "event_date": n.EventDate.Format(time.DateOnly), "class": n.Class}
	return s.page(w, r, http.StatusOK, p.Title()+" – "+p.CitizenName, journal.NoteForm(p))
}

// noteCorrectPost writes the correction of note {nid}.
func (s *Server) noteCorrectPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	n, _, err := s.loadNote(r, cr)
	if err != nil {
		return err
	}
	return s.saveNote(w, r, cr, &n)
}

// loadNote reads note {nid} of the citizen, if the user may see it.
func (s *Server) loadNote(r *http.Request, cr citizenReq) (store.Note, store.RefSet, error) {
	nid, err := urlID(r, "nid")
	if err != nil {
		return store.Note{}, nil, err
	}
	kinds, err := s.vocab.Values(r.Context(), store.NoteKindRef)
	if err != nil {
		return store.Note{}, nil, err
	}
	n, err := s.store.NoteByID(r.Context(), cr.ID, nid, access.SightOf(userFrom(r).access(), cr.Rel))
	return n, kinds, err
}

// auditNoteRead records that a form showed one note's text (the correction and amendment
// forms show it whole).
func (s *Server) auditNoteRead(r *http.Request, citizenID, noteID int64) error {
	return s.store.Audit(r.Context(), who(r), citizenID, store.AuditCitizenView, "journal: notat "+strconv.FormatInt(noteID, 10))
}

// saveNote reads and stores a new note, or a correction of corrected.
func (s *Server) saveNote(w http.ResponseWriter, r *http.Request, cr citizenReq, corrected *store.Note) error {
	ctx := r.Context()
	kinds, err := s.vocab.Values(ctx, store.NoteKindRef)
	if err != nil {
		return err
	}
	keep := ""
	if corrected != nil {
		keep = corrected.Kind
	}
	f := decodeNoteForm(r, kinds.Keeping(s.today(), keep), s.today())
	if corrected != nil {
		f.in.CorrectsID = corrected.ID
	}
	var id int64
	if f.OK() {
		id, err = s.store.CreateNote(ctx, who(r), cr.ID, access.SightOf(userFrom(r).access(), cr.Rel), f.in)
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		if err != nil && helhed.ErrorCode(err) != helhed.EInvalid {
			return err
		}
	}
	if !f.OK() {
		p, err := s.noteFormProps(r, cr.ID, kinds, keep)
		if err != nil {
			return err
		}
		if corrected != nil {
			view := noteView(*corrected, kinds, userFrom(r), false)
			p.Corrected = &view
		}
		p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
		return s.page(w, r, http.StatusUnprocessableEntity, p.Title()+" – "+p.CitizenName, journal.NoteForm(p))
	}
	if corrected != nil {
		s.flash(r, "success", "Rettelsen er gemt. Det oprindelige notat henviser nu til den.")
	} else {
		s.flash(r, "success", "Notatet er gemt.")
	}
	return redirect(w, r, paths.Note(cr.ID, id))
}

// noteAmendGet shows the author's form for the text of note {nid}, until the note locks.
func (s *Server) noteAmendGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	n, kinds, err := s.loadNote(r, cr)
	if err != nil {
		return err
	}
	if err := s.mayAmend(r, cr.ID, n); err != nil {
		return err
	}
	p, err := s.amendProps(r, cr, n, kinds)
	if err != nil {
		return err
	}
	p.Values = map[string]string{helhed.FieldNoteText: n.Text}
	if err := s.auditNoteRead(r, cr.ID, n.ID); err != nil {
		return err
	}
	return s.page(w, r, http.StatusOK, "Redigér notat – "+p.CitizenName, journal.AmendForm(p))
}

// noteAmendPost saves the amended text on the version the author read. A refusal (the note
// has locked meanwhile, a newer version) keeps the text typed in the form, beside the reason.
func (s *Server) noteAmendPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	n, kinds, err := s.loadNote(r, cr)
	if err != nil {
		return err
	}
	if n.AuthorID != userFrom(r).ID {
		return s.mayAmend(r, cr.ID, n) // refused before the form is read; the store would refuse too
	}
	f := noteForm{Form: form.New(r.PostForm)}
	version, verr := strconv.Atoi(f.Text("version", "", 20))
	text := f.noteText()
	if verr != nil {
		f.Fail(helhed.FieldNoteText, "Formularen er ufuldstændig. Åbn siden igen.")
	}
	status := http.StatusUnprocessableEntity
	if f.OK() {
		err = s.store.AmendNote(r.Context(), who(r), cr.ID, n.ID, version, text)
		switch helhed.ErrorCode(err) {
		case "":
			s.flash(r, "success", "Ændringen er gemt.")
			return redirect(w, r, paths.Note(cr.ID, n.ID))
		case helhed.EConflict, helhed.EInvalid:
			f.Fail(helhed.FieldNoteText, helhed.ErrorMessage(err))
			for k, msg := range fieldErrors(err) {
				f.Fail(k, msg)
			}
			if helhed.ErrorCode(err) == helhed.EConflict {
				status = http.StatusConflict
			}
		default:
			return err
		}
	}
	p, err := s.amendProps(r, cr, n, kinds)
	if err != nil {
		return err
	}
	p.Version = version
	p.Values, p.Errors, p.Summary = f.Values, f.Errors, f.SummaryTexts()
	return s.page(w, r, status, "Redigér notat – "+p.CitizenName, journal.AmendForm(p))
}

// mayAmend refuses the amendment form to anyone but the note's author, and after the lock.
func (s *Server) mayAmend(r *http.Request, citizenID int64, n store.Note) error {
	if n.AuthorID != userFrom(r).ID {
		// Refused, and audited like every refusal, with the helpful message.
		if err := s.store.Audit(r.Context(), who(r), citizenID, store.AuditCitizenDenied,
			"nægtet: journal: redigering af andens notat "+strconv.FormatInt(n.ID, 10)); err != nil {
			return err
		}
		return &helhed.Error{Code: helhed.EForbidden, Message: "Kun den, der har skrevet notatet, kan redigere det. Skriv en rettelse i stedet."}
	}
	if n.Locked {
		return &helhed.Error{Code: helhed.EConflict, Message: helhed.NoteLockedMessage(s.store.NoteLockPeriod())}
	}
	return nil
}

// amendProps is the amendment form's frame.
func (s *Server) amendProps(r *http.Request, cr citizenReq, n store.Note, kinds store.RefSet) (journal.AmendProps, error) {
	c, err := s.store.CitizenByID(r.Context(), cr.ID)
	if err != nil {
		return journal.AmendProps{}, err
	}
	return journal.AmendProps{CitizenID: cr.ID, CitizenName: c.Name(), Note: noteView(n, kinds, userFrom(r), true), Version: n.Version}, nil
}
