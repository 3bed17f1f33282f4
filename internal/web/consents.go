package web

import (
	"net/http"
	"strconv"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/paths"
)

// consentFields maps the domain's consent fields to the form's.
var consentFields = map[string]string{helhed.FieldConsentPurpose: "c_purpose", helhed.FieldConsentGiven: "c_given",
	helhed.FieldConsentExpires: "c_expires"}

// consentCreatePost records a consent the citizen has given: which information, to which
// units, for which purpose, from when and until when (helhed.ValidateConsent's bounds).
func (s *Server) consentCreatePost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id, rel := cr.ID, cr.Rel
	ctx := r.Context()
	_ = r.ParseForm()
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
		known[u.ID] = true
	}
	today := s.today()
	f := form.New(r.PostForm)
	info := f.RequiredChoice("c_information", "Oplysninger", func(v string) bool { return store.RefSet(infos).ValidOn(v, today) })
	f.Label("c_units", "Må videregives til")
	var unitIDs []int64
	sel := map[string]bool{}
	for _, v := range r.PostForm["c_units"] {
		sel[v] = true
		uid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !known[uid] {
			f.Fail("c_units", "Vælg modtagere fra listen")
			continue
		}
		unitIDs = append(unitIDs, uid)
	}
	if len(unitIDs) == 0 {
		f.Fail("c_units", "Vælg mindst én enhed, der må modtage oplysningerne")
	}
	purpose := f.RequiredText("c_purpose", "Formål", helhed.MaxConsentPurpose)
	nc := store.NewConsent{CitizenID: id, Information: info, UnitIDs: unitIDs, Purpose: purpose, GivenOn: today}
	given, gok := f.Date("c_given", "Givet den")
	if gok {
		nc.GivenOn = given
	}
	exp, eok := f.Date("c_expires", "Udløber")
	if eok {
		nc.ExpiresOn = &exp
	}
	// The purpose, the dates' bounds and their order are the domain's rule (helhed.ValidateConsent),
	// which the store applies again; a date that did not parse is not compared (a reader's
	// message is the more basic and wins).
	dates := f.Errors["c_given"] == "" && f.Errors["c_expires"] == ""
	addErrors := func(err error) {
		for field, msg := range fieldErrors(err) {
			if k := consentFields[field]; dates || k == "c_purpose" {
				f.Fail(k, msg)
			}
		}
	}
	addErrors(helhed.ValidateConsent(nc.Consent(), today))
	if f.OK() {
		err := s.store.CreateConsents(ctx, who(r), nc)
		addErrors(err)
		if err != nil && f.OK() {
			return err
		}
	}
	if !f.OK() {
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{consent: f, consentUnits: sel})
	}
	s.flash(r, "success", "Samtykket er registreret.")
	return redirect(w, r, paths.CitizenAt(id, "samtykker"))
}

// consentWithdrawPost withdraws a consent; it takes effect on the very next request because
// every access decision reads consents afresh.
func (s *Server) consentWithdrawPost(w http.ResponseWriter, r *http.Request, cr citizenReq) error {
	id := cr.ID
	cid, err := urlID(r, "cid")
	if err != nil {
		return err
	}
	if err := s.store.WithdrawConsent(r.Context(), who(r), id, cid); err != nil {
		return err
	}
	s.flash(r, "success", "Samtykket er tilbagekaldt og gælder ikke længere.")
	return redirect(w, r, paths.CitizenAt(id, "samtykker"))
}
