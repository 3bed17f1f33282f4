package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// The municipality's afgørelse after the team's indstilling, and the partshøring before it
// (docs/law.md). Every route is the case-holding unit's (access.RecordDecision on the case's
// citizen, through s.meetingCase): the team only recommends.

// complaintText is the klagevejledning's short form.
func complaintText(g store.ComplaintGuidance) string {
	return "Klage inden " + strconv.Itoa(g.Weeks) + " uger efter modtagelsen sendes til " + g.LodgeWith +
		", der genvurderer afgørelsen og sender klagen videre til " + g.Body + " (" + g.Source + ")."
}

// hearingView is one partshøring as the page shows it to a viewer with sight; href is its
// result form ("" when the case can no longer change).
func hearingView(h store.Hearing, today time.Time, sight access.Sight, href string) meetings.HearingView {
	st := h.Status(today)
	return meetings.HearingView{ID: h.ID, Subject: access.Gate(sight, access.HearingSubject, h.Subject), SentOn: h.SentOn,
		Deadline: h.Deadline, Status: st.Label(), Running: st == helhed.HearingRunning, Overdue: st == helhed.HearingOverdue,
		ResponseOn: h.ResponseOn, Response: access.Gate(sight, access.HearingResponse, h.ResponseSummary), ResultBy: deref(h.ResultByName),
		Href: href}
}

// decisionView is one decision as the page shows it, labels resolved.
func decisionView(d store.Decision, outcomes store.RefSet, sight access.Sight) meetings.DecisionView {
	return meetings.DecisionView{ID: d.ID, Outcome: outcomes.Label(d.Outcome), IndstillingOutcome: outcomes.Label(d.IndstillingOutcome),
		Follows: d.FollowsIndstilling, Reasons: access.Gate(sight, access.DecisionReasons, d.Reasons),
		Departure: access.Gate(sight, access.DecisionDeparture, d.DepartureReasons), Omitted: access.Gate(sight, access.DecisionOmitted, d.HearingOmittedReason),
		RevurderingOn: d.RevurderingOn, DecidedOn: d.DecidedOn, By: d.DecidedByName, Unit: d.UnitName, SupersededAt: d.SupersededAt}
}

// decisionSection fills the case page's partshøring and afgørelse for a viewer who may decide
// (nil otherwise).
func (s *Server) decisionSection(ctx context.Context, mc store.MeetingCase, outcomes store.RefSet, sight access.Sight, canWrite bool) (*meetings.DecisionSection, error) {
	rec, err := s.store.CaseDecisionRecord(ctx, mc.ID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	d := &meetings.DecisionSection{CanChange: mc.Outcome != nil && mc.WithdrawnAt == nil}
	for _, h := range rec.Hearings {
		href := ""
		if d.CanChange && h.Result == nil {
			href = paths.Hearing(mc.MeetingID, mc.ID, h.ID)
		}
		hv := hearingView(h, today, sight, href)
		if canWrite {
			hv.LetterHref = paths.LetterFromHearing(mc.CitizenID, h.ID)
		}
		d.Hearings = append(d.Hearings, hv)
	}
	for _, dec := range rec.Decisions {
		v := decisionView(dec, outcomes, sight)
		if dec.SupersededAt == nil {
			if canWrite {
				v.LetterHref = paths.LetterFromDecision(mc.CitizenID, dec.ID)
			}
			d.Current = &v
		} else {
			d.Earlier = append(d.Earlier, v)
		}
	}
	d.Awaiting = d.Current == nil && d.CanChange
	if d.Current != nil {
		g, err := s.store.ComplaintGuidanceOn(ctx, d.Current.DecidedOn)
		if err != nil {
			return nil, err
		}
		d.Complaint = complaintText(g)
	}
	return d, nil
}

// changeable answers a change to a case that cannot take one: withdrawn, or without an
// indstilling yet. It reports whether it answered.
func (s *Server) notDecidable(w http.ResponseWriter, r *http.Request, mc store.MeetingCase) (bool, error) {
	switch {
	case mc.WithdrawnAt != nil:
		return true, s.withdrawnCase(w, r, mc)
	case mc.Outcome == nil:
		s.flash(r, "info", "Teamet har ikke indstillet i sagen endnu. Partshøring og afgørelse følger efter indstillingen.")
		return true, redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID))
	}
	return false, nil
}

// hearingNewGet is the form that records a partshøring, with today and the municipality's
// default deadline filled in.
func (s *Server) hearingNewGet(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	if done, err := s.notDecidable(w, r, q.Case); done {
		return err
	}
	today := s.today()
	days, err := s.store.HearingDeadlineDays(r.Context(), today)
	if err != nil {
		return err
	}
	v := meetings.HearingValues{SentOn: today.Format(time.DateOnly), Deadline: today.AddDate(0, 0, days).Format(time.DateOnly)}
	return s.renderHearingForm(w, r, http.StatusOK, q.Case, v, form.New(nil))
}

func (s *Server) renderHearingForm(w http.ResponseWriter, r *http.Request, status int, mc store.MeetingCase, v meetings.HearingValues, f *form.Form) error {
	ctx := r.Context()
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	days, err := s.store.HearingDeadlineDays(ctx, s.today())
	if err != nil {
		return err
	}
	p := meetings.HearingFormProps{MeetingID: mc.MeetingID, CaseID: mc.ID, Name: mc.CitizenName, Indstilling: store.RefSet(outcomes).Label(*mc.Outcome),
		DeadlineDays: days, Values: v, Errors: f.Errors, Summary: f.SummaryTexts()}
	return s.page(w, r, status, "Partshøring – "+mc.CitizenName, meetings.HearingForm(p))
}

// hearingNewPost records a partshøring sent to the citizen.
func (s *Server) hearingNewPost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc := q.Case
	if done, err := s.notDecidable(w, r, mc); done {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var v meetings.HearingValues
	v.Subject = f.RequiredText(helhed.FieldHearingSubject, "Borgeren høres om", helhed.MaxHearingText)
	sent, _ := f.RequiredDate(helhed.FieldHearingSent, "Sendt den")
	deadline, _ := f.RequiredDate(helhed.FieldHearingDeadline, "Svarfrist")
	v.SentOn, v.Deadline = f.Values[helhed.FieldHearingSent], f.Values[helhed.FieldHearingDeadline]
	in := helhed.HearingInput{Subject: v.Subject, SentOn: sent, Deadline: deadline}
	for k, msg := range fieldErrors(helhed.ValidateHearing(in, s.today())) {
		f.Fail(k, msg)
	}
	if f.OK() {
		_, err := s.store.StartHearing(r.Context(), who(r), mc.MeetingID, mc.ID, in)
		if errors.Is(err, store.ErrCaseWithdrawn) {
			return s.withdrawnCase(w, r, mc)
		}
		fe := fieldErrors(err)
		if fe == nil && err != nil {
			return err
		}
		for k, msg := range fe {
			f.Fail(k, msg)
		}
	}
	if !f.OK() {
		return s.renderHearingForm(w, r, http.StatusUnprocessableEntity, mc, v, f)
	}
	s.flash(r, "success", "Partshøringen er registreret med svarfrist "+format.Date(deadline)+". Sagen står som opgave, hvis fristen udløber uden registreret svar.")
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID)+"#partshoering")
}

// hearingResults are the choices of the result form.
var hearingResults = []components.Option{
	{Value: helhed.HearingAnswered, Label: "Borgeren har svaret"},
	{Value: helhed.HearingNoResponse, Label: "Intet svar inden fristen"},
}

// hearingOf loads the partshøring {hid} of the case; one of another case is not found.
func (s *Server) hearingOf(r *http.Request, mc store.MeetingCase) (store.Hearing, error) {
	hid, err := urlID(r, "hid")
	if err != nil {
		return store.Hearing{}, err
	}
	return s.store.HearingByID(r.Context(), mc.ID, hid)
}

// hearingResultGet is the form that records the citizen's reply, or that none came.
func (s *Server) hearingResultGet(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	h, err := s.hearingOf(r, q.Case)
	if err != nil {
		return err
	}
	if done, err := s.notDecidable(w, r, q.Case); done {
		return err
	}
	if h.Result != nil {
		return s.hearingRecorded(w, r, q.Case)
	}
	v := meetings.HearingResultValues{Summary: h.ResponseSummary, Version: strconv.Itoa(h.Version)}
	if h.Result != nil {
		v.Result = *h.Result
	}
	if h.ResponseOn != nil {
		v.ResponseOn = h.ResponseOn.Format(time.DateOnly)
	}
	return s.renderHearingResult(w, r, http.StatusOK, q, h, v, form.New(nil))
}

func (s *Server) renderHearingResult(w http.ResponseWriter, r *http.Request, status int, q meetingCaseReq, h store.Hearing, v meetings.HearingResultValues, f *form.Form) error {
	mc := q.Case
	sight := access.SightOf(userFrom(r).access(), q.Rel)
	if err := s.store.Audit(r.Context(), who(r), mc.CitizenID, store.AuditMeetingView,
		"møde "+strconv.FormatInt(mc.MeetingID, 10)+": partshøring "+strconv.FormatInt(h.ID, 10)+sightNote(sight)); err != nil {
		return err
	}
	p := meetings.HearingResultProps{MeetingID: mc.MeetingID, CaseID: mc.ID, Name: mc.CitizenName, Hearing: hearingView(h, s.today(), sight, ""),
		Values: v, Results: hearingResults, Errors: f.Errors, Summary: f.SummaryTexts()}
	return s.page(w, r, status, "Svar på partshøring – "+mc.CitizenName, meetings.HearingResult(p))
}

// hearingResultPost records the outcome of a partshøring on the version the user loaded.
func (s *Server) hearingResultPost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc := q.Case
	h, err := s.hearingOf(r, mc)
	if err != nil {
		return err
	}
	if done, err := s.notDecidable(w, r, mc); done {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var v meetings.HearingResultValues
	v.Version = f.Text("version", "", 20)
	v.Result = f.RequiredChoice(helhed.FieldHearingResult, "Resultat", func(c string) bool {
		return c == helhed.HearingAnswered || c == helhed.HearingNoResponse
	})
	responseOn, _ := f.Date(helhed.FieldResponseOn, "Svar modtaget den")
	v.ResponseOn = f.Values[helhed.FieldResponseOn]
	v.Summary = f.Text(helhed.FieldResponseSummary, "Resumé af borgerens svar", helhed.MaxHearingText)
	in := helhed.HearingResultInput{Result: v.Result, ResponseOn: responseOn, Summary: v.Summary}
	for k, msg := range fieldErrors(helhed.ValidateHearingResult(in, h.SentOn, h.Deadline, s.today())) {
		f.Fail(k, msg)
	}
	version, verr := strconv.Atoi(v.Version)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderHearingResult(w, r, http.StatusUnprocessableEntity, q, h, v, f)
	}
	err = s.store.RecordHearingResult(r.Context(), who(r), mc.MeetingID, mc.ID, h.ID, version, in)
	switch {
	case errors.Is(err, store.ErrCaseWithdrawn):
		return s.withdrawnCase(w, r, mc)
	case errors.Is(err, store.ErrHearingRecorded):
		// Recorded before (another tab, a colleague): the first result stands; what was
		// typed here is kept beside the message.
		f.Fail("version", store.ErrHearingRecorded.Message)
		return s.renderHearingResult(w, r, http.StatusConflict, q, h, v, f)
	case helhed.ErrorCode(err) == helhed.EConflict:
		cur, lerr := s.store.HearingByID(r.Context(), mc.ID, h.ID)
		if lerr != nil {
			return lerr
		}
		v.Version = strconv.Itoa(cur.Version)
		f.Fail("version", helhed.ErrorMessage(err)+" Den gemte status står ovenfor; det, du skrev, er bevaret. Gem igen for at erstatte den.")
		return s.renderHearingResult(w, r, http.StatusConflict, q, cur, v, f)
	case fieldErrors(err) != nil:
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		return s.renderHearingResult(w, r, http.StatusUnprocessableEntity, q, h, v, f)
	case err != nil:
		return err
	}
	s.flash(r, "success", "Partshøringens resultat er gemt.")
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID)+"#partshoering")
}

// decisionGet is the form of the municipality's afgørelse.
func (s *Server) decisionGet(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	if done, err := s.notDecidable(w, r, q.Case); done {
		return err
	}
	rec, err := s.store.CaseDecisionRecord(r.Context(), q.Case.ID)
	if err != nil {
		return err
	}
	v := meetings.DecisionValues{DecidedOn: s.today().Format(time.DateOnly), Current: "0"}
	if cur, ok := rec.Current(); ok {
		v.Current = strconv.FormatInt(cur.ID, 10)
	}
	return s.renderDecisionForm(w, r, http.StatusOK, q, rec, v, form.New(nil))
}

func (s *Server) renderDecisionForm(w http.ResponseWriter, r *http.Request, status int, q meetingCaseReq, rec store.DecisionRecord, v meetings.DecisionValues, f *form.Form) error {
	ctx := r.Context()
	mc := q.Case
	today := s.today()
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	required, err := s.store.RevurderingRequired(ctx, today)
	if err != nil {
		return err
	}
	g, err := s.store.ComplaintGuidanceOn(ctx, today)
	if err != nil {
		return err
	}
	sight := access.SightOf(userFrom(r).access(), q.Rel)
	p := meetings.DecisionFormProps{MeetingID: mc.MeetingID, CaseID: mc.ID, Name: mc.CitizenName, IndstillingOutcome: *mc.Outcome,
		RevurderingRequired: required, Outcomes: options(store.RefSet(outcomes).Current(today)), Values: v,
		Errors: f.Errors, Summary: f.SummaryTexts(), Complaint: complaintText(g)}
	if in := indstillingOf(mc, outcomes, sight); in != nil {
		p.Indstilling = *in
	}
	for _, h := range rec.Hearings {
		p.Hearings = append(p.Hearings, hearingView(h, today, sight, paths.Hearing(mc.MeetingID, mc.ID, h.ID)))
	}
	complete, running := helhed.HearingsComplete(rec.HearingStates(), today)
	p.HearingComplete = complete
	if !running.IsZero() {
		p.Running = &running
	}
	if cur, ok := rec.Current(); ok {
		dv := decisionView(cur, outcomes, sight)
		p.Current = &dv
	}
	if p.PostTeam, err = s.postTeamNotice(ctx, userFrom(r).access(), mc.CitizenID, q.Rel); err != nil {
		return err
	}
	if err := s.store.Audit(ctx, who(r), mc.CitizenID, store.AuditMeetingView,
		"møde "+strconv.FormatInt(mc.MeetingID, 10)+": afgørelsesformular"+sightNote(sight)); err != nil {
		return err
	}
	return s.page(w, r, status, p.Title(), meetings.DecisionForm(p))
}

// decisionPost records the municipality's afgørelse. The rules are checked here for the
// messages beside the fields and again by the store under the case's lock; a form made before
// another decision was recorded is a conflict that keeps what was typed.
func (s *Server) decisionPost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc := q.Case
	if done, err := s.notDecidable(w, r, mc); done {
		return err
	}
	ctx := r.Context()
	today := s.today()
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	rec, err := s.store.CaseDecisionRecord(ctx, mc.ID)
	if err != nil {
		return err
	}
	required, err := s.store.RevurderingRequired(ctx, today)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var v meetings.DecisionValues
	v.Current = f.Text("current", "", 20)
	v.Outcome = f.RequiredChoice(helhed.FieldDecisionOutcome, "Afgørelse", func(c string) bool { return store.RefSet(outcomes).ValidOn(c, today) })
	decidedOn, _ := f.RequiredDate(helhed.FieldDecidedOn, "Afgørelsens dato")
	v.Reasons = f.RequiredText(helhed.FieldDecisionReasons, "Begrundelse", helhed.MaxDecisionText)
	v.Departure = f.Text(helhed.FieldDeparture, "Begrundelse for at fravige indstillingen", helhed.MaxDecisionText)
	revurdering, revOK := f.Date(helhed.FieldRevurdering, "Genforelagt rehabiliteringsteamet den")
	v.Omitted = f.Text(helhed.FieldHearingOmitted, "Begrundelse for at undlade partshøring", helhed.MaxOmittedReason)
	f.Label(helhed.FieldHearing, "Partshøring")
	v.DecidedOn, v.RevurderingOn = f.Values[helhed.FieldDecidedOn], f.Values[helhed.FieldRevurdering]
	d := helhed.Decision{Outcome: v.Outcome, IndstillingOutcome: *mc.Outcome, Reasons: v.Reasons, DepartureReasons: v.Departure,
		DecidedOn: decidedOn, HearingOmittedReason: v.Omitted}
	if revOK {
		d.RevurderingOn = &revurdering
	}
	rules := helhed.DecisionRules{OutcomeValid: f.Errors[helhed.FieldDecisionOutcome] == "", Indstilling: helhed.DanishToday(*mc.RecordedAt),
		Today: today, RevurderingRequired: required, Hearings: rec.HearingStates()}
	for k, msg := range fieldErrors(helhed.ValidateDecision(d, rules)) {
		f.Fail(k, msg)
	}
	current, cerr := strconv.ParseInt(v.Current, 10, 64)
	if cerr != nil || current < 0 {
		f.Fail("current", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderDecisionForm(w, r, http.StatusUnprocessableEntity, q, rec, v, f)
	}
	_, err = s.store.RecordDecision(ctx, who(r), mc.MeetingID, mc.ID, current, d)
	switch {
	case errors.Is(err, store.ErrCaseWithdrawn):
		return s.withdrawnCase(w, r, mc)
	case errors.Is(err, store.ErrDecisionChanged):
		if rec, err = s.store.CaseDecisionRecord(ctx, mc.ID); err != nil {
			return err
		}
		v.Current = "0"
		if cur, ok := rec.Current(); ok {
			v.Current = strconv.FormatInt(cur.ID, 10)
		}
		f.Fail("current", helhed.ErrorMessage(store.ErrDecisionChanged)+
			" Den gældende afgørelse står ovenfor; det, du skrev, er bevaret. Registrér igen for at erstatte den.")
		return s.renderDecisionForm(w, r, http.StatusConflict, q, rec, v, f)
	case fieldErrors(err) != nil:
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		if rec, err = s.store.CaseDecisionRecord(ctx, mc.ID); err != nil {
			return err
		}
		return s.renderDecisionForm(w, r, http.StatusUnprocessableEntity, q, rec, v, f)
	case err != nil:
		return err
	}
	msg := "Afgørelsen er registreret."
	if !d.Follows() {
		msg = "Afgørelsen er registreret. Den fraviger teamets indstilling; begrundelsen står i sagen."
	}
	s.flash(r, "success", msg)
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID)+"#afgoerelse")
}

// hearingRecorded answers a second result for a partshøring: the first stays as recorded.
func (s *Server) hearingRecorded(w http.ResponseWriter, r *http.Request, mc store.MeetingCase) error {
	s.flash(r, "error", store.ErrHearingRecorded.Message)
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID)+"#afgoerelse")
}
