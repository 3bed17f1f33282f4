// Package form reads what a user posted into typed values, with Danish messages beside the
// field and in the error summary, and keeps every value as typed so a rejected form comes back
// whole.
//
// One Form per request: each reader (Text, Date, Int, Choice, …) takes the field's name and
// its label, trims the value, records it for the echo, checks it and returns the typed value.
// A failed check records a message; the summary names the field by its label ("Startdato:
// Datoen skal have formen ÅÅÅÅ-MM-DD"), in the order the fields were read. Rules that belong
// to the domain (state transitions, a mentor's rules) stay in the domain; this package only
// knows the shape of a value.
//
// Dates are calendar dates in Denmark (Europe/Copenhagen), whatever time zone the server runs
// in: a date read here is midnight in Zone, and Today gives the Danish date of an instant.
package form

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Zone must load on a server without the system's zoneinfo
	"unicode/utf8"
)

// Zone is Denmark's time zone, in which every date a user types or reads is a calendar date.
var Zone = mustZone("Europe/Copenhagen")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("form: " + err.Error())
	}
	return loc
}

// The shared messages. Field-specific wording ("Slutdatoen ligger før startdatoen") belongs
// to the form that knows the relation; these say what is wrong with one value on its own.
const (
	MsgRequired = "Skal udfyldes"
	MsgChoose   = "Vælg en af mulighederne"
	MsgDate     = "Datoen skal have formen ÅÅÅÅ-MM-DD"
)

// MsgMaxLength is the message for text over its limit.
func MsgMaxLength(max int) string { return fmt.Sprintf("Højst %d tegn", max) }

// MsgRange is the message for a whole number outside lo…hi.
func MsgRange(lo, hi int) string { return fmt.Sprintf("Skal være et helt tal fra %d til %d", lo, hi) }

// Problem is one entry of the error summary.
type Problem struct {
	Field   string // the input's id, the summary link's target
	Label   string
	Message string
}

// Text is the summary's wording: the label, then the message.
func (p Problem) Text() string {
	if p.Label == "" {
		return p.Message
	}
	return p.Label + ": " + p.Message
}

// Form is one posted form being read.
type Form struct {
	src    url.Values
	Values map[string]string // every field read, as typed (trimmed), for the echo
	Errors map[string]string // field → message, for the message beside the field
	labels map[string]string
	order  []string
}

// New reads from values (r.PostForm).
func New(values url.Values) *Form {
	return &Form{src: values, Values: map[string]string{}, Errors: map[string]string{}, labels: map[string]string{}}
}

// raw reads name as typed, trimmed, and records it with its label.
func (f *Form) raw(name, label string) string {
	v := strings.TrimSpace(f.src.Get(name))
	f.Values[name] = v
	if _, seen := f.labels[name]; !seen {
		f.order = append(f.order, name)
	}
	f.labels[name] = label
	return v
}

// Fail records msg for name (the first message for a field wins: it is the more basic one).
// Use it for what only the caller can judge, such as an end date before a start date.
func (f *Form) Fail(name, msg string) {
	if _, ok := f.Errors[name]; ok {
		return
	}
	f.Errors[name] = msg
	if _, seen := f.labels[name]; !seen {
		f.order = append(f.order, name)
		f.labels[name] = ""
	}
}

// Label names a field that was not read through a reader (a group of inputs), for the summary.
func (f *Form) Label(name, label string) {
	if _, seen := f.labels[name]; !seen {
		f.order = append(f.order, name)
	}
	f.labels[name] = label
}

// OK says whether every check passed.
func (f *Form) OK() bool { return len(f.Errors) == 0 }

// Summary lists the problems in the order the fields were read.
func (f *Form) Summary() []Problem {
	var out []Problem
	for _, name := range f.order {
		if msg, ok := f.Errors[name]; ok {
			out = append(out, Problem{Field: name, Label: f.labels[name], Message: msg})
		}
	}
	return out
}

// SummaryTexts is Summary as field → text ("Label: message"), for an error summary that
// links each text to its field.
func (f *Form) SummaryTexts() map[string]string {
	out := make(map[string]string, len(f.Errors))
	for _, p := range f.Summary() {
		out[p.Field] = p.Text()
	}
	return out
}

// Order is the fields in the order they were read, for the summary's order.
func (f *Form) Order() []string { return append([]string(nil), f.order...) }

// Text reads optional text of at most max characters (runes). Over the limit it is an error;
// the text is kept as typed.
func (f *Form) Text(name, label string, max int) string {
	v := f.raw(name, label)
	if utf8.RuneCountInString(v) > max {
		f.Fail(name, MsgMaxLength(max))
	}
	return v
}

// RequiredText is Text that must not be empty.
func (f *Form) RequiredText(name, label string, max int) string {
	v := f.Text(name, label, max)
	if v == "" {
		f.Fail(name, MsgRequired)
	}
	return v
}

// Date reads an optional date (ÅÅÅÅ-MM-DD) as midnight in Zone; ok is false when the field is
// empty or wrong (then with a message).
func (f *Form) Date(name, label string) (d time.Time, ok bool) {
	v := f.raw(name, label)
	if v == "" {
		return time.Time{}, false
	}
	d, err := ParseDate(v)
	if err != nil {
		f.Fail(name, MsgDate)
		return time.Time{}, false
	}
	return d, true
}

// RequiredDate is Date that must be given.
func (f *Form) RequiredDate(name, label string) (time.Time, bool) {
	d, ok := f.Date(name, label)
	if f.Values[name] == "" {
		f.Fail(name, MsgRequired)
	}
	return d, ok
}

// Int reads an optional whole number in lo…hi; ok is false when empty or wrong.
func (f *Form) Int(name, label string, lo, hi int) (n int, ok bool) {
	v := f.raw(name, label)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		f.Fail(name, MsgRange(lo, hi))
		return 0, false
	}
	return n, true
}

// RequiredInt is Int that must be given.
func (f *Form) RequiredInt(name, label string, lo, hi int) (int, bool) {
	n, ok := f.Int(name, label, lo, hi)
	if f.Values[name] == "" {
		f.Fail(name, MsgRequired)
	}
	return n, ok
}

// Choice reads a value that must be one of the allowed (reference data in force, say); an
// empty value is allowed here and caught by RequiredChoice.
func (f *Form) Choice(name, label string, allowed func(string) bool) string {
	v := f.raw(name, label)
	if v != "" && !allowed(v) {
		f.Fail(name, MsgChoose)
	}
	return v
}

// RequiredChoice is Choice that must be made.
func (f *Form) RequiredChoice(name, label string, allowed func(string) bool) string {
	v := f.Choice(name, label, allowed)
	if v == "" {
		f.Fail(name, MsgChoose)
	}
	return v
}

// Bool reads a checkbox: checked when its value is "true" or "on".
func (f *Form) Bool(name, label string) bool {
	v := f.raw(name, label)
	return v == "true" || v == "on"
}

// ParseDate reads ÅÅÅÅ-MM-DD as midnight in Zone. Only real calendar dates pass (no
// 2026-02-30).
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, s, Zone)
}

// Today is the Danish calendar date of the instant now, as midnight in Zone.
func Today(now time.Time) time.Time {
	y, m, d := now.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}
