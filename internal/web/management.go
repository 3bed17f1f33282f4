package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/management"
)

// The management pages: dashboards built from the case data for the leader (access
// ViewManagement), each with a CSV export of every table, and the strategy (strategy.go).
// Every figure goes through helhed.Figure, which suppresses small cells; cell turns it into
// what the page, the chart and the export show.

// cell is a figure as the page may show it.
func cell(f helhed.Figure) components.Cell {
	v, ok := f.Plot()
	return components.Cell{Text: f.Text(), Value: v, Plot: ok}
}

func cells(fs ...helhed.Figure) []components.Cell {
	out := make([]components.Cell, len(fs))
	for i, f := range fs {
		out[i] = cell(f)
	}
	return out
}

// dashboard is one management page: its address and how its filter looks. buildDashboard
// makes it.
type dashboard struct {
	key, title, href string
	filter           mgmtOptions
	lead             string // the text under the title
	about            string // what it answers, for the front page
}

// mgmtOptions say which filters a dashboard has.
type mgmtOptions struct {
	noPeriod, provider, benefit, baseline, ownUnitOnly bool
}

// dashboards are the four management dashboards, in the sub-navigation's order. The
// strategy follows them there (strategy.go).
var dashboards = []*dashboard{
	{key: "sagsstammer", title: "Sagsstammer", href: "/ledelse/sagsstammer", filter: mgmtOptions{noPeriod: true, ownUnitOnly: true},
		lead:  "Sagsstammerne i din enhed lige nu. Vælg en sagsbehandler for at se borgerne.",
		about: "Borgere pr. sagsbehandler i din enhed mod målet, fordelt på risikogruppe, og hvem der har overskredet opfølgning – med adgang til den enkelte sagsbehandlers borgere."},
	{key: "henvisninger", title: "Henvisninger og kapacitet", href: "/ledelse/henvisninger", filter: mgmtOptions{provider: true},
		about: "Henvisninger pr. tilbud og måned, accept og afvisning med begrundelser, ventelister, belægning pr. tilbud og udbyder og tid fra henvisning til start."},
	{key: "risiko", title: "Risiko og progression", href: "/ledelse/risiko",
		about: "Risikogrupperne i dag og over tid, udviklingen i WHO-5 fra første til seneste screening og andelen med fremgang på delmålene."},
	{key: "effekt", title: "Effekt", href: "/ledelse/effekt", filter: mgmtOptions{benefit: true, baseline: true},
		about: "Forløb på offentlig forsørgelse på tværs af ydelser: varighed mod målet om et år kortere end basisperioden, afgang til selvforsørgelse (job, uddannelse) eller andet, og hvor mange borgere selv oplever en forbedret funktionsevne."},
}

// buildDashboard makes q's dashboard: the page and its tables. all asks for every row (the
// export) instead of one page.
func (s *Server) buildDashboard(r *http.Request, q mgmtQuery, all bool) (templ.Component, []components.StatTable, error) {
	switch q.dash.key {
	case "sagsstammer":
		return s.caseloadDashboard(r, q, all)
	case "henvisninger":
		return s.flowDashboard(r, q, all)
	case "risiko":
		return s.riskDashboard(r, q, all)
	case "effekt":
		return s.outcomesDashboard(r, q, all)
	}
	return nil, nil, helhed.ErrNotFound
}

// mgmtTabs is the sub-navigation: the pages the user may see, current one marked.
func mgmtTabs(u *currentUser, current string) []management.Tab {
	var tabs []management.Tab
	if access.Can(u.access(), access.ViewManagement) {
		for _, d := range dashboards {
			tabs = append(tabs, management.Tab{Label: d.title, Href: d.href, Current: d.key == current})
		}
	}
	if access.Can(u.access(), access.ViewStrategy) {
		tabs = append(tabs, management.Tab{Label: "Strategi", Href: "/ledelse/strategi", Current: current == "strategi"})
	}
	return tabs
}

// managementIndex says what each dashboard answers. The administrator, who keeps the
// strategy but reads no case figures, goes straight to it.
func (s *Server) managementIndex(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r)
	if !access.Can(u.access(), access.ViewManagement) {
		if access.Can(u.access(), access.ViewStrategy) {
			return redirect(w, r, "/ledelse/strategi")
		}
		return s.requireCan(r, access.ViewManagement)
	}
	// The list below is the navigation here; the sub-navigation would only repeat it.
	p := management.IndexProps{Head: management.Head{Title: "Ledelsesoverblik",
		Lead: "Tallene hentes direkte fra sagerne. Ingen tal viser enkeltpersoner, og tal for færre end 5 borgere vises som <5."}}
	for _, d := range dashboards {
		p.Pages = append(p.Pages, management.IndexEntry{Title: d.title, Href: d.href, Text: d.about})
	}
	p.Pages = append(p.Pages, management.IndexEntry{Title: "Strategi", Href: "/ledelse/strategi",
		Text: "Initiativerne i strategien med status, note og henvisningstal – og statusrapporten til de politiske udvalg."})
	return s.page(w, r, http.StatusOK, "Ledelsesoverblik", management.Index(p))
}

// dashboardView renders dashboard d for the filter in the URL; a filter that cannot be used
// comes back with its errors (422) and no figures.
func (s *Server) dashboardView(d *dashboard) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := s.mgmtQuery(r, d)
		if err != nil {
			return err
		}
		if len(q.filterForm.Errors) > 0 {
			return s.page(w, r, http.StatusUnprocessableEntity, d.title, management.FilterErrors(q.head(r, time.Time{})))
		}
		body, _, err := s.buildDashboard(r, q, false)
		if err != nil {
			return err
		}
		return s.page(w, r, http.StatusOK, d.title, body)
	}
}

// dashboardCSV exports one of dashboard d's tables (?tabel=…, the first when none is
// named), every row, for the same filter. Exports are aggregated and suppressed like the
// page; each one is audited.
func (s *Server) dashboardCSV(d *dashboard) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		q, err := s.mgmtQuery(r, d)
		if err != nil {
			return err
		}
		if len(q.filterForm.Errors) > 0 {
			return &helhed.Error{Code: helhed.EInvalid, Message: "Filteret kan ikke bruges: " + strings.Join(errorList(q.filterForm.Errors), " ")}
		}
		_, tables, err := s.buildDashboard(r, q, true)
		if err != nil {
			return err
		}
		key := r.URL.Query().Get("tabel")
		for _, t := range tables {
			if t.Key != key && key != "" {
				continue
			}
			if err := s.store.Audit(r.Context(), who(r), 0, store.AuditManagementExport,
				fmt.Sprintf("%s/%s %s (%d rækker)", d.key, t.Key, q.describe(), len(t.Rows))); err != nil {
				return err
			}
			return writeCSV(w, "helhed-"+d.key+"-"+t.Key+"-"+q.fileSuffix(), t)
		}
		return helhed.ErrNotFound
	}
}

func errorList(errs map[string]string) []string {
	var out []string
	for _, k := range management.FilterOrder {
		if e := errs[k]; e != "" {
			out = append(out, e+".")
		}
	}
	return out
}

// mgmtQuery is a dashboard's filter as parsed from the URL.
type mgmtQuery struct {
	dash     *dashboard
	filter   store.ManagementFilter
	baseline helhed.Period
	// baselineSetting is the baseline in force (effect_baseline); baselineChosen: the filter
	// names another.
	baselineSetting store.EffectBaseline
	baselineChosen  bool
	unitName        string
	filterForm      management.FilterProps
	today           time.Time
	exportURL       func(table string) string
	// copy says how old the figures may be when they come from a read replica (replica.go).
	copy string
}

// head is the page header for the query.
func (q mgmtQuery) head(r *http.Request, refreshed time.Time) management.Head {
	d := q.dash
	h := management.Head{Title: d.title, Lead: d.lead, Tabs: mgmtTabs(userFrom(r), d.key), Filter: &q.filterForm, RefreshedAt: refreshed, Copy: q.copy}
	h.Scope = q.unitName
	if !d.filter.noPeriod {
		h.Scope += ", " + periodLabel(q.filter.Period)
	}
	return h
}

// describe is the filter in words for the audit row.
func (q mgmtQuery) describe() string {
	return fmt.Sprintf("%s–%s enhed %d udbyder %d ydelse %q", q.filter.Period.From.Format("2006-01"),
		q.filter.Period.To.Format("2006-01"), q.filter.UnitID, q.filter.ProviderUnitID, q.filter.Benefit)
}

func (q mgmtQuery) fileSuffix() string {
	return q.filter.Period.From.Format("200601") + "-" + q.filter.Period.To.Format("200601")
}

func periodLabel(p helhed.Period) string {
	if p.From.Equal(p.To) {
		return format.MonthYear(p.From)
	}
	return format.MonthYear(p.From) + " – " + format.MonthYear(p.To)
}

// parseMonth reads "2026-03" (what <input type="month"> sends) as the month's first day.
func parseMonth(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	return t, err == nil
}

// maxPeriodMonths bounds a period: ten years is more than the data holds.
const maxPeriodMonths = 120

// mgmtQuery checks that the user may see the dashboards and parses the filter: the period (whole months, default the last twelve
// including this one), the unit (default the user's own jobcenter, or the whole
// municipality), and the dashboard's own choices. Bad values become field errors with the
// input kept.
func (s *Server) mgmtQuery(r *http.Request, d *dashboard) (mgmtQuery, error) {
	ctx := r.Context()
	u := userFrom(r)
	v := r.URL.Query()
	today := s.today()
	q := mgmtQuery{dash: d, today: today, filterForm: management.FilterProps{Action: d.href, Errors: map[string]string{},
		NoPeriod: d.filter.noPeriod, Baseline: d.filter.baseline}}
	f := &q.filterForm
	f.Values = management.FilterValues{From: v.Get("fra"), To: v.Get("til"), Unit: v.Get("enhed"), Provider: v.Get("udbyder"),
		Benefit: v.Get("ydelse"), BaseFrom: v.Get("basis_fra"), BaseTo: v.Get("basis_til")}

	units, err := s.store.ListUnits(ctx)
	if err != nil {
		return q, err
	}
	unitName := map[int64]string{}
	ownIsJobcenter := false
	for _, un := range units {
		unitName[un.ID] = un.Name
		if un.ID == u.UnitID && un.Kind == "jobcenter" {
			ownIsJobcenter = true
		}
	}

	// Unit: own unit by default; any jobcenter or the whole municipality by choice, except
	// for the caseloads, which are the own unit's (access.CanUnit).
	if f.Values.Unit == "" {
		f.Values.Unit = "alle"
		if ownIsJobcenter || d.filter.ownUnitOnly {
			f.Values.Unit = strconv.FormatInt(u.UnitID, 10)
		}
	}
	if d.filter.ownUnitOnly {
		id, _ := strconv.ParseInt(f.Values.Unit, 10, 64)
		if !access.CanUnit(u.access(), access.ViewUnitCaseloads, id) {
			if err := s.store.Audit(ctx, who(r), 0, store.AuditForbidden, string(access.ViewUnitCaseloads)+" enhed "+strconv.FormatInt(id, 10)); err != nil {
				return q, err
			}
			return q, &helhed.Error{Code: helhed.EForbidden, Message: "Du kan kun se sagsstammerne i din egen enhed. Forsøget er registreret."}
		}
		q.filter.UnitID, q.unitName = id, unitName[id]
	} else {
		f.Units = []components.Option{{Value: "alle", Label: "Hele kommunen"}}
		for _, un := range units {
			if un.Kind == "jobcenter" {
				f.Units = append(f.Units, components.Option{Value: strconv.FormatInt(un.ID, 10), Label: un.Name})
			}
		}
		q.unitName = "Hele kommunen"
		if f.Values.Unit != "alle" {
			id, err := strconv.ParseInt(f.Values.Unit, 10, 64)
			if name, ok := unitName[id]; err == nil && ok {
				q.filter.UnitID, q.unitName = id, name
			} else {
				f.Errors["enhed"] = "Vælg en enhed fra listen"
			}
		}
	}

	if d.filter.provider {
		f.Providers = []components.Option{{Value: "", Label: "Alle udbydere"}}
		for _, un := range units {
			if un.Kind != "administration" {
				f.Providers = append(f.Providers, components.Option{Value: strconv.FormatInt(un.ID, 10), Label: un.Name})
			}
		}
		if f.Values.Provider != "" {
			id, err := strconv.ParseInt(f.Values.Provider, 10, 64)
			if _, ok := unitName[id]; err == nil && ok {
				q.filter.ProviderUnitID = id
			} else {
				f.Errors["udbyder"] = "Vælg en udbyder fra listen"
			}
		}
	}
	if d.filter.benefit {
		benefits, err := s.vocab.Values(ctx, "benefit_type")
		if err != nil {
			return q, err
		}
		f.Benefits = append([]components.Option{{Value: "", Label: "Alle ydelser"}}, options(benefits)...)
		if f.Values.Benefit != "" {
			// Any benefit type, also one no longer in force: the outcomes are history.
			if !slices.ContainsFunc(benefits, func(v store.RefValue) bool { return v.Code == f.Values.Benefit }) {
				f.Errors["ydelse"] = "Vælg en ydelse fra listen"
			}
			q.filter.Benefit = f.Values.Benefit
		}
	}

	// Period: whole months, at most until this month.
	thisMonth := helhed.Month(today)
	month := func(field string, value *string, def time.Time) time.Time {
		if *value == "" {
			*value = def.Format("2006-01")
			return def
		}
		m, ok := parseMonth(*value)
		switch {
		case !ok:
			f.Errors[field] = "Angiv måneden som ÅÅÅÅ-MM, fx " + thisMonth.Format("2006-01")
		case m.After(thisMonth):
			f.Errors[field] = "Måneden må ikke ligge efter denne måned"
		}
		return m
	}
	to := month("til", &f.Values.To, thisMonth)
	from := month("fra", &f.Values.From, to.AddDate(0, -11, 0))
	q.filter.Period = helhed.Period{From: from, To: to}
	checkPeriod := func(p helhed.Period, fromField string) {
		if f.Errors[fromField] != "" {
			return
		}
		if p.From.After(p.To) {
			f.Errors[fromField] = "Fra-måneden skal ligge før eller være lig til-måneden"
		} else if p.Months() > maxPeriodMonths {
			f.Errors[fromField] = "Perioden kan højst være 10 år"
		}
	}
	if !d.filter.noPeriod {
		checkPeriod(q.filter.Period, "fra")
	}
	if d.filter.baseline {
		// The baseline is the municipality's (the dated setting effect_baseline) unless the
		// filter names another; without a setting, the twelve months before the period.
		eb, err := s.store.EffectBaseline(ctx, today)
		if err != nil {
			return q, err
		}
		q.baselineSetting = eb
		def := helhed.Period{From: from.AddDate(0, -12, 0), To: from.AddDate(0, -1, 0)}
		if eb.Set {
			def = eb.Period
		}
		bto := month("basis_til", &f.Values.BaseTo, def.To)
		bfrom := month("basis_fra", &f.Values.BaseFrom, def.From)
		q.baseline = helhed.Period{From: bfrom, To: bto}
		q.baselineChosen = !bfrom.Equal(def.From) || !bto.Equal(def.To)
		checkPeriod(q.baseline, "basis_fra")
	}

	q.exportURL = func(table string) string {
		e := r.URL.Query()
		e.Del("side")
		e.Set("tabel", table)
		return d.href + ".csv?" + e.Encode()
	}
	if q.copy, err = s.figuresCopy(ctx); err != nil {
		return q, err
	}
	return q, nil
}

// pageURL is this page's address with page n of its paginated table.
func pageURL(r *http.Request, n int) string {
	v := r.URL.Query()
	v.Set("side", strconv.Itoa(n))
	return r.URL.Path + "?" + v.Encode()
}

// pageNumber is the ?side= of the request, at least 1.
func pageNumber(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("side"))
	return max(n, 1)
}
