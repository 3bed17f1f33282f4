package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/layout"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// meetingCaseView shows one case: the question, the forberedende del (its health section
// only under consent) and the indstilling, with the minute-taker's form.
func (s *Server) meetingCaseView(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc, mrel, rel := q.Case, q.Meeting, q.Rel
	return s.renderMeetingCase(w, r, http.StatusOK, mc, mrel, rel, nil, nil)
}

// renderMeetingCase shows a case on the agenda; typed and f are a rejected indstilling form
// (both nil otherwise); opts change the page's props last (a rejected attendance or comments
// form).
func (s *Server) renderMeetingCase(w http.ResponseWriter, r *http.Request, status int, mc store.MeetingCase, mrel access.MeetingRelation, rel access.Relation, typed *meetings.IndstillingValues, f *form.Form, opts ...func(*meetings.CaseProps)) error {
	ctx := r.Context()
	u := userFrom(r).access()
	m, err := s.store.MeetingByID(ctx, mc.MeetingID)
	if err != nil {
		return err
	}
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	sight := access.SightOf(u, rel)
	p := meetings.CaseProps{MeetingID: mc.MeetingID, CaseID: mc.ID, CitizenID: mc.CitizenID, Team: m.TeamName, Start: m.StartsAt,
		Slot: helhed.SlotStart(m.StartsAt, m.SlotMinutes, mc.Position), Name: mc.CitizenName,
		CitizenHref: paths.Citizen(mc.CitizenID), Caseworker: deref(mc.CaseworkerName), Question: mc.Question,
		Ready: mc.PreparedAt != nil, PreparedAt: mc.PreparedAt, Indstilling: indstillingOf(mc, outcomes, sight),
		CanPrepare: access.CanCitizen(u, access.PrepareMeetingCase, rel), CanRecord: access.CanMeeting(u, access.RecordIndstilling, mrel),
		Outcomes: options(store.RefSet(outcomes).Current(m.StartsAt))}
	if f != nil {
		p.Errors, p.Summary = f.Errors, f.SummaryTexts()
	}
	p.CanRemove = (p.CanPrepare || access.CanMeeting(u, access.EditMeeting, mrel)) && mc.Outcome == nil
	if mc.WithdrawnAt != nil {
		p.WithdrawnAt, p.WithdrawnBy = mc.WithdrawnAt, deref(mc.WithdrawnByName)
		p.CanPrepare, p.CanRecord, p.CanRemove = false, false, false
	}
	for _, sec := range helhed.PrepSections {
		p.Prep = append(p.Prep, meetings.PrepView{Label: sec.Label,
			Text: access.GateRow(sight, access.PrepSection(sec.Key), access.MeetingPreparation, mc.Preparation[sec.Key])})
	}
	// The minute-taker changes a recorded indstilling only when they may read it: the form
	// would otherwise show them its health data, or overwrite what they cannot see.
	p.CanRecord = p.CanRecord && mayRewriteIndstilling(mc, sight) && mc.WithdrawnAt == nil
	if typed != nil {
		p.Form = *typed
	} else if p.CanRecord {
		p.Form = meetings.IndstillingValues{Reasons: mc.Reasons, Efforts: mc.RecommendedEfforts, Version: strconv.Itoa(mc.Version)}
		if mc.Outcome != nil {
			p.Form.Outcome = *mc.Outcome
		}
	}
	if p.CanRecord {
		if p.PostTeam, err = s.postTeamNotice(ctx, u, mc.CitizenID, rel); err != nil {
			return err
		}
	}
	canWrite := access.CanCitizen(u, access.SendLetter, rel)
	if access.CanCitizen(u, access.RecordDecision, rel) {
		if p.Decision, err = s.decisionSection(ctx, mc, outcomes, sight, canWrite); err != nil {
			return err
		}
	}
	if canWrite && p.Indstilling != nil {
		p.IndstillingLetterHref = paths.LetterFromCase(mc.CitizenID, mc.ID)
	}
	if err := s.minutesOf(ctx, &p, mc, u, mrel, sight); err != nil {
		return err
	}
	for _, o := range opts {
		o(&p)
	}
	detail := "møde " + strconv.FormatInt(mc.MeetingID, 10) + ": sag" + sightNote(sight)
	if err := s.store.Audit(ctx, who(r), mc.CitizenID, store.AuditMeetingView, detail); err != nil {
		return err
	}
	return s.page(w, r, status, mc.CitizenName+" – "+meetings.Title(m.TeamName, m.StartsAt), meetings.Case(p))
}

// mayRewriteIndstilling reports whether a recorder with sight may write the case's
// indstilling: always when none is recorded yet, otherwise only when they may read it.
func mayRewriteIndstilling(mc store.MeetingCase, sight access.Sight) bool {
	return mc.Outcome == nil || (sight.Sees(access.IndstillingReasons.Class) && sight.Sees(access.IndstillingEfforts.Class))
}

// indstillingOf returns the case's recorded indstilling with its label, or nil; its reasons
// and recommended efforts are gated for sight.
func indstillingOf(mc store.MeetingCase, outcomes store.RefSet, sight access.Sight) *meetings.Indstilling {
	if mc.Outcome == nil {
		return nil
	}
	in := &meetings.Indstilling{Outcome: outcomes.Label(*mc.Outcome), Reasons: access.Gate(sight, access.IndstillingReasons, mc.Reasons),
		Efforts: access.Gate(sight, access.IndstillingEfforts, mc.RecommendedEfforts), By: deref(mc.RecordedByName)}
	if mc.RecordedAt != nil {
		in.At = *mc.RecordedAt
	}
	return in
}

// maxIndstillingText is the domain's bound on the reasons and the recommended efforts
// (helhed.ValidateIndstilling).
const maxIndstillingText = 4000

// indstillingPost records the team's indstilling. Invalid input or a stale version comes
// back with everything typed; the indstilling already saved is shown above the form.
func (s *Server) indstillingPost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc, mrel, rel := q.Case, q.Meeting, q.Rel
	if _, err := s.authorizeMeeting(r, mc.MeetingID, access.RecordIndstilling); err != nil {
		return err
	}
	if mc.WithdrawnAt != nil {
		return s.withdrawnCase(w, r, mc)
	}
	if !mayRewriteIndstilling(mc, access.SightOf(userFrom(r).access(), rel)) {
		return s.denied(r, mc.CitizenID, "indstilling: kan ikke læse den gemte indstilling uden samtykke")
	}
	m, err := s.store.MeetingByID(r.Context(), mc.MeetingID)
	if err != nil {
		return err
	}
	outcomes, err := s.vocab.Values(r.Context(), "indstilling")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var typed meetings.IndstillingValues
	typed.Version = f.Text("version", "", 20)
	typed.Outcome = f.RequiredChoice(helhed.FieldOutcome, "Indstilling", func(v string) bool { return store.RefSet(outcomes).ValidOn(v, m.StartsAt) })
	typed.Reasons = f.RequiredText(helhed.FieldReasons, "Begrundelse", maxIndstillingText)
	typed.Efforts = f.Text(helhed.FieldEfforts, "Anbefalede indsatser", maxIndstillingText)
	in := helhed.Indstilling{Outcome: typed.Outcome, Reasons: typed.Reasons, RecommendedEfforts: typed.Efforts}
	for k, msg := range fieldErrors(helhed.ValidateIndstilling(in, f.Errors[helhed.FieldOutcome] == "")) {
		f.Fail(k, msg)
	}
	version, verr := strconv.Atoi(typed.Version)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderMeetingCase(w, r, http.StatusUnprocessableEntity, mc, mrel, rel, &typed, f)
	}
	err = s.store.RecordIndstilling(r.Context(), who(r), mc.MeetingID, mc.ID, version, in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		cur, lerr := s.store.MeetingCaseByID(r.Context(), mc.MeetingID, mc.ID)
		if lerr != nil {
			return lerr
		}
		typed.Version = strconv.Itoa(cur.Version)
		f.Fail("version", helhed.ErrorMessage(err)+" Den gemte indstilling står ovenfor; din tekst er bevaret herunder. Gem igen for at erstatte den.")
		return s.renderMeetingCase(w, r, http.StatusConflict, cur, mrel, rel, &typed, f)
	}
	// The store's rules (a fleksjob indstilling without the post-team records) go beside the
	// field, with what was typed kept.
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			f.Fail(k, msg)
		}
		return s.renderMeetingCase(w, r, http.StatusUnprocessableEntity, mc, mrel, rel, &typed, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Indstillingen er gemt og vises på den fælles skærm.")
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID))
}

// indstillingPrint is the team's written indstilling for the case file and the citizen.
func (s *Server) indstillingPrint(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc, rel := q.Case, q.Rel
	ctx := r.Context()
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return err
	}
	sight := access.SightOf(userFrom(r).access(), rel)
	in := indstillingOf(mc, outcomes, sight)
	if in == nil {
		return &helhed.Error{Code: helhed.ENotFound, Message: "Teamet har ikke indstillet i sagen endnu."}
	}
	m, err := s.store.MeetingByID(ctx, mc.MeetingID)
	if err != nil {
		return err
	}
	_, members, err := s.store.TeamByID(ctx, m.TeamID)
	if err != nil {
		return err
	}
	areas, err := s.vocab.Values(ctx, "team_area")
	if err != nil {
		return err
	}
	p := meetings.PrintProps{Team: m.TeamName, Name: mc.CitizenName, CPR: mc.CitizenCPR.Masked(), Question: mc.Question,
		Caseworker: deref(mc.CaseworkerName), Start: m.StartsAt, Indstilling: *in}
	for _, mb := range members {
		p.Members = append(p.Members, mb.Name+" ("+store.RefSet(areas).Label(mb.Area)+")")
	}
	if err := s.store.Audit(ctx, who(r), mc.CitizenID, store.AuditMeetingView, "indstilling udskrevet"+sightNote(sight)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, layout.Print(s.chrome(r, "Indstilling – "+mc.CitizenName), meetings.Print(p)))
}

// preparationGet is the form of the forberedende del, for the case-holding unit.
func (s *Server) preparationGet(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc := q.Case
	if mc.WithdrawnAt != nil {
		return s.withdrawnCase(w, r, mc)
	}
	// A case not yet prepared starts from the citizen's samlet beskrivelse, when there is one:
	// the meeting is voluntary, the description is the case's record.
	if len(mc.Preparation) == 0 {
		d, ok, err := s.store.CaseDescriptionOf(r.Context(), mc.CitizenID)
		if err != nil {
			return err
		}
		if ok {
			return s.renderPreparationFrom(w, r, http.StatusOK, mc, d.Sections, false, strconv.Itoa(mc.Version), form.New(nil), true)
		}
	}
	return s.renderPreparation(w, r, http.StatusOK, mc, mc.Preparation, mc.PreparedAt != nil, strconv.Itoa(mc.Version), form.New(nil))
}

// renderPreparation shows the preparation form with f's messages.
func (s *Server) renderPreparation(w http.ResponseWriter, r *http.Request, status int, mc store.MeetingCase, prep helhed.Preparation, ready bool, version string, f *form.Form) error {
	return s.renderPreparationFrom(w, r, status, mc, prep, ready, version, f, false)
}

// renderPreparationFrom is renderPreparation; fromDescription says the sections were filled
// from the citizen's samlet beskrivelse.
func (s *Server) renderPreparationFrom(w http.ResponseWriter, r *http.Request, status int, mc store.MeetingCase, prep helhed.Preparation, ready bool, version string, f *form.Form, fromDescription bool) error {
	errs := f.Errors
	m, err := s.store.MeetingByID(r.Context(), mc.MeetingID)
	if err != nil {
		return err
	}
	p := meetings.PrepareProps{MeetingID: mc.MeetingID, CaseID: mc.ID, Name: mc.CitizenName, Question: mc.Question, Start: m.StartsAt,
		Ready: ready, Version: version, Errors: errs, Summary: f.SummaryTexts(), FromDescription: fromDescription}
	for _, sec := range helhed.PrepSections {
		p.Sections = append(p.Sections, meetings.PrepSection{Key: sec.Key, Label: sec.Label, Hint: sec.Hint, Text: prep[sec.Key], Error: errs[sec.Key]})
	}
	return s.page(w, r, status, "Forberedende del – "+mc.CitizenName, meetings.Prepare(p))
}

func (s *Server) preparationPost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc := q.Case
	if mc.WithdrawnAt != nil {
		return s.withdrawnCase(w, r, mc)
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	typed := f.Text("version", "", 20)
	prep := helhed.Preparation{}
	for _, sec := range helhed.PrepSections {
		if v := f.Text(sec.Key, sec.Label, helhed.MaxPrepSection); v != "" {
			prep[sec.Key] = v
		}
	}
	ready := f.Bool("ready", "Forberedelsen er færdig")
	for k, msg := range fieldErrors(helhed.ValidatePreparation(prep, ready)) {
		f.Fail(k, msg)
	}
	version, verr := strconv.Atoi(typed)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderPreparation(w, r, http.StatusUnprocessableEntity, mc, prep, ready, typed, f)
	}
	err := s.store.SavePreparation(r.Context(), who(r), mc.MeetingID, mc.ID, version, prep, ready)
	if helhed.ErrorCode(err) == helhed.EConflict {
		cur, lerr := s.store.MeetingCaseByID(r.Context(), mc.MeetingID, mc.ID)
		if lerr != nil {
			return lerr
		}
		f.Fail("version", helhed.ErrorMessage(err)+" Din tekst er bevaret; gem igen for at overskrive den andens ændringer.")
		return s.renderPreparation(w, r, http.StatusConflict, mc, prep, ready, strconv.Itoa(cur.Version), f)
	}
	if err != nil {
		return err
	}
	msg := "Forberedelsen er gemt som kladde."
	if ready {
		msg = "Forberedelsen er færdig. Sagen står som klar på dagsordenen."
	}
	s.flash(r, "success", msg)
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID))
}

// maxCaseQuestion is the domain's bound on the question to the team
// (helhed.ValidateCaseQuestion).
const maxCaseQuestion = 1000

// meetingCaseAddPost puts the citizen on a meeting's agenda from the citizen page.
func (s *Server) meetingCaseAddPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var mid int64
	f.RequiredChoice("meeting", "Møde", func(v string) bool {
		var err error
		mid, err = strconv.ParseInt(v, 10, 64)
		return err == nil && mid > 0
	})
	question := f.RequiredText(helhed.FieldCaseQuestion, "Spørgsmål til rehabiliteringsteamet", maxCaseQuestion)
	for k, msg := range fieldErrors(helhed.ValidateCaseQuestion(question)) {
		f.Fail(k, msg)
	}
	if f.Errors["meeting"] == "" {
		if _, err := s.authorizeMeeting(r, mid, access.ViewMeeting); err != nil {
			f.Fail("meeting", "Vælg et møde fra listen")
		}
	}
	if f.OK() {
		_, err := s.store.AddMeetingCase(r.Context(), who(r), mid, id, question)
		fe := fieldErrors(err)
		if fe == nil && err != nil {
			return err
		}
		for k, msg := range fe {
			f.Fail(k, msg)
		}
	}
	if !f.OK() {
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{meeting: f})
	}
	s.flash(r, "success", "Borgeren er sat på dagsordenen. Skriv den forberedende del før mødet.")
	return redirect(w, r, paths.CitizenAt(id, "rehabiliteringsteam"))
}

// meetingCaseRemovePost takes a case off the agenda: the case-holding unit or whoever may
// change the meeting.
func (s *Server) meetingCaseRemovePost(w http.ResponseWriter, r *http.Request, q meetingCaseReq) error {
	mc, rel := q.Case, q.Rel
	if mc.WithdrawnAt != nil {
		return s.withdrawnCase(w, r, mc)
	}
	if !access.CanCitizen(userFrom(r).access(), access.PrepareMeetingCase, rel) {
		if _, err := s.authorizeMeeting(r, mc.MeetingID, access.EditMeeting); err != nil {
			return err
		}
	}
	err := s.store.RemoveMeetingCase(r.Context(), who(r), mc.MeetingID, mc.ID)
	if errors.Is(err, store.ErrCaseDecided) {
		s.flash(r, "error", helhed.ErrorMessage(err))
		return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID))
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Sagen er taget af dagsordenen. Den forberedende del og indstillingen er bevaret på borgerens side.")
	return redirect(w, r, paths.Meeting(mc.MeetingID))
}

// withdrawnCase answers a change to a case taken off the agenda: it is kept as it was, and the
// user is shown it with that said.
func (s *Server) withdrawnCase(w http.ResponseWriter, r *http.Request, mc store.MeetingCase) error {
	s.flash(r, "info", "Sagen er taget af dagsordenen og kan ikke længere ændres.")
	return redirect(w, r, paths.MeetingCase(mc.MeetingID, mc.ID))
}

// overviewMeetings fills the citizen page's rehabiliteringsteam section: the meetings the
// citizen is on (for the case-holding unit and the team's members) and, for the case-holding
// unit, the upcoming meetings to put the citizen on; both reads in the page's batch.
func (s *Server) overviewMeetings(r *http.Request, b *store.Batch, props *citizens.OverviewProps, rel access.Relation, x overviewExtras) fill {
	u := userFrom(r).access()
	props.CanAgenda = access.CanCitizen(u, access.PrepareMeetingCase, rel)
	props.CanDecide = access.CanCitizen(u, access.RecordDecision, rel)
	if !props.CanAgenda && !rel.OnAgenda {
		return nil
	}
	ms := b.CitizenMeetings(props.ID)
	var upcoming *store.Result[[]store.UpcomingMeeting]
	if props.CanAgenda {
		upcoming = b.UpcomingMeetings(s.now(), 30)
	}
	return func() error {
		outcomes, err := s.vocab.Values(r.Context(), "indstilling")
		if err != nil {
			return err
		}
		on := map[int64]bool{}
		for _, m := range ms.Value() {
			on[m.MeetingID] = on[m.MeetingID] || m.WithdrawnAt == nil
			row := citizens.MeetingRow{Href: paths.MeetingCase(m.MeetingID, m.CaseID), Team: m.TeamName, Question: m.Question,
				Start: m.StartsAt, Prepared: m.Prepared, WithdrawnAt: m.WithdrawnAt}
			if m.Outcome != nil {
				row.Outcome = store.RefSet(outcomes).Label(*m.Outcome)
			}
			if props.CanDecide {
				if m.Decision != nil {
					row.Decision = store.RefSet(outcomes).Label(*m.Decision)
				}
				row.AwaitingDecision, row.HearingOverdue = m.AwaitingDecision, m.HearingOverdue
			}
			props.Meetings = append(props.Meetings, row)
		}
		if !props.CanAgenda {
			return nil
		}
		if f := x.meeting; f != nil {
			props.MeetingForm, props.MeetingErrors, props.MeetingSummary = f.Values, f.Errors, f.SummaryTexts()
		}
		for _, m := range upcoming.Value() {
			label := format.DateTime(m.StartsAt) + " – " + m.TeamName
			if on[m.ID] {
				label += " (borgeren står på dagsordenen)"
			}
			props.MeetingOptions = append(props.MeetingOptions, components.Option{Value: strconv.FormatInt(m.ID, 10), Label: label})
		}
		return nil
	}
}
