// Package management holds the leader's pages: caseload balance, referral flow and
// capacity, risk and progression, outcomes, and the strategy with its printable status
// report. Props are plain view data; tables and charts arrive built and suppressed
// (components.Cell), so nothing here decides what may be shown.
package management

import (
	"strings"
	"time"

	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/paths"
)

// Tab is one management page in the sub-navigation.
type Tab struct {
	Label, Href string
	Current     bool
}

// FilterValues are the filters exactly as typed, kept when they are refused.
type FilterValues struct {
	From, To, Unit, Provider, Benefit, BaseFrom, BaseTo string
}

// FilterProps is the GET form every dashboard has: period (whole months), unit, and the
// dashboard's own choices. Options that are nil are not offered.
type FilterProps struct {
	Action    string
	Values    FilterValues
	Errors    map[string]string
	Units     []components.Option
	Providers []components.Option
	Benefits  []components.Option
	Baseline  bool // the outcomes' baseline period
	NoPeriod  bool // the caseloads are "now"
}

// HasChoices reports whether the form has anything to choose.
func (f FilterProps) HasChoices() bool {
	return !f.NoPeriod || f.Units != nil || f.Providers != nil || f.Benefits != nil || f.Baseline
}

// FilterOrder is the order of the filter fields in the error summary.
var FilterOrder = []string{"fra", "til", "enhed", "udbyder", "ydelse", "basis_fra", "basis_til"}

// Head is what every management page starts with.
type Head struct {
	Title string
	Lead  string
	Tabs  []Tab
	// Filter is the page's filter form; nil for none.
	Filter *FilterProps
	// RefreshedAt is when the figures were computed; zero when they are live.
	RefreshedAt time.Time
	// RefreshedOnly, when only some of the page's figures were computed at RefreshedAt and
	// the rest are live, names those ("Rettidigheden").
	RefreshedOnly string
	// Copy, when the figures are read from a copy of the database (READ_DATABASE_URL), says
	// how old they may be; "" when they come from the database itself.
	Copy string
	// Scope says whose figures these are ("Jobcenter Nord, december 2025 – november 2026").
	Scope string
}

// KeyFig is one headline figure.
type KeyFig struct {
	Label string
	Cell  components.Cell
	Note  string
}

// IndexProps is the management front page.
type IndexProps struct {
	Head  Head
	Pages []IndexEntry
}

// IndexEntry describes one dashboard on the front page.
type IndexEntry struct {
	Title, Href, Text string
}

// CaseloadProps is the caseload balance of the leader's unit.
type CaseloadProps struct {
	Head  Head
	Keys  []KeyFig
	Chart components.BarChartProps
	Table components.StatTable
}

// FlowProps is the referral flow and capacity dashboard.
type FlowProps struct {
	Head          Head
	Keys          []KeyFig
	MonthChart    components.ColumnChartProps
	MonthTable    components.StatTable
	SeatChart     components.BarChartProps
	OfferTable    components.StatTable
	ProviderTable components.StatTable
	ReasonTable   components.StatTable
}

// RiskProps is the risk and progression dashboard.
type RiskProps struct {
	Head          Head
	Keys          []KeyFig
	NowChart      components.BarChartProps
	NowTable      components.StatTable
	QuarterChart  components.ColumnChartProps
	QuarterTable  components.StatTable
	ChangeTable   components.StatTable
	ProgressChart components.BarChartProps
}

// OutcomesProps is the outcomes (effect) dashboard: spells on public support against the
// goal of one year less than a baseline period, and the citizens' own rating of their
// function against the goal that half of them experience an improvement.
type OutcomesProps struct {
	Head         Head
	Keys         []KeyFig
	GoalNote     string
	GoalTable    components.StatTable // baseline beside the current period, the target
	TrendChart   components.LineChartProps
	QuarterTable components.StatTable
	RatingNote   string
	RatingTable  components.StatTable // borgerens egen vurdering
	ExitTable    components.StatTable // ended spells by exit category and reason
	BenefitTable components.StatTable
	RiskTable    components.StatTable
	PlanTable    components.StatTable
	// How, in words, for the page's "Sådan beregnes tallene".
	Method []string
}

// InitiativeRow is one initiative in the strategy list and report.
type InitiativeRow struct {
	ID          int64
	Title       string
	Description string
	Status      string // code, for the smiley
	StatusLabel string
	Note        string
	Offers      []string
	Referred    components.Cell
	InProgress  components.Cell
	Updated     time.Time
	UpdatedBy   string
}

// Href is the initiative's page.
func (r InitiativeRow) Href() string { return paths.Initiative(r.ID) }

// ThemeGroup is the initiatives of one theme.
type ThemeGroup struct {
	Theme string
	Rows  []InitiativeRow
}

// StatusLegend explains one status of the scale.
type StatusLegend struct {
	Code, Label, Description string
}

// StrategyProps is the strategy overview.
type StrategyProps struct {
	Head      Head
	Groups    []ThemeGroup
	Total     int
	Pages     components.PageInfo
	CanEdit   bool
	CountedAt time.Time
	Export    string
	Legend    []StatusLegend
}

// ReportProps is the printable status report for the political committees.
type ReportProps struct {
	Title     string
	Date      time.Time
	CountedAt time.Time
	Legend    []StatusLegend
	Groups    []ThemeGroup
	Truncated bool
}

// Change is one entry of an initiative's history.
type Change struct {
	Status, StatusLabel, Note, By string
	At                            time.Time
}

// InitiativeProps is one initiative with its history.
type InitiativeProps struct {
	Tabs       []Tab
	Row        InitiativeRow
	Theme      string
	CountsFrom time.Time
	CountedAt  time.Time
	History    []Change
	CanEdit    bool
}

// EditHref is the initiative's edit form.
func (p InitiativeProps) EditHref() string { return paths.InitiativeEdit(p.Row.ID) }

// FormValues are the initiative form's fields as typed.
type FormValues struct {
	Theme, Title, Description, Status, Note, CountsFrom, Version string
	Offers                                                       []string
}

// FormProps is the form that creates or edits an initiative.
type FormProps struct {
	ID       int64
	Values   FormValues
	Errors   map[string]string
	Summary  map[string]string // field → "Label: message", for the error summary
	Themes   []components.Option
	Statuses []components.Option
	Offers   []components.Option
	Legend   []StatusLegend
}

// Action is where the form posts.
func (p FormProps) Action() string {
	if p.ID == 0 {
		return "/ledelse/strategi/ny"
	}
	return paths.InitiativeEdit(p.ID)
}

// FormOrder is the order of the form's fields, for the error summary.
var FormOrder = []string{"version", "theme", "title", "status", "note", "description", "counts_from", "offers"}

// countSentence is the initiative page's count: "12 siden 1. januar 2026 (opgjort …)".
func countSentence(n string, from, counted time.Time) string {
	s := n + " siden " + format.Date(from)
	if !counted.IsZero() {
		s += " (opgjort " + format.DateTime(counted) + ")"
	}
	return s
}

// reportCount is the report's sentence in the municipal reports' words: "Pr. 30. november
// 2026 er der henvist 74 borgere til Rygestopforløb og Motionsvejledning."
func reportCount(at time.Time, n string, offers []string) string {
	list := offers[0]
	if len(offers) > 1 {
		list = strings.Join(offers[:len(offers)-1], ", ") + " og " + offers[len(offers)-1]
	}
	noun := " borgere"
	if n == "1" {
		noun = " borger"
	}
	return "Pr. " + format.Date(at) + " er der henvist " + n + noun + " til " + list + "."
}

func byLine(name string) string {
	if name == "" {
		return ""
	}
	return " af " + name
}
