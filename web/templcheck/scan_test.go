package templcheck

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	parser "github.com/a-h/templ/parser/v2"
)

// webDir is the root of the templates, relative to this package.
const webDir = ".."

// templFile is one parsed .templ file.
type templFile struct {
	path string // relative to web/, e.g. "pages/plans/plan.templ"
	dir  string // its package directory, relative to web/
	tf   *parser.TemplateFile
}

// templFiles parses every .templ file under web/.
func templFiles(t *testing.T) []templFile {
	t.Helper()
	var out []templFile
	err := filepath.WalkDir(webDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".templ") {
			return err
		}
		tf, err := parser.Parse(p)
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		rel, _ := filepath.Rel(webDir, p)
		out = append(out, templFile{path: filepath.ToSlash(rel), dir: filepath.Dir(p), tf: tf})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 20 {
		t.Fatalf("found only %d .templ files under %s", len(out), webDir)
	}
	return out
}

// visitElements calls fn for every HTML element in f with the nodes that enclose it, outermost
// first (elements, if/for/switch, and component calls with children such as
// @components.TableScroll(…) { … }).
func (f templFile) visitElements(fn func(el *parser.Element, outer []parser.Node)) {
	var walk func(n parser.Node, outer []parser.Node)
	walk = func(n parser.Node, outer []parser.Node) {
		if el, ok := n.(*parser.Element); ok {
			fn(el, outer)
		}
		if c, ok := n.(parser.CompositeNode); ok {
			inner := append(outer[:len(outer):len(outer)], n)
			for _, child := range c.ChildNodes() {
				walk(child, inner)
			}
		}
	}
	for _, n := range f.tf.Nodes {
		if ht, ok := n.(*parser.HTMLTemplate); ok {
			for _, child := range ht.Children {
				walk(child, nil)
			}
		}
	}
}

// attributes flattens an element's attributes, both branches of `if cond { attr }` included.
func attributes(as []parser.Attribute) []parser.Attribute {
	var out []parser.Attribute
	for _, a := range as {
		if c, ok := a.(*parser.ConditionalAttribute); ok {
			out = append(out, attributes(c.Then)...)
			out = append(out, attributes(c.Else)...)
			continue
		}
		out = append(out, a)
	}
	return out
}

// line is the 1-based line of a position, for messages.
func line(r parser.Range) int { return int(r.From.Line) + 1 }
