package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/pages/meetings"
	"github.com/helhed/helhed/web/paths"
)

// The post-team records of a citizen's case (lov nr. 1750 af 29.12.2025, docs/law.md): the
// samlet beskrivelse af borgerens forudsætninger, written by the case-holding unit and
// pre-filled from what Helhed holds, and the sundhedsfaglig rådgivning, asked by the
// case-holding unit and given by the region's sundhedskoordinator. Both are records of the
// case, written without a meeting; the store refuses a fleksjob or førtidspension indstilling
// or afgørelse without them.

// descriptionView gates the samlet beskrivelse for sight, section by section.
func descriptionView(d store.CaseDescription, sight access.Sight) *citizens.DescriptionView {
	v := &citizens.DescriptionView{CreatedBy: d.CreatedByName, CreatedAt: d.CreatedAt, UpdatedBy: d.UpdatedByName, UpdatedAt: d.UpdatedAt}
	for _, sec := range helhed.PrepSections {
		v.Sections = append(v.Sections, citizens.SectionView{Label: sec.Label,
			Text: access.GateRow(sight, access.PrepSection(sec.Key), access.DescriptionSections, d.Sections[sec.Key])})
	}
	return v
}

// outcomeList names the outcomes of a rule in Danish: "fleksjob og førtidspension".
func outcomeList(rule helhed.PostTeamRule, outcomes store.RefSet) string {
	names := make([]string, len(rule.Outcomes))
	for i, o := range rule.Outcomes {
		names[i] = strings.ToLower(outcomes.Label(o))
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " og " + names[len(names)-1]
}

// overviewPostTeam fills the citizen page's section of the post-team records, for every
// viewer of the citizen, each value behind the viewer's sight; the description and the advice
// requests are read in the page's batch.
func (s *Server) overviewPostTeam(r *http.Request, b *store.Batch, props *citizens.OverviewProps, rel access.Relation, sight access.Sight) fill {
	description, advice := b.CaseDescriptionOf(props.ID), b.CitizenHealthAdvice(props.ID)
	return func() error {
		ctx := r.Context()
		u := userFrom(r).access()
		p := &citizens.PostTeamSection{CitizenID: props.ID, CanDescribe: access.CanCitizen(u, access.WriteDescription, rel),
			CanRequest: access.CanCitizen(u, access.RequestHealthAdvice, rel)}
		rule, err := s.store.PostTeamRule(ctx, s.today())
		if err != nil {
			return err
		}
		outcomes, err := s.vocab.Values(ctx, "indstilling")
		if err != nil {
			return err
		}
		p.Required = outcomeList(rule, outcomes)
		if d := description.Value(); d.OK {
			p.Description = descriptionView(d.Value, sight)
		}
		canWrite := access.CanCitizen(u, access.WriteHealthAdvice, rel)
		for _, a := range advice.Value() {
			v := citizens.AdviceView{Unit: a.UnitName, Question: a.Question, RequestedBy: a.RequestedByName, RequestedAt: a.RequestedAt,
				Advice: deref(a.Advice), GivenBy: deref(a.GivenByName), GivenAt: a.GivenAt}
			if canWrite && a.UnitID == u.UnitID {
				v.WriteHref = paths.Advice(props.ID, a.ID)
			}
			p.Advice = append(p.Advice, access.GateRow(sight, access.AdviceRow(a.UnitID), access.AdviceText, v))
		}
		props.PostTeam = p
		return nil
	}
}

// postTeamNotice is the notice beside an indstilling or afgørelse form: the records the rule
// in force requires and the citizen's case lacks, with links for a viewer who may write them.
// Nil when the rule requires nothing or both exist.
func (s *Server) postTeamNotice(ctx context.Context, u access.User, citizenID int64, rel access.Relation) (*meetings.PostTeamNotice, error) {
	rule, err := s.store.PostTeamRule(ctx, s.today())
	if err != nil || len(rule.Outcomes) == 0 {
		return nil, err
	}
	have, err := s.store.PostTeamRecords(ctx, citizenID)
	if err != nil {
		return nil, err
	}
	outcomes, err := s.vocab.Values(ctx, "indstilling")
	if err != nil {
		return nil, err
	}
	n := &meetings.PostTeamNotice{Required: outcomeList(rule, outcomes)}
	if !have.Description {
		l := meetings.PostTeamLink{Text: "Samlet beskrivelse af borgerens forudsætninger"}
		if access.CanCitizen(u, access.WriteDescription, rel) {
			l.Text, l.Href = "Skriv den samlede beskrivelse af borgerens forudsætninger", paths.Description(citizenID)
		}
		n.Missing = append(n.Missing, l)
	}
	if !have.Advice {
		l := meetings.PostTeamLink{Text: "Sundhedsfaglig rådgivning fra regionens sundhedskoordinator"}
		if access.CanCitizen(u, access.RequestHealthAdvice, rel) {
			l.Text, l.Href = "Anmod om sundhedsfaglig rådgivning fra regionens sundhedskoordinator", paths.AdviceNew(citizenID)
		}
		n.Missing = append(n.Missing, l)
	}
	if len(n.Missing) == 0 {
		return nil, nil
	}
	return n, nil
}

// descriptionGet is the form of the samlet beskrivelse: the saved text, or a draft built from
// what Helhed holds when none is saved.
func (s *Server) descriptionGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	ctx := r.Context()
	d, ok, err := s.store.CaseDescriptionOf(ctx, cr.ID)
	if err != nil {
		return err
	}
	if ok {
		return s.renderDescription(w, r, http.StatusOK, cr, d.Sections, strconv.Itoa(d.Version), false, form.New(nil))
	}
	draft, err := s.descriptionDraft(ctx, cr.ID, access.SightOf(userFrom(r).access(), cr.Rel))
	if err != nil {
		return err
	}
	if err := s.store.Audit(ctx, who(r), cr.ID, store.AuditCitizenView, "samlet beskrivelse: udkast dannet af sagens oplysninger"); err != nil {
		return err
	}
	return s.renderDescription(w, r, http.StatusOK, cr, draft, "0", true, form.New(nil))
}

func (s *Server) renderDescription(w http.ResponseWriter, r *http.Request, status int, cr citizenReq, sections helhed.Preparation, version string, prefilled bool, f *form.Form) error {
	c, err := s.store.CitizenByID(r.Context(), cr.ID)
	if err != nil {
		return err
	}
	p := citizens.DescriptionFormProps{CitizenID: cr.ID, Name: c.Name(), Version: version, Prefilled: prefilled, Errors: f.Errors, Summary: f.SummaryTexts()}
	for _, sec := range helhed.PrepSections {
		p.Sections = append(p.Sections, citizens.FormSection{Key: sec.Key, Label: sec.Label, Hint: sec.Hint, Text: sections[sec.Key], Error: f.Errors[sec.Key]})
	}
	return s.page(w, r, status, "Samlet beskrivelse – "+c.Name(), citizens.DescriptionForm(p))
}

// descriptionPost saves the samlet beskrivelse on the version the form was loaded on; a stale
// version comes back with what was typed and the message.
func (s *Server) descriptionPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	typed := f.Text("version", "", 20)
	sections := helhed.Preparation{}
	for _, sec := range helhed.PrepSections {
		if v := f.Text(sec.Key, sec.Label, helhed.MaxPrepSection); v != "" {
			sections[sec.Key] = v
		}
	}
	for k, msg := range fieldErrors(helhed.ValidateDescription(sections)) {
		f.Fail(k, msg)
	}
	version, verr := strconv.Atoi(typed)
	if verr != nil || version < 0 {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderDescription(w, r, http.StatusUnprocessableEntity, cr, sections, typed, false, f)
	}
	_, err := s.store.SaveDescription(r.Context(), who(r), cr.ID, version, sections)
	if errors.Is(err, store.ErrDescriptionChanged) {
		cur, ok, lerr := s.store.CaseDescriptionOf(r.Context(), cr.ID)
		if lerr != nil {
			return lerr
		}
		next := "0"
		if ok {
			next = strconv.Itoa(cur.Version)
		}
		f.Fail("version", helhed.ErrorMessage(err)+" Din tekst er bevaret; gem igen for at overskrive den andens ændringer.")
		return s.renderDescription(w, r, http.StatusConflict, cr, sections, next, false, f)
	}
	if fe := fieldErrors(err); fe != nil {
		for k, msg := range fe {
			f.Fail(k, msg)
		}
		return s.renderDescription(w, r, http.StatusUnprocessableEntity, cr, sections, typed, false, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Den samlede beskrivelse af borgerens forudsætninger er gemt.")
	return redirect(w, r, paths.PostTeamSection(cr.ID))
}

// adviceUnitOptions are the units that can be asked: the region's klinisk funktion.
func (s *Server) adviceUnitOptions(ctx context.Context) ([]components.Option, error) {
	units, err := s.store.AdviceUnits(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]components.Option, len(units))
	for i, u := range units {
		out[i] = components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name}
	}
	return out, nil
}

func (s *Server) renderAdviceRequest(w http.ResponseWriter, r *http.Request, status int, cr citizenReq, f *form.Form) error {
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	units, err := s.adviceUnitOptions(ctx)
	if err != nil {
		return err
	}
	values := f.Values
	if values == nil {
		values = map[string]string{}
	}
	if values["unit"] == "" && len(units) == 1 {
		values["unit"] = units[0].Value
	}
	return s.page(w, r, status, "Anmod om sundhedsfaglig rådgivning – "+c.Name(), citizens.AdviceRequestForm(citizens.AdviceRequestProps{
		CitizenID: cr.ID, Name: c.Name(), Units: units, Values: values, Errors: f.Errors, Summary: f.SummaryTexts()}))
}

// adviceNewGet is the form that asks the region's sundhedskoordinator.
func (s *Server) adviceNewGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	return s.renderAdviceRequest(w, r, http.StatusOK, cr, form.New(nil))
}

// adviceNewPost sends the request; the region then sees the citizen (its health data only
// under consent) and answers.
func (s *Server) adviceNewPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	var unit int64
	f.RequiredChoice(helhed.FieldAdviceUnit, "Sundhedskoordinator (klinisk funktion)", func(v string) bool {
		var err error
		unit, err = strconv.ParseInt(v, 10, 64)
		return err == nil && unit > 0
	})
	question := f.RequiredText(helhed.FieldAdviceQuestion, "Spørgsmål til sundhedskoordinatoren", helhed.MaxAdviceQuestion)
	if f.OK() {
		_, err := s.store.RequestHealthAdvice(r.Context(), who(r), cr.ID, unit, question)
		fe := fieldErrors(err)
		if fe == nil && err != nil {
			return err
		}
		for k, msg := range fe {
			f.Fail(k, msg)
		}
	}
	if !f.OK() {
		return s.renderAdviceRequest(w, r, http.StatusUnprocessableEntity, cr, f)
	}
	s.flash(r, "success", "Anmodningen er sendt til sundhedskoordinatoren.")
	return redirect(w, r, paths.PostTeamSection(cr.ID))
}

// adviceOf loads the request {raid} of the citizen for its asked unit's staff: a request to
// another unit is not the user's to answer.
func (s *Server) adviceOf(r *http.Request, cr citizenReq) (store.HealthAdvice, error) {
	raid, err := urlID(r, "raid")
	if err != nil {
		return store.HealthAdvice{}, err
	}
	a, err := s.store.HealthAdviceByID(r.Context(), cr.ID, raid)
	if err != nil {
		return a, err
	}
	if a.UnitID != userFrom(r).UnitID {
		return a, s.denied(r, cr.ID, "sundhedsfaglig rådgivning: anmodningen er sendt til en anden enhed")
	}
	return a, nil
}

func (s *Server) renderAdvice(w http.ResponseWriter, r *http.Request, status int, cr citizenReq, a store.HealthAdvice, text, version string, f *form.Form) error {
	ctx := r.Context()
	c, err := s.store.CitizenByID(ctx, cr.ID)
	if err != nil {
		return err
	}
	sight := access.SightOf(userFrom(r).access(), cr.Rel)
	p := citizens.AdviceFormProps{CitizenID: cr.ID, AdviceID: a.ID, Name: c.Name(),
		Question:    access.GateRow(sight, access.AdviceRow(a.UnitID), access.AdviceQuestion, a.Question),
		RequestedBy: a.RequestedByName, RequestedAt: a.RequestedAt, Advice: text, Version: version, Errors: f.Errors, Summary: f.SummaryTexts()}
	d, ok, err := s.store.CaseDescriptionOf(ctx, cr.ID)
	if err != nil {
		return err
	}
	if ok {
		p.Description = descriptionView(d, sight)
	}
	if err := s.store.Audit(ctx, who(r), cr.ID, store.AuditAdviceView,
		"anmodning "+strconv.FormatInt(a.ID, 10)+" med samlet beskrivelse"+sightNote(sight)); err != nil {
		return err
	}
	return s.page(w, r, status, "Sundhedsfaglig rådgivning – "+c.Name(), citizens.AdviceForm(p))
}

// adviceGet is the sundhedskoordinator's form: the question, the samlet beskrivelse as the
// coordinator may see it, and the advice.
func (s *Server) adviceGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	a, err := s.adviceOf(r, cr)
	if err != nil {
		return err
	}
	return s.renderAdvice(w, r, http.StatusOK, cr, a, deref(a.Advice), strconv.Itoa(a.Version), form.New(nil))
}

// advicePost saves the advice on the version the form was loaded on.
func (s *Server) advicePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	a, err := s.adviceOf(r, cr)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	typed := f.Text("version", "", 20)
	text := f.RequiredText(helhed.FieldAdvice, "Sundhedsfaglig rådgivning", helhed.MaxAdviceText)
	version, verr := strconv.Atoi(typed)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderAdvice(w, r, http.StatusUnprocessableEntity, cr, a, text, typed, f)
	}
	err = s.store.GiveHealthAdvice(r.Context(), who(r), cr.ID, a.ID, version, text)
	switch {
	case errors.Is(err, store.ErrAdviceChanged):
		cur, lerr := s.store.HealthAdviceByID(r.Context(), cr.ID, a.ID)
		if lerr != nil {
			return lerr
		}
		f.Fail("version", helhed.ErrorMessage(err)+" Din tekst er bevaret; gem igen for at erstatte den gemte rådgivning: "+deref(cur.Advice))
		return s.renderAdvice(w, r, http.StatusConflict, cr, cur, text, strconv.Itoa(cur.Version), f)
	case fieldErrors(err) != nil:
		for k, msg := range fieldErrors(err) {
			f.Fail(k, msg)
		}
		return s.renderAdvice(w, r, http.StatusUnprocessableEntity, cr, a, text, typed, f)
	case err != nil:
		return err
	}
	s.flash(r, "success", "Den sundhedsfaglige rådgivning er gemt på borgerens sag.")
	return redirect(w, r, paths.PostTeamSection(cr.ID))
}

// descriptionDraft builds a first samlet beskrivelse from what Helhed holds about the
// citizen — benefit history, the latest screening, the latest concluded TFA, the plan's goal
// and efforts, the referrals — each value only as far as the author's sight reaches (the
// case-holding unit sees it all; the rule is kept anyway, so the draft can never carry what
// its author may not read).
func (s *Server) descriptionDraft(ctx context.Context, citizenID int64, sight access.Sight) (helhed.Preparation, error) {
	lines := map[string][]string{}
	add := func(key string, g access.Gated[string]) {
		if v, ok := g.Get(); ok && strings.TrimSpace(v) != "" {
			lines[key] = append(lines[key], v)
		}
	}
	rf, err := s.loadRefs(ctx)
	if err != nil {
		return nil, err
	}
	benefits, err := s.store.BenefitPeriods(ctx, citizenID)
	if err != nil {
		return nil, err
	}
	for _, b := range benefits {
		l := rf.benefit.Label(b.BenefitCode) + ": " + format.Date(b.StartDate) + "–"
		if b.EndDate != nil {
			l += format.Date(*b.EndDate)
		}
		if b.ExitCode != nil {
			l += " (afgang: " + strings.ToLower(rf.exit.Label(*b.ExitCode)) + ")"
		}
		add("benefits", access.Shown(l))
	}
	screenings, err := s.store.ListScreenings(ctx, citizenID)
	if err != nil {
		return nil, err
	}
	if len(screenings) > 0 {
		sc := screenings[0]
		for _, x := range screenings {
			if x.ScreenedOn.After(sc.ScreenedOn) {
				sc = x
			}
		}
		add("health", access.Gate(sight, access.ScreeningRecord, "Screening "+format.Date(sc.ScreenedOn)+": WHO-5 "+strconv.Itoa(sc.WHO5)+
			", risikogruppe "+strings.ToLower(helhed.RiskGroup(sc.FinalGroup).Label())))
	}
	a, ok, err := s.store.LatestConcludedAssessment(ctx, citizenID, sight.Sees(access.AssessmentTracks.Class))
	if err != nil {
		return nil, err
	}
	if ok {
		rs, err := s.vocab.Sets(ctx, "health_track", "resource_element")
		if err != nil {
			return nil, err
		}
		from := "Funktionsevneanalyse nr. " + strconv.Itoa(a.Number)
		for _, tr := range rs["health_track"] {
			if t, ok := a.Tracks[tr.Code]; ok && (t.Description != "" || t.WorkImpact != "") {
				add("health", access.Gate(sight, access.AssessmentTracks, tr.Label+": "+joinNonEmpty(t.Description, t.WorkImpact)))
			}
		}
		for _, el := range rs["resource_element"] {
			ra, ok := a.Resources[el.Code]
			if !ok || (ra.Resources == "" && ra.Barriers == "") {
				continue
			}
			row := access.ResourceElement(el.Code)
			key := "education"
			switch {
			case row.Class == access.Social && el.Code == "bolig_oekonomi":
				key = "challenges"
			case row.Class == access.Social, el.Code == "interesser", el.Code == "sociale_kompetencer":
				key = "personal"
			case row.Class != access.Case:
				key = "health"
			}
			text := el.Label + ": " + joinNonEmpty(ra.Resources, prefixed("Barrierer: ", ra.Barriers))
			add(key, access.GateRow(sight, row, access.AssessmentResources, text))
		}
		add("wishes", access.Gate(sight, access.AssessmentGoals, a.CitizenGoals))
		add("health", access.Gate(sight, access.AssessmentConclusion, prefixed(from+", konklusion: ", a.Conclusion)))
	}
	plan, ok, err := s.store.PlanForOverview(ctx, citizenID)
	if err != nil {
		return nil, err
	}
	if ok {
		status, err := s.vocab.Values(ctx, "effort_status")
		if err != nil {
			return nil, err
		}
		add("wishes", access.Gate(sight, access.PlanCitizenGoal, prefixed("Indsatsplanens mål: ", plan.CitizenGoal)))
		for _, e := range plan.Efforts {
			l := e.Title + " (" + e.ResponsibleUnit + ", " + format.Date(e.StartDate) + "–"
			if e.EndDate != nil {
				l += format.Date(*e.EndDate)
			}
			add("earlier", access.GateRow(sight, e.Row(), access.PlanEffort, l+", "+strings.ToLower(store.RefSet(status).Label(e.Status))+")"))
		}
	}
	refs, _, err := s.store.ListReferrals(ctx, store.ReferralFilter{CitizenID: citizenID}, store.Page{Number: 1, PerPage: 50})
	if err != nil {
		return nil, err
	}
	for _, x := range refs {
		add("earlier", access.GateRow(sight, x.Row(), access.ReferralState, "Henvist til "+x.OfferName+" ("+x.ToUnitName+", "+
			format.Date(x.CreatedAt)+"): "+strings.ToLower(x.State.Label())))
	}
	out := helhed.Preparation{}
	for k, ls := range lines {
		text := strings.Join(ls, "\n")
		if n := []rune(text); len(n) > helhed.MaxPrepSection {
			text = string(n[:helhed.MaxPrepSection])
		}
		out[k] = text
	}
	return out, nil
}

// joinNonEmpty joins the non-empty parts with ". ".
func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return strings.Join(out, ". ")
}

// prefixed is prefix+v, or "" when v is empty.
func prefixed(prefix, v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return prefix + v
}
