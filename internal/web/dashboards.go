package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/management"
	"github.com/helhed/helhed/web/paths"
)

// dashboardPerPage is how many rows a dashboard's long table shows per page.
const dashboardPerPage = 50

// caseworkerHref is the drill-down from a caseload row to the caseworker's citizens on the
// unit's caseload page (personal data: that page checks the user's unit itself).
func caseworkerHref(id *int64) string {
	v := url.Values{"omfang": {"enhed"}, "sagsbehandler": {"ingen"}}
	if id != nil {
		v.Set("sagsbehandler", strconv.FormatInt(*id, 10))
	}
	return "/borgere?" + v.Encode()
}

// caseloadDashboard is the caseload balance of the leader's unit: citizens per caseworker
// against the target (and the former level), by risk group, with overdue follow-ups.
func (s *Server) caseloadDashboard(r *http.Request, q mgmtQuery, all bool) (templ.Component, []components.StatTable, error) {
	ctx := r.Context()
	goals, err := s.reads().ManagementGoals(ctx, q.today)
	if err != nil {
		return nil, nil, err
	}
	var pg *store.Page
	if !all {
		pg = &store.Page{Number: pageNumber(r), PerPage: dashboardPerPage}
	}
	b, err := s.reads().CaseloadBalance(ctx, q.filter.UnitID, q.today, pg)
	if err != nil {
		return nil, nil, err
	}
	t := components.StatTable{Key: "sagsbehandlere", Caption: "Borgere pr. sagsbehandler efter risikogruppe", RowHead: "Sagsbehandler",
		Columns: []string{"Borgere", "Høj risiko", "Mellem risiko", "Lav risiko", "Ingen risiko", "Ikke screenet", "Opfølgning overskredet"},
		Export:  q.exportURL("sagsbehandlere")}
	row := func(l store.CaseworkerLoad) []components.Cell {
		return cells(helhed.Count(l.Citizens), helhed.Count(l.High), helhed.Count(l.Medium), helhed.Count(l.Low),
			helhed.Count(l.NoRisk), helhed.Count(l.Unscreened), helhed.Count(l.Overdue))
	}
	chart := components.BarChartProps{ID: "sagsstamme", Title: "Borgere pr. sagsbehandler", Unit: "borgere",
		Refs: []components.RefLine{{Label: "Mål " + strconv.Itoa(goals.CaseloadTarget), Value: float64(goals.CaseloadTarget), Class: "goal"},
			{Label: "Før " + strconv.Itoa(goals.CaseloadFormer), Value: float64(goals.CaseloadFormer), Class: "former"}}}
	for _, l := range b.Rows {
		name := "Uden koordinerende sagsbehandler"
		if l.Name != nil {
			name = *l.Name
		}
		t.Rows = append(t.Rows, components.StatRow{Label: name, Href: caseworkerHref(l.CaseworkerID), Cells: row(l)})
		chart.Bars = append(chart.Bars, components.Bar{Label: name, Cell: cell(helhed.Count(l.Citizens))})
	}
	t.Foot = &components.StatRow{Label: "I alt", Cells: row(b.Total)}
	if !all {
		t.Pages = &components.PageInfo{Page: pageNumber(r), PerPage: dashboardPerPage, Total: b.RowCount,
			URL: func(n int) string { return pageURL(r, n) }}
	}
	// Rettidighed: the kontaktforløb's conversations due in the last 13 weeks, and the share
	// held by their deadline, as of the management views' last refresh (store.UnitRettidighed;
	// computing it live cost 0.7 s per view). The caseloads are live; the header says which
	// figure is not.
	rt, err := s.reads().UnitRettidighed(ctx, q.filter.UnitID)
	if err != nil {
		return nil, nil, err
	}
	p := management.CaseloadProps{Head: q.head(r, rt.RefreshedAt), Chart: chart, Table: t}
	p.Head.RefreshedOnly = "Rettidigheden"
	// The average is over the unit's caseworkers, on every page.
	avg := helhed.Figure{Kind: helhed.FigurePoints, N: b.Total.Citizens}
	if b.Caseworkers > 0 {
		avg.Value = float64(b.Total.Citizens) / float64(b.Caseworkers)
	}
	p.Keys = []management.KeyFig{
		{Label: "Borgere i enheden", Cell: cell(helhed.Count(b.Total.Citizens))},
		{Label: "Borgere pr. sagsbehandler", Cell: cell(avg),
			Note: "Mål: " + strconv.Itoa(goals.CaseloadTarget) + " · før: op til " + strconv.Itoa(goals.CaseloadFormer)},
		{Label: "Opfølgning overskredet", Cell: cell(helhed.Count(b.Total.Overdue))},
		{Label: "Høj risiko", Cell: cell(helhed.Share(b.Total.High, b.Total.Citizens))},
	}
	p.Keys = append(p.Keys, management.KeyFig{Label: "Rettidighed i kontaktforløbet", Cell: cell(helhed.Share(rt.OnTime, rt.Due)),
		Note: "lovpligtige samtaler holdt senest på fristen, " + format.Date(rt.From) + "–" + format.Date(rt.To.AddDate(0, 0, -1)) +
			" (" + helhed.Count(rt.Due).Text() + " med frist)"})
	return management.Caseload(p), []components.StatTable{t}, nil
}

// stateGroup is a set of referral states shown as one series: the referrals of a month by
// where they stand now.
type stateGroup struct {
	label, class string
	states       []helhed.ReferralState
}

var stateGroups = []stateGroup{
	{"Afventer svar", "chart-s7", []helhed.ReferralState{helhed.ReferralSent, helhed.ReferralReceived}},
	{"Venteliste", "chart-s4", []helhed.ReferralState{helhed.ReferralWaitlisted}},
	{"I forløb", "chart-s1", []helhed.ReferralState{helhed.ReferralAccepted, helhed.ReferralStarted}},
	{"Gennemført", "chart-s2", []helhed.ReferralState{helhed.ReferralCompleted}},
	{"Ikke gennemført", "chart-s5", []helhed.ReferralState{helhed.ReferralDiscontinued, helhed.ReferralNoShow}},
	{"Afvist", "chart-s3", []helhed.ReferralState{helhed.ReferralRejected}},
	{"Annulleret", "chart-s6", []helhed.ReferralState{helhed.ReferralCancelled}},
}

func (g stateGroup) count(m map[helhed.ReferralState]int) int {
	n := 0
	for _, st := range g.states {
		n += m[st]
	}
	return n
}

// flowDashboard is the referral flow and capacity: referrals per month and offer by their
// state now, acceptance, waiting lists, seats per offer and provider, days to start, and the
// reasons given for refusals.
func (s *Server) flowDashboard(r *http.Request, q mgmtQuery, all bool) (templ.Component, []components.StatTable, error) {
	fl, err := s.reads().ReferralFlow(r.Context(), q.filter)
	if err != nil {
		return nil, nil, err
	}
	p := management.FlowProps{Head: q.head(r, fl.RefreshedAt)}
	if q.filter.UnitID != 0 {
		p.Head.Lead = "Henvisninger fra " + q.unitName + " til hele kommunens tilbud. Pladser og ventelister gælder tilbuddet som helhed og er aktuelle."
	}

	// Per month.
	series := make([]components.Series, len(stateGroups))
	cols := make([]string, len(stateGroups)+1)
	cols[0] = "Sendt"
	for i, g := range stateGroups {
		series[i] = components.Series{Label: g.label, Class: g.class}
		cols[i+1] = g.label
	}
	p.MonthChart = components.ColumnChartProps{ID: "maaneder", Title: "Henvisninger pr. måned efter status i dag", Unit: "henvisninger", Series: series}
	p.MonthTable = components.StatTable{Key: "maaneder", Caption: "Henvisninger pr. måned efter status i dag", RowHead: "Måned",
		Columns: cols, Export: q.exportURL("maaneder")}
	for _, m := range fl.Months {
		row := []components.Cell{cell(helhed.Count(sumMap(m.States)))}
		var col []components.Cell
		for _, g := range stateGroups {
			c := cell(helhed.Count(g.count(m.States)))
			row, col = append(row, c), append(col, c)
		}
		p.MonthChart.Columns = append(p.MonthChart.Columns, components.Column{Label: format.ShortMonth(m.Month), Cells: col})
		p.MonthTable.Rows = append(p.MonthTable.Rows, components.StatRow{Label: format.MonthYear(m.Month), Cells: row})
	}

	// Per offer and per provider.
	p.OfferTable = components.StatTable{Key: "tilbud", Caption: "Tilbud: henvisninger i perioden, pladser og venteliste nu", RowHead: "Tilbud",
		Columns: []string{"Udbyder", "Sendt", "Accepteret", "Afvist", "Venteliste nu", "Optagne pladser", "Kapacitet", "Belægning",
			"Median dage til start"}, Export: q.exportURL("tilbud")}
	p.ProviderTable = components.StatTable{Key: "udbydere", Caption: "Kapacitet pr. udbyder", RowHead: "Udbyder",
		Columns: []string{"Tilbud", "Sendt", "Venteliste nu", "Optagne pladser", "Kapacitet", "Belægning"}, Export: q.exportURL("udbydere")}
	p.SeatChart = components.BarChartProps{ID: "belaegning", Title: "Belægning pr. tilbud i procent af kapaciteten", Unit: "%",
		Refs: []components.RefLine{{Label: "Fuld", Value: 100, Class: "goal"}}}
	type provider struct {
		name                               string
		offers, sent, waiting, held, seats int
	}
	var providers []*provider
	byProvider := map[int64]*provider{}
	var held, seats, waiting int
	offers := fl.Offers
	first, last := 0, len(offers)
	if !all {
		first = min((pageNumber(r)-1)*dashboardPerPage, len(offers))
		last = min(first+dashboardPerPage, len(offers))
		p.OfferTable.Pages = &components.PageInfo{Page: pageNumber(r), PerPage: dashboardPerPage, Total: len(offers),
			URL: func(n int) string { return pageURL(r, n) }}
	}
	for i, o := range offers {
		held, seats, waiting = held+o.Held, seats+o.Capacity, waiting+o.Waiting
		pr := byProvider[o.ProviderID]
		if pr == nil {
			pr = &provider{name: o.Provider}
			byProvider[o.ProviderID] = pr
			providers = append(providers, pr)
		}
		pr.offers++
		pr.sent += o.Sent()
		pr.waiting += o.Waiting
		pr.held += o.Held
		pr.seats += o.Capacity
		if i < first || i >= last {
			continue
		}
		name := o.Name
		if o.Retired {
			name += " (udgået)"
		}
		use := helhed.Share(o.Held, o.Capacity)
		row := append([]components.Cell{{Text: o.Provider}}, cells(helhed.Count(o.Sent()), helhed.AcceptanceRate(o.States),
			helhed.Count(o.States[helhed.ReferralRejected]), helhed.Count(o.Waiting), helhed.Count(o.Held),
			helhed.Amount(o.Capacity),
			use, o.StartDays.Median())...)
		p.OfferTable.Rows = append(p.OfferTable.Rows, components.StatRow{Label: name, Href: paths.Offer(o.OfferID), Cells: row})
		p.SeatChart.Bars = append(p.SeatChart.Bars, components.Bar{Label: name, Cell: cell(use)})
	}
	for _, pr := range providers {
		p.ProviderTable.Rows = append(p.ProviderTable.Rows, components.StatRow{Label: pr.name, Cells: cells(
			helhed.Amount(pr.offers),
			helhed.Count(pr.sent), helhed.Count(pr.waiting), helhed.Count(pr.held),
			helhed.Amount(pr.seats),
			helhed.Share(pr.held, pr.seats))})
	}

	// Reasons: only wordings five or more referrals share.
	p.ReasonTable = components.StatTable{Key: "begrundelser", Caption: "Begrundelser i perioden", RowHead: "Begrundelse",
		Columns: []string{"Henvisninger"}, Export: q.exportURL("begrundelser")}
	for _, rc := range fl.Reasons {
		top, other := helhed.CommonReasons(rc.Reasons, 10)
		for _, t := range top {
			p.ReasonTable.Rows = append(p.ReasonTable.Rows, components.StatRow{Label: rc.State.Label() + ": " + t.Reason,
				Cells: cells(helhed.Count(t.N))})
		}
		if other > 0 {
			p.ReasonTable.Rows = append(p.ReasonTable.Rows, components.StatRow{Label: rc.State.Label() + ": øvrige begrundelser",
				Cells: cells(helhed.Count(other))})
		}
	}

	sent := sumMap(fl.States)
	p.Keys = []management.KeyFig{
		{Label: "Henvisninger sendt i perioden", Cell: cell(helhed.Count(sent))},
		{Label: "Accepteret af udbyderen", Cell: cell(helhed.AcceptanceRate(fl.States)), Note: "af de henvisninger, der er taget stilling til"},
		{Label: "Median dage fra henvisning til start", Cell: cell(fl.StartDays.Median()),
			Note: "gennemsnit " + fl.StartDays.Mean().Text() + " dage"},
		{Label: "På venteliste nu", Cell: cell(helhed.Count(waiting))},
		{Label: "Belægning nu", Cell: cell(helhed.Share(held, seats)), Note: format.Int(held) + " af " + format.Int(seats) + " pladser"},
	}
	if helhed.Count(held).Hidden() {
		p.Keys[4].Note = ""
	}
	tables := []components.StatTable{p.MonthTable, p.OfferTable, p.ProviderTable, p.ReasonTable}
	return management.Flow(p), tables, nil
}

func sumMap(m map[helhed.ReferralState]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
