package web

import (
	"strconv"
	"strings"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// A list that names citizens is audited once per view (store.AuditList): the criterion names
// the list and the filters in use by field name and code — a value that is no known code is
// written "ukendt", never copied, since it came from a URL anyone can type — and the row
// carries the ids of the citizens the page showed.

// caseloadCriterion describes a caseload list ("Mine borgere", the unit's list, a leader's
// drill-down to one caseworker) for its audit row.
func caseloadCriterion(scope string, f store.CitizenFilter, visitation store.RefSet, pg store.Page) string {
	parts := []string{"liste: mine"}
	if scope == "enhed" {
		parts[0] = "liste: enhed"
	}
	known := func(v string, ok bool) string {
		if ok {
			return v
		}
		return "ukendt"
	}
	if f.Visitation != "" {
		parts = append(parts, "visitation="+known(f.Visitation, visitation.Has(f.Visitation)))
	}
	if f.RiskGroup != "" {
		switch helhed.RiskGroup(f.RiskGroup) {
		case helhed.RiskHigh, helhed.RiskMedium, helhed.RiskLow, helhed.RiskNone, "uden":
			parts = append(parts, "risiko="+f.RiskGroup)
		default:
			parts = append(parts, "risiko=ukendt")
		}
	}
	switch {
	case f.NoCaseworker:
		parts = append(parts, "sagsbehandler=ingen")
	case scope == "enhed" && f.CaseworkerID != 0:
		parts = append(parts, "sagsbehandler="+strconv.FormatInt(f.CaseworkerID, 10))
	}
	if !f.OverdueOn.IsZero() {
		parts = append(parts, "opfølgning overskredet")
	}
	if f.Sort != "" {
		parts = append(parts, "sortering="+known(f.Sort, f.Sort == "name" || f.Sort == "newest" || f.Sort == "benefit"))
	}
	return strings.Join(append(parts, pageCriterion(pg)...), "; ")
}

// pageCriterion names a page after the first.
func pageCriterion(pg store.Page) []string {
	if pg.Number > 1 {
		return []string{"side " + strconv.Itoa(pg.Number)}
	}
	return nil
}

// referralCitizens are the citizens a list of referrals shows.
func referralCitizens(refs []store.Referral) []int64 {
	ids := make([]int64, 0, len(refs))
	for _, x := range refs {
		ids = append(ids, x.CitizenID)
	}
	return ids
}
