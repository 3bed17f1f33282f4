package store_test

import (
	"context"
	"testing"

	"github.com/helhed/helhed/internal/access"
)

// Every column that holds citizen data has a class, and the classification names no column
// that is gone: the list comes from the migrated schema, so a new column fails here until it
// joins the classification (internal/access/classify.go) — and with it the canary test.
func TestEveryCitizenColumnIsClassified(t *testing.T) {
	t.Parallel()
	st, _, _ := fixture(t)
	cols, err := st.CitizenColumns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 50 {
		t.Fatalf("only %d citizen columns found in the schema; the catalogue query is wrong", len(cols))
	}
	inSchema := map[string]bool{}
	for _, c := range cols {
		inSchema[c.Table+"."+c.Name] = true
		if _, ok := access.ClassOf(c.Table, c.Name); !ok {
			t.Errorf("%s.%s (%s) holds citizen data but has no class in internal/access/classify.go", c.Table, c.Name, c.Type)
		}
	}
	for _, c := range access.Classified() {
		if !inSchema[c.String()] {
			t.Errorf("%s is classified but is not a content column of a citizen table", c)
		}
	}
}
