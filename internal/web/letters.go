package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/delivery"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/letters"
	"github.com/helhed/helhed/web/paths"
)

// Letters to the citizen: written from a template (web/pages/letters), prefilled from the
// partshøring, the afgørelse or the case on the agenda it is about, read through and changed
// by the caseworker, printed to PDF and kept by store.SendLetter as a document with a journal
// note, in the outbox for Digital Post (delivery). Only the case-holding unit writes them
// (access.SendLetter); each letter is listed by its document's class.

// lettersPerPage is the letters page's length.
const lettersPerPage = 50

// The letter form's fields beyond the subject and the class.
const (
	letterFieldType     = "type"
	letterFieldHearing  = "hoering"
	letterFieldDecision = "afgoerelse"
	letterFieldCase     = "sag"
	maxLetterText       = 8000
)

// letterOrder is each kind's fields in form order; a kind is offered only when it has a
// template, that is, an entry here (and is reference data in force).
var letterOrder = map[string][]string{
	store.LetterIndkaldelse:  {"subject", "at_date", "at_time", "place", "purpose", "class"},
	store.LetterPartshoering: {"subject", "matter", "basis", "deadline", "class"},
	store.LetterAfgoerelse:   {"subject", "outcome", "reasons", "guidance", "class"},
	store.LetterIndstilling:  {"subject", "outcome", "reasons", "efforts", "class"},
}

// letterClassOptions are the form's choices of class.
var letterClassOptions = []components.Option{
	{Value: access.Case.String(), Label: "Sagsoplysninger: alle, der må se borgeren"},
	{Value: access.Health.String(), Label: "Helbredsoplysninger: andre enheder kun med samtykke til helbredsoplysninger"},
	{Value: access.Social.String(), Label: "Sociale forhold: andre enheder kun med samtykke til sociale forhold"},
}

// letterStateText says where a letter is in its delivery, never "sent" before the
// integration confirmed it.
func (s *Server) letterStateText(l store.Letter) (text, earlier string) {
	switch l.State {
	case store.LetterSent:
		text = "Afsendt " + format.DateTime(*l.SentAt) + " (ref. " + l.DeliveryRef + ")"
		if l.DeliveryError != "" {
			earlier = "Et tidligere forsøg fejlede: " + l.DeliveryError
		}
	case store.LetterFailed:
		text = "Afsendelse fejlede " + format.DateTime(*l.FailedAt) + ": " + l.DeliveryError +
			". Send et nyt brev, eller send det med posten."
	default:
		text = s.delivery.Waiting()
	}
	return text, earlier
}

// letterRows turns letters into rows for the page, each through its document's gate (the list
// holds only classes the viewer sees, so a withheld one here is a bug, and is left out).
func (s *Server) letterRows(sight access.Sight, kinds store.RefSet, ls []store.Letter) []citizens.LetterRow {
	var gated []access.Gated[citizens.LetterRow]
	for _, l := range ls {
		text, earlier := s.letterStateText(l)
		gated = append(gated, access.GateRow(sight, l.Row(), access.DocumentTitle, citizens.LetterRow{
			Href: paths.Document(l.CitizenID, l.DocumentID), Subject: l.Subject, Kind: kinds.Label(l.Kind),
			Class: documentClassLabels[l.Class], Filename: l.Filename, Size: store.FormatSize(l.Size), CreatedAt: l.CreatedAt,
			CreatedBy: l.CreatedByName, State: l.State, StateText: text, EarlierFailure: earlier}))
	}
	return access.Visible(gated)
}

// overviewLetters fills the citizen page's Breve: the counts, from the list's statement in the
// page's batch.
func (s *Server) overviewLetters(r *http.Request, b *store.Batch, p *citizens.OverviewProps, rel access.Relation, sight access.Sight) fill {
	u := userFrom(r).access()
	if !access.CanCitizen(u, access.ViewLetters, rel) {
		return nil
	}
	list := b.ListLetters(p.ID, seenDocumentClasses(sight), store.Page{Number: 1, PerPage: 1})
	return func() error {
		l := list.Value()
		p.Letters = citizens.LetterSummary{CanView: true, CanSend: access.CanCitizen(u, access.SendLetter, rel),
			Total: l.Shown, Waiting: l.Waiting, Withheld: l.Withheld}
		return nil
	}
}

// lettersView lists the citizen's letters the viewer may see, newest first, with their
// delivery. The read is audited.
func (s *Server) lettersView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	ctx := r.Context()
	page, _ := parsePage(r.URL.Query().Get(pageParam))
	sight := access.SightOf(userFrom(r).access(), cr.Rel)
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	if err := s.store.Audit(ctx, who(r), cr.ID, store.AuditCitizenView, "breve"); err != nil {
		return err
	}
	list, err := s.store.ListLetters(ctx, cr.ID, seenDocumentClasses(sight), store.Page{Number: page, PerPage: lettersPerPage})
	if err != nil {
		return err
	}
	kinds, err := s.vocab.Values(ctx, store.LetterKindRef)
	if err != nil {
		return err
	}
	p := citizens.LettersProps{ID: cr.ID, Name: c.Name(), Rows: s.letterRows(sight, kinds, list.Rows), Total: list.Shown,
		Waiting: list.Waiting, Withheld: list.Withheld,
		Pages: components.PageInfo{Page: page, PerPage: lettersPerPage, Total: list.Shown,
			URL: func(n int) string { return paths.LettersPage(cr.ID, n) }},
		CanSend: access.CanCitizen(userFrom(r).access(), access.SendLetter, cr.Rel)}
	return s.page(w, r, http.StatusOK, "Breve – "+c.Name(), citizens.Letters(p))
}

// offeredLetterKinds are the kinds in force today that have a template, in the vocabulary's
// order.
func (s *Server) offeredLetterKinds(r *http.Request) (store.RefSet, error) {
	kinds, err := s.vocab.Values(r.Context(), store.LetterKindRef)
	if err != nil {
		return nil, err
	}
	var out store.RefSet
	for _, k := range store.RefSet(kinds).Current(s.today()) {
		if _, ok := letterOrder[k.Code]; ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// letterDraft is a letter being written: its kind, what it is made from, the citizen, and the
// fields as the form shows them.
type letterDraft struct {
	kind, kindLabel string
	hearingID       int64
	decisionID      int64
	caseID          int64
	citizen         store.Citizen
	values          map[string]string
	source          string
	fixed           []components.DL
	// For the letter itself, from the source: the indstilling an afgørelse answers, the team
	// and meeting of an indstilling.
	indstilling *letters.IndstillingRef
	team        string
	meetingDate time.Time
}

// letterDraftOf reads the kind and the source ids (from the query or the posted form) and
// loads the citizen and the source: a source of another citizen is not found.
func (s *Server) letterDraftOf(r *http.Request, id int64, q url.Values) (*letterDraft, error) {
	ctx := r.Context()
	kinds, err := s.offeredLetterKinds(r)
	if err != nil {
		return nil, err
	}
	d := &letterDraft{kind: q.Get(letterFieldType), values: map[string]string{}}
	if !slices.ContainsFunc(kinds, func(k store.RefValue) bool { return k.Code == d.kind }) {
		return nil, &helhed.Error{Code: helhed.ENotFound, Message: "Brevtypen findes ikke"}
	}
	d.kindLabel = kinds.Label(d.kind)
	for _, p := range []struct {
		name string
		dst  *int64
	}{{letterFieldHearing, &d.hearingID}, {letterFieldDecision, &d.decisionID}, {letterFieldCase, &d.caseID}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				return nil, helhed.ErrNotFound
			}
			*p.dst = n
		}
	}
	if d.citizen, err = s.store.CitizenByID(ctx, id); err != nil {
		return nil, err
	}
	return d, s.loadLetterSource(r, d)
}

// loadLetterSource fills the draft's values from what the letter is made from (or the kind's
// defaults) and remembers the facts the letter takes from it.
func (s *Server) loadLetterSource(r *http.Request, d *letterDraft) error {
	ctx := r.Context()
	v := d.values
	v["class"] = store.LetterDefaultClass(d.kind)
	switch d.kind {
	case store.LetterIndkaldelse:
		v["subject"] = "Indkaldelse til samtale"
		v["place"] = d.citizen.UnitName
	case store.LetterPartshoering:
		v["subject"] = "Partshøring før afgørelse"
		v["deadline"] = s.today().AddDate(0, 0, 14).Format(time.DateOnly)
		if d.hearingID != 0 {
			h, err := s.store.HearingForLetter(ctx, d.citizen.ID, d.hearingID)
			if err != nil {
				return err
			}
			if h.IndstillingLabel != "" {
				v["matter"] = "Rehabiliteringsteamet har på mødet " + format.Date(h.MeetingStart) + " indstillet: " + h.IndstillingLabel +
					". Vi overvejer at træffe afgørelse i overensstemmelse med indstillingen."
			}
			v["basis"] = h.Subject
			v["deadline"] = h.Deadline.Format(time.DateOnly)
			d.source = "Fra partshøringen registreret " + format.Date(h.SentOn) + " med svarfrist " + format.Date(h.Deadline) + "."
		}
	case store.LetterAfgoerelse:
		v["subject"] = "Afgørelse"
		g, err := s.store.ComplaintGuidanceOn(ctx, s.today())
		if d.decisionID != 0 {
			l, lerr := s.store.DecisionForLetter(ctx, d.citizen.ID, d.decisionID)
			if lerr != nil {
				return lerr
			}
			g, err = l.Complaint, nil
			v["subject"] = "Afgørelse om " + strings.ToLower(l.OutcomeLabel)
			v["outcome"] = l.OutcomeLabel
			v["reasons"] = l.Reasons
			if !l.FollowsIndstilling && l.DepartureReasons != "" {
				v["reasons"] += "\n\nVi følger ikke rehabiliteringsteamets indstilling, fordi: " + l.DepartureReasons
			}
			d.indstilling = &letters.IndstillingRef{Outcome: l.IndstillingLabel, MeetingDate: l.MeetingStart, Followed: l.FollowsIndstilling}
			d.source = "Fra afgørelsen truffet " + format.Date(l.DecidedOn) + " af " + l.CaseworkerName + "."
			if l.Superseded {
				d.source += " Afgørelsen er siden erstattet af en nyere afgørelse."
			}
			follows := "Afgørelsen følger indstillingen"
			if !l.FollowsIndstilling {
				follows = "Afgørelsen fraviger indstillingen"
			}
			d.fixed = []components.DL{{Term: "Rehabiliteringsteamets indstilling", Desc: l.IndstillingLabel + " (" + format.Date(l.MeetingStart) + "). " + follows + "."}}
		}
		if err != nil {
			return err
		}
		v["guidance"] = strings.Join(klagevejledning(g), "\n")
	case store.LetterIndstilling:
		v["subject"] = "Rehabiliteringsteamets indstilling"
		if d.caseID != 0 {
			mc, err := s.store.MeetingCaseOfCitizen(ctx, d.citizen.ID, d.caseID)
			if err != nil {
				return err
			}
			if mc.Outcome == nil {
				return &helhed.Error{Code: helhed.ENotFound, Message: "Teamet har ikke indstillet i sagen endnu."}
			}
			m, err := s.store.MeetingByID(ctx, mc.MeetingID)
			if err != nil {
				return err
			}
			outcomes, err := s.vocab.Values(ctx, "indstilling")
			if err != nil {
				return err
			}
			v["outcome"] = store.RefSet(outcomes).Label(*mc.Outcome)
			v["reasons"], v["efforts"] = mc.Reasons, mc.RecommendedEfforts
			d.team, d.meetingDate = m.TeamName, m.StartsAt
			d.source = "Fra " + m.TeamName + "s indstilling på mødet " + format.Date(m.StartsAt) + "."
		}
	}
	return nil
}

// klagevejledning is the complaint guidance in force as the letter's paragraphs, in plain
// Danish, from the dated setting (docs/law.md).
func klagevejledning(g store.ComplaintGuidance) []string {
	lodge := g.LodgeWith
	if lodge == "kommunen" {
		lodge = "os i kommunen"
	}
	out := []string{
		"Hvis du ikke er enig i afgørelsen, kan du klage. Klagen skal være modtaget hos " + lodge + " senest " +
			strconv.Itoa(g.Weeks) + " uger efter, at du har fået afgørelsen.",
		"Du kan klage skriftligt eller mundtligt. Fortæl, hvad du er uenig i, og hvorfor. Du kan få hjælp til at klage hos din sagsbehandler.",
		"Vi ser på sagen igen. Hvis vi fastholder afgørelsen, sender vi din klage videre til " + g.Body + ", og du får besked om det.",
	}
	if rules, _, _ := strings.Cut(g.Source, ":"); rules != "" {
		out = append(out, "Reglerne om klage står i "+lowerFirst(strings.TrimSpace(rules))+".")
	}
	return out
}

// hidden are the draft's hidden fields: the kind and the source.
func (d *letterDraft) hidden() []citizens.HiddenField {
	h := []citizens.HiddenField{{Name: letterFieldType, Value: d.kind}}
	for _, src := range []struct {
		name string
		id   int64
	}{{letterFieldHearing, d.hearingID}, {letterFieldDecision, d.decisionID}, {letterFieldCase, d.caseID}} {
		if src.id != 0 {
			h = append(h, citizens.HiddenField{Name: src.name, Value: strconv.FormatInt(src.id, 10)})
		}
	}
	return h
}

// letterNewGet offers the kinds of letter, or the form of one kind prefilled from its source.
func (s *Server) letterNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	q := r.URL.Query()
	if q.Get(letterFieldType) == "" {
		return s.letterKinds(w, r, cr)
	}
	d, err := s.letterDraftOf(r, cr.ID, q)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), who(r), cr.ID, store.AuditCitizenView, "brev: "+d.kind); err != nil {
		return err
	}
	return s.renderLetterForm(w, r, http.StatusOK, d, form.New(nil), "")
}

// letterKinds lets the caseworker choose the letter to write. Letters about a partshøring, an
// afgørelse or an indstilling are best written from it (the case page links them, prefilled).
func (s *Server) letterKinds(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	kinds, err := s.offeredLetterKinds(r)
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(r.Context(), cr.ID)
	if err != nil {
		return err
	}
	p := citizens.LetterKindsProps{ID: cr.ID, Name: c.Name()}
	for _, k := range kinds {
		lk := citizens.LetterKind{Label: k.Label, Href: paths.LetterOfKind(cr.ID, k.Code)}
		if k.Code != store.LetterIndkaldelse {
			lk.Hint = "Skrives helst fra sagen i rehabiliteringsteamet, så teksterne er udfyldt fra partshøringen, afgørelsen eller indstillingen."
		}
		p.Kinds = append(p.Kinds, lk)
	}
	return s.page(w, r, http.StatusOK, "Skriv brev – "+c.Name(), citizens.LetterKinds(p))
}

func (s *Server) renderLetterForm(w http.ResponseWriter, r *http.Request, status int, d *letterDraft, f *form.Form, refused string) error {
	values := d.values
	if len(f.Values) > 0 {
		values = f.Values
	}
	p := citizens.LetterFormProps{ID: d.citizen.ID, Name: d.citizen.Name(), Kind: d.kind, KindLabel: d.kindLabel, Hidden: d.hidden(),
		Source: d.source, Fixed: d.fixed, Classes: letterClassOptions, Values: values, Errors: f.Errors, Summary: f.SummaryTexts(),
		Order: letterOrder[d.kind], Refused: refused}
	return s.page(w, r, status, d.kindLabel+" – "+d.citizen.Name(), citizens.LetterForm(p))
}

// letterNewPost prints the letter as the caseworker left it and keeps it (store.SendLetter):
// a document and a journal note, in the outbox for Digital Post. Bad input comes back beside
// the fields with everything typed kept; without a PDF renderer (or with every one busy)
// nothing is kept and the form comes back as typed with the reason.
func (s *Server) letterNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	ctx := r.Context()
	_ = r.ParseForm()
	if r.PostForm.Get(letterFieldType) == "" {
		s.flash(r, "info", "Vælg, hvilket brev du vil skrive.")
		return redirect(w, r, paths.LetterNew(cr.ID))
	}
	d, err := s.letterDraftOf(r, cr.ID, r.PostForm)
	if err != nil {
		return err
	}
	f := form.New(r.PostForm)
	f.Text(letterFieldType, "", 40)
	subject := f.RequiredText("subject", "Overskrift", store.MaxLetterSubject)
	head := letters.Head{Subject: subject, Date: s.now(),
		Recipient: letters.Recipient{Name: d.citizen.Name(), Address: d.citizen.Address, PostalCode: d.citizen.PostalCode,
			City: d.citizen.City, CPR: d.citizen.CPR.Masked()},
		Sender: letters.Sender{Unit: userFrom(r).UnitName, Caseworker: userFrom(r).Name}}
	var letter letters.Letter
	switch d.kind {
	case store.LetterIndkaldelse:
		day, dayOK := f.RequiredDate("at_date", "Dato for samtalen")
		clock := f.RequiredText("at_time", "Klokkeslæt", 5)
		place := f.RequiredText("place", "Sted", 500)
		purpose := f.RequiredText("purpose", "Det skal vi tale om", maxLetterText)
		at, ok := clockOn(day, clock)
		if clock != "" && !ok {
			f.Fail("at_time", "Skriv et klokkeslæt som 10.30")
		}
		if dayOK && day.Before(s.today()) {
			f.Fail("at_date", "Samtalen kan ikke ligge før i dag")
		}
		letter = letters.Indkaldelse{Head: head, At: at, Place: place, Purpose: purpose}.Letter()
	case store.LetterPartshoering:
		matter := f.RequiredText("matter", "Det overvejer vi at beslutte", maxLetterText)
		basis := f.RequiredText("basis", "De oplysninger, vi lægger vægt på", maxLetterText)
		deadline, ok := f.RequiredDate("deadline", "Svarfrist")
		if ok && !deadline.After(s.today()) {
			f.Fail("deadline", "Svarfristen skal ligge efter i dag")
		}
		letter = letters.Partshoering{Head: head, Matter: matter, Basis: basis, Deadline: deadline}.Letter()
	case store.LetterAfgoerelse:
		outcome := f.RequiredText("outcome", "Afgørelse", 500)
		reasons := f.RequiredText("reasons", "Begrundelse", maxLetterText)
		guidance := f.RequiredText("guidance", "Klagevejledning", maxLetterText)
		var paras []string
		for line := range strings.SplitSeq(guidance, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				paras = append(paras, line)
			}
		}
		letter = letters.Afgoerelse{Head: head, Outcome: outcome, Reasons: reasons, Indstilling: d.indstilling, Klagevejledning: paras}.Letter()
	case store.LetterIndstilling:
		outcome := f.RequiredText("outcome", "Teamet indstiller", 500)
		reasons := f.RequiredText("reasons", "Teamets begrundelse", maxLetterText)
		efforts := f.Text("efforts", "Indsatser, teamet anbefaler", maxLetterText)
		team, meeting := d.team, d.meetingDate
		if team == "" {
			team, meeting = "Rehabiliteringsteamet", s.today()
		}
		letter = letters.Indstilling{Head: head, Team: team, MeetingDate: meeting, Outcome: outcome, Reasons: reasons, Efforts: efforts}.Letter()
	}
	class := f.RequiredChoice("class", "Hvem må se brevet på sagen", func(v string) bool {
		_, ok := access.ParseDocumentClass(v)
		return ok
	})
	if !f.OK() {
		return s.renderLetterForm(w, r, http.StatusUnprocessableEntity, d, f, "")
	}
	doc, refused, err := s.printLetter(r, letter)
	if err != nil {
		return err
	}
	if refused != "" {
		return s.renderLetterForm(w, r, http.StatusServiceUnavailable, d, f, refused)
	}
	l, err := s.store.SendLetter(ctx, who(r), cr.ID, store.LetterInput{Kind: d.kind, Subject: subject, Class: class,
		HearingID: d.hearingID, DecisionID: d.decisionID, MeetingCaseID: d.caseID}, bytes.NewReader(doc))
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			if slices.Contains(letterOrder[d.kind], k) {
				f.Fail(k, msg)
			} else {
				f.Fail("subject", "Brevet kunne ikke gemmes: "+msg)
			}
		}
		return s.renderLetterForm(w, r, http.StatusUnprocessableEntity, d, f, "")
	}
	if err != nil {
		return err
	}
	// The letter is kept and in the outbox whatever happens now: a delivery that fails here
	// leaves it there, where the integration finds it.
	if err := s.delivery.Deliver(ctx, delivery.Letter{ID: l.ID, CitizenID: l.CitizenID, DocumentID: l.DocumentID, Kind: l.Kind}); err != nil {
		s.log.Error("letter delivery", "request_id", requestID(r), "letter", l.ID, "err", err)
	}
	s.flash(r, "success", "Brevet er gemt på sagen med et journalnotat. "+s.delivery.Waiting()+".")
	return redirect(w, r, paths.Letters(cr.ID))
}

// printLetter prints the letter to PDF. Without Chromium, or with every tab busy, it says
// why in Danish (refused) and prints nothing.
func (s *Server) printLetter(r *http.Request, l letters.Letter) (doc []byte, refused string, err error) {
	const unavailable = "Brevet kan ikke laves som PDF, fordi serveren mangler programmet, der laver PDF'er (Chromium). Intet er gemt, og det, du har skrevet, er bevaret. Kontakt driften, eller prøv igen senere."
	if !s.pdf.Available() {
		return nil, unavailable, nil
	}
	var buf bytes.Buffer
	if err := letters.Document(l).Render(r.Context(), &buf); err != nil {
		return nil, "", fmt.Errorf("render letter: %w", err)
	}
	doc, err = s.pdf.Render(r.Context(), buf.String())
	switch {
	case errors.Is(err, pdf.ErrUnavailable):
		return nil, unavailable, nil
	case errors.Is(err, pdf.ErrBusy), errors.Is(err, pdf.ErrClosed):
		s.log.Warn("pdf refused", "request_id", requestID(r), "err", err)
		return nil, "Der bliver lavet mange PDF'er lige nu. Intet er gemt, og det, du har skrevet, er bevaret. Prøv igen om lidt.", nil
	case err != nil:
		return nil, "", err
	}
	return doc, "", nil
}

// clockOn is the time "10.30" or "10:30" on day, in Danish time.
func clockOn(day time.Time, clock string) (time.Time, bool) {
	h, m, ok := strings.Cut(strings.ReplaceAll(clock, ":", "."), ".")
	if !ok {
		h, m = clock, "00"
	}
	hh, herr := strconv.Atoi(h)
	mm, merr := strconv.Atoi(m)
	if herr != nil || merr != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(m) != 2 {
		return time.Time{}, false
	}
	y, mo, d := day.Date()
	return time.Date(y, mo, d, hh, mm, 0, 0, form.Zone), true
}
