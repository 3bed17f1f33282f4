package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/pages/admin"
)

// ruleFields maps the rule-set form's fields to the RuleSet's thresholds.
func ruleFields(rs *helhed.RuleSet) []struct {
	name string
	dst  *int
} {
	return []struct {
		name string
		dst  *int
	}{
		{helhed.FieldRuleWHO5High, &rs.WHO5High}, {helhed.FieldRuleWHO5Medium, &rs.WHO5Medium},
		{helhed.FieldRuleMediumKRAMSCount, &rs.MediumKRAMSCount}, {helhed.FieldRuleLowKRAMSCount, &rs.LowKRAMSCount},
		{helhed.FieldRuleAlcoholWeekMax, &rs.AlcoholWeekMax}, {helhed.FieldRuleAlcoholDayMax, &rs.AlcoholDayMax},
		{helhed.FieldRuleExerciseMinMinutes, &rs.ExerciseMinMinutes},
	}
}

func (s *Server) renderRuleSets(w http.ResponseWriter, r *http.Request, status int, typed, errs map[string]string) error {
	sets, err := s.store.ListRuleSets(r.Context())
	if err != nil {
		return err
	}
	if typed == nil && len(sets) > 0 {
		// Start a new version from the newest one: changes are usually small.
		typed = map[string]string{"valid_from": s.today().Format(time.DateOnly)}
		cur := sets[0].Rules
		for _, f := range ruleFields(&cur) {
			typed[f.name] = strconv.Itoa(*f.dst)
		}
	}
	return s.page(w, r, status, "Regelsæt for screening", admin.RuleSets(admin.RuleSetsProps{Sets: sets, Form: typed, Errors: errs}))
}

func (s *Server) adminRuleSetsView(w http.ResponseWriter, r *http.Request) error {
	return s.renderRuleSets(w, r, http.StatusOK, nil, nil)
}

// adminRuleSetPublishPost publishes a new version. Old screenings keep the version they were
// scored with; new screenings from valid_from use this one.
func (s *Server) adminRuleSetPublishPost(w http.ResponseWriter, r *http.Request) error {
	typed := map[string]string{"valid_from": strings.TrimSpace(r.PostFormValue("valid_from")), "note": strings.TrimSpace(r.PostFormValue("note"))}
	errs := map[string]string{}
	var rs helhed.RuleSet
	for _, f := range ruleFields(&rs) {
		v := strings.TrimSpace(r.PostFormValue(f.name))
		typed[f.name] = v
		n, err := strconv.Atoi(v)
		if err != nil {
			errs[f.name] = "Skal være et helt tal"
			continue
		}
		*f.dst = n
	}
	validFrom, err := form.ParseDate(typed["valid_from"])
	if err != nil {
		errs["valid_from"] = form.MsgDate
	}
	if typed["note"] == "" || utf8.RuneCountInString(typed["note"]) > 500 {
		errs["note"] = "Beskriv ændringen (højst 500 tegn)"
	}
	if len(errs) == 0 {
		check := rs
		check.Version = 1 // the store assigns the real number when it publishes
		if fe := fieldErrors(check.Validate()); fe != nil {
			errs = fe
		}
	}
	if len(errs) > 0 {
		return s.renderRuleSets(w, r, http.StatusUnprocessableEntity, typed, errs)
	}
	v, err := s.store.PublishRuleSet(r.Context(), who(r), rs, validFrom, typed["note"])
	if err != nil {
		return err
	}
	s.flash(r, "success", "Regelsæt version "+strconv.Itoa(v)+" er udgivet.")
	return redirect(w, r, "/admin/regelsaet")
}
