package templcheck

import (
	"strings"
	"testing"

	parser "github.com/a-h/templ/parser/v2"
)

// Every <table> of every template sits in components.TableScroll, the scrolling region that
// keeps a wide table's right-hand columns reachable on a narrow screen and by keyboard
// (DKFDS hides horizontal overflow, so a bare table is cut off at 320 px). The browser test
// internal/browsertest TestReflowAt320 checks the rendered pages.
func TestTablesScroll(t *testing.T) {
	tables := 0
	for _, f := range templFiles(t) {
		f.visitElements(func(el *parser.Element, outer []parser.Node) {
			if el.Name != "table" {
				return
			}
			tables++
			for _, n := range outer {
				if call, ok := n.(*parser.TemplElementExpression); ok && isTableScroll(call.Expression.Value, f.dir) {
					return
				}
			}
			t.Errorf("%s:%d: a <table> outside @components.TableScroll(…) { … }: on a narrow screen its right-hand columns are cut off",
				f.path, line(el.Range))
		})
	}
	if tables < 40 {
		t.Fatalf("found only %d tables in the templates; the scan is broken", tables)
	}
}

// isTableScroll reports whether a templ call expression is the scrolling container: called
// as components.TableScroll, or as TableScroll inside package components.
func isTableScroll(expr, dir string) bool {
	return strings.HasPrefix(expr, "components.TableScroll(") ||
		(strings.HasSuffix(dir, "components") && strings.HasPrefix(expr, "TableScroll("))
}
