package browsertest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// Fill sets the form control labelled label: text fields are cleared and
// typed into with key events; a <select> gets the option whose text (or
// value) is value; date and time inputs get value (ÅÅÅÅ-MM-DD) directly,
// since typing into them depends on the browser's locale. A "\n" in value
// is the Enter key.
func (p *Page) Fill(label, value string) {
	p.t.Helper()
	sel := p.find("control", "controls", label)
	e := el(sel)
	kind := Eval[string](p, e+`.tagName.toLowerCase() + ":" + (`+e+`.type || "")`)
	v, _ := json.Marshal(value)
	set := func(expr string) {
		if errText := Eval[string](p, expr); errText != "" {
			p.fatalf("fill %q: %s", label, errText)
		}
	}
	switch {
	case strings.HasPrefix(kind, "select:"):
		set(`((s, want) => {
			const o = [...s.options].find((o) => o.text.replace(/\s+/g, " ").trim() === want || o.value === want);
			if (!o) return "no option " + JSON.stringify(want) + "; options: " + JSON.stringify([...s.options].map((o) => o.text.trim()));
			s.value = o.value;
			s.dispatchEvent(new Event("input", {bubbles: true}));
			s.dispatchEvent(new Event("change", {bubbles: true}));
			return "";
		})(` + e + `, ` + string(v) + `)`)
	case kind == "input:checkbox" || kind == "input:radio":
		p.fatalf("fill %q: it is a %s; use Check or Choose", label, kind)
	case kind == "input:date" || kind == "input:time" || kind == "input:datetime-local" || kind == "input:month" ||
		kind == "input:week" || kind == "input:color" || kind == "input:range":
		set(`((i, v) => {
			i.value = v;
			if (i.value !== v) return "the browser refused " + JSON.stringify(v) + " for a " + i.type + " input";
			i.dispatchEvent(new Event("input", {bubbles: true}));
			i.dispatchEvent(new Event("change", {bubbles: true}));
			return "";
		})(` + e + `, ` + string(v) + `)`)
	default:
		Eval[chromedp.Void](p, e+`.value = ""`)
		p.run(fmt.Sprintf("type into %q", label), chromedp.SendKeys(sel, value))
		if got := Eval[string](p, e+`.value`); !strings.Contains(value, "\n") && got != value {
			p.fatalf("fill %q: typed %q but the field holds %q (maxlength? a script?)", label, value, got)
		}
	}
}

// Attach chooses the file at path (relative to the test's package, e.g.
// "testdata/laegeattest.pdf") in the file input labelled label, as a user
// does in the browser's file dialog.
func (p *Page) Attach(label, path string) {
	p.t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		p.fatalf("attach %q: %v", path, err)
	}
	sel := p.find("control", "controls", label)
	p.run(fmt.Sprintf("attach %q to %q", path, label), chromedp.SetUploadFiles(sel, []string{abs}))
	if n := Eval[int](p, el(sel)+`.files.length`); n != 1 {
		p.fatalf("attach %q to %q: the input holds %d files", path, label, n)
	}
}

// Value returns the current value of the control labelled label (for a
// <select>, the text of the chosen option).
func (p *Page) Value(label string) string {
	p.t.Helper()
	e := el(p.find("control", "controls", label))
	return Eval[string](p, `((c) => c.tagName === "SELECT" ? (c.selectedIndex >= 0 ? c.options[c.selectedIndex].text.trim() : "") : c.value)(`+e+`)`)
}

// Check ticks (on=true) or clears the checkbox labelled label, by clicking
// its label as a user does.
func (p *Page) Check(label string, on bool) {
	p.t.Helper()
	e := el(p.find("control", "controls", label))
	if Eval[bool](p, e+`.checked`) != on {
		p.run(fmt.Sprintf("click %q", label), chromedp.Click(chromedp.JSPath(e+`.labels[0]`)))
	}
	if Eval[bool](p, e+`.checked`) != on {
		p.fatalf("checkbox %q did not change", label)
	}
}

// Choose picks the radio button labelled option in the group (fieldset)
// whose legend is legend.
func (p *Page) Choose(legend, option string) {
	p.t.Helper()
	e := el(p.find("control", "choices", legend, option))
	p.run(fmt.Sprintf("choose %q in %q", option, legend), chromedp.Click(chromedp.JSPath(e+`.labels[0]`)))
	if !Eval[bool](p, e+`.checked`) {
		p.fatalf("radio %q in %q is not chosen after a click on its label", option, legend)
	}
}

// Chosen returns the label of the radio button chosen in the group
// (fieldset) whose legend is legend, or "" when none is chosen.
func (p *Page) Chosen(legend string) string {
	p.t.Helper()
	fs := el(p.find("group", "fieldsets", legend))
	return Eval[string](p, p.lookup("chosen", rawJS(fs)))
}

// FieldError is the error message shown beside a form control.
type FieldError struct {
	Text      string // the message in the control's form group ("" if none)
	Described bool   // the control's aria-describedby points at the message
	Invalid   bool   // the control has aria-invalid="true"
}

// FieldError returns the error shown beside the control labelled label.
func (p *Page) FieldError(label string) FieldError {
	p.t.Helper()
	e := el(p.find("control", "controls", label))
	return Eval[FieldError](p, js("fieldError", rawJS(e)))
}

// ExpectFieldError fails the test unless the control labelled label shows an
// error containing text beside it, is marked aria-invalid and points at the
// message with aria-describedby (so a screen reader reads it with the field).
func (p *Page) ExpectFieldError(label, text string) {
	p.t.Helper()
	fe := p.FieldError(label)
	switch {
	case !strings.Contains(fe.Text, text):
		p.fatalf("field %q: error beside it is %q; want it to contain %q", label, fe.Text, text)
	case !fe.Invalid:
		p.t.Errorf("field %q shows an error but is not aria-invalid=true", label)
	case !fe.Described:
		p.t.Errorf("field %q: its error %q is not referenced by aria-describedby", label, fe.Text)
	}
}
