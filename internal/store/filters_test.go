package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFilters(t *testing.T) {
	var f filters
	if f.where() != "" {
		t.Fatalf("no filters: %q", f.where())
	}
	f.add("c.unit_id = $?", int64(7))
	f.add("c.risk_group IS NULL")
	f.add("(c.first_name LIKE $? OR c.last_name LIKE $?)", "a%", "b%")
	limit := f.arg(50)
	if got, want := f.where()+" LIMIT "+limit, " WHERE c.unit_id = $1 AND c.risk_group IS NULL AND (c.first_name LIKE $2 OR c.last_name LIKE $3) LIMIT $4"; got != want {
		t.Errorf("where = %q\nwant    %q", got, want)
	}
	if diff := cmp.Diff([]any{int64(7), "a%", "b%", 50}, f.args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
}

// Codes are written into the statement only when they are plain words.
func TestCodeListRefusesAnythingButWords(t *testing.T) {
	if got := codeList([]string{"sendt", "modtaget"}); got != "'sendt', 'modtaget'" {
		t.Errorf("codeList = %s", got)
	}
	for _, bad := range []string{"", "x'); DROP TABLE referrals; --", "Sendt", "a b", "æble"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("codeList(%q) did not panic", bad)
				}
			}()
			codeList([]string{bad})
		}()
	}
}
