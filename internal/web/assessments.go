package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
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
}

func decodeAssessmentForm(r *http.Request, tracks, elements store.RefSet) assessmentForm {
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
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		f.errors["version"] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	f.version = v
	return f
}

// assessmentRender is one rendering of the TFA page: what was typed (nil: show the stored
// answers), errors, a notice, the participant form.
type assessmentRender struct {
	typed      *assessmentForm
	notice     string
	partForm   map[string]string
	partErrors map[string]string
}

func (s *Server) assessmentView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderAssessment(w, r, cr, http.StatusOK, assessmentRender{})
}

// renderAssessment shows one TFA. Users outside the case-holding unit see the health tracks
// only under a current consent (access.ViewHealthData); the TFA's other parts are case data
// they may see when they may see the citizen.
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
	p := assessments.PageProps{CitizenID: id, CitizenName: c.Name(), ID: a.ID, Number: a.Number, Draft: a.Draft(),
		ConcludedAt: a.ConcludedAt, UpdatedBy: a.UpdatedBy, UpdatedAt: a.UpdatedAt,
		CanWrite: access.CanCitizen(u.access(), access.WriteAssessment, rel), Version: a.Version, Notice: x.notice,
		ParticipantForm: x.partForm, ParticipantErrors: x.partErrors,
		Missing: helhed.MissingSidesMessage(helhed.MissingSides(a.ParticipantUnitKinds()))}
	if a.ConcludedBy != nil {
		p.ConcludedBy = *a.ConcludedBy
	}
	// A historic TFA shows the tracks and elements it was written with, in force then.
	on := a.UpdatedAt
	if p.Draft && p.CanWrite {
		// The form: the case-holding unit writes the whole TFA.
		tracks, answers := a.Tracks, a.Resources
		p.CitizenGoals, p.Conclusion = a.CitizenGoals, a.Conclusion
		if x.typed != nil {
			tracks, answers = x.typed.in.Tracks, x.typed.in.Resources
			p.CitizenGoals, p.Conclusion, p.Errors = x.typed.in.CitizenGoals, x.typed.in.Conclusion, x.typed.errors
			if x.typed.version != 0 {
				p.Version = x.typed.version
			}
		}
		for _, t := range rs["health_track"] {
			if _, ok := tracks[t.Code]; ok || t.ValidOn(on) {
				p.Tracks = append(p.Tracks, assessments.Track{Code: t.Code, Label: t.Label, Answer: tracks[t.Code]})
			}
		}
		for _, e := range rs["resource_element"] {
			if _, ok := answers[e.Code]; ok || e.ValidOn(on) {
				p.Elements = append(p.Elements, assessments.Element{Code: e.Code, Label: e.Label, Answer: answers[e.Code]})
			}
		}
	} else {
		// Read-only: every classified part through the viewer's sight.
		rd := &assessments.Read{CitizenGoals: access.Gate(sight, access.AssessmentGoals, a.CitizenGoals),
			Conclusion: access.Gate(sight, access.AssessmentConclusion, a.Conclusion)}
		var tracks []assessments.Track
		for _, t := range rs["health_track"] {
			if _, ok := a.Tracks[t.Code]; ok || t.ValidOn(on) {
				tracks = append(tracks, assessments.Track{Code: t.Code, Label: t.Label, Answer: a.Tracks[t.Code]})
			}
		}
		rd.Tracks = access.Gate(sight, access.AssessmentTracks, tracks)
		for _, e := range rs["resource_element"] {
			if _, ok := a.Resources[e.Code]; ok || e.ValidOn(on) {
				rd.Elements = append(rd.Elements, access.GateRow(sight, access.ResourceElement(e.Code), access.AssessmentResources,
					assessments.Element{Code: e.Code, Label: e.Label, Answer: a.Resources[e.Code]}))
			}
		}
		p.Read = rd
	}
	for _, rv := range helhed.Relevances {
		p.Relevances = append(p.Relevances, components.Option{Value: string(rv), Label: rv.Label()})
	}
	for _, pt := range a.Participants {
		p.Participants = append(p.Participants, assessments.ParticipantRow{UserID: pt.UserID, Name: pt.Name, Unit: pt.UnitName,
			Side: helhed.SideOfUnitKind(pt.UnitKind).Label(), Profession: pt.Profession})
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
	f := decodeAssessmentForm(r, rs["health_track"], rs["resource_element"])
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
		f.version, f.errors = next, fe
		return s.renderAssessment(w, r, cr, http.StatusUnprocessableEntity, assessmentRender{typed: &f,
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
