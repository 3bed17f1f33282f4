package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/catalogue"
	"github.com/helhed/helhed/web/paths"
)

// catalogueRefs are the vocabularies the catalogue labels and validates with.
type catalogueRefs struct{ opgavetype, legalBasis, benefit store.RefSet }

func (s *Server) loadCatalogueRefs(ctx context.Context) (catalogueRefs, error) {
	var out catalogueRefs
	for _, x := range []struct {
		kind string
		dst  *store.RefSet
	}{{"opgavetype", &out.opgavetype}, {"legal_basis", &out.legalBasis}, {"benefit_type", &out.benefit}} {
		vs, err := s.vocab.Values(ctx, x.kind)
		if err != nil {
			return catalogueRefs{}, err
		}
		*x.dst = vs
	}
	return out, nil
}

func riskOptions() []components.Option {
	out := make([]components.Option, len(helhed.OfferRiskGroups))
	for i, g := range helhed.OfferRiskGroups {
		out[i] = components.Option{Value: string(g), Label: g.Label()}
	}
	return out
}

func kramsOptions() []components.Option {
	out := make([]components.Option, len(helhed.KRAMSCodes))
	for i, c := range helhed.KRAMSCodes {
		out[i] = components.Option{Value: c, Label: helhed.KRAMSLabel(c)}
	}
	return out
}

func focusOptions() []components.Option {
	out := make([]components.Option, len(helhed.FocusCodes))
	for i, c := range helhed.FocusCodes {
		out[i] = components.Option{Value: c, Label: helhed.FocusLabel(c)}
	}
	return out
}

func unitOptions(units []store.Unit) []components.Option {
	out := make([]components.Option, len(units))
	for i, u := range units {
		out[i] = components.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name}
	}
	return out
}

// nextStart is the first start date on or after today, or nil.
func nextStart(dates []time.Time, today time.Time) *time.Time {
	d := today.Format(time.DateOnly)
	for _, s := range dates {
		if s.Format(time.DateOnly) >= d {
			return &s
		}
	}
	return nil
}

// catalogueView is the indsatskatalog. The filters come by GET, so a filtered list can be
// bookmarked and shared; the catalogue holds no personal data, so it is not audited.
func (s *Server) catalogueView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(text) > 100 {
		text = string([]rune(text)[:100])
	}
	filter := catalogue.Filter{Opgavetype: q.Get("opgavetype"), Unit: q.Get("enhed"), Risk: q.Get("risiko"),
		KRAMS: q.Get("krams"), Text: text, Retired: q.Get("udgaaede") == "true"}
	f := store.OfferFilter{Opgavetype: filter.Opgavetype, Risk: filter.Risk, KRAMS: filter.KRAMS, Text: text,
		IncludeRetired: filter.Retired}
	f.ProviderUnitID, _ = strconv.ParseInt(filter.Unit, 10, 64)
	referFor, _ := strconv.ParseInt(q.Get("borger"), 10, 64)
	pageNo, _ := strconv.Atoi(q.Get("side"))
	offers, total, err := s.store.ListOffers(ctx, f, store.Page{Number: pageNo, PerPage: 50})
	if err != nil {
		return err
	}
	rf, err := s.loadCatalogueRefs(ctx)
	if err != nil {
		return err
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	p := catalogue.ListProps{Filter: filter, Opgavetyper: options(rf.opgavetype), Units: unitOptions(units),
		Risks: riskOptions(), KRAMS: kramsOptions(), Total: total, ReferFor: max(referFor, 0),
		CanCreate: access.Can(userFrom(r).access(), access.CreateOffer)}
	for _, o := range offers {
		row := catalogue.Row{ID: o.ID, Name: o.Name, Opgavetype: o.OpgavetypeLabel, Provider: o.ProviderName,
			Risk: o.TargetRisk, Capacity: o.Capacity, Free: o.FreeSeats(), Waiting: o.Waiting,
			NextStart: nextStart(o.StartDates, today), Active: o.Active()}
		p.Rows = append(p.Rows, row)
	}
	p.Pages = components.PageInfo{Page: max(pageNo, 1), PerPage: 50, Total: total, URL: func(n int) string {
		v := r.URL.Query()
		v.Set("side", strconv.Itoa(n))
		return "/katalog?" + v.Encode()
	}}
	return s.page(w, r, http.StatusOK, "Indsatskatalog", catalogue.List(p))
}

// authorizeOffer is the object-level gate for an offer; a refusal is audited and answered 403
// (the catalogue is open to read, so hiding an offer's existence would protect nothing).
func (s *Server) authorizeOffer(r *http.Request, providerUnitID, offerID int64, a access.Action) error {
	if access.CanOffer(userFrom(r).access(), a, access.OfferRelation{ProviderUnitID: providerUnitID}) {
		return nil
	}
	detail := fmt.Sprintf("%s tilbud %d (udbyder %d)", a, offerID, providerUnitID)
	if err := s.store.Audit(r.Context(), who(r), 0, store.AuditForbidden, detail); err != nil {
		return err
	}
	return &helhed.Error{Code: helhed.EForbidden,
		Message: "Du kan kun rette tilbud, som din egen enhed udbyder. Forsøget er registreret."}
}

func (s *Server) offerView(w http.ResponseWriter, r *http.Request) error {
	id, err := urlID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	o, err := s.store.OfferByID(ctx, id)
	if err != nil {
		return err
	}
	rf, err := s.loadCatalogueRefs(ctx)
	if err != nil {
		return err
	}
	u := userFrom(r)
	rel := access.OfferRelation{ProviderUnitID: o.ProviderUnitID}
	p := catalogue.OfferProps{ID: o.ID, Name: o.Name, Description: o.Description, Opgavetype: o.OpgavetypeLabel,
		Provider: o.ProviderName, Risk: o.TargetRisk, Attendance: o.Attendance, Contact: o.Contact,
		Capacity: o.Capacity, Taken: o.SeatsTaken, Free: o.FreeSeats(), Waiting: o.Waiting, Starts: o.StartDates,
		Active:        o.Active(),
		CanEdit:       access.CanOffer(u.access(), access.EditOffer, rel),
		ShowReferrals: access.CanOffer(u.access(), access.ViewOfferReferrals, rel)}
	if o.LegalBasis != nil {
		p.LegalBasis = rf.legalBasis.Label(*o.LegalBasis)
	}
	if o.DurationWeeks != nil {
		p.Weeks = *o.DurationWeeks
	}
	for _, b := range o.TargetBenefits {
		p.Benefits = append(p.Benefits, rf.benefit.Label(b))
	}
	for _, k := range o.KRAMS {
		p.KRAMS = append(p.KRAMS, helhed.KRAMSLabel(k))
	}
	for _, k := range o.Focus {
		p.Focus = append(p.Focus, helhed.FocusLabel(k))
	}
	if p.ShowReferrals {
		refs, total, err := s.store.ListReferrals(ctx, store.ReferralFilter{OfferID: id, ToUnitID: u.UnitID}, store.Page{Number: 1, PerPage: 50})
		if err != nil {
			return err
		}
		p.ReferralTotal = total
		for _, x := range refs {
			p.Referrals = append(p.Referrals, catalogue.ReferralRow{Href: referralHref(x), Citizen: x.CitizenName,
				CPR: x.CitizenCPR.Masked(), State: x.State.Label(), From: x.FromUserName + ", " + x.FromUnitName, Created: x.CreatedAt})
		}
		if err := s.store.AuditList(ctx, who(r), store.AuditReferralList, fmt.Sprintf("tilbud %d: henvisninger", id), referralCitizens(refs)); err != nil {
			return err
		}
	}
	return s.page(w, r, http.StatusOK, o.Name, catalogue.Offer(p))
}

// offerForm is the offer form: the values as typed, and the form's messages.
type offerForm struct {
	values catalogue.FormValues
	*form.Form
	// kept is the offer as stored (edit): its opgavetype, legal basis and benefit groups are
	// offered and accepted also after they have ended, so saving never drops them.
	kept *store.Offer
}

// The offer's text fields' limits, as checked before the form layer.
const (
	maxOfferName        = 200
	maxOfferDescription = 4000
	maxOfferAttendance  = 1000
	maxOfferContact     = 300
	maxOfferStarts      = 2000 // the start dates as typed; at most 50 dates are kept
)

// decodeOfferForm reads the multiple choices as typed; validate reads the rest.
func decodeOfferForm(r *http.Request) offerForm {
	_ = r.ParseForm() // a malformed body leaves the form empty, and validation says what is missing
	return offerForm{values: catalogue.FormValues{Risk: r.PostForm["risk"], Benefits: r.PostForm["benefits"], KRAMS: r.PostForm["krams"],
		Focus: r.PostForm["focus"]},
		Form: form.New(r.PostForm)}
}

// parseDates reads start dates typed one per line (or separated by commas): 01.09.2026,
// 1.9.2026 or 2026-09-01. It returns them sorted, without duplicates.
func parseDates(s string) ([]time.Time, error) {
	var out []time.Time
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == ' ' || r == '\r' || r == '\t' }) {
		var d time.Time
		var err error
		for _, layout := range []string{"02.01.2006", "2.1.2006", time.DateOnly} {
			if d, err = time.Parse(layout, f); err == nil {
				break
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%q er ikke en dato", f)
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, func(a, b time.Time) bool { return a.Equal(b) }), nil
}

// offerable narrows the vocabularies to what the offer form offers and accepts on day: the
// values in force and, when an offer is edited (o not nil), those it already has.
func (rf catalogueRefs) offerable(day time.Time, o *store.Offer) catalogueRefs {
	var opgavetype, legalBasis string
	var benefits []string
	if o != nil {
		opgavetype, benefits = o.Opgavetype, o.TargetBenefits
		if o.LegalBasis != nil {
			legalBasis = *o.LegalBasis
		}
	}
	return catalogueRefs{opgavetype: rf.opgavetype.Keeping(day, opgavetype), legalBasis: rf.legalBasis.Keeping(day, legalBasis),
		benefit: rf.benefit.Keeping(day, benefits...)}
}

// validate reads the form in reading order against the vocabularies in force today (and the
// offer's own values, when editing) and builds the store input. The provider unit is decided
// by the caller (offerUnit).
func (f *offerForm) validate(rf catalogueRefs, today time.Time) store.OfferInput {
	v := &f.values
	rf = rf.offerable(today, f.kept)
	v.Version = f.Text("version", "", 20)
	v.Name = f.RequiredText("name", "Navn", maxOfferName)
	v.Opgavetype = f.RequiredChoice("opgavetype", "Opgavetype", rf.opgavetype.Has)
	v.Description = f.Text("description", "Beskrivelse", maxOfferDescription)
	f.multi("risk", "Risikogrupper", v.Risk, func(c string) bool { return slices.Contains(helhed.OfferRiskGroups, helhed.RiskGroup(c)) })
	f.multi("benefits", "Målgruppe (ydelse)", v.Benefits, rf.benefit.Has)
	f.multi("krams", "KRAMS-faktorer, tilbuddet arbejder med", v.KRAMS, func(c string) bool { return slices.Contains(helhed.KRAMSCodes, c) })
	f.multi("focus", "Arbejder også med", v.Focus, func(c string) bool { return slices.Contains(helhed.FocusCodes, c) })
	v.LegalBasis = f.Choice("legal_basis", "Lovgrundlag", rf.legalBasis.Has)
	weeks, _ := f.Int("weeks", "Varighed i uger", 1, 520)
	v.Weeks = f.Values["weeks"]
	capacity, _ := f.RequiredInt("capacity", "Kapacitet (pladser)", 1, 1000)
	v.Capacity = f.Values["capacity"]
	v.Starts = f.Text("starts", "Startdatoer", maxOfferStarts)
	dates, err := parseDates(v.Starts)
	switch {
	case err != nil:
		f.Fail("starts", "Datoerne skal have formen DD.MM.ÅÅÅÅ: "+err.Error())
	case len(dates) > 50:
		f.Fail("starts", "Højst 50 startdatoer")
	}
	v.Attendance = f.Text("attendance", "Regler for fremmøde", maxOfferAttendance)
	v.Contact = f.Text("contact", "Kontakt", maxOfferContact)
	v.Retired = f.Bool("retired", "Tilbuddet er udgået")
	return store.OfferInput{Name: v.Name, Description: v.Description, Opgavetype: v.Opgavetype, LegalBasis: v.LegalBasis,
		Attendance: v.Attendance, Contact: v.Contact, Retired: v.Retired, TargetRisk: v.Risk, KRAMS: v.KRAMS, Focus: v.Focus,
		TargetBenefits: v.Benefits, DurationWeeks: weeks, Capacity: capacity, StartDates: dates}
}

// multi checks a group of checkboxes: every code ticked must be allowed.
func (f *offerForm) multi(name, label string, codes []string, allowed func(string) bool) {
	f.Label(name, label)
	for _, c := range codes {
		if !allowed(c) {
			f.Fail(name, form.MsgChoose)
		}
	}
}

// formDates renders start dates for the form, one per line.
func formDates(ds []time.Time) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Format("02.01.2006")
	}
	return strings.Join(out, "\n")
}

func (s *Server) renderOfferForm(w http.ResponseWriter, r *http.Request, status int, id int64, f offerForm) error {
	ctx := r.Context()
	rf, err := s.loadCatalogueRefs(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	u := userFrom(r)
	of := rf.offerable(today, f.kept)
	p := catalogue.FormProps{ID: id, Values: f.values, Errors: f.Errors, Summary: f.SummaryTexts(), UnitName: u.UnitName,
		Opgavetyper: keptOptions(of.opgavetype, today), LegalBases: keptOptions(of.legalBasis, today),
		Risks: riskOptions(), Benefits: keptOptions(of.benefit, today), KRAMS: kramsOptions(),
		Focus: focusOptions()}
	if u.Role == access.RoleAdmin {
		units, err := s.store.ListUnits(ctx)
		if err != nil {
			return err
		}
		p.Units = unitOptions(units)
	}
	title := "Opret tilbud"
	if id != 0 {
		title = "Ret tilbud"
	}
	return s.page(w, r, status, title, catalogue.Form(p))
}

// offerUnit decides the provider unit of a submitted offer: an administrator chooses among the
// units, everyone else provides their own unit's offers (the form cannot say otherwise).
func (s *Server) offerUnit(r *http.Request, f *offerForm) (int64, error) {
	u := userFrom(r)
	if u.Role != access.RoleAdmin {
		return u.UnitID, nil
	}
	f.values.Unit = f.RequiredText("unit", "Udbyder", 20)
	id, err := strconv.ParseInt(f.values.Unit, 10, 64)
	if err == nil {
		if _, uerr := s.store.UnitByID(r.Context(), id); uerr == nil {
			return id, nil
		} else if helhed.ErrorCode(uerr) != helhed.ENotFound {
			return 0, uerr
		}
	}
	f.Fail("unit", "Vælg den enhed, der udbyder tilbuddet")
	return 0, nil
}

func (s *Server) offerNewGet(w http.ResponseWriter, r *http.Request) error {
	f := offerForm{Form: form.New(nil)}
	f.values.Unit = strconv.FormatInt(userFrom(r).UnitID, 10)
	return s.renderOfferForm(w, r, http.StatusOK, 0, f)
}

func (s *Server) offerNewPost(w http.ResponseWriter, r *http.Request) error {
	rf, err := s.loadCatalogueRefs(r.Context())
	if err != nil {
		return err
	}
	f := decodeOfferForm(r)
	in := f.validate(rf, s.now())
	if in.ProviderUnitID, err = s.offerUnit(r, &f); err != nil {
		return err
	}
	if !f.OK() {
		return s.renderOfferForm(w, r, http.StatusUnprocessableEntity, 0, f)
	}
	if err := s.authorizeOffer(r, in.ProviderUnitID, 0, access.EditOffer); err != nil {
		return err
	}
	id, err := s.store.CreateOffer(r.Context(), who(r), in)
	if err != nil {
		return err
	}
	s.flash(r, "success", "Tilbuddet er oprettet.")
	return redirect(w, r, paths.Offer(id))
}

func (s *Server) offerEditGet(w http.ResponseWriter, r *http.Request, o store.Offer) error {
	f := offerForm{Form: form.New(nil), values: catalogue.FormValues{
		Name: o.Name, Description: o.Description, Opgavetype: o.Opgavetype, Unit: strconv.FormatInt(o.ProviderUnitID, 10),
		Capacity: strconv.Itoa(o.Capacity), Starts: formDates(o.StartDates), Attendance: o.Attendance, Contact: o.Contact,
		Risk: o.TargetRisk, Benefits: o.TargetBenefits, KRAMS: o.KRAMS, Focus: o.Focus, Retired: !o.Active(), Version: strconv.Itoa(o.Version),
	}, kept: &o}
	if o.LegalBasis != nil {
		f.values.LegalBasis = *o.LegalBasis
	}
	if o.DurationWeeks != nil {
		f.values.Weeks = strconv.Itoa(*o.DurationWeeks)
	}
	return s.renderOfferForm(w, r, http.StatusOK, o.ID, f)
}

func (s *Server) offerEditPost(w http.ResponseWriter, r *http.Request, o store.Offer) error {
	ctx, id := r.Context(), o.ID
	rf, err := s.loadCatalogueRefs(ctx)
	if err != nil {
		return err
	}
	f := decodeOfferForm(r)
	f.kept = &o
	in := f.validate(rf, s.now())
	if in.ProviderUnitID, err = s.offerUnit(r, &f); err != nil {
		return err
	}
	version, verr := strconv.Atoi(f.values.Version)
	if verr != nil {
		f.Fail("version", "Formularen er ufuldstændig. Åbn siden igen.")
	}
	if !f.OK() {
		return s.renderOfferForm(w, r, http.StatusUnprocessableEntity, id, f)
	}
	err = s.store.UpdateOffer(ctx, who(r), id, version, in)
	if helhed.ErrorCode(err) == helhed.EConflict {
		// Keep what the user typed; the form now carries the current version, so saving again
		// overwrites deliberately, never by accident.
		f.Fail("version", helhed.ErrorMessage(err)+" Kontrollér felterne og gem igen for at overskrive.")
		f.values.Version = strconv.Itoa(o.Version)
		return s.renderOfferForm(w, r, http.StatusConflict, id, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "success", "Tilbuddet er gemt.")
	return redirect(w, r, paths.Offer(id))
}
