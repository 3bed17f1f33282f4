package components

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Cell is one figure of an aggregated table or chart as it may be shown: Text is what a
// reader sees ("1.234", "42 %", "<5", "–"); Value is drawn only when Plot is true. Cells
// are made from helhed.Figure, which decides small-cell suppression, so a hidden figure is
// hidden in the table, the chart and the export alike.
type Cell struct {
	Text  string
	Value float64
	Plot  bool
}

// StatTable is an aggregated table: a caption, a heading for the row labels, the value
// columns, rows, an optional totals row and the address of its CSV export. The same value
// renders the HTML table and writes the CSV file.
type StatTable struct {
	Key     string // the table's name in its export URL (?tabel=…)
	Caption string
	RowHead string
	Columns []string
	Rows    []StatRow
	Foot    *StatRow
	Export  string // CSV export URL; "" for none
	Pages   *PageInfo
}

// StatRow is one row: a label (a link when Href is set, e.g. the drill-down to a
// caseworker's citizens) and one cell per column.
type StatRow struct {
	Label string
	Href  string
	Cells []Cell
}

// Bar is one bar of a BarChart.
type Bar struct {
	Label string
	Cell  Cell
}

// RefLine is a reference line across a chart: a goal, a former level, a baseline.
type RefLine struct {
	Label string
	Value float64
	Class string // "goal" (solid) or "former"/"baseline" (dashed)
}

// BarChartProps configure a horizontal bar chart.
type BarChartProps struct {
	ID, Title string
	Unit      string // what the values count, for the text alternative ("borgere", "%")
	Bars      []Bar
	Refs      []RefLine
	Max       float64 // the axis maximum; 0 fits the data and the reference lines
}

// Series is one data series of a ColumnChart or LineChart.
type Series struct {
	Label string
	Class string // chart-s1 … chart-s7 (colour), or chart-mean/chart-median for lines
}

// Column is one column of a stacked ColumnChart: one cell per series.
type Column struct {
	Label string
	Cells []Cell
}

// ColumnChartProps configure a stacked column chart (months or quarters along the x axis).
type ColumnChartProps struct {
	ID, Title string
	Unit      string
	Series    []Series
	Columns   []Column
}

// LineChartProps configure a line chart: one line per series over the x labels, and
// reference lines. A cell that may not be drawn leaves a gap in its line.
type LineChartProps struct {
	ID, Title string
	Unit      string
	XLabels   []string
	Series    []Series
	Lines     [][]Cell // Lines[i][j]: series i at x label j
	Refs      []RefLine
}

// Chart geometry, in SVG user units.
const (
	chartW              = 720
	barLabelW, barRowH  = 230, 26
	barTop, barBottom   = 22, 24
	colLeft, colRight   = 48, 12
	colTop, colBottom   = 16, 40
	colH                = 240
	maxBarLabelRunes    = 34
	chartValueGap       = 6
	chartAxisTicks      = 4
	chartLegendRowH     = 22
	chartMinPlotMaximum = 1
)

// niceMax rounds the axis maximum up to 1, 2, 2.5 or 5 times a power of ten, so the ticks
// are round numbers.
func niceMax(v float64) float64 {
	if v <= chartMinPlotMaximum {
		return chartMinPlotMaximum
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// ticks are the axis values 0 … max.
func ticks(max float64) []float64 {
	out := make([]float64, chartAxisTicks+1)
	for i := range out {
		out[i] = max * float64(i) / chartAxisTicks
	}
	return out
}

// num writes an axis or value number the Danish way: no decimals for whole numbers, one
// otherwise.
func num(v float64) string {
	if v == math.Trunc(v) {
		return FormatInt(int(v))
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}

func px(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// short cuts a label for the chart; the table beside it has the whole text.
func short(s string) string {
	r := []rune(s)
	if len(r) <= maxBarLabelRunes {
		return s
	}
	return string(r[:maxBarLabelRunes-1]) + "…"
}

func (p BarChartProps) max() float64 {
	m := p.Max
	if m == 0 {
		for _, b := range p.Bars {
			if b.Cell.Plot && b.Cell.Value > m {
				m = b.Cell.Value
			}
		}
		for _, r := range p.Refs {
			m = math.Max(m, r.Value)
		}
		m = niceMax(m)
	}
	return m
}

func (p BarChartProps) height() int { return barTop + len(p.Bars)*barRowH + barBottom }

func (p BarChartProps) x(v float64) float64 {
	return barLabelW + v/p.max()*float64(chartW-barLabelW-60)
}

func (p BarChartProps) y(i int) int { return barTop + i*barRowH }

// desc is the chart's text alternative: every bar and reference line in words.
func (p BarChartProps) desc() string {
	parts := make([]string, 0, len(p.Bars)+len(p.Refs))
	for _, b := range p.Bars {
		parts = append(parts, b.Label+": "+b.Cell.Text+" "+p.Unit)
	}
	for _, r := range p.Refs {
		parts = append(parts, fmt.Sprintf("%s: %s %s", r.Label, num(r.Value), p.Unit))
	}
	return strings.Join(parts, "; ")
}

func (p ColumnChartProps) max() float64 {
	m := 0.0
	for _, c := range p.Columns {
		sum := 0.0
		for _, cell := range c.Cells {
			if cell.Plot {
				sum += cell.Value
			}
		}
		m = math.Max(m, sum)
	}
	return niceMax(m)
}

func (p ColumnChartProps) height() int {
	return colTop + colH + colBottom + ((len(p.Series)+2)/3)*chartLegendRowH
}

func (p ColumnChartProps) slot() float64 {
	return float64(chartW-colLeft-colRight) / float64(max(1, len(p.Columns)))
}

func (p ColumnChartProps) x(i int) float64 { return colLeft + p.slot()*float64(i) + p.slot()*0.15 }

func (p ColumnChartProps) width() float64 { return p.slot() * 0.7 }

func (p ColumnChartProps) y(v float64) float64 { return colTop + colH - v/p.max()*colH }

// segment is one drawn part of a stacked column.
type segment struct {
	Y, H  float64
	Class string
}

// segments stacks column i's plotted cells from the bottom up.
func (p ColumnChartProps) segments(i int) []segment {
	var out []segment
	base := 0.0
	for j, c := range p.Columns[i].Cells {
		if !c.Plot || c.Value <= 0 || j >= len(p.Series) {
			continue
		}
		top := base + c.Value
		out = append(out, segment{Y: p.y(top), H: p.y(base) - p.y(top), Class: p.Series[j].Class})
		base = top
	}
	return out
}

// showLabel thins the x labels so they never overlap: at most 12 are written.
func showLabel(i, n int) bool {
	step := (n + 11) / 12
	return step <= 1 || i%step == 0
}

func (p ColumnChartProps) desc() string {
	parts := make([]string, len(p.Columns))
	for i, c := range p.Columns {
		var vs []string
		for j, cell := range c.Cells {
			if j < len(p.Series) {
				vs = append(vs, p.Series[j].Label+" "+cell.Text)
			}
		}
		parts[i] = c.Label + ": " + strings.Join(vs, ", ")
	}
	return strings.Join(parts, "; ")
}

// legendX and legendY place legend entry i in rows of three under the chart.
func legendX(i int) int { return colLeft + (i%3)*((chartW-colLeft)/3) }

func (p ColumnChartProps) legendY(i int) int {
	return colTop + colH + colBottom + (i/3)*chartLegendRowH
}

func (p LineChartProps) max() float64 {
	m := 0.0
	for _, l := range p.Lines {
		for _, c := range l {
			if c.Plot {
				m = math.Max(m, c.Value)
			}
		}
	}
	for _, r := range p.Refs {
		m = math.Max(m, r.Value)
	}
	return niceMax(m)
}

func (p LineChartProps) height() int {
	return colTop + colH + colBottom + ((len(p.Series)+len(p.Refs)+2)/3)*chartLegendRowH
}

func (p LineChartProps) x(j int) float64 {
	n := len(p.XLabels)
	if n <= 1 {
		return colLeft + float64(chartW-colLeft-colRight)/2
	}
	return colLeft + 10 + float64(j)*float64(chartW-colLeft-colRight-20)/float64(n-1)
}

func (p LineChartProps) y(v float64) float64 { return colTop + colH - v/p.max()*colH }

// paths are the polylines of series i: consecutive drawable points, broken at gaps.
func (p LineChartProps) paths(i int) []string {
	var out []string
	var b strings.Builder
	for j, c := range p.Lines[i] {
		if !c.Plot {
			if b.Len() > 0 {
				out = append(out, strings.TrimSpace(b.String()))
				b.Reset()
			}
			continue
		}
		fmt.Fprintf(&b, "%s,%s ", px(p.x(j)), px(p.y(c.Value)))
	}
	if b.Len() > 0 {
		out = append(out, strings.TrimSpace(b.String()))
	}
	return out
}

func (p LineChartProps) legendY(i int) int { return colTop + colH + colBottom + (i/3)*chartLegendRowH }

func (p LineChartProps) desc() string {
	var parts []string
	for i, s := range p.Series {
		var vs []string
		for j, c := range p.Lines[i] {
			if j < len(p.XLabels) {
				vs = append(vs, p.XLabels[j]+" "+c.Text)
			}
		}
		parts = append(parts, s.Label+": "+strings.Join(vs, ", "))
	}
	for _, r := range p.Refs {
		parts = append(parts, fmt.Sprintf("%s: %s %s", r.Label, num(r.Value), p.Unit))
	}
	return strings.Join(parts, ". ")
}

func refClass(r RefLine) string {
	if r.Class == "goal" {
		return "chart-ref chart-ref-goal"
	}
	return "chart-ref chart-ref-dashed"
}

// smileyGlyph is the smiley of a status code of the municipal reports' scale, or "".
func smileyGlyph(code string) string {
	switch code {
	case "fremdrift":
		return "😊"
	case "mindre_udfordringer":
		return "😐"
	case "reelle_udfordringer":
		return "😞"
	}
	return ""
}
