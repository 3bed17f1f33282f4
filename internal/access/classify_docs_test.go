package access

import (
	"os"
	"strings"
	"testing"
)

// docs/security.md lists the classification for auditors and the data protection officer;
// it must say what the code does. Each classified column appears in a row of the table with
// its class, and the table names no column the code does not classify.
func TestSecurityDocListsTheClassification(t *testing.T) {
	raw, err := os.ReadFile("../../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]string{} // "table.column" → class named in the document
	for line := range strings.SplitSeq(string(raw), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		table := strings.Trim(strings.TrimSpace(cells[1]), "`")
		class := strings.TrimSpace(cells[2])
		for c := range strings.SplitSeq(cells[3], ",") {
			if col := strings.Trim(strings.TrimSpace(c), "`"); col != "" {
				doc[table+"."+col] = class
			}
		}
	}
	for _, c := range Classified() {
		got, ok := doc[c.String()]
		switch {
		case !ok:
			t.Errorf("docs/security.md does not list %s (%s)", c, c.Class)
		case got != c.Class.String():
			t.Errorf("docs/security.md lists %s as %q; the code says %q", c, got, c.Class)
		}
		delete(doc, c.String())
	}
	for col := range doc {
		t.Errorf("docs/security.md lists %s, which is not classified in the code", col)
	}
}
