package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/assessments"
	"github.com/helhed/helhed/web/paths"
)

// assessmentList shows the citizen's TFA versions.
func (s *Server) assessmentList(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	vs, err := s.store.ListAssessments(ctx, id)
	if err != nil {
		return err
	}
	if err := s.store.Audit(ctx, who(r), id, "assessment.list", "TFA-versioner"); err != nil {
		return err
	}
	rel, err := s.store.Relation(ctx, userFrom(r).access(), id)
	if err != nil {
		return err
	}
	p := assessments.ListProps{CitizenID: id, CitizenName: c.Name(), CanWrite: access.CanCitizen(userFrom(r).access(), access.WriteAssessment, rel)}
	for _, v := range vs {
		p.Versions = append(p.Versions, assessments.VersionRow{ID: v.ID, Number: v.Number, ConcludedAt: v.ConcludedAt, UpdatedAt: v.UpdatedAt, UpdatedBy: v.UpdatedBy})
		if v.ConcludedAt == nil {
			p.HasDraft = true
		}
	}
	return s.page(w, r, http.StatusOK, "TFA – "+c.Name(), assessments.List(p))
}

// assessmentStartPost opens the citizen's draft: the existing one, a copy of the latest
// concluded TFA as a new version, or a first, empty TFA.
func (s *Server) assessmentStartPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	aid, created, err := s.store.StartAssessment(r.Context(), who(r), id, userFrom(r).RoleLabel)
	if err != nil {
		return err
	}
	if created {
		s.flash(r, "success", "Kladden er oprettet. Husk at gemme undervejs.")
	}
	return redirect(w, r, paths.Assessment(id, aid))
}

// assessmentForm is everything typed into the TFA form.
type assessmentForm struct {
	in      store.AssessmentInput
	version int
	errors  map[string]string
	// section: the one section the form holds ("" for the whole TFA); version is then the
	// section's version.
	section access.TFASection
}

// decodeAssessmentForm reads the whole TFA form (versionField "version": the TFA's version),
// or one section's form with the tracks and elements of the section (versionField
// "section_version").
func decodeAssessmentForm(r *http.Request, tracks, elements store.RefSet, versionField string) assessmentForm {
	_ = r.ParseForm()
	f := assessmentForm{errors: map[string]string{}, in: store.AssessmentInput{
		Tracks: map[string]helhed.TrackAnswer{}, Resources: map[string]helhed.ResourceAnswer{},
		CitizenGoals: strings.TrimSpace(r.PostFormValue(helhed.FieldCitizenGoals)),
		Conclusion:   strings.TrimSpace(r.PostFormValue(helhed.FieldConclusion)),
	}}
	long := func(key, v string) {
		if msg := helhed.CheckLongText(v); msg != "" {
			f.errors[key] = msg
		}
	}
	for _, t := range tracks {
		a := helhed.TrackAnswer{
			Relevance:   helhed.Relevance(r.PostFormValue(assessments.TrackRelevance(t.Code))),
			Description: strings.TrimSpace(r.PostFormValue(assessments.TrackDescription(t.Code))),
			WorkImpact:  strings.TrimSpace(r.PostFormValue(assessments.TrackWork(t.Code))),
		}
		if !a.Relevance.Valid() {
			f.errors[assessments.TrackRelevance(t.Code)] = "Vælg relevant, ikke relevant eller uafklaret"
		}
		long(assessments.TrackDescription(t.Code), a.Description)
		long(assessments.TrackWork(t.Code), a.WorkImpact)
		if a != (helhed.TrackAnswer{}) {
			f.in.Tracks[t.Code] = a
		}
	}
	for _, e := range elements {
		a := helhed.ResourceAnswer{
			Resources: strings.TrimSpace(r.PostFormValue(assessments.ElementResources(e.Code))),
			Barriers:  strings.TrimSpace(r.PostFormValue(assessments.ElementBarriers(e.Code))),
		}
		long(assessments.ElementResources(e.Code), a.Resources)
		long(assessments.ElementBarriers(e.Code), a.Barriers)
		if a != (helhed.ResourceAnswer{}) {
			f.in.Resources[e.Code] = a
		}
	}
	long(helhed.FieldCitizenGoals, f.in.CitizenGoals)
	long(helhed.FieldConclusion, f.in.Conclusion)
	v, err := strconv.Atoi(r.PostFormValue(versionField))
	if err != nil || v < 0 {
		f.errors[versionField] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	f.version = v
	return f
}

// assessmentRender is one rendering of the TFA page: what was typed (nil: show the stored
// answers) in the whole form or in one section, errors, a notice, the participant and
// conference forms.
type assessmentRender struct {
	typed       *assessmentForm
	typedIn     access.TFASection // the section typed (with typed), "" for the whole form
	notice      string
	partForm    map[string]string
	partErrors  map[string]string
	confForm    map[string]string
	confChosen  []string
	confErrors  map[string]string
	concludeErr map[string]string
}

func (s *Server) assessmentView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderAssessment(w, r, cr, http.StatusOK, assessmentRender{})
}

// sectionView builds one section of TFA a for a viewer with sight: a form with the stored (or
// typed) answers when writable, otherwise every classified part gated through the sight. A
// historic TFA shows the tracks and elements it was written with, in force then.
func sectionView(a store.Assessment, sec access.TFASection, sight access.Sight, writable bool, rs map[string]store.RefSet,
	typed *assessmentForm) assessments.SectionView {
	v := assessments.SectionView{CitizenID: a.CitizenID, AssessmentID: a.ID, Section: sec, Writable: writable, Errors: map[string]string{}}
	if info, ok := a.Sections[string(sec)]; ok {
		v.Writer, v.WrittenAt, v.Version = info.UpdatedBy, info.UpdatedAt, info.Version
	}
	for _, rv := range helhed.Relevances {
		v.Relevances = append(v.Relevances, components.Option{Value: string(rv), Label: rv.Label()})
	}
	tracks, answers, goals, conclusion := a.Tracks, a.Resources, a.CitizenGoals, a.Conclusion
	if typed != nil {
		tracks, answers, goals, conclusion = typed.in.Tracks, typed.in.Resources, typed.in.CitizenGoals, typed.in.Conclusion
		v.Errors = typed.errors
		if typed.section == sec {
			v.Version = typed.version
		}
	}
	on := a.UpdatedAt
	var ts []assessments.Track
	if sec == access.SectionHealth {
		for _, t := range rs["health_track"] {
			if _, ok := tracks[t.Code]; ok || t.ValidOn(on) {
				ts = append(ts, assessments.Track{Code: t.Code, Label: t.Label, Answer: tracks[t.Code]})
			}
		}
	}
	var es []assessments.Element
	for _, e := range rs["resource_element"] {
		if access.SectionOfElement(e.Code) != sec {
			continue
		}
		if _, ok := answers[e.Code]; ok || e.ValidOn(on) {
			es = append(es, assessments.Element{Code: e.Code, Label: e.Label, Answer: answers[e.Code]})
		}
	}
	if writable {
		v.Tracks, v.Elements, v.CitizenGoals, v.Conclusion = ts, es, goals, conclusion
		return v
	}
	v.ReadTracks = access.Gate(sight, access.AssessmentTracks, ts)
	for _, e := range es {
		v.ReadElements = append(v.ReadElements, access.GateRow(sight, access.ResourceElement(e.Code), access.AssessmentResources, e))
	}
	v.ReadGoals = access.Gate(sight, access.AssessmentGoals, goals)
	v.ReadConclusion = access.Gate(sight, access.AssessmentConclusion, conclusion)
	return v
}

// renderAssessment shows one TFA section by section. Each section is a form for whoever may
// write it (access.CanWriteSection: the case-holding unit, and an invited health or social
// professional their own section under consent) and read-only for everyone else, every
// classified value through the viewer's Sight: the health tracks only under a current
// consent (access.ViewHealthData).
func (s *Server) renderAssessment(w http.ResponseWriter, r *http.Request, cr citizenReq, status int, x assessmentRender) error {
	ctx := r.Context()
	id, rel := cr.ID, cr.Rel
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	u := userFrom(r)
	sight := access.SightOf(u.access(), rel)
	a, err := s.store.ViewAssessment(ctx, who(r), id, aid, sight.Sees(access.Health))
	if err != nil {
		return err
	}
	c, err := s.store.CitizenByID(ctx, id)
	if err != nil {
		return err
	}
	rs, err := s.vocab.Sets(ctx, "health_track", "resource_element")
	if err != nil {
		return err
	}
	canWrite := access.CanCitizen(u.access(), access.WriteAssessment, rel)
	p := assessments.PageProps{CitizenID: id, CitizenName: c.Name(), ID: a.ID, Number: a.Number, Draft: a.Draft(),
		ConcludedAt: a.ConcludedAt, UpdatedBy: a.UpdatedBy, UpdatedAt: a.UpdatedAt,
		CanWrite: canWrite, CanConclude: canWrite && a.Draft(), CanConference: canWrite, Version: a.Version, Notice: x.notice,
		ParticipantForm: x.partForm, ParticipantErrors: x.partErrors, Errors: x.concludeErr,
		ConferenceForm: x.confForm, ConferenceAttendees: x.confChosen, ConferenceErrors: x.confErrors,
		Missing: helhed.MissingSidesMessage(helhed.MissingSides(a.ParticipantUnitKinds()))}
	if a.ConcludedBy != nil {
		p.ConcludedBy = *a.ConcludedBy
	}
	if p.ConferenceForm == nil {
		p.ConferenceForm = map[string]string{"held_on": s.today().Format(time.DateOnly)}
	}
	for _, sec := range access.TFASections {
		writable := a.Draft() && access.CanWriteSection(u.access(), rel, sec)
		var typed *assessmentForm
		if x.typed != nil && writable && (x.typedIn == "" || x.typedIn == sec) {
			typed = x.typed
		}
		v := sectionView(a, sec, sight, writable, rs, typed)
		if sec == access.SectionSummary && x.concludeErr != nil {
			for k, msg := range x.concludeErr {
				if k == helhed.FieldCitizenGoals || k == helhed.FieldConclusion {
					v.Errors[k] = msg
				}
			}
		}
		p.Sections = append(p.Sections, v)
	}
	for _, pt := range a.Participants {
		p.Participants = append(p.Participants, assessments.ParticipantRow{UserID: pt.UserID, Name: pt.Name, Unit: pt.UnitName,
			Side: helhed.SideOfUnitKind(pt.UnitKind).Label(), Profession: pt.Profession})
		p.AttendeeOptions = append(p.AttendeeOptions, components.Option{Value: strconv.FormatInt(pt.UserID, 10),
			Label: pt.Name + " (" + pt.Profession + ", " + pt.UnitName + ")"})
	}
	for _, cf := range a.Conferences {
		p.Conferences = append(p.Conferences, assessments.ConferenceRow{HeldOn: cf.HeldOn, CitizenPresent: cf.CitizenPresent,
			Attendees: strings.Join(cf.Attendees, ", "), RecordedBy: cf.CreatedBy})
	}
	if p.Draft && p.CanWrite {
		cands, err := s.store.ParticipantCandidates(ctx)
		if err != nil {
			return err
		}
		for _, cd := range cands {
			p.Candidates = append(p.Candidates, components.Option{Value: strconv.FormatInt(cd.ID, 10),
				Label: cd.Name + " – " + cd.UnitName + " (" + cd.Role + ")"})
		}
	}
	return s.page(w, r, status, "TFA – "+c.Name(), assessments.Page(p))
}

// assessmentSavePost saves the draft ("Gem kladde") or saves and concludes it ("Gem og
// afslut"). What was typed is never lost: a form with errors comes back as typed; a
// conclusion that is refused (participants missing, goals or conclusion empty) still saves
// the draft first, then shows why it could not be concluded.
func (s *Server) assessmentSavePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	rs, err := s.vocab.Sets(ctx, "health_track", "resource_element")
	if err != nil {
		return err
	}
	f := decodeAssessmentForm(r, rs["health_track"], rs["resource_element"], "version")
	if len(f.errors) > 0 {
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{typed: &f})
	}
	next, err := s.store.SaveAssessmentDraft(ctx, who(r), id, aid, f.version, f.in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		// Keep the text; the form carries the stored version, so saving again overwrites
		// deliberately.
		cur, lerr := s.store.ViewAssessment(ctx, who(r), id, aid, true)
		if lerr != nil {
			return lerr
		}
		f.version = cur.Version
		if !cur.Draft() {
			return err
		}
		return s.renderAssessment(w, r, cr, http.StatusConflict, assessmentRender{typed: &f,
			notice: helhed.ErrorMessage(err) + " Din tekst står herunder. Sammenlign med den gemte version (" + cur.UpdatedBy + ") og gem igen for at overskrive."})
	}
	if err != nil {
		return err
	}
	if r.PostFormValue("action") != "afslut" {
		s.flash(r, "success", "Kladden er gemt.")
		return redirect(w, r, paths.Assessment(id, aid))
	}
	months, err := s.store.FollowUpIntervalMonths(ctx, s.now())
	if err != nil {
		return err
	}
	created, err := s.store.ConcludeAssessment(ctx, who(r), id, aid, next, s.now(), months)
	if fe := fieldErrors(err); fe != nil {
		f.version = next
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{typed: &f, concludeErr: fe,
			notice: "Kladden er gemt, men TFA'en kan ikke afsluttes endnu. Se fejlene herunder."})
	}
	if err != nil {
		return err
	}
	if created {
		s.flash(r, "success", "TFA'en er afsluttet og låst. Indsatsplanen er oprettet med borgerens mål.")
	} else {
		s.flash(r, "success", "TFA'en er afsluttet og låst. Borgeren har allerede en indsatsplan; den er ikke ændret.")
	}
	return redirect(w, r, paths.Plan(id))
}

// participantAddPost adds a professional to the TFA draft.
func (s *Server) participantAddPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	typed := map[string]string{
		"participant_user":       r.PostFormValue("participant_user"),
		"participant_profession": strings.TrimSpace(r.PostFormValue("participant_profession")),
	}
	errs := map[string]string{}
	uid, perr := strconv.ParseInt(typed["participant_user"], 10, 64)
	if perr != nil || uid <= 0 {
		errs["participant_user"] = "Vælg en deltager fra listen"
	}
	switch n := utf8.RuneCountInString(typed["participant_profession"]); {
	case n == 0:
		errs["participant_profession"] = "Angiv deltagerens profession"
	case n > 100:
		errs["participant_profession"] = "Højst 100 tegn"
	}
	if len(errs) == 0 {
		err = s.store.AddParticipant(r.Context(), who(r), id, aid, uid, typed["participant_profession"])
		if fe := fieldErrors(err); fe != nil {
			errs = fe
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{partForm: typed, partErrors: errs})
	}
	s.flash(r, "success", "Deltageren er tilføjet.")
	return redirect(w, r, paths.Assessment(id, aid)+"#deltagere")
}

// participantRemovePost removes a professional from the TFA draft.
func (s *Server) participantRemovePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	uid, err := urlID(r, "uid")
	if err != nil {
		return err
	}
	if err := s.store.RemoveParticipant(r.Context(), who(r), id, aid, uid); err != nil {
		return err
	}
	s.flash(r, "success", "Deltageren er fjernet.")
	return redirect(w, r, paths.Assessment(id, aid)+"#deltagere")
}

// sectionRefs narrows the TFA's vocabularies to one section's: the health tracks belong to
// the health section, each resource element to the section of its class.
func sectionRefs(rs map[string]store.RefSet, sec access.TFASection) (tracks, elements store.RefSet) {
	if sec == access.SectionHealth {
		tracks = rs["health_track"]
	}
	for _, e := range rs["resource_element"] {
		if access.SectionOfElement(e.Code) == sec {
			elements = append(elements, e)
		}
	}
	return tracks, elements
}

// assessmentSectionPost saves one section of the TFA draft. Who may write which section is
// access.CanWriteSection; anything else is refused and audited. A stale version of the same
// section gives the conflict page (the saved section beside the writer's text); a different
// section saved meanwhile by another profession is no conflict.
func (s *Server) assessmentSectionPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	sec, ok := access.ParseTFASection(chi.URLParam(r, "section"))
	if !ok {
		return helhed.ErrNotFound
	}
	if !access.CanWriteSection(userFrom(r).access(), cr.Rel, sec) {
		return s.denied(r, id, "TFA-afsnit "+string(sec))
	}
	rs, err := s.vocab.Sets(ctx, "health_track", "resource_element")
	if err != nil {
		return err
	}
	tracks, elements := sectionRefs(rs, sec)
	f := decodeAssessmentForm(r, tracks, elements, "section_version")
	f.section = sec
	if sec != access.SectionSummary {
		f.in.CitizenGoals, f.in.Conclusion = "", ""
		delete(f.errors, helhed.FieldCitizenGoals)
		delete(f.errors, helhed.FieldConclusion)
	}
	if len(f.errors) > 0 {
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{typed: &f, typedIn: sec})
	}
	_, err = s.store.SaveAssessmentSection(ctx, who(r), id, aid, sec, f.version, f.in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		return s.sectionConflict(w, r, cr, aid, sec, f, err)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Afsnittet "+sec.Label()+" er gemt.")
	return redirect(w, r, paths.Assessment(id, aid)+"#afsnit-"+string(sec))
}

// sectionConflict renders the conflict page of one section: the section as saved now, and the
// writer's text in a form carrying the saved version, so saving again overwrites deliberately.
// A TFA concluded meanwhile has no conflict page: it is locked.
func (s *Server) sectionConflict(w http.ResponseWriter, r *http.Request, cr citizenReq, aid int64, sec access.TFASection,
	f assessmentForm, cause error) error {
	ctx := r.Context()
	sight := access.SightOf(userFrom(r).access(), cr.Rel)
	cur, err := s.store.ViewAssessment(ctx, who(r), cr.ID, aid, sight.Sees(access.Health))
	if err != nil {
		return err
	}
	if !cur.Draft() {
		return cause
	}
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	rs, err := s.vocab.Sets(ctx, "health_track", "resource_element")
	if err != nil {
		return err
	}
	saved := sectionView(cur, sec, sight, false, rs, nil)
	f.version = saved.Version
	yours := sectionView(cur, sec, sight, true, rs, &f)
	return s.page(w, r, http.StatusConflict, "Konflikt i TFA'en – "+c.Name(), assessments.SectionConflict(assessments.SectionConflictProps{
		CitizenID: cr.ID, CitizenName: c.Name(), Number: cur.Number, Message: helhed.ErrorMessage(cause), Saved: saved, Yours: yours}))
}

// assessmentConcludePost concludes the TFA draft as the case holder saw it (its version):
// a section saved by anyone since is a conflict, so nothing is concluded unread.
func (s *Server) assessmentConcludePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	ctx := r.Context()
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	version, _ := f.RequiredInt("version", "Version", 1, 1<<30)
	if !f.OK() {
		return &helhed.Error{Code: helhed.EInvalid, Message: "Formularen er ufuldstændig. Åbn siden igen."}
	}
	months, err := s.store.FollowUpIntervalMonths(ctx, s.now())
	if err != nil {
		return err
	}
	created, err := s.store.ConcludeAssessment(ctx, who(r), id, aid, version, s.now(), months)
	if fe := fieldErrors(err); fe != nil {
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{concludeErr: fe,
			notice: "TFA'en kan ikke afsluttes endnu. Se fejlene herunder."})
	}
	if helhed.ErrorCode(err) == helhed.EConflict {
		return s.renderAssessment(w, r, cr, http.StatusConflict, assessmentRender{
			notice: helhed.ErrorMessage(err) + " Læs afsnittene igen, før du afslutter."})
	}
	if err != nil {
		return err
	}
	if created {
		s.flash(r, "success", "TFA'en er afsluttet og låst. Indsatsplanen er oprettet med borgerens mål.")
	} else {
		s.flash(r, "success", "TFA'en er afsluttet og låst. Borgeren har allerede en indsatsplan; den er ikke ændret.")
	}
	return redirect(w, r, paths.Plan(id))
}

// assessmentConferencePost records a TFA conference: the day, whether the citizen was there,
// and which of the participants attended.
func (s *Server) assessmentConferencePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	aid, err := urlID(r, "aid")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	held, _ := f.RequiredDate("held_on", "Dato")
	present := f.RequiredChoice("citizen_present", "Deltog borgeren?", func(v string) bool { return v == "ja" || v == "nej" })
	chosen := r.PostForm["conference_attendees"]
	var attendees []int64
	for _, v := range chosen {
		uid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || uid <= 0 {
			f.Fail("conference_attendees", "Vælg deltagerne fra listen")
			break
		}
		attendees = append(attendees, uid)
	}
	if len(chosen) == 0 {
		f.Fail("conference_attendees", "Vælg mindst én af TFA'ens deltagere")
	}
	if f.OK() && held.After(s.today()) {
		f.Fail("held_on", "Konferencen kan ikke ligge i fremtiden")
	}
	if f.OK() {
		err = s.store.RecordConference(r.Context(), who(r), id, aid, held, present == "ja", attendees)
		if fe := fieldErrors(err); fe != nil {
			for k, v := range fe {
				f.Fail(k, v)
			}
		} else if err != nil {
			return err
		}
	}
	if !f.OK() {
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{confForm: f.Values,
			confChosen: chosen, confErrors: f.Errors})
	}
	s.flash(r, "success", "Konferencen er registreret.")
	return redirect(w, r, paths.Assessment(id, aid)+"#konference")
}
