package web

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/helhed/helhed/internal/filetype"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/mit"
	"github.com/helhed/helhed/web/pages/plans"
	"github.com/helhed/helhed/web/paths"
)

// The citizen area's pages (citizenarea.go for the realm and the sign-in). The citizen is the
// data subject: they see their own case whole, with no consent in between, and nothing of
// anyone else's. Their reads are not look-ups of someone else's data and are not audited;
// every change they make is, as their own (store.Who.Citizen).

// selfLookupsPerPage and selfLettersPerPage are the area's list pages.
const (
	selfLookupsPerPage = 50
	selfLettersPerPage = 25
	selfUpcoming       = 10
)

// formState is a form's values and messages for a citizen-area page.
func formState(f *form.Form) mit.FormState {
	if f == nil {
		return mit.FormState{}
	}
	return mit.FormState{Values: f.Values, Errors: f.SummaryTexts(), Order: f.Order()}
}

// selfPlanView is the citizen's plan, their front page.
func (s *Server) selfPlanView(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	return s.renderSelfPlan(w, r, sr, http.StatusOK, nil)
}

func (s *Server) renderSelfPlan(w http.ResponseWriter, r *http.Request, sr selfReq, status int, comment *form.Form) error {
	ctx := r.Context()
	p := mit.PlanProps{Comment: formState(comment)}
	plan, ok, err := s.store.PlanForOverview(ctx, sr.ID)
	if err != nil {
		return err
	}
	if ok {
		rf, err := s.vocab.Sets(ctx, "effort_area", "effort_status")
		if err != nil {
			return err
		}
		ratings, err := s.store.GoalRatings(ctx, sr.ID)
		if err != nil {
			return err
		}
		p.HasPlan, p.CitizenGoal, p.NextFollowUp = true, plan.CitizenGoal, plan.NextFollowUp
		for _, g := range plan.Goals {
			p.Goals = append(p.Goals, mit.GoalRow{ID: g.ID, Text: g.Text, Rating: ratings[g.ID]})
		}
		for _, e := range plan.Efforts {
			p.Efforts = append(p.Efforts, mit.EffortRow{Title: e.Title, Area: rf["effort_area"].Label(e.Area),
				Status: rf["effort_status"].Label(e.Status), Unit: e.ResponsibleUnit, Start: e.StartDate, End: e.EndDate})
		}
	}
	if p.Comments, err = s.selfComments(r, sr.ID, 0); err != nil {
		return err
	}
	if p.Upcoming, err = s.selfUpcoming(r, sr.ID); err != nil {
		return err
	}
	return s.selfPage(w, r, status, "Min plan", mit.Plan(p))
}

// selfComments are the citizen's latest comments on the plan (meetingCaseID 0) or on one
// indstilling.
func (s *Server) selfComments(r *http.Request, citizenID, meetingCaseID int64) ([]mit.CommentRow, error) {
	cs, _, err := s.store.SelfComments(r.Context(), citizenID, store.Page{Number: 1, PerPage: 50})
	if err != nil {
		return nil, err
	}
	var out []mit.CommentRow
	for _, c := range cs {
		if (c.MeetingCaseID == nil && meetingCaseID == 0) || (c.MeetingCaseID != nil && *c.MeetingCaseID == meetingCaseID) {
			out = append(out, mit.CommentRow{Text: c.Text, At: c.CreatedAt})
		}
	}
	return out, nil
}

// selfUpcoming are the citizen's next booked samtaler, each marked when they have answered
// WHO-5 before it.
func (s *Server) selfUpcoming(r *http.Request, citizenID int64) ([]mit.SamtaleRow, error) {
	ctx := r.Context()
	ts, err := s.store.UpcomingSamtaler(ctx, citizenID, s.now(), selfUpcoming)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	forms, err := s.vocab.Values(ctx, store.SamtaleFormRef)
	if err != nil {
		return nil, err
	}
	reports, err := s.store.WHO5SelfReports(ctx, citizenID)
	if err != nil {
		return nil, err
	}
	answered := map[int64]bool{}
	for _, x := range reports {
		if x.SamtaleID != nil {
			answered[*x.SamtaleID] = true
		}
	}
	out := make([]mit.SamtaleRow, len(ts))
	for i, t := range ts {
		out[i] = mit.SamtaleRow{ID: t.ID, Starts: t.StartsAt, Ends: t.EndsAt, Form: forms.Label(t.Form), Place: t.Place, WHO5Answered: answered[t.ID]}
	}
	return out, nil
}

// selfGoalRatePost records the citizen's own rating of a goal of their plan.
func (s *Server) selfGoalRatePost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	gid, err := urlID(r, "gid")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	rating, err := strconv.Atoi(r.PostFormValue("rating"))
	if err != nil {
		rating = 0
	}
	if err := s.store.RateGoal(r.Context(), selfWho(r), sr.ID, gid, rating); err != nil {
		if helhed.ErrorCode(err) == helhed.EInvalid {
			s.selfFlash(r, "error", "Vælg, hvor langt du er nået med delmålet, før du gemmer.")
			return redirect(w, r, paths.SelfHome)
		}
		return err
	}
	s.selfFlash(r, "success", "Din vurdering er gemt. Din sagsbehandler kan se den.")
	return redirect(w, r, paths.SelfHome)
}

// selfCommentForm reads a comment form.
func selfCommentForm(r *http.Request) (*form.Form, string) {
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	text := f.RequiredText("text", "Kommentar", store.MaxSelfComment)
	return f, text
}

// selfPlanCommentPost stores the citizen's comment on their plan.
func (s *Server) selfPlanCommentPost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	f, text := selfCommentForm(r)
	if !f.OK() {
		return s.renderSelfPlan(w, r, sr, http.StatusUnprocessableEntity, f)
	}
	if err := s.store.AddSelfComment(r.Context(), selfWho(r), sr.ID, 0, text); err != nil {
		return err
	}
	s.selfFlash(r, "success", "Din kommentar er sendt til din sagsbehandler.")
	return redirect(w, r, paths.SelfHome)
}

// selfAppointmentsView lists the citizen's upcoming samtaler and their meetings.
func (s *Server) selfAppointmentsView(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	ctx := r.Context()
	var p mit.AppointmentsProps
	var err error
	if p.Samtaler, err = s.selfUpcoming(r, sr.ID); err != nil {
		return err
	}
	ms, err := s.store.CitizenMeetings(ctx, sr.ID)
	if err != nil {
		return err
	}
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.WithdrawnAt != nil {
			continue
		}
		row := mit.MeetingRow{CaseID: m.CaseID, Team: m.TeamName, Starts: m.StartsAt, HasIndstilling: m.Outcome != nil}
		if m.Outcome != nil {
			row.Outcome = outcomes.Label(*m.Outcome)
		}
		p.Meetings = append(p.Meetings, row)
	}
	return s.selfPage(w, r, http.StatusOK, "Samtaler og møder", mit.Appointments(p))
}

// selfSamtale is the citizen's booked samtale {samid} still to come: another citizen's, a
// held or cancelled one is not found.
func (s *Server) selfSamtale(r *http.Request, citizenID int64) (mit.SamtaleRow, error) {
	samid, err := urlID(r, "samid")
	if err != nil {
		return mit.SamtaleRow{}, err
	}
	t, err := s.store.SamtaleByID(r.Context(), citizenID, samid)
	if err != nil {
		return mit.SamtaleRow{}, err
	}
	if t.Status != helhed.SamtaleBooked {
		return mit.SamtaleRow{}, helhed.ErrNotFound
	}
	return mit.SamtaleRow{ID: t.ID, Starts: t.StartsAt, Ends: t.EndsAt}, nil
}

// selfWHO5Get is the WHO-5 form before a samtale.
func (s *Server) selfWHO5Get(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	t, err := s.selfSamtale(r, sr.ID)
	if err != nil {
		return err
	}
	return s.selfPage(w, r, http.StatusOK, "Din trivsel", mit.WHO5(mit.WHO5Props{Samtale: t}))
}

// selfWHO5Post stores the citizen's own WHO-5 before the samtale: self-reported, shown in
// the caseworker's WHO-5 trend marked as the citizen's own.
func (s *Server) selfWHO5Post(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	t, err := s.selfSamtale(r, sr.ID)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var items [5]int
	for i := range items {
		name := "who5_" + strconv.Itoa(i+1)
		n, ok := f.RequiredInt(name, helhed.WHO5Items[i], 0, helhed.MaxWHO5Item)
		if ok {
			items[i] = n
		}
	}
	if !f.OK() {
		for i := range items {
			name := "who5_" + strconv.Itoa(i+1)
			if f.Errors[name] != "" {
				f.Errors[name] = "Vælg det svar, der passer bedst"
			}
		}
		return s.selfPage(w, r, http.StatusUnprocessableEntity, "Din trivsel", mit.WHO5(mit.WHO5Props{Samtale: t, Form: formState(f)}))
	}
	if _, err := s.store.AddWHO5SelfReport(r.Context(), selfWho(r), sr.ID, t.ID, items); err != nil {
		return err
	}
	s.selfFlash(r, "success", "Tak. Dine svar er sendt, og din sagsbehandler kan se dem før samtalen.")
	return redirect(w, r, paths.SelfAppointments)
}

// selfMeetingCase is the citizen's case {mcid} at the rehabiliteringsteam: another
// citizen's, or one taken off the agenda, is not found.
func (s *Server) selfMeetingCase(r *http.Request, citizenID int64) (store.MeetingCase, error) {
	mcid, err := urlID(r, "mcid")
	if err != nil {
		return store.MeetingCase{}, err
	}
	mc, err := s.store.MeetingCaseOfCitizen(r.Context(), citizenID, mcid)
	if err != nil {
		return mc, err
	}
	if mc.WithdrawnAt != nil {
		return mc, helhed.ErrNotFound
	}
	return mc, nil
}

// selfIndstillingView is the team's indstilling in the citizen's case, with their comments.
func (s *Server) selfIndstillingView(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	return s.renderSelfIndstilling(w, r, sr, http.StatusOK, nil)
}

func (s *Server) renderSelfIndstilling(w http.ResponseWriter, r *http.Request, sr selfReq, status int, f *form.Form) error {
	ctx := r.Context()
	mc, err := s.selfMeetingCase(r, sr.ID)
	if err != nil {
		return err
	}
	m, err := s.store.MeetingByID(ctx, mc.MeetingID)
	if err != nil {
		return err
	}
	p := mit.IndstillingProps{CaseID: mc.ID, Team: m.TeamName, Starts: m.StartsAt, HasIndstilling: mc.Outcome != nil,
		Reasons: mc.Reasons, Efforts: mc.RecommendedEfforts, Comment: formState(f)}
	if mc.Outcome != nil {
		outcomes, err := s.vocab.Values(ctx, "indstilling")
		if err != nil {
			return err
		}
		p.Outcome = outcomes.Label(*mc.Outcome)
	}
	if p.Comments, err = s.selfComments(r, sr.ID, mc.ID); err != nil {
		return err
	}
	return s.selfPage(w, r, status, "Rehabiliteringsteamet", mit.Indstilling(p))
}

// selfIndstillingCommentPost stores the citizen's comment on the team's indstilling.
func (s *Server) selfIndstillingCommentPost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	mc, err := s.selfMeetingCase(r, sr.ID)
	if err != nil {
		return err
	}
	f, text := selfCommentForm(r)
	if !f.OK() {
		return s.renderSelfIndstilling(w, r, sr, http.StatusUnprocessableEntity, f)
	}
	if err := s.store.AddSelfComment(r.Context(), selfWho(r), sr.ID, mc.ID, text); err != nil {
		return err
	}
	s.selfFlash(r, "success", "Din kommentar til indstillingen er sendt.")
	return redirect(w, r, paths.SelfIndstilling(mc.ID))
}

// selfConsentsView lists the citizen's consents with the form to give one.
func (s *Server) selfConsentsView(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	return s.renderSelfConsents(w, r, sr, http.StatusOK, nil, nil)
}

func (s *Server) renderSelfConsents(w http.ResponseWriter, r *http.Request, sr selfReq, status int, f *form.Form, selected []string) error {
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, sr.ID)
	if err != nil {
		return err
	}
	infos, err := s.vocab.Values(ctx, "consent_information")
	if err != nil {
		return err
	}
	cs, err := s.store.ListConsents(ctx, sr.ID)
	if err != nil {
		return err
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	p := mit.ConsentsProps{Information: options(infos.Current(today)), Selected: selected, Form: formState(f)}
	for _, u := range units {
		if selfConsentUnit(u, c.UnitID) {
			p.Units = append(p.Units, components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
		}
	}
	for _, k := range cs {
		p.Rows = append(p.Rows, mit.ConsentRow{ID: k.ID, Information: infos.Label(k.Information), Unit: k.RecipientUnit,
			Purpose: k.Purpose, Given: k.GivenOn, Expires: k.ExpiresOn, WithdrawnAt: k.WithdrawnAt, Current: k.CurrentOn(today)})
	}
	return s.selfPage(w, r, status, "Samtykker", mit.Consents(p))
}

// selfConsentGivePost records a consent the citizen gives themself, from today, with the
// same rules as one the caseworker records (helhed.ValidateConsent, in the store).
func (s *Server) selfConsentGivePost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	ctx := r.Context()
	_ = r.ParseForm()
	c, err := s.store.CitizenByID(ctx, sr.ID)
	if err != nil {
		return err
	}
	infos, err := s.vocab.Values(ctx, "consent_information")
	if err != nil {
		return err
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, u := range units {
		known[u.ID] = selfConsentUnit(u, c.UnitID)
	}
	today := s.today()
	f := form.New(r.PostForm)
	info := f.RequiredChoice("c_information", "Hvilke oplysninger?", func(v string) bool { return infos.ValidOn(v, today) })
	f.Label("c_units", "Hvem må se dem?")
	var ids []int64
	for _, v := range r.PostForm["c_units"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !known[id] {
			f.Fail("c_units", "Vælg fra listen")
			continue
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		f.Fail("c_units", "Vælg mindst én, der må se oplysningerne")
	}
	purpose := f.RequiredText("c_purpose", "Hvad må de bruge dem til?", helhed.MaxConsentPurpose)
	if f.OK() {
		err := s.store.CreateConsents(ctx, selfWho(r), store.NewConsent{CitizenID: sr.ID, Information: info, UnitIDs: ids,
			Purpose: purpose, GivenOn: today})
		for field, msg := range fieldErrors(err) {
			if field == helhed.FieldConsentPurpose {
				f.Fail("c_purpose", msg)
			}
		}
		if err != nil && f.OK() {
			return err
		}
	}
	if !f.OK() {
		return s.renderSelfConsents(w, r, sr, http.StatusUnprocessableEntity, f, r.PostForm["c_units"])
	}
	s.selfFlash(r, "success", "Dit samtykke er registreret.")
	return redirect(w, r, paths.SelfConsents)
}

// selfConsentWithdrawPost withdraws one of the citizen's consents at once: the store wakes
// the open boards of their meetings, and every access decision reads consents afresh, so the
// data is gone from the next request and from the shared screen.
func (s *Server) selfConsentWithdrawPost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	kid, err := urlID(r, "kid")
	if err != nil {
		return err
	}
	if err := s.store.WithdrawConsent(r.Context(), selfWho(r), sr.ID, kid); err != nil {
		return err
	}
	s.selfFlash(r, "success", "Samtykket er trukket tilbage. Det gælder med det samme.")
	return redirect(w, r, paths.SelfConsents)
}

// selfLettersView lists the letters to the citizen, the documents they sent, and the form
// to send one.
func (s *Server) selfLettersView(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	return s.renderSelfLetters(w, r, sr, http.StatusOK, nil)
}

// selfUploadPost files a document the citizen sends, with the staff's upload rules (the
// stream, the formats, the size, the document types in force: receiveUpload and
// storeUpload); its class is its type's, and it is the citizen's own (uploaded_by_citizen).
func (s *Server) selfUploadPost(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	return s.receiveUpload(w, r, func(w http.ResponseWriter, r *http.Request, values url.Values, up upload) error {
		return s.storeUpload(w, r, uploadTarget{citizenID: sr.ID, who: selfWho(r),
			refused: func(f *form.Form) error { return s.renderSelfLetters(w, r, sr, http.StatusUnprocessableEntity, f) },
			stored: func() error {
				s.selfFlash(r, "success", "Dokumentet er sendt til kommunen.")
				return redirect(w, r, paths.SelfLetters+"#send")
			}}, values, up)
	})
}

func (s *Server) renderSelfLetters(w http.ResponseWriter, r *http.Request, sr selfReq, status int, f *form.Form) error {
	ctx := r.Context()
	page := selfPageNumber(r.URL.Query())
	list, err := s.store.ListLetters(ctx, sr.ID, []string{"sag", "helbred", "social"}, store.Page{Number: page, PerPage: selfLettersPerPage})
	if err != nil {
		return err
	}
	kinds, err := s.vocab.Values(ctx, store.LetterKindRef)
	if err != nil {
		return err
	}
	p := mit.LettersProps{Waiting: list.Waiting, Page: components.PageInfo{Page: page, PerPage: selfLettersPerPage, Total: list.Shown,
		URL: func(n int) string { return paths.SelfLetters + "?side=" + strconv.Itoa(n) }}}
	for _, l := range list.Rows {
		p.Letters = append(p.Letters, mit.LetterRow{DocumentID: l.DocumentID, Subject: l.Subject, Kind: kinds.Label(l.Kind),
			Date: l.CreatedAt, Sent: l.State == store.LetterSent})
	}
	types, err := s.vocab.Values(ctx, "document_type")
	if err != nil {
		return err
	}
	sent, err := s.store.SelfDocuments(ctx, sr.ID, 50)
	if err != nil {
		return err
	}
	for _, d := range sent {
		p.Sent = append(p.Sent, mit.DocumentRow{ID: d.ID, Title: d.Title, Filename: d.Filename, Sent: d.UploadedAt})
	}
	p.Types, p.Accept, p.MaxSize, p.Form = options(types.Current(s.today())), filetype.Accept(), store.FormatSize(s.store.DocumentMaxSize), formState(f)
	return s.selfPage(w, r, status, "Breve og dokumenter", mit.Letters(p))
}

// selfDocumentDownload sends a letter to the citizen (or a document they sent), with the same
// protective headers as the staff download.
func (s *Server) selfDocumentDownload(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	did, err := urlID(r, "did")
	if err != nil {
		return err
	}
	d, err := s.store.SelfDocumentByID(r.Context(), sr.ID, did)
	if err != nil {
		return err
	}
	rc, err := s.store.OpenDocument(r.Context(), selfWho(r), d)
	if err != nil {
		return err
	}
	defer rc.Close()
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
		s.log.Error("document download broke off", "request_id", requestID(r), "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// selfLookupsView is one page of when and why the citizen's data was used, without staff
// names (as the art. 15 export).
func (s *Server) selfLookupsView(w http.ResponseWriter, r *http.Request, sr selfReq) error {
	page := selfPageNumber(r.URL.Query())
	ls, total, err := s.store.Lookups(r.Context(), sr.ID, store.Page{Number: page, PerPage: selfLookupsPerPage})
	if err != nil {
		return err
	}
	p := mit.LookupsProps{Page: components.PageInfo{Page: page, PerPage: selfLookupsPerPage, Total: total, URL: paths.SelfLookupsPage}}
	for _, l := range ls {
		p.Rows = append(p.Rows, mit.LookupRow{At: l.At, What: l.Action})
	}
	return s.selfPage(w, r, http.StatusOK, "Opslag", mit.Lookups(p))
}

// withSelfReported adds the citizen's own WHO-5 answers to the screening rows of the citizen
// page (newest first, as the rows are): the caseworker's WHO-5 trend shows them marked as
// self-reported.
func withSelfReported(reports []store.WHO5SelfReport, rows []citizens.ScreeningRow) []citizens.ScreeningRow {
	if len(reports) == 0 {
		return rows
	}
	for _, x := range reports {
		rows = append(rows, citizens.ScreeningRow{ID: x.ID, On: x.AnsweredOn, WHO5: x.WHO5, SelfReported: true, By: store.ByCitizen})
	}
	slices.SortStableFunc(rows, func(a, b citizens.ScreeningRow) int { return b.On.Compare(a.On) })
	return rows
}

// withSelfRatings adds the citizen's own latest rating to each goal of the caseworker's plan
// page (health data, under the goals' gate).
func withSelfRatings(ratings map[int64]int, goals []plans.GoalRow) []plans.GoalRow {
	for i := range goals {
		goals[i].OwnRating = mit.GoalRatingLabel(ratings[goals[i].ID])
	}
	return goals
}

// planSelfComments are the citizen's own latest comments, for the caseworker's plan page.
func planSelfComments(cs []store.SelfComment) []plans.SelfCommentRow {
	out := make([]plans.SelfCommentRow, len(cs))
	for i, c := range cs {
		out[i] = plans.SelfCommentRow{Text: c.Text, At: c.CreatedAt, Indstilling: c.MeetingCaseID != nil}
	}
	return out
}

// selfConsentUnit reports whether the citizen may name unit u in a consent: any unit that
// works with citizens, other than the one holding their case (which sees their data anyway);
// not the administration, which reads no case.
func selfConsentUnit(u store.Unit, caseUnit int64) bool {
	return u.ID != caseUnit && u.Kind != "administration"
}
