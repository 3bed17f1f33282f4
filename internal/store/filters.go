package store

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// filters builds the WHERE clause of a list query from the filters actually in use. Each
// condition is a constant SQL fragment whose placeholders are written "$?"; filters numbers
// them and keeps the arguments in step. So a list's SQL names only the filters it uses:
// PostgreSQL plans each combination once and reuses the plan (with "($1 = 0 OR col = $1)"
// a reused generic plan cannot drop the unused branch and falls back to a sequential scan,
// and planning every execution instead cost as much CPU as running the queries).
// Fragments are constants in the code: no input is ever written into the SQL text, only
// codes the program itself chooses (filters.codes), checked to be plain words.
type filters struct {
	conds []string
	args  []any
}

// add appends a condition with one argument per "$?" in cond.
func (f *filters) add(cond string, args ...any) {
	var b strings.Builder
	for i, part := range strings.Split(cond, "$?") {
		if i > 0 {
			f.args = append(f.args, args[i-1])
			b.WriteString("$" + strconv.Itoa(len(f.args)))
		}
		b.WriteString(part)
	}
	f.conds = append(f.conds, b.String())
}

// codes appends "col IN ('a', 'b', …)" with the codes written into the statement. It is for
// codes the program chooses (a tab's referral states), never for input: each must be a
// lower-case word or the call panics. PostgreSQL's cached generic plan of a prepared
// statement (what pgx runs after its fifth use) knows the codes and their frequencies only
// when they are in the text: with "col = ANY($1)" it planned the inbox as a pass over the
// unit's every referral, 30 times the work (TestInboxAndInvitationsAreIndexOnly).
func (f *filters) codes(col string, codes ...string) {
	f.conds = append(f.conds, col+" IN ("+codeList(codes)+")")
}

// codeList writes codes as SQL string literals, "'a', 'b'"; see filters.codes.
func codeList(codes []string) string {
	lits := make([]string, len(codes))
	for i, c := range codes {
		if !codeRE.MatchString(c) {
			panic(fmt.Sprintf("store: %q is not a code", c))
		}
		lits[i] = "'" + c + "'"
	}
	return strings.Join(lits, ", ")
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// arg adds an argument that is not a condition (a limit, an offset) and returns its
// placeholder.
func (f *filters) arg(v any) string {
	f.args = append(f.args, v)
	return "$" + strconv.Itoa(len(f.args))
}

// where is the WHERE clause ("" when no filter is in use).
func (f *filters) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}
