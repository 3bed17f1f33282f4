package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

func (s *Server) citizenView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	return s.renderOverviewWith(w, r, id, rel, http.StatusOK, overviewExtras{})
}

// overviewExtras carries what one request adds to the citizen page: a full CPR right after a
// deliberate, audited reveal, or a rejected form (values as typed, errors) to show again.
type overviewExtras struct {
	fullCPR       helhed.CPR
	benefit       *form.Form
	consent       *form.Form
	consentUnits  map[string]bool
	meeting       *form.Form
	closureForm   map[string]string
	closureErrors map[string]string
}

// fill is a section of the citizen page that has queued its reads in the page's batch: called
// once the batch is sent, it fills the section from the answers. Nil: the section reads nothing.
type fill func() error

// renderOverviewWith renders the citizen page; the caller has already authorised the user
// and passes the relation it checked.
func (s *Server) renderOverviewWith(w http.ResponseWriter, r *http.Request, id int64, rel access.Relation, status int, x overviewExtras) error {
	ctx := r.Context()
	u := userFrom(r)
	ov, err := s.store.ViewCitizen(ctx, who(r), id)
	if err != nil {
		return err
	}
	rf, err := s.loadRefs(ctx)
	if err != nil {
		return err
	}
	c := ov.Citizen
	today := s.today()
	sight := access.SightOf(u.access(), rel)
	props := citizens.OverviewProps{
		ID: c.ID, Name: c.Name(), CPR: c.CPR.Masked(), Revealed: x.fullCPR != "", Age: c.CPR.Age(today),
		Address: strings.TrimSpace(c.Address + ", " + strings.TrimSpace(c.PostalCode+" "+c.City)),
		Phone:   c.Phone, Email: c.Email, Unit: c.UnitName,
		CanEdit:      access.CanCitizen(u.access(), access.EditCitizen, rel),
		CanRevealCPR: access.CanCitizen(u.access(), access.RevealCPR, rel),
		CanScreen:    access.CanCitizen(u.access(), access.RecordScreening, rel),
		CanConsent:   access.CanCitizen(u.access(), access.ManageConsent, rel),
		// A benefit period is often recorded after the fact: every benefit is offered, those
		// the law has ended marked with their dates; the store checks the period's own date.
		BenefitTypes: historyOptions(rf.benefit, today), ExitReasons: options(rf.exit.Current(today)),
		Today:        today,
		ConsentUnits: x.consentUnits,
	}
	if f := x.benefit; f != nil {
		props.BenefitForm, props.BenefitErrors, props.BenefitSummary = f.Values, f.Errors, f.SummaryTexts()
	}
	if f := x.consent; f != nil {
		props.ConsentForm, props.ConsentErrors, props.ConsentSummary = f.Values, f.Errors, f.SummaryTexts()
	}
	if props.Address == "," {
		props.Address = ""
	}
	if x.fullCPR != "" {
		props.CPR = x.fullCPR.Formatted()
	}
	if c.CaseworkerName != nil {
		props.Caseworker = *c.CaseworkerName
	}
	if c.VisitationCode != nil {
		props.Visitation = rf.visitation.Label(*c.VisitationCode)
	}
	props.RiskGroup = access.Gate(sight, access.CitizenRiskGroup, deref(c.RiskGroup))
	for _, b := range ov.Benefits {
		bp := citizens.Benefit{Label: rf.benefit.Label(b.BenefitCode), Start: b.StartDate, End: b.EndDate, Reason: b.RuleReason}
		if b.ExitCode != nil {
			bp.Exit = rf.exit.Label(*b.ExitCode)
		}
		if b.Current(today) && props.Current == nil {
			cur := bp
			props.Current = &cur
		}
		props.Benefits = append(props.Benefits, bp)
	}
	var screenings []citizens.ScreeningRow
	for _, sc := range ov.Screenings {
		screenings = append(screenings, citizens.ScreeningRow{ID: sc.ID, On: sc.ScreenedOn, WHO5: sc.WHO5,
			Group: sc.FinalGroup, Overridden: sc.FinalGroup != sc.ComputedGroup, By: sc.CreatedBy})
	}
	// The citizen's own WHO-5 answers (the citizen area) join the history, marked as theirs:
	// health data under the same gate as the screenings.
	screenings = withSelfReported(ov.SelfReports, screenings)
	props.Screenings = access.Gate(sight, access.ScreeningRecord, screenings)
	if len(screenings) > 0 && props.Screenings.Shown() {
		if props.WHO5Thresholds, err = s.who5Thresholds(ctx); err != nil {
			return err
		}
	}
	for _, k := range ov.Consents {
		props.Consents = append(props.Consents, citizens.ConsentRow{ID: k.ID, Information: rf.consent.Label(k.Information),
			Unit: k.RecipientUnit, Purpose: k.Purpose, Given: k.GivenOn, Expires: k.ExpiresOn, WithdrawnAt: k.WithdrawnAt,
			RecordedBy: k.RecordedBy, Current: k.CurrentOn(today)})
	}
	if props.CanConsent {
		units, err := s.store.ListUnits(ctx)
		if err != nil {
			return err
		}
		for _, un := range units {
			if un.ID != c.UnitID {
				props.ConsentUnitOptions = append(props.ConsentUnitOptions, components.Option{Value: strconv.FormatInt(un.ID, 10), Label: un.Name})
			}
		}
		props.ConsentInformation = options(rf.consent.Current(today))
	}
	props.CanRefer = access.CanCitizen(u.access(), access.ReferCitizen, rel)
	// The sections' reads go to PostgreSQL together, in one round trip: each section decides
	// from the citizen, the relation and the viewer's sight (all known before any is read) what
	// to read, queues it, and fills its part of the page from the answers once they are back.
	b := s.store.Batch()
	fills := []fill{
		s.overviewReferrals(r, b, &props, sight),
		s.overviewDocuments(r, b, &props, rel, sight),
		s.overviewLetters(r, b, &props, rel, sight),
		s.overviewPlanSections(r, b, &props, rel, sight),
		s.overviewPostTeam(r, b, &props, rel, sight),
		s.overviewMeetings(r, b, &props, rel, x),
		s.overviewJournal(r, b, &props, rel, sight),
		s.overviewSamtaler(r, b, &props, rel),
	}
	if err := b.Send(ctx); err != nil {
		return err
	}
	for _, f := range fills {
		if f == nil {
			continue
		}
		if err := f(); err != nil {
			return err
		}
	}
	s.overviewClosure(r, &props, c, rel, x)
	return s.page(w, r, status, c.Name(), citizens.Overview(props))
}

func (s *Server) citizenRevealCPRPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	cpr, err := s.store.RevealCPR(r.Context(), who(r), id)
	if err != nil {
		return err
	}
	// Rendered directly, not redirected: the full number must not travel in a URL.
	return s.renderOverviewWith(w, r, id, rel, http.StatusOK, overviewExtras{fullCPR: cpr})
}

// benefitAddPost records a benefit period on the citizen page.
func (s *Server) benefitAddPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	rf, err := s.loadRefs(r.Context())
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	f := decodeBenefitForm(r.PostForm, rf)
	if !f.OK() {
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{benefit: f.Form})
	}
	bp := f.period
	bp.CitizenID = id
	if _, err := s.store.AddBenefitPeriod(r.Context(), who(r), bp); err != nil {
		// The law's dates and the benefit rules are the store's: each reason goes beside its
		// field; a warning opens the reason field, and what was typed is kept.
		fe := fieldErrors(err)
		if fe == nil {
			return err
		}
		for field, msg := range fe {
			f.Fail(field, msg)
		}
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{benefit: f.Form})
	}
	s.flash(r, "success", "Ydelsesforløbet er gemt.")
	return redirect(w, r, paths.Citizen(id))
}

// decodeBenefitForm reads a benefit period: a known benefit type, the start, an optional end
// not before it and, only with an end, an exit reason in force then. Whether the law allows
// the benefit on the start date is the store's rule (store.BenefitOutOfForce, which
// AddBenefitPeriod enforces); the form asks it too, so every problem shows at once.
func decodeBenefitForm(values url.Values, rf refs) benefitForm {
	f := benefitForm{Form: form.New(values)}
	code := f.RequiredChoice("benefit", "Ydelse", rf.benefit.Has)
	start, sok := f.RequiredDate("start", "Startdato")
	if v, ok := rf.benefit.Value(code); ok && sok {
		if why := store.BenefitOutOfForce(v, start); why != "" {
			f.Fail("benefit", why)
		}
	}
	f.period = store.BenefitPeriod{BenefitCode: code, StartDate: start}
	end, eok := f.Date("end", "Slutdato")
	if eok && sok && end.Before(start) {
		f.Fail("end", "Slutdatoen ligger før startdatoen")
	}
	if eok {
		f.period.EndDate = &end
	}
	f.period.RuleReason = strings.TrimSpace(f.Text(store.BenefitFieldReason, "Begrundelse", store.BenefitReasonMax))
	f.period.EndRunningExit = f.Choice(store.BenefitFieldEndRunning, "Afslut igangværende forløb", rf.exit.Has)
	exit := f.Choice("exit", "Afgangsårsag", rf.exit.Has)
	switch {
	case f.Values["end"] == "" && exit != "":
		f.Fail("exit", "Afgangsårsag kræver en slutdato")
	case f.Values["end"] != "" && (exit == "" || eok && !rf.exit.ValidOn(exit, end)):
		f.Fail("exit", "Vælg en afgangsårsag, når forløbet er slut")
	case exit != "":
		f.period.ExitCode = &exit
	}
	return f
}

// benefitForm is a posted benefit period as read, the period it decoded and the form.
type benefitForm struct {
	period store.BenefitPeriod
	*form.Form
}
