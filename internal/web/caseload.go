package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

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
	var rows []store.CaseloadRow
	var total int
	var more bool
	if search != "" {
		// A search counts up to store.SearchCap matches in the one statement that finds them.
		res, err := s.store.SearchCitizens(ctx, f)
		if err != nil {
			return err
		}
		rows, total, more = res.Rows, res.Total, res.More
	} else if rows, total, err = s.store.ListCitizens(ctx, f, pg); err != nil {
		return err
	}
	today := s.today()
	props := citizens.CaseloadProps{
		Scope: scope, Sort: f.Sort, Visitation: f.Visitation, RiskGroup: f.RiskGroup, Search: search, Total: total, More: more, Today: s.today(),
		Overdue:     !f.OverdueOn.IsZero(),
		Caseworker:  caseworkerFilter(ctx, s, f, userFrom(r)),
		Visitations: options(rf.visitation),
		CanCreate:   access.Can(userFrom(r).access(), access.CreateCitizen),
	}
	// The no-show warning is the case holder's: on the user's own unit's lists only.
	ids := make([]int64, len(rows))
	for i, c := range rows {
		ids[i] = c.ID
	}
	warnings, err := s.noShowWarnings(ctx, ids, f.UnitID != 0 && f.UnitID == userFrom(r).UnitID)
	if err != nil {
		return err
	}
	noShows := map[int64]bool{}
	for _, w := range warnings {
		noShows[w.CitizenID] = true
	}
	for _, c := range rows {
		row := citizens.Row{RepeatedNoShows: noShows[c.ID], ID: c.ID, Name: c.FirstName + " " + c.LastName, CPR: c.CPR.Masked(), Age: c.CPR.Age(today),
			FollowUpOverdue: helhed.FollowUpOverdue(c.NextFollowUp, today), HearingOverdue: c.HearingOverdue, AwaitingDecision: c.AwaitingDecision}
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
			if access.Can(u.access(), access.HandOverCaseload) {
				c.HandoverHref = paths.CaseloadHandover(w.ID)
			}
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
