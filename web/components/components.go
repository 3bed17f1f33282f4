// Package components holds Helhed's reusable templ components, built on the
// markup and classes of DKFDS (Det Fælles Designsystem) 11.
//
// Form fields follow DKFDS: a .form-group wrapper (plus .form-error when
// there is an error), a .form-label, an optional .form-hint, a
// .form-error-message, and the control. Every control gets id == name so the
// links in ErrorSummary ("#name") move focus to it. Hints and errors are
// linked to the control with aria-describedby, and a control with an error has
// aria-invalid="true". Values are always rendered back, so the user does not
// lose input.
//
// Required fields are marked in the label with "(*skal udfyldes)" and with
// aria-required="true". The native HTML required attribute is not set (so the
// server's Danish error messages are what the user sees); pass it in Attrs if
// a field really needs it.
//
// This package does not import layout; layout imports it (layout.Flash is an
// alias of Flash).
package components

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/helhed/helhed/web/static"
)

// Flash is a one-off message shown at the top of a page.
type Flash struct {
	Kind    string // "success" | "error" | "info" (| "warning")
	Message string
}

// FieldProps configures TextField and TextArea.
type FieldProps struct {
	Name, Label, Value, Error, Hint string
	// Type is the input type: text (default), date, number, email, tel,
	// password, search, url. Ignored by TextArea.
	Type         string
	Autocomplete string
	InputMode    string
	Required     bool
	// Width is a DKFDS input width: "xxs", "xs", "s", "m", "l", "xl"
	// (-> class input-width-<w>) or "char-4", "char-8", "char-11",
	// "char-27" (-> class input-char-<n>). Empty: full width.
	Width string
	// Attrs are extra attributes on the <input>/<textarea>, e.g.
	// templ.Attributes{"hx-get": "/sog", "rows": "8", "maxlength": "200"}.
	Attrs templ.Attributes
}

// Option is one choice in SelectField and RadioGroup.
type Option struct {
	Value, Label string
}

// ChoiceProps configures SelectField and RadioGroup.
type ChoiceProps struct {
	Name, Label, Hint, Error, Selected string
	Options                            []Option
	Required                           bool
}

// DL is one term/description pair for DefinitionList.
type DL struct {
	Term, Desc string
}

// PageInfo describes a paginated list. Page is 1-based. URL returns the link
// for a page; when nil, "?side=N" is used (which drops other query
// parameters, so set URL for filtered lists).
type PageInfo struct {
	Page, PerPage, Total int
	URL                  func(page int) string
}

// Pages is the number of pages, at least 1.
func (p PageInfo) Pages() int {
	if p.PerPage <= 0 || p.Total <= 0 {
		return 1
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// Current is Page clamped to 1..Pages().
func (p PageInfo) Current() int {
	return min(max(p.Page, 1), p.Pages())
}

// HasPrev reports whether there is a page before the current one.
func (p PageInfo) HasPrev() bool { return p.Current() > 1 }

// HasNext reports whether there is a page after the current one.
func (p PageInfo) HasNext() bool { return p.Current() < p.Pages() }

// Href is the URL of page n.
func (p PageInfo) Href(n int) string {
	if p.URL != nil {
		return p.URL(n)
	}
	return "?side=" + strconv.Itoa(n)
}

// pageItem is one entry in the numbered part of Pagination: a page number,
// or a gap (N == 0) shown as "…".
type pageItem struct {
	N       int
	Current bool
}

// items returns the page numbers to show, following the DKFDS pattern: all
// pages when there are at most 7, otherwise the first, the last, the current
// one and its neighbours, with gaps.
func (p PageInfo) items() []pageItem {
	total, cur := p.Pages(), p.Current()
	var ns []int
	switch {
	case total <= 7:
		for i := 1; i <= total; i++ {
			ns = append(ns, i)
		}
	case cur < 5:
		ns = []int{1, 2, 3, 4, 5, 0, total}
	case cur+4 > total:
		ns = []int{1, 0, total - 4, total - 3, total - 2, total - 1, total}
	default:
		ns = []int{1, 0, cur - 1, cur, cur + 1, 0, total}
	}
	out := make([]pageItem, len(ns))
	for i, n := range ns {
		out[i] = pageItem{N: n, Current: n == cur}
	}
	return out
}

// pageLabel is the accessible name of a page-number link.
func pageLabel(n, total int) string {
	if n == total && total > 1 {
		return fmt.Sprintf("Sidste side, side %d", n)
	}
	return fmt.Sprintf("Side %d", n)
}

// FormatInt formats n with Danish thousands separators: 12345 -> "12.345".
func FormatInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// resultCountText renders "123 borgere". noun is the plural, or
// "singular|plural" (e.g. "borger|borgere") to get "1 borger".
func resultCountText(total int, noun string) string {
	one, many, ok := strings.Cut(noun, "|")
	if !ok {
		one, many = noun, noun
	}
	if total == 1 {
		return "1 " + one
	}
	return FormatInt(total) + " " + many
}

// ErrorOrder returns the fields of errs in display order: those in order
// first (if they have an error), then the rest sorted by name.
func ErrorOrder(errs map[string]string, order []string) []string {
	seen := make(map[string]bool, len(errs))
	out := make([]string, 0, len(errs))
	for _, f := range order {
		if _, ok := errs[f]; ok && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	var rest []string
	for f := range errs {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func hintID(name string) string  { return name + "-hint" }
func errorID(name string) string { return name + "-error" }

// describedBy is the aria-describedby value for a control with the given hint
// and error; "" when there is neither.
func describedBy(name, hint, err string) string {
	var ids []string
	if hint != "" {
		ids = append(ids, hintID(name))
	}
	if err != "" {
		ids = append(ids, errorID(name))
	}
	return strings.Join(ids, " ")
}

func groupClass(err string) string {
	if err != "" {
		return "form-group form-error"
	}
	return "form-group"
}

func inputClass(width string) string {
	switch {
	case width == "":
		return "form-input"
	case strings.HasPrefix(width, "char-"):
		return "form-input input-" + width
	default:
		return "form-input input-width-" + width
	}
}

func inputType(t string) string {
	if t == "" {
		return "text"
	}
	return t
}

// radioID is the id of the i'th (0-based) radio in a group: the first one
// has id == name, so "#name" in the error summary focuses it.
func radioID(name string, i int) string {
	if i == 0 {
		return name
	}
	return name + "-" + strconv.Itoa(i+1)
}

// alertKind maps a Flash kind to a DKFDS alert variant.
func alertKind(kind string) string {
	switch kind {
	case "success", "error", "warning", "info":
		return kind
	}
	return "info"
}

func alertIconLabel(kind string) string {
	switch alertKind(kind) {
	case "success":
		return "Succes"
	case "error":
		return "Fejl"
	case "warning":
		return "Advarsel"
	}
	return "Information"
}

// alertRole: errors and warnings interrupt (role=alert), others are polite
// (role=status).
func alertRole(kind string) string {
	switch alertKind(kind) {
	case "error", "warning":
		return "alert"
	}
	return "status"
}

// buttonClass maps primary|secondary|tertiary (default primary) to DKFDS
// classes.
func buttonClass(kind string) string {
	switch kind {
	case "secondary", "tertiary", "warning":
		return "button button-" + kind
	}
	return "button button-primary"
}

// riskClass maps a risk code to our CSS class; see css/helhed.css.
func riskClass(code string) string {
	switch code {
	case "hoej", "mellem", "lav", "ingen":
		return "risk-badge risk-" + code
	}
	return "risk-badge risk-ukendt"
}

// RiskLabel is the default Danish label for a risk code.
func RiskLabel(code string) string {
	switch code {
	case "hoej":
		return "Høj risiko"
	case "mellem":
		return "Mellem risiko"
	case "lav":
		return "Lav risiko"
	case "ingen":
		return "Ingen risiko"
	}
	return "Ikke screenet"
}

func iconHref(name string) string {
	return static.Path("img/all-svg-icons.svg") + "#" + name
}

// ReasonFormProps is a ReasonForm: where it posts, the field's name and hint, the reason as
// typed and its error, and the button's label.
type ReasonFormProps struct {
	Action, Name, Hint, Value, Error, Button string
}

func (p ReasonFormProps) errors() map[string]string {
	if p.Error == "" {
		return nil
	}
	return map[string]string{p.Name: p.Error}
}
