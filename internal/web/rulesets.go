package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/pages/admin"
)

// ruleField is one threshold of the rule-set form: its field, its label and the bounds the
// domain holds it to (helhed.RuleSet.Validate, which also relates them to each other).
type ruleField struct {
	name, label string
	lo, hi      int
	dst         *int
}

// ruleFields maps the rule-set form's fields to the RuleSet's thresholds, in form order.
func ruleFields(rs *helhed.RuleSet) []ruleField {
	return []ruleField{
		{helhed.FieldRuleWHO5High, "Høj: WHO-5 højst", 0, 100, &rs.WHO5High},
		{helhed.FieldRuleWHO5Medium, "Mellem: WHO-5 højst", 0, 100, &rs.WHO5Medium},
		{helhed.FieldRuleMediumKRAMSCount, "Mellem: mindst antal KRAMS-risici", 1, len(helhed.KRAMSCodes), &rs.MediumKRAMSCount},
		{helhed.FieldRuleLowKRAMSCount, "Lav: mindst antal KRAMS-risici", 1, len(helhed.KRAMSCodes), &rs.LowKRAMSCount},
		{helhed.FieldRuleAlcoholWeekMax, "Alkoholrisiko: flere genstande om ugen end", 0, helhed.MaxDrinksPerWeek, &rs.AlcoholWeekMax},
		{helhed.FieldRuleAlcoholDayMax, "Alkoholrisiko: flere genstande på én dag end", 0, helhed.MaxDrinksOneDay, &rs.AlcoholDayMax},
		{helhed.FieldRuleExerciseMinMinutes, "Motionsrisiko: færre minutter om dagen end", 0, helhed.MaxActiveMinutesPerDay, &rs.ExerciseMinMinutes},
		{helhed.FieldRuleBMILow10, "BMI-risiko: BMI under (tiendedele, 185 = 18,5; 0 = ingen grænse)", 0, helhed.MaxBMI10, &rs.BMILow10},
		{helhed.FieldRuleBMIHigh10, "BMI-risiko: BMI på eller over (tiendedele, 300 = 30,0; 0 = ingen grænse)", 0, helhed.MaxBMI10, &rs.BMIHigh10},
	}
}

// maxRuleSetNote bounds the note on why a rule set changed.
const maxRuleSetNote = 500

// renderRuleSets lists the rule sets with the form for a new version; f is a rejected form,
// or nil.
func (s *Server) renderRuleSets(w http.ResponseWriter, r *http.Request, status int, f *form.Form) error {
	sets, err := s.store.ListRuleSets(r.Context())
	if err != nil {
		return err
	}
	var typed, errs, summary map[string]string
	if f != nil {
		typed, errs, summary = f.Values, f.Errors, f.SummaryTexts()
	} else if len(sets) > 0 {
		// Start a new version from the newest one: changes are usually small.
		typed = map[string]string{"valid_from": s.today().Format(time.DateOnly)}
		cur := sets[0].Rules
		for _, rf := range ruleFields(&cur) {
			typed[rf.name] = strconv.Itoa(*rf.dst)
		}
	}
	return s.page(w, r, status, "Regelsæt for screening", admin.RuleSets(admin.RuleSetsProps{Sets: sets, Form: typed, Errors: errs, Summary: summary}))
}

func (s *Server) adminRuleSetsView(w http.ResponseWriter, r *http.Request) error {
	return s.renderRuleSets(w, r, http.StatusOK, nil)
}

// adminRuleSetPublishPost publishes a new version. Old screenings keep the version they were
// scored with; new screenings from valid_from use this one.
func (s *Server) adminRuleSetPublishPost(w http.ResponseWriter, r *http.Request) error {
	_ = r.ParseForm()
	f := form.New(r.PostForm)
	validFrom, _ := f.RequiredDate("valid_from", "Gælder fra")
	var rs helhed.RuleSet
	for _, rf := range ruleFields(&rs) {
		*rf.dst, _ = f.RequiredInt(rf.name, rf.label, rf.lo, rf.hi)
	}
	note := f.RequiredText("note", "Begrundelse for ændringen", maxRuleSetNote)
	if f.OK() {
		check := rs
		check.Version = 1 // the store assigns the real number when it publishes
		for k, msg := range fieldErrors(check.Validate()) {
			f.Fail(k, msg)
		}
	}
	if !f.OK() {
		return s.renderRuleSets(w, r, http.StatusUnprocessableEntity, f)
	}
	v, err := s.store.PublishRuleSet(r.Context(), who(r), rs, validFrom, note)
	if err != nil {
		return err
	}
	s.flash(r, "success", "Regelsæt version "+strconv.Itoa(v)+" er udgivet.")
	return redirect(w, r, "/admin/regelsaet")
}
