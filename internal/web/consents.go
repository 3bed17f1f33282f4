package web

import (
	"net/http"
	"strconv"
	"strings"

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
	typed := map[string]string{
		"c_information": r.PostFormValue("c_information"), "c_purpose": strings.TrimSpace(r.PostFormValue("c_purpose")),
		"c_given": r.PostFormValue("c_given"), "c_expires": r.PostFormValue("c_expires"),
	}
	errs := map[string]string{}
	infos, err := s.vocab.Values(ctx, "consent_information")
	if err != nil {
		return err
	}
	today := s.today()
	if !store.RefSet(infos).ValidOn(typed["c_information"], today) {
		errs["c_information"] = "Vælg hvilke oplysninger samtykket dækker"
	}
	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, u := range units {
		known[u.ID] = true
	}
	var unitIDs []int64
	for _, v := range r.PostForm["c_units"] {
		uid, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !known[uid] {
			errs["c_units"] = "Vælg modtagere fra listen"
			break
		}
		unitIDs = append(unitIDs, uid)
	}
	if len(unitIDs) == 0 && errs["c_units"] == "" {
		errs["c_units"] = "Vælg mindst én enhed, der må modtage oplysningerne"
	}
	nc := store.NewConsent{CitizenID: id, Information: typed["c_information"], UnitIDs: unitIDs, Purpose: typed["c_purpose"], GivenOn: today}
	dates := true
	if typed["c_given"] != "" {
		given, err := form.ParseDate(typed["c_given"])
		if err != nil {
			errs["c_given"], dates = form.MsgDate, false
		}
		nc.GivenOn = given
	}
	if typed["c_expires"] != "" {
		exp, err := form.ParseDate(typed["c_expires"])
		if err != nil {
			errs["c_expires"], dates = form.MsgDate, false
		}
		nc.ExpiresOn = &exp
	}
	// The purpose, the dates' bounds and their order are the domain's rule (helhed.ValidateConsent),
	// which the store applies again; a date that did not parse is not compared.
	addErrors := func(err error) {
		for field, msg := range fieldErrors(err) {
			if k := consentFields[field]; errs[k] == "" && (dates || k == "c_purpose") {
				errs[k] = msg
			}
		}
	}
	addErrors(helhed.ValidateConsent(nc.Consent(), today))
	if len(errs) == 0 {
		err := s.store.CreateConsents(ctx, who(r), nc)
		addErrors(err)
		if err != nil && len(errs) == 0 {
			return err
		}
	}
	if len(errs) > 0 {
		sel := map[string]bool{}
		for _, u := range unitIDs {
			sel[strconv.FormatInt(u, 10)] = true
		}
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{consentForm: typed, consentUnits: sel, consentErrors: errs})
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
