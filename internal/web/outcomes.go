package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
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
	goals, err := s.reads().ManagementGoals(ctx, q.today)
	if err != nil {
		return nil, nil, err
	}
	rf, err := s.reads().RiskProgression(ctx, q.filter)
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
			{Label: "Fremgang på delmålene (sagsbehandlerens score)", Cells: cells(improved)},
		}}
	// The goal that half the citizens experience an improved function is measured on their
	// own answer (the effect dashboard), not on the caseworker's scores on the goals.
	p.ProgressChart = components.BarChartProps{ID: "fremgang", Title: "Andel med fremgang", Unit: "%", Max: 100,
		Bars: []components.Bar{{Label: "Fremgang på delmålene", Cell: cell(improved)}, {Label: "WHO-5 forbedret 10+ point", Cell: cell(who5Up)}}}
	p.Keys = []management.KeyFig{
		{Label: "Fremgang på delmålene", Cell: cell(improved), Note: "sagsbehandlerens score; målet om " + strconv.Itoa(goals.ImprovedSharePercent) +
			" % måles på borgerens eget svar under Effekt"},
		{Label: "Ændring i WHO-5", Cell: cell(mean(float64(w.LatestSum-w.FirstSum), w.N)), Note: "point fra første til seneste screening"},
		{Label: "Høj risiko i dag", Cell: cell(helhed.Share(rf.Current["hoej"], now))},
	}
	return management.Risk(p), []components.StatTable{p.NowTable, p.QuarterTable, p.ChangeTable}, nil
}

// outcomesDashboard is the effect: spells on public support (a citizen's continuous time on
// benefits across benefit types; a change of benefit is not an exit) that ended in the
// period, against the baseline's average and the goal of one year less; how they ended
// (selvforsørgelse or not); by the benefit they began on, risk group at exit, with and without
// a plan, per quarter; and the share of citizens who themselves report an improved function
// against the goal that half of them should (borgerens egen vurdering).
func (s *Server) outcomesDashboard(r *http.Request, q mgmtQuery, _ bool) (templ.Component, []components.StatTable, error) {
	ctx := r.Context()
	goals, err := s.reads().ManagementGoals(ctx, q.today)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.reads().Outcomes(ctx, q.filter, q.baseline)
	if err != nil {
		return nil, nil, err
	}
	ratings, err := s.reads().SelfRatingFigures(ctx, q.filter)
	if err != nil {
		return nil, nil, err
	}
	refs, err := s.vocab.Sets(ctx, "benefit_type", "exit_reason", "exit_category")
	if err != nil {
		return nil, nil, err
	}
	p := management.OutcomesProps{Head: q.head(r, o.RefreshedAt)}
	p.Head.Lead = "Forløb på offentlig forsørgelse, der er afsluttet i perioden. Et forløb er borgerens sammenhængende tid på ydelser på tværs af ydelsestyper: " +
		"et skift af ydelse er ikke en afgang. Risikogruppe og indsatsplan er borgerens ved afgangen."

	// The columns: selvforsørgelse, then every exit reason of the reference data, and "not
	// recorded" when any is.
	exits := []string{}
	for _, v := range refs["exit_reason"] {
		exits = append(exits, v.Code)
	}
	if o.Total.Exits[""] > 0 || o.BaselineTotal.Exits[""] > 0 {
		exits = append(exits, "")
	}
	cols := []string{"Afsluttede forløb", "Gennemsnit, dage", "Median, dage", "Til selvforsørgelse"}
	for _, e := range exits {
		label := refs["exit_reason"].Label(e)
		if e == "" {
			label = "Ikke oplyst"
		}
		cols = append(cols, "Til "+lowerFirst(label))
	}
	row := func(label string, g helhed.OutcomeGroup) components.StatRow {
		cs := cells(helhed.Count(g.N()), g.Days.Mean(), g.Days.Median(), g.CategoryShare(o.ExitCategories, helhed.ExitSelfSupporting))
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
	p.QuarterTable = table("kvartaler", "Afsluttede forløb pr. kvartal", "Kvartal", o.Quarters, func(k string) string {
		d, _ := time.Parse(time.DateOnly, k)
		return helhed.QuarterLabel(d)
	})
	p.QuarterTable.Rows = append(p.QuarterTable.Rows, row("Basisperiode "+periodLabel(q.baseline), o.BaselineTotal))
	p.BenefitTable = table("ydelser", "Afsluttede forløb efter ydelse ved forløbets start", "Ydelse ved start", o.ByBenefit, refs["benefit_type"].Label)
	p.BenefitTable.Foot = &components.StatRow{Label: "I alt", Cells: row("", o.Total).Cells}
	p.RiskTable = table("risiko", "Afsluttede forløb efter risikogruppe ved afgang", "Risikogruppe", o.ByRisk, components.RiskLabel)
	p.PlanTable = table("plan", "Afsluttede forløb med og uden indsatsplan", "Indsatsplan", o.ByPlan, func(k string) string {
		if k == "med" {
			return "Med indsatsplan"
		}
		return "Uden indsatsplan"
	})

	// How the ended spells ended: by exit category (reference data), then by reason.
	p.ExitTable = components.StatTable{Key: "afgange", Caption: "Afsluttede forløb efter afgang", RowHead: "Afgang",
		Columns: []string{"Forløb", "Andel"}, Export: q.exportURL("afgange")}
	for _, c := range refs["exit_category"] {
		n := 0
		var reasons []string
		for code, k := range o.Total.Exits {
			if o.ExitCategories.Of(code) == c.Code {
				n += k
			}
		}
		for _, e := range exits {
			if o.ExitCategories.Of(e) == c.Code {
				label := refs["exit_reason"].Label(e)
				if e == "" {
					label = "ikke oplyst"
				}
				reasons = append(reasons, lowerFirst(label))
			}
		}
		label := c.Label
		if len(reasons) > 0 {
			label += ": " + strings.Join(reasons, ", ")
		}
		p.ExitTable.Rows = append(p.ExitTable.Rows, components.StatRow{Label: label, Cells: cells(helhed.Count(n), helhed.Share(n, o.Total.N()))})
	}
	p.ExitTable.Foot = &components.StatRow{Label: "I alt", Cells: cells(helhed.Count(o.Total.N()), helhed.Share(o.Total.N(), o.Total.N()))}

	// The goal: the baseline beside the current period.
	cmp := helhed.CompareDurations(o.BaselineTotal.Days, o.Total.Days, goals.DurationReductionDays)
	base := cmp.Baseline
	p.GoalTable = components.StatTable{Key: "maal", Caption: "Gennemsnitlig varighed mod basisperioden", RowHead: "Periode",
		Columns: []string{"Afsluttede forløb", "Gennemsnit, dage", "Median, dage"}, Export: q.exportURL("maal"),
		Rows: []components.StatRow{
			{Label: "Basisperiode " + periodLabel(q.baseline), Cells: cells(helhed.Count(o.BaselineTotal.N()), base, o.BaselineTotal.Days.Median())},
			{Label: "Perioden " + periodLabel(q.filter.Period), Cells: cells(helhed.Count(o.Total.N()), cmp.Current, o.Total.Days.Median())},
			{Label: "Mål: " + strconv.Itoa(goals.DurationReductionDays) + " dage kortere end basisperioden", Cells: []components.Cell{{Text: ""}, cell(cmp.Target), {Text: ""}}},
			{Label: "Forskel fra basisperioden", Cells: []components.Cell{{Text: ""}, cell(cmp.Change), {Text: ""}}},
		}}
	if !cmp.HasTarget {
		p.GoalTable.Rows[2].Cells[1] = components.Cell{Text: "–"}
	}
	var chartRefs []components.RefLine
	if v, ok := base.Plot(); ok {
		chartRefs = append(chartRefs, components.RefLine{Label: "Basisperiode, gennemsnit", Value: v, Class: "baseline"})
	}
	source := "Basisperioden er ikke fastsat i indstillingerne, så siden bruger de 12 måneder før perioden."
	if q.baselineSetting.Set {
		source = "Basisperioden er kommunens (indstillingen " + store.SettingEffectBaseline + ", gældende fra " + format.Date(q.baselineSetting.ValidFrom) + ")"
		if q.baselineSetting.Note != "" {
			source += ": " + q.baselineSetting.Note
		}
		source += "."
	}
	if q.baselineChosen {
		source = "Basisperioden er valgt i filteret."
	}
	switch {
	case cmp.HasTarget:
		chartRefs = append(chartRefs, components.RefLine{Label: "Mål", Value: cmp.Target.Value, Class: "goal"})
		p.GoalNote = "Målet er " + strconv.Itoa(goals.DurationReductionDays) + " dage kortere gennemsnitlig varighed end i basisperioden " +
			periodLabel(q.baseline) + ": fra " + base.Text() + " til " + cmp.Target.Text() + " dage. "
		if _, ok := cmp.Current.Plot(); ok {
			if cmp.Met {
				p.GoalNote += "Perioden når målet med " + cmp.Current.Text() + " dage. "
			} else {
				p.GoalNote += "Perioden når ikke målet: " + cmp.Current.Text() + " dage. "
			}
		}
		p.GoalNote += source
	default:
		p.GoalNote = "Basisperioden " + periodLabel(q.baseline) + " har for få afsluttede forløb til at vise et mål. " + source
	}
	p.TrendChart = components.LineChartProps{ID: "varighed", Title: "Gennemsnitlig og median varighed af afsluttede forløb pr. kvartal, dage", Unit: "dage",
		Series: []components.Series{{Label: "Gennemsnit", Class: "chart-s1"}, {Label: "Median", Class: "chart-s5"}},
		Lines:  make([][]components.Cell, 2), Refs: chartRefs}
	for _, g := range o.Quarters {
		d, _ := time.Parse(time.DateOnly, g.Key)
		p.TrendChart.XLabels = append(p.TrendChart.XLabels, helhed.QuarterLabel(d))
		p.TrendChart.Lines[0] = append(p.TrendChart.Lines[0], cell(g.Days.Mean()))
		p.TrendChart.Lines[1] = append(p.TrendChart.Lines[1], cell(g.Days.Median()))
	}

	// Borgerens egen vurdering against the goal.
	improved := ratings.ImprovedShare()
	p.RatingTable = components.StatTable{Key: "egen-vurdering", Caption: "Borgernes eget svar: evnen til at klare arbejde eller uddannelse sammenlignet med sidste opfølgning",
		RowHead: "Borgerens svar", Columns: []string{"Borgere", "Andel"}, Export: q.exportURL("egen-vurdering")}
	for _, a := range helhed.SelfRatings {
		p.RatingTable.Rows = append(p.RatingTable.Rows, components.StatRow{Label: a.Label(), Cells: cells(helhed.Count(ratings[a]), helhed.Share(ratings[a], ratings.N()))})
	}
	p.RatingTable.Foot = &components.StatRow{Label: "Oplever forbedring (meget eller noget bedre)", Cells: cells(helhed.Count(improved.Part), improved)}
	goalText := strconv.Itoa(goals.ImprovedSharePercent) + " %"
	p.RatingNote = "Målet er, at " + goalText + " af borgerne oplever en forbedring af deres funktionsevne i forhold til job og uddannelse. " +
		"Tallet bygger på borgerens eget svar ved opfølgningen, ikke på sagsbehandlerens score på delmålene. " +
		helhed.Count(ratings.N()).Text() + " borgere har svaret i perioden; hver tæller én gang med sit seneste svar."
	if met, ok := helhed.MeetsShareGoal(improved, goals.ImprovedSharePercent); ok {
		if met {
			p.RatingNote += " Perioden når målet med " + improved.Text() + "."
		} else {
			p.RatingNote += " Perioden når ikke målet: " + improved.Text() + "."
		}
	}

	note := "basisperiode: " + base.Text() + " dage"
	if cmp.HasTarget {
		note += " · mål: " + cmp.Target.Text() + " dage"
	}
	p.Keys = []management.KeyFig{
		{Label: "Afsluttede forløb", Cell: cell(helhed.Count(o.Total.N()))},
		{Label: "Gennemsnitlig varighed, dage", Cell: cell(cmp.Current), Note: note},
		{Label: "Median varighed, dage", Cell: cell(o.Total.Days.Median())},
		{Label: "Afgang til selvforsørgelse (job eller uddannelse)", Cell: cell(o.Total.CategoryShare(o.ExitCategories, helhed.ExitSelfSupporting))},
		{Label: "Oplever forbedret funktionsevne", Cell: cell(improved),
			Note: "borgerens eget svar, n = " + helhed.Count(ratings.N()).Text() + " · mål: " + goalText},
	}
	p.Method = effectMethod(goals.DurationReductionDays)
	tables := []components.StatTable{p.GoalTable, p.QuarterTable, p.RatingTable, p.ExitTable, p.BenefitTable, p.RiskTable, p.PlanTable}
	return management.Outcomes(p), tables, nil
}

// effectMethod says, in Danish, how the effect figures are computed (docs/law.md, "Effekt").
func effectMethod(reductionDays int) []string {
	return []string{
		"Et forløb er borgerens sammenhængende tid på offentlig forsørgelse på tværs af ydelser. Går borgeren fx fra sygedagpenge til jobafklaringsforløb, " +
			"fortsætter forløbet: et skift af ydelse er ikke en afgang.",
		"Forløbet slutter, når borgeren har været uden ydelse i mindst én hel kalendermåned. Det er Jobindsats' regel for, hvornår et forløb på én ydelse er afsluttet, " +
			"her brugt på tværs af ydelser; Jobindsats og DREAM har ingen sådan regel på tværs af ydelser, så det er Helheds valg. " +
			"Fleksjob er ansættelse og tæller ikke med i forløbet (referencedata: Ydelser i forløbsmålingen).",
		"Varigheden er fra første dag på den første ydelse til sidste dag på den sidste, begge dage med. Kun forløb, der er afsluttet i perioden, tæller; løbende forløb ikke.",
		"Afgangen er årsagen til den ydelse, der sluttede sidst. Job og uddannelse tæller som selvforsørgelse; fleksjob, førtidspension og andet gør ikke (referencedata: Afgangskategorier).",
		"Målet om et år kortere er den gennemsnitlige varighed i basisperioden minus " + strconv.Itoa(reductionDays) +
			" dage. Basisperioden er de forløb, der sluttede i den periode, kommunen har fastsat — typisk året før strategien begyndte.",
		"Borgerens egen vurdering: ved opfølgningen spørger sagsbehandleren: »" + helhed.SelfRatingQuestion + "« Hver borger, der har svaret i perioden, tæller én gang med sit seneste svar; " +
			"»Meget bedre« og »Noget bedre« er en forbedring.",
		"Tal for færre end 5 borgere vises som <5.",
	}
}

// lowerFirst lowers the first letter of a label for use inside a heading ("Til job").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
