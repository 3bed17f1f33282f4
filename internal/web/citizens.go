package web

import (
	"net/http"
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
	benefitForm   map[string]string
	benefitErrors map[string]string
	consentForm   map[string]string
	consentUnits  map[string]bool
	consentErrors map[string]string
	meetingForm   map[string]string
	meetingErrors map[string]string
	closureForm   map[string]string
	closureErrors map[string]string
}

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
		BenefitTypes: options(rf.benefit.Current(today)), ExitReasons: options(rf.exit.Current(today)),
		BenefitForm: x.benefitForm, BenefitErrors: x.benefitErrors, Today: today,
		ConsentForm: x.consentForm, ConsentUnits: x.consentUnits, ConsentErrors: x.consentErrors,
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
		bp := citizens.Benefit{Label: rf.benefit.Label(b.BenefitCode), Start: b.StartDate, End: b.EndDate}
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
	if props.Referrals, err = s.citizenReferrals(ctx, id, u, sight); err != nil {
		return err
	}
	props.CanRefer = access.CanCitizen(u.access(), access.ReferCitizen, rel)
	if err := s.overviewPlanSections(r, &props, rel, sight); err != nil {
		return err
	}
	if err := s.overviewMeetings(r, &props, rel, x); err != nil {
		return err
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
	typed := map[string]string{}
	for _, k := range []string{"benefit", "start", "end", "exit"} {
		typed[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	errs := map[string]string{}
	bp := store.BenefitPeriod{CitizenID: id, BenefitCode: typed["benefit"]}
	start, serr := form.ParseDate(typed["start"])
	switch {
	case typed["start"] == "":
		errs["start"] = "Angiv startdato"
	case serr != nil:
		errs["start"] = form.MsgDate
	default:
		bp.StartDate = start
	}
	if !rf.benefit.ValidOn(typed["benefit"], start) && !(serr != nil && rf.benefit.ValidOn(typed["benefit"], s.today())) {
		errs["benefit"] = "Vælg en ydelsestype, der gælder på startdatoen"
	}
	if typed["end"] != "" {
		end, err := form.ParseDate(typed["end"])
		switch {
		case err != nil:
			errs["end"] = form.MsgDate
		case serr == nil && end.Before(start):
			errs["end"] = "Slutdatoen ligger før startdatoen"
		default:
			bp.EndDate = &end
		}
		if !rf.exit.ValidOn(typed["exit"], end) {
			errs["exit"] = "Vælg en afgangsårsag, når forløbet er slut"
		} else {
			ex := typed["exit"]
			bp.ExitCode = &ex
		}
	} else if typed["exit"] != "" {
		errs["exit"] = "Afgangsårsag kræver en slutdato"
	}
	if len(errs) > 0 {
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{benefitForm: typed, benefitErrors: errs})
	}
	if _, err := s.store.AddBenefitPeriod(r.Context(), who(r), bp); err != nil {
		return err
	}
	s.flash(r, "success", "Ydelsesforløbet er gemt.")
	return redirect(w, r, paths.Citizen(id))
}
