package web

import (
	"net/http"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/pages/management"
)

// riskSeries are the risk groups in the charts, most severe first; "" is not screened.
var riskSeries = []struct{ code, label, class string }{
	{"hoej", "Høj risiko", "chart-s3"}, {"mellem", "Mellem risiko", "chart-s4"}, {"lav", "Lav risiko", "chart-s2"},
	{"ingen", "Ingen risiko", "chart-s1"}, {"", "Ikke screenet", "chart-s7"},
}

// riskDashboard is the risk and progression: the risk groups now and per quarter, WHO-5 from
// first to latest screening, and the share whose progression on their goals improved against
// the goal that half of them should (Hjørring's criterion).
func (s *Server) riskDashboard(r *http.Request, q mgmtQuery, _ bool) (templ.Component, []components.StatTable, error) {
	ctx := r.Context()
	goals, err := s.store.ManagementGoals(ctx, q.today)
	if err != nil {
		return nil, nil, err
	}
	rf, err := s.store.RiskProgression(ctx, q.filter)
	if err != nil {
		return nil, nil, err
	}
	p := management.RiskProps{Head: q.head(r, rf.RefreshedAt)}
	p.Head.Lead = "Risikogruppen er den seneste screenings. Udviklingen gælder borgere, hvis seneste screening eller opfølgning ligger i perioden."

	now := 0
	for _, n := range rf.Current {
		now += n
	}
	p.NowChart = components.BarChartProps{ID: "risiko-nu", Title: "Borgere efter risikogruppe i dag", Unit: "borgere"}
	p.NowTable = components.StatTable{Key: "nu", Caption: "Borgere efter risikogruppe i dag", RowHead: "Risikogruppe",
		Columns: []string{"Borgere", "Andel"}, Export: q.exportURL("nu")}
	for _, g := range riskSeries {
		c := helhed.Count(rf.Current[g.code])
		p.NowChart.Bars = append(p.NowChart.Bars, components.Bar{Label: g.label, Cell: cell(c)})
		p.NowTable.Rows = append(p.NowTable.Rows, components.StatRow{Label: g.label, Cells: cells(c, helhed.Share(rf.Current[g.code], now))})
	}
	p.NowTable.Foot = &components.StatRow{Label: "I alt", Cells: cells(helhed.Count(now), helhed.Share(now, now))}

	screened := riskSeries[:4]
	series := make([]components.Series, len(screened))
	cols := []string{"Screeninger"}
	for i, g := range screened {
		series[i] = components.Series{Label: g.label, Class: g.class}
		cols = append(cols, g.label)
	}
	p.QuarterChart = components.ColumnChartProps{ID: "risiko-kvartaler", Title: "Screeninger pr. kvartal efter risikogruppe", Unit: "screeninger", Series: series}
	p.QuarterTable = components.StatTable{Key: "kvartaler", Caption: "Screeninger pr. kvartal efter risikogruppe", RowHead: "Kvartal",
		Columns: cols, Export: q.exportURL("kvartaler")}
	for _, qu := range rf.Quarters {
		total := 0
		var col []components.Cell
		for _, g := range screened {
			total += qu.Groups[g.code]
			col = append(col, cell(helhed.Count(qu.Groups[g.code])))
		}
		label := helhed.QuarterLabel(qu.Quarter)
		p.QuarterChart.Columns = append(p.QuarterChart.Columns, components.Column{Label: label, Cells: col})
		p.QuarterTable.Rows = append(p.QuarterTable.Rows, components.StatRow{Label: label, Cells: append(cells(helhed.Count(total)), col...)})
	}

	w, pr := rf.WHO5, rf.Progression
	mean := func(sum float64, n int) helhed.Figure {
		f := helhed.Stat(helhed.FigurePoints, 0, n)
		if n > 0 {
			f.Value = sum / float64(n)
		}
		return f
	}
	improved := helhed.Share(pr.Improved, pr.N)
	who5Up := helhed.Share(w.Improved, w.N)
	p.ChangeTable = components.StatTable{Key: "udvikling", Caption: "Udvikling i WHO-5 og progression på delmål", RowHead: "Mål",
		Columns: []string{"Værdi"}, Export: q.exportURL("udvikling"), Rows: []components.StatRow{
			{Label: "Borgere screenet mindst to gange", Cells: cells(helhed.Count(w.N))},
			{Label: "WHO-5 ved første screening, gennemsnit", Cells: cells(mean(float64(w.FirstSum), w.N))},
			{Label: "WHO-5 ved seneste screening, gennemsnit", Cells: cells(mean(float64(w.LatestSum), w.N))},
			{Label: "Ændring i WHO-5, gennemsnit (point)", Cells: cells(mean(float64(w.LatestSum-w.FirstSum), w.N))},
			{Label: "WHO-5 forbedret 10 point eller mere", Cells: cells(who5Up)},
			{Label: "WHO-5 forværret 10 point eller mere", Cells: cells(helhed.Share(w.Worsened, w.N))},
			{Label: "Borgere fulgt op mindst to gange på delmål", Cells: cells(helhed.Count(pr.N))},
			{Label: "Ændring på delmål (1–10), gennemsnit", Cells: cells(mean(pr.ChangeSum, pr.N))},
			{Label: "Oplever fremgang på delmålene", Cells: cells(improved)},
		}}
	goal := float64(goals.ImprovedSharePercent)
	p.ProgressChart = components.BarChartProps{ID: "fremgang", Title: "Andel med fremgang", Unit: "%", Max: 100,
		Bars: []components.Bar{{Label: "Fremgang på delmålene", Cell: cell(improved)}, {Label: "WHO-5 forbedret 10+ point", Cell: cell(who5Up)}},
		Refs: []components.RefLine{{Label: "Mål " + strconv.Itoa(goals.ImprovedSharePercent) + " %", Value: goal, Class: "goal"}}}
	p.Keys = []management.KeyFig{
		{Label: "Oplever fremgang på delmålene", Cell: cell(improved), Note: "Mål: " + strconv.Itoa(goals.ImprovedSharePercent) + " % oplever forbedret funktionsevne"},
		{Label: "Ændring i WHO-5", Cell: cell(mean(float64(w.LatestSum-w.FirstSum), w.N)), Note: "point fra første til seneste screening"},
		{Label: "Høj risiko i dag", Cell: cell(helhed.Share(rf.Current["hoej"], now))},
	}
	return management.Risk(p), []components.StatTable{p.NowTable, p.QuarterTable, p.ChangeTable}, nil
}

// outcomesDashboard is the outcomes: time on public support and how it ended, by benefit,
// risk group at exit, with and without a plan, per quarter against the baseline's average
// and the goal of one year less.
func (s *Server) outcomesDashboard(r *http.Request, q mgmtQuery, _ bool) (templ.Component, []components.StatTable, error) {
	ctx := r.Context()
	goals, err := s.store.ManagementGoals(ctx, q.today)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.store.Outcomes(ctx, q.filter, q.baseline)
	if err != nil {
		return nil, nil, err
	}
	refs, err := s.vocab.Sets(ctx, "benefit_type", "exit_reason")
	if err != nil {
		return nil, nil, err
	}
	p := management.OutcomesProps{Head: q.head(r, o.RefreshedAt)}
	p.Head.Lead = "Ydelsesforløb, der er afsluttet i perioden: varighed fra start til slut og afgangsårsag. Risikogruppe og indsatsplan er borgerens ved afgangen."

	// The columns: every exit reason of the reference data, and "not recorded" when any is.
	exits := []string{}
	for _, v := range refs["exit_reason"] {
		exits = append(exits, v.Code)
	}
	if o.Total.Exits[""] > 0 || o.BaselineTotal.Exits[""] > 0 {
		exits = append(exits, "")
	}
	cols := []string{"Afgange", "Gennemsnit, dage", "Median, dage"}
	for _, e := range exits {
		label := refs["exit_reason"].Label(e)
		if e == "" {
			label = "Ikke oplyst"
		}
		cols = append(cols, "Til "+lowerFirst(label))
	}
	row := func(label string, g helhed.OutcomeGroup) components.StatRow {
		cs := cells(helhed.Count(g.N()), g.Days.Mean(), g.Days.Median())
		for _, e := range exits {
			cs = append(cs, cell(g.ExitShare(e)))
		}
		return components.StatRow{Label: label, Cells: cs}
	}
	table := func(key, caption, head string, groups []helhed.OutcomeGroup, label func(string) string) components.StatTable {
		t := components.StatTable{Key: key, Caption: caption, RowHead: head, Columns: cols, Export: q.exportURL(key)}
		for _, g := range groups {
			t.Rows = append(t.Rows, row(label(g.Key), g))
		}
		return t
	}
	p.QuarterTable = table("kvartaler", "Afgange pr. kvartal", "Kvartal", o.Quarters, func(k string) string {
		d, _ := time.Parse(time.DateOnly, k)
		return helhed.QuarterLabel(d)
	})
	p.QuarterTable.Rows = append(p.QuarterTable.Rows, row("Basisperiode "+periodLabel(q.baseline), o.BaselineTotal))
	p.BenefitTable = table("ydelser", "Afgange efter ydelse", "Ydelse", o.ByBenefit, refs["benefit_type"].Label)
	p.BenefitTable.Foot = &components.StatRow{Label: "I alt", Cells: row("", o.Total).Cells}
	p.RiskTable = table("risiko", "Afgange efter risikogruppe ved afgang", "Risikogruppe", o.ByRisk, components.RiskLabel)
	p.PlanTable = table("plan", "Afgange med og uden indsatsplan", "Indsatsplan", o.ByPlan, func(k string) string {
		if k == "med" {
			return "Med indsatsplan"
		}
		return "Uden indsatsplan"
	})

	// The trend against the baseline and the goal.
	base := o.BaselineTotal.Days.Mean()
	var chartRefs []components.RefLine
	if v, ok := base.Plot(); ok {
		chartRefs = append(chartRefs, components.RefLine{Label: "Basisperiode, gennemsnit", Value: v, Class: "baseline"})
	}
	goal, hasGoal := helhed.DurationGoal(base, goals.DurationReductionDays)
	if hasGoal {
		chartRefs = append(chartRefs, components.RefLine{Label: "Mål", Value: goal.Value, Class: "goal"})
		p.GoalNote = "Målet er " + strconv.Itoa(goals.DurationReductionDays) + " dage kortere gennemsnitlig varighed end i basisperioden " +
			periodLabel(q.baseline) + ": fra " + base.Text() + " til " + goal.Text() + " dage."
	} else {
		p.GoalNote = "Basisperioden " + periodLabel(q.baseline) + " har for få afgange til at vise et mål."
	}
	p.TrendChart = components.LineChartProps{ID: "varighed", Title: "Gennemsnitlig og median varighed pr. kvartal, dage", Unit: "dage",
		Series: []components.Series{{Label: "Gennemsnit", Class: "chart-s1"}, {Label: "Median", Class: "chart-s5"}},
		Lines:  make([][]components.Cell, 2), Refs: chartRefs}
	for _, g := range o.Quarters {
		d, _ := time.Parse(time.DateOnly, g.Key)
		p.TrendChart.XLabels = append(p.TrendChart.XLabels, helhed.QuarterLabel(d))
		p.TrendChart.Lines[0] = append(p.TrendChart.Lines[0], cell(g.Days.Mean()))
		p.TrendChart.Lines[1] = append(p.TrendChart.Lines[1], cell(g.Days.Median()))
	}

	mean := o.Total.Days.Mean()
	note := "basisperiode: " + base.Text() + " dage"
	if hasGoal {
		note += " · mål: " + goal.Text() + " dage"
	}
	p.Keys = []management.KeyFig{
		{Label: "Afsluttede ydelsesforløb", Cell: cell(helhed.Count(o.Total.N()))},
		{Label: "Gennemsnitlig varighed, dage", Cell: cell(mean), Note: note},
		{Label: "Median varighed, dage", Cell: cell(o.Total.Days.Median())},
		{Label: "Afgang til job eller uddannelse", Cell: cell(helhed.Share(o.Total.Exits["job"]+o.Total.Exits["uddannelse"], o.Total.N()))},
	}
	tables := []components.StatTable{p.QuarterTable, p.BenefitTable, p.RiskTable, p.PlanTable}
	return management.Outcomes(p), tables, nil
}

// lowerFirst lowers the first letter of a label for use inside a heading ("Til job").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
