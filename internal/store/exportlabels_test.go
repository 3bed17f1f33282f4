package store_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// Every column of every table in the citizen's export that is information (not a key or
// bookkeeping) has a Danish label on the indsigt page.
func TestExportLabelsCoverEveryColumn(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	cols, err := store.New(pool).CitizenColumns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 50 {
		t.Fatalf("only %d citizen columns found", len(cols))
	}
	for _, c := range cols {
		label, shown := store.ExportLabel(c.Table, c.Name)
		if shown && label == c.Name {
			t.Errorf("%s.%s has no Danish label in exportColumnLabels", c.Table, c.Name)
		}
	}
	for _, key := range []string{"id", "citizen_id", "caseworker_id", "created_by", "version", "outcome_kind"} {
		if _, shown := store.ExportLabel("meeting_cases", key); shown {
			t.Errorf("%s is shown on the readable export; want it left out", key)
		}
	}
}

// auditActionRe finds the audit actions the code writes: the Audit… constants and the
// literal actions passed to audit(…), Audit(…) and AuditList(…).
var auditActionRe = regexp.MustCompile(`(?:Audit\w+\s*=\s*|[aA]udit(?:List)?\([^;\n]*?,\s*)"([a-z_]+\.[a-z_]+|logout)"`)

func TestAuditActionsHaveLabels(t *testing.T) {
	t.Parallel()
	found := map[string]bool{}
	for _, dir := range []string{".", "../web"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "auditlabels.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range auditActionRe.FindAllStringSubmatch(string(src), -1) {
				found[m[1]] = true
			}
		}
	}
	if len(found) < 40 {
		t.Fatalf("found only %d audit actions in the code: %v", len(found), found)
	}
	for a := range found {
		if store.AuditActionLabel(a) == a {
			t.Errorf("audit action %q has no Danish label in auditActionLabels", a)
		}
	}
}
