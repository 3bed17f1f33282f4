package web

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"regexp"
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
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

// authorizeCitizen is the object-level gate of a citizen that the URL does not name (a case on
// the retention overview): it loads the relation,
// asks the policy, and audits a refusal.
func (s *Server) authorizeCitizen(r *http.Request, id int64, a access.Action) error {
	_, err := s.authorizeCitizenRel(r, id, a)
	return err
}

// authorizeCitizenRel is authorizeCitizen that also returns the relation, for handlers that
// decide more (which sections to show) without asking the database twice.
//
// A user who may not even see the citizen gets the very same 404 as for an id that does not
// exist, whatever the action: a 403 (or a different message) would tell them that the id is
// a real citizen, and ids could be probed. Only a user who may see the citizen, and so
// already knows they exist, is told 403 for an action beyond their role. Every refusal is
// audited; a missing id has no citizen to audit against.
func (s *Server) authorizeCitizenRel(r *http.Request, id int64, a access.Action) (access.Relation, error) {
	u := userFrom(r)
	rel, err := s.store.Relation(r.Context(), u.access(), id)
	if helhed.ErrorCode(err) == helhed.ENotFound {
		return rel, helhed.ErrNotFound
	}
	if err != nil {
		return rel, err
	}
	return rel, s.decideCitizen(r, id, rel, a)
}

// decideCitizen asks the policy whether the user may do a on the citizen with relation rel,
// and audits a refusal (authorizeCitizenRel says which refusal is a 404).
func (s *Server) decideCitizen(r *http.Request, id int64, rel access.Relation, a access.Action) error {
	u := userFrom(r)
	if access.CanCitizen(u.access(), a, rel) {
		return nil
	}
	if err := s.store.Audit(r.Context(), who(r), id, store.AuditCitizenDenied, "nægtet: "+string(a)); err != nil {
		return err
	}
	if a == access.ViewCitizen || !access.CanCitizen(u.access(), access.ViewCitizen, rel) {
		return helhed.ErrNotFound
	}
	return &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne handling for borgeren. Forsøget er registreret."}
}

// denied audits a refusal that the relation alone does not decide (a value the user may not
// read) and returns the forbidden error.
func (s *Server) denied(r *http.Request, citizenID int64, why string) error {
	if err := s.store.Audit(r.Context(), who(r), citizenID, store.AuditCitizenDenied, "nægtet: "+why); err != nil {
		return err
	}
	return &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne handling for borgeren. Forsøget er registreret."}
}

// requireCan is the function-level gate; a refusal is audited.
func (s *Server) requireCan(r *http.Request, a access.Action) error {
	if access.Can(userFrom(r).access(), a) {
		return nil
	}
	if err := s.store.Audit(r.Context(), who(r), 0, store.AuditForbidden, string(a)+" "+auditedRoute(r)); err != nil {
		return err
	}
	return &helhed.Error{Code: helhed.EForbidden, Message: "Du har ikke adgang til denne side. Forsøget er registreret."}
}

// auditedRoute names r's route for an audit row: its pattern (/borgere/{id}), never the path
// as typed, which may carry anything (a CPR number pasted into the address bar).
func auditedRoute(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "(ukendt rute)"
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	a := userFrom(r).access()
	switch {
	case access.Can(a, access.ListOwnCaseload):
		return redirect(w, r, "/borgere")
	case access.Can(a, access.ViewManagement):
		// A leader's work is the overview: caseloads, capacity, effect, strategy.
		return redirect(w, r, "/ledelse")
	case access.Can(a, access.ListUnitCitizens):
		return redirect(w, r, "/borgere?omfang=enhed")
	case access.Can(a, access.ViewInbox):
		return redirect(w, r, "/indbakke")
	case access.Can(a, access.ListMeetings):
		return redirect(w, r, "/moeder")
	case access.Can(a, access.ManageUsers):
		return redirect(w, r, "/admin/brugere")
	}
	return s.page(w, r, http.StatusOK, "Forside", citizens.Home(citizens.HomeProps{Name: userFrom(r).Name}))
}

// refs loads the vocabularies citizen pages label codes with.
type refs struct{ benefit, exit, visitation, consent store.RefSet }

func (s *Server) loadRefs(ctx context.Context) (refs, error) {
	m, err := s.vocab.Sets(ctx, "benefit_type", "exit_reason", "visitation_category", "consent_information")
	if err != nil {
		return refs{}, err
	}
	return refs{benefit: m["benefit_type"], exit: m["exit_reason"], visitation: m["visitation_category"],
		consent: m["consent_information"]}, nil
}

func options(rs store.RefSet) []components.Option {
	out := make([]components.Option, len(rs))
	for i, v := range rs {
		out[i] = components.Option{Value: v.Code, Label: v.Label}
	}
	return out
}

// keptOptions are the choices of an edit typed (a RefSet.Keeping set): a value the record keeps
// though it is not in force on day says so, so nobody picks it anew by mistake.
func keptOptions(rs store.RefSet, day time.Time) []components.Option {
	out := options(rs)
	for i, v := range rs {
		switch {
		case v.ValidOn(day):
		case v.ValidFrom.Format(time.DateOnly) > day.Format(time.DateOnly):
			out[i].Label += " (gælder fra " + format.Date(v.ValidFrom) + ")"
		default:
			out[i].Label += " (udløbet)"
		}
	}
	return out
}

func (s *Server) caseloadView(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	q := r.URL.Query()
	scope := q.Get("omfang")
	if !access.Can(u.access(), access.ListOwnCaseload) {
		scope = "enhed"
	}
	f := store.CitizenFilter{Visitation: q.Get("visitation"), RiskGroup: q.Get("risiko"), Sort: q.Get("sort")}
	if q.Get("opfoelgning") == "true" {
		f.OverdueOn = s.now()
	}
	if scope == "enhed" {
		if err := s.requireCan(r, access.ListUnitCitizens); err != nil {
			return err
		}
		f.UnitID = u.UnitID
		// One caseworker's citizens within the unit (the drill-down from the leader's caseload
		// balance): the unit filter stays, so another unit's caseworker simply lists nobody.
		switch cw := q.Get("sagsbehandler"); cw {
		case "":
		case "ingen":
			f.NoCaseworker = true
		default:
			if id, err := strconv.ParseInt(cw, 10, 64); err == nil && id > 0 {
				f.CaseworkerID = id
			}
		}
	} else {
		if err := s.requireCan(r, access.ListOwnCaseload); err != nil {
			return err
		}
		f.CaseworkerID, f.UnitID = u.ID, u.UnitID
	}
	pageNo, _ := strconv.Atoi(q.Get("side"))
	return s.renderCaseload(w, r, f, scope, store.Page{Number: pageNo, PerPage: 50}, "", "")
}

// renderCaseload lists citizens matching f; search is the typed search text, echoed back on
// the search result page (it came by POST and must not be put in a URL), and criterion the
// kind of search for its audit row. The view is one audit row with the ids of the citizens
// shown: a search's (citizen.search, criterion) or a list's (caseload.view, its filters).
func (s *Server) renderCaseload(w http.ResponseWriter, r *http.Request, f store.CitizenFilter, scope string, pg store.Page, search, criterion string) error {
	ctx := r.Context()
	rf, err := s.loadRefs(ctx)
	if err != nil {
		return err
	}
	rows, total, err := s.store.ListCitizens(ctx, f, pg)
	if err != nil {
		return err
	}
	today := s.today()
	props := citizens.CaseloadProps{
		Scope: scope, Sort: f.Sort, Visitation: f.Visitation, RiskGroup: f.RiskGroup, Search: search, Total: total, Today: s.today(),
		Overdue:     !f.OverdueOn.IsZero(),
		Caseworker:  caseworkerFilter(ctx, s, f, userFrom(r)),
		Visitations: options(rf.visitation),
		CanCreate:   access.Can(userFrom(r).access(), access.CreateCitizen),
	}
	for _, c := range rows {
		row := citizens.Row{ID: c.ID, Name: c.FirstName + " " + c.LastName, CPR: c.CPR.Masked(), Age: c.CPR.Age(today),
			FollowUpOverdue: helhed.FollowUpOverdue(c.NextFollowUp, today)}
		if c.VisitationCode != nil {
			row.Visitation = rf.visitation.Label(*c.VisitationCode)
		}
		if c.RiskGroup != nil {
			row.RiskGroup = *c.RiskGroup
		}
		if c.CaseworkerName != nil {
			row.Caseworker = *c.CaseworkerName
		}
		if c.BenefitCode != nil {
			row.Benefit = rf.benefit.Label(*c.BenefitCode)
			row.BenefitSince = c.BenefitSince
		}
		props.Rows = append(props.Rows, row)
	}
	pg = store.Page{Number: max(pg.Number, 1), PerPage: 50}
	props.Pages = components.PageInfo{Page: pg.Number, PerPage: pg.PerPage, Total: total, URL: func(n int) string {
		v := r.URL.Query()
		v.Set("side", strconv.Itoa(n))
		return "/borgere?" + v.Encode()
	}}
	shown := make([]int64, len(rows))
	for i, c := range rows {
		shown[i] = c.ID
	}
	action := store.AuditCitizenSearch
	if criterion == "" {
		action, criterion = store.AuditCaseloadView, caseloadCriterion(scope, f, rf.visitation, pg)
	}
	if err := s.store.AuditList(ctx, who(r), action, criterion, shown); err != nil {
		return err
	}
	title := "Mine borgere"
	switch {
	case search != "":
		title = "Søgeresultat"
	case scope == "enhed":
		title = "Enhedens borgere"
	}
	props.Title = title
	return s.page(w, r, http.StatusOK, title, citizens.Caseload(props))
}

// caseworkerFilter describes the caseworker filter of a unit list for the page, naming the
// caseworker only when they belong to the user's unit.
func caseworkerFilter(ctx context.Context, s *Server, f store.CitizenFilter, u *currentUser) citizens.CaseworkerFilter {
	switch {
	case f.NoCaseworker:
		return citizens.CaseworkerFilter{Value: "ingen", Name: "borgere uden koordinerende sagsbehandler"}
	case f.CaseworkerID != 0 && f.UnitID != 0 && f.CaseworkerID != u.ID:
		c := citizens.CaseworkerFilter{Value: strconv.FormatInt(f.CaseworkerID, 10), Name: "en sagsbehandler uden for enheden"}
		if w, err := s.store.UserByID(ctx, f.CaseworkerID); err == nil && w.UnitID == u.UnitID {
			c.Name = w.Name + "s borgere"
		}
		return c
	}
	return citizens.CaseworkerFilter{}
}

// citizenSearchPost searches the user's unit by CPR number or name. It is a POST so a CPR
// number never appears in a URL, a browser history or an access log. The kind of criterion is
// audited with the citizens found.
func (s *Server) citizenSearchPost(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	q := strings.TrimSpace(r.PostFormValue("q"))
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	f := store.CitizenFilter{UnitID: u.UnitID}
	// The criterion is audited by kind, never as typed: a name search may hold a mistyped
	// CPR number, and the audit log outlives the case. The result's citizens are in the row.
	criterion := "søgning på navn"
	if cpr, err := helhed.ParseCPR(q); err == nil {
		f.CPR = cpr
		criterion = "søgning på CPR-nummer"
	} else {
		f.Name = q
	}
	return s.renderCaseload(w, r, f, "soeg", store.Page{Number: 1, PerPage: 50}, q, criterion)
}

func (s *Server) citizenView(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	return s.renderOverviewWith(w, r, id, rel, http.StatusOK, overviewExtras{})
}

// overviewExtras carries what one request adds to the citizen page: a full CPR right after a
// deliberate, audited reveal, or a rejected typed (values as typed, errors) to show again.
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

// citizenForm is the typed create/edit typed: the raw values as typed, and Danish errors.
type citizenForm struct {
	values citizens.FormValues
	errors map[string]string
	// keptVisitation is the citizen's visitation category as stored (edit): offered and
	// accepted also after it has ended, so saving never drops it.
	keptVisitation string
}

var (
	rePostal = regexp.MustCompile(`^[0-9]{4}$`)
	rePhone  = regexp.MustCompile(`^\+?[0-9 ]{8,15}$`)
)

func decodeCitizenForm(r *http.Request) citizenForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return citizenForm{values: citizens.FormValues{
		CPR: v("cpr"), FirstName: v("first_name"), LastName: v("last_name"), Address: v("address"),
		PostalCode: v("postal_code"), City: v("city"), Phone: v("phone"), Email: v("email"),
		Caseworker: v("caseworker"), Visitation: v("visitation"), Version: v("version"),
	}, errors: map[string]string{}}
}

// validate checks the typed and builds the store input. caseworkers are the ids one may assign
// (a tampered id is refused); visitation must be a category in force today or the one the
// citizen already has.
func (f *citizenForm) validate(isNew bool, caseworkers map[int64]bool, visitation store.RefSet, today time.Time) store.CitizenInput {
	v := f.values
	in := store.CitizenInput{FirstName: v.FirstName, LastName: v.LastName, Address: v.Address, PostalCode: v.PostalCode,
		City: v.City, Phone: v.Phone, Email: v.Email, VisitationCode: v.Visitation}
	if isNew {
		if v.CPR == "" {
			f.errors["cpr"] = "Angiv CPR-nummer"
		} else if cpr, err := helhed.ParseCPR(v.CPR); err != nil {
			f.errors["cpr"] = helhed.ErrorMessage(err)
		} else {
			in.CPR = cpr
		}
	}
	req := func(key, val, label string, maxLen int) {
		switch {
		case val == "":
			f.errors[key] = "Angiv " + label
		case utf8.RuneCountInString(val) > maxLen:
			f.errors[key] = "Højst " + strconv.Itoa(maxLen) + " tegn"
		}
	}
	req("first_name", v.FirstName, "fornavn", 100)
	req("last_name", v.LastName, "efternavn", 100)
	if utf8.RuneCountInString(v.Address) > 200 {
		f.errors["address"] = "Højst 200 tegn"
	}
	if utf8.RuneCountInString(v.City) > 100 {
		f.errors["city"] = "Højst 100 tegn"
	}
	if v.PostalCode != "" && !rePostal.MatchString(v.PostalCode) {
		f.errors["postal_code"] = "Postnummeret skal være 4 cifre"
	}
	if v.Phone != "" && !rePhone.MatchString(v.Phone) {
		f.errors["phone"] = "Telefonnummeret skal være 8 cifre, fx 12 34 56 78"
	}
	if v.Email != "" {
		if a, err := mail.ParseAddress(v.Email); err != nil || a.Address != v.Email || len(v.Email) > 200 {
			f.errors["email"] = "E-mailadressen er ikke gyldig"
		}
	}
	if v.Caseworker != "" {
		id, err := strconv.ParseInt(v.Caseworker, 10, 64)
		if err != nil || !caseworkers[id] {
			f.errors["caseworker"] = "Vælg en sagsbehandler fra listen"
		} else {
			in.CaseworkerID = id
		}
	}
	if v.Visitation != "" && !visitation.Keeping(today, f.keptVisitation).Has(v.Visitation) {
		f.errors["visitation"] = "Vælg en visitationskategori fra listen"
	}
	return in
}

// formOptions loads the choices of the citizen typed for the user's unit.
func (s *Server) formOptions(ctx context.Context, unitID int64) ([]components.Option, map[int64]bool, store.RefSet, error) {
	users, err := s.store.UsersInUnitWithRole(ctx, unitID, access.RoleCaseworker)
	if err != nil {
		return nil, nil, nil, err
	}
	opts := make([]components.Option, len(users))
	ids := make(map[int64]bool, len(users))
	for i, u := range users {
		opts[i] = components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name}
		ids[u.ID] = true
	}
	vis, err := s.vocab.Values(ctx, "visitation_category")
	return opts, ids, vis, err
}

func (s *Server) renderCitizenForm(w http.ResponseWriter, r *http.Request, status int, id int64, f citizenForm) error {
	u := userFrom(r)
	cws, _, vis, err := s.formOptions(r.Context(), u.UnitID)
	if err != nil {
		return err
	}
	p := citizens.FormProps{New: id == 0, ID: id, Values: f.values, Errors: f.errors,
		Caseworkers: cws, Visitations: keptOptions(vis.Keeping(s.today(), f.keptVisitation), s.now())}
	title := "Opret borger"
	if id != 0 {
		c, err := s.store.CitizenByID(r.Context(), id)
		if err != nil {
			return err
		}
		title = "Ret stamoplysninger – " + c.Name()
	}
	return s.page(w, r, status, title, citizens.Form(p))
}

func (s *Server) citizenNewGet(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	f := citizenForm{errors: map[string]string{}}
	if u.Role == access.RoleCaseworker {
		f.values.Caseworker = strconv.FormatInt(u.ID, 10)
	}
	return s.renderCitizenForm(w, r, http.StatusOK, 0, f)
}

func (s *Server) citizenNewPost(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	f := decodeCitizenForm(r)
	_, ids, vis, err := s.formOptions(r.Context(), u.UnitID)
	if err != nil {
		return err
	}
	in := f.validate(true, ids, vis, s.now())
	if len(f.errors) > 0 {
		return s.renderCitizenForm(w, r, http.StatusUnprocessableEntity, 0, f)
	}
	// The unit comes from the user, never from the form. Whether the CPR number is registered
	// anywhere is an answer the store audits and rations per user (store.CPRCheckLimit).
	id, err := s.store.CreateCitizen(r.Context(), who(r), u.UnitID, in)
	if fe := fieldErrors(err); fe != nil {
		f.errors = fe
		status := http.StatusUnprocessableEntity
		if errors.Is(err, store.ErrCPRCheckLimit) {
			status = http.StatusTooManyRequests
		}
		return s.renderCitizenForm(w, r, status, 0, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Borgeren er oprettet.")
	return redirect(w, r, paths.Citizen(id))
}

func (s *Server) citizenEditGet(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := citizenForm{errors: map[string]string{}, values: citizens.FormValues{
		CPR: c.CPR.Masked(), FirstName: c.FirstName, LastName: c.LastName, Address: c.Address, PostalCode: c.PostalCode,
		City: c.City, Phone: c.Phone, Email: c.Email, Version: strconv.Itoa(c.Version),
	}}
	if c.CaseworkerID != nil {
		f.values.Caseworker = strconv.FormatInt(*c.CaseworkerID, 10)
	}
	if c.VisitationCode != nil {
		f.values.Visitation, f.keptVisitation = *c.VisitationCode, *c.VisitationCode
	}
	return s.renderCitizenForm(w, r, http.StatusOK, id, f)
}

func (s *Server) citizenEditPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	c, err := s.store.CitizenByID(r.Context(), id)
	if err != nil {
		return err
	}
	f := decodeCitizenForm(r)
	f.values.CPR = c.CPR.Masked()
	if c.VisitationCode != nil {
		f.keptVisitation = *c.VisitationCode
	}
	_, ids, vis, err := s.formOptions(r.Context(), c.UnitID)
	if err != nil {
		return err
	}
	in := f.validate(false, ids, vis, s.now())
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		f.errors["version"] = "Formularen er ufuldstændig. Åbn siden igen."
	}
	if len(f.errors) > 0 {
		return s.renderCitizenForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	err = s.store.UpdateCitizen(r.Context(), who(r), id, version, in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		// Keep what the user typed: the typed comes back with the conflict explained, and the
		// new version number so a deliberate second save goes through.
		f.errors["version"] = helhed.ErrorMessage(err) + " Kontrollér felterne og gem igen for at overskrive."
		f.values.Version = strconv.Itoa(c.Version)
		return s.renderCitizenForm(w, r, http.StatusConflict, id, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Stamoplysningerne er gemt.")
	return redirect(w, r, paths.Citizen(id))
}
