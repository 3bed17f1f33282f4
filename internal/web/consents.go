package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/store"
)

// consentCreatePost records a consent the citizen has given: which information, to which
// units, for which purpose.
func (s *Server) consentCreatePost(w http.ResponseWriter, r *http.Request) error {
	id, err := citizenID(r)
	if err != nil {
		return err
	}
	rel, err := s.authorizeCitizenRel(r, id, access.ManageConsent)
	if err != nil {
		return err
	}
	ctx := r.Context()
	_ = r.ParseForm()
	form := map[string]string{
		"c_information": r.PostFormValue("c_information"), "c_purpose": strings.TrimSpace(r.PostFormValue("c_purpose")),
		"c_given": r.PostFormValue("c_given"), "c_expires": r.PostFormValue("c_expires"),
	}
	errs := map[string]string{}
	infos, err := s.vocab.Values(ctx, "consent_information")
	if err != nil {
		return err
	}
	today := s.now()
	if !store.RefSet(infos).ValidOn(form["c_information"], today) {
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
	if form["c_purpose"] == "" {
		errs["c_purpose"] = "Beskriv formålet med samtykket"
	} else if utf8.RuneCountInString(form["c_purpose"]) > 500 {
		errs["c_purpose"] = "Højst 500 tegn"
	}
	nc := store.NewConsent{CitizenID: id, Information: form["c_information"], UnitIDs: unitIDs, Purpose: form["c_purpose"]}
	given, gerr := time.ParseInLocation(time.DateOnly, form["c_given"], time.Local)
	switch {
	case form["c_given"] == "":
		nc.GivenOn = today
	case gerr != nil:
		errs["c_given"] = "Datoen skal have formen ÅÅÅÅ-MM-DD"
	case given.After(today):
		errs["c_given"] = "Et samtykke kan ikke være givet i fremtiden"
	default:
		nc.GivenOn = given
	}
	if form["c_expires"] != "" {
		exp, err := time.ParseInLocation(time.DateOnly, form["c_expires"], time.Local)
		switch {
		case err != nil:
			errs["c_expires"] = "Datoen skal have formen ÅÅÅÅ-MM-DD"
		case exp.Before(nc.GivenOn):
			errs["c_expires"] = "Udløbsdatoen ligger før datoen for samtykket"
		default:
			nc.ExpiresOn = &exp
		}
	}
	if len(errs) > 0 {
		sel := map[string]bool{}
		for _, u := range unitIDs {
			sel[strconv.FormatInt(u, 10)] = true
		}
		return s.renderOverviewWith(w, r, id, rel, http.StatusUnprocessableEntity, overviewExtras{consentForm: form, consentUnits: sel, consentErrors: errs})
	}
	if err := s.store.CreateConsents(ctx, who(r), nc); err != nil {
		return err
	}
	s.flash(r, "success", "Samtykket er registreret.")
	return redirect(w, r, "/borgere/"+strconv.FormatInt(id, 10)+"#samtykker")
}

// consentWithdrawPost withdraws a consent; it takes effect on the very next request because
// every access decision reads consents afresh.
func (s *Server) consentWithdrawPost(w http.ResponseWriter, r *http.Request) error {
	id, err := citizenID(r)
	if err != nil {
		return err
	}
	cid, err := childID(r, "cid")
	if err != nil {
		return err
	}
	if err := s.authorizeCitizen(r, id, access.ManageConsent); err != nil {
		return err
	}
	if err := s.store.WithdrawConsent(r.Context(), who(r), id, cid); err != nil {
		return err
	}
	s.flash(r, "success", "Samtykket er tilbagekaldt og gælder ikke længere.")
	return redirect(w, r, "/borgere/"+strconv.FormatInt(id, 10)+"#samtykker")
}
