package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/helhed/helhed/internal/helhed"
)

// SearchCap is how many matches a citizen search counts. A search with more says "over
// SearchCap" and asks for a more precise search: nobody reads a hundred Jensens, and the
// exact count of a common name would cost a pass over the whole unit.
const SearchCap = 100

// searchPage is how many matches a search shows (the rest are counted, up to SearchCap).
const searchPage = 50

// SearchResult is what a citizen search found: the first rows in name order, how many
// matched, and whether more than Total did (Total is then SearchCap).
type SearchResult struct {
	Rows  []CaseloadRow
	Total int
	More  bool
}

// SearchCitizens finds citizens of a unit by a substring of the full name or by the exact CPR
// number (f.UnitID with f.Name or f.CPR; other filters are not used). It is one statement:
// the matches in name order, at most SearchCap+1 of them, counted, and the first 50 with
// their current benefit and decision tasks (docs/benchmarks.md, "the search plan").
func (s *Store) SearchCitizens(ctx context.Context, f CitizenFilter) (SearchResult, error) {
	q, args := searchSQL(f, helhed.DanishToday(s.Now()))
	// A custom plan every time (the unnamed statement, still one round trip): how many
	// citizens a name matches decides between the trigram index and the unit's name order,
	// and a cached generic plan cannot know the name.
	args = append([]any{pgx.QueryExecModeExec}, args...)
	rows, _ := s.pool.Query(ctx, q, args...)
	var res SearchResult
	var err error
	if res.Rows, res.Total, err = collectCaseloadRows(rows); err != nil {
		return SearchResult{}, fmt.Errorf("search citizens: %w", err)
	}
	if res.Total > SearchCap {
		res.Total, res.More = SearchCap, true
	}
	return res, nil
}

// searchSQL is SearchCitizens's statement and arguments (its plan is tested in
// TestSearchPlanUsesIndexes).
func searchSQL(f CitizenFilter, today any) (string, []any) {
	// The caseload's filters, of which a search uses the unit, the name and the CPR number.
	w := citizenFilters(CitizenFilter{UnitID: f.UnitID, Name: f.Name, CPR: f.CPR})
	limit := w.arg(SearchCap + 1)
	page := w.arg(searchPage)
	todayArg := w.arg(today)
	return `
		WITH hits AS (
			SELECT c.id, c.last_name, c.first_name FROM citizens c` + w.where() + `
			ORDER BY c.last_name, c.first_name, c.id LIMIT ` + limit + `)
		SELECT p.id, p.cpr, p.first_name, p.last_name, p.visitation_code, p.risk_group, p.caseworker_name,
		       p.benefit_code, p.benefit_since, p.next_follow_up,
		       ho.due IS NOT NULL AS hearing_overdue, ad.due IS NOT NULL AS awaiting_decision,
		       (SELECT count(*) FROM hits) AS total
		FROM (
			SELECT c.id, c.cpr, c.first_name, c.last_name, c.visitation_code, c.risk_group, w.name AS caseworker_name,
			       b.benefit_code, b.start_date AS benefit_since, c.next_follow_up
			FROM (SELECT id FROM hits ORDER BY last_name, first_name, id LIMIT ` + page + `) h
			JOIN citizens c ON c.id = h.id
			LEFT JOIN users w ON w.id = c.caseworker_id` + currentBenefitJoin("c.id") + `
		) p` + decisionTaskJoins("p.id", todayArg+`::date`) + `
		ORDER BY p.last_name, p.first_name, p.id`, w.args
}
