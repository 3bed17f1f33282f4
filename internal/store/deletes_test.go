package store_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
)

// deleteReasons is every DELETE the store may run, by file and table, with the reason it is
// allowed. Nothing a case depends on is hard-deleted outside retention: a DELETE from a
// citizen table (one reached from citizens through foreign keys) anywhere but the retention
// job needs a reason here that says why the row is not part of the case record. A new DELETE
// fails TestEveryDeleteHasAReason until it is listed.
var deleteReasons = map[string]string{
	"retention.go citizens": "retention: the case's deletion date has passed (or art. 17 applies); everything the case holds goes by ON DELETE CASCADE, audited",
	"assessments.go assessment_participants": "only while the TFA is a draft: the planning list of who is to take part, " +
		"not a record; a concluded TFA's participants never change",
	"logins.go login_failures":             "security bookkeeping about a username, not about a citizen",
	"submissions.go form_submissions":      "idempotency claims of forms, not case data; kept a day",
	"submissions.go self_form_submissions": "idempotency claims of the citizen area's forms, keyed by a hash of the session, not case data; kept a day",
	"teams.go rehab_team_members":          "the team's current members; who sat on a meeting is in the meeting, and the change is audited",
	"initiatives.go initiative_offers":     "a strategy initiative's current offers: management data, not about a citizen",
	"sso.go sso_group_mappings":            "configuration of which identity-provider group gives which unit and role, not about a citizen; the removal is audited with what it was",
	"samlreplay.go saml_assertions":        "a replay cache of SAML assertion IDs, not about a citizen: an ID whose assertion has expired is worth nothing (the assertion is refused for its time anyway)",
}

var deleteRe = regexp.MustCompile(`(?i)\bDELETE\s+FROM\s+([a-z_]+)`)

func TestEveryDeleteHasAReason(t *testing.T) {
	t.Parallel()
	pool, _ := testdb.New(t)
	citizenTables, err := store.New(pool).CitizenTables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	citizenTables = append(citizenTables, "citizens")
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range deleteRe.FindAllStringSubmatch(string(src), -1) {
			key := f + " " + strings.ToLower(m[1])
			seen[key] = true
			if _, ok := deleteReasons[key]; !ok {
				what := "table"
				if slices.Contains(citizenTables, strings.ToLower(m[1])) {
					what = "citizen table: the case record must be kept, so mark the row instead (as withdrawn, retired, corrected)"
				}
				t.Errorf("%s: DELETE FROM %s (%s) has no reason in deleteReasons", f, m[1], what)
			}
		}
	}
	for key := range deleteReasons {
		if !seen[key] {
			t.Errorf("deleteReasons lists %q, which the store no longer runs: remove it", key)
		}
	}
	// The meeting_cases mistake: an agenda removal must not delete (TestWithdrawnCaseKeepsItsRecord).
	for key := range deleteReasons {
		if strings.HasSuffix(key, " meeting_cases") {
			t.Errorf("%s: a case taken off an agenda is marked withdrawn, never deleted", key)
		}
	}
}
