package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"

	"github.com/helhed/helhed/web/components"
)

// writeCSV writes an aggregated table as a CSV file the way Danish spreadsheets open it:
// UTF-8 with a byte-order mark, semicolons between fields, the cells exactly as the page
// shows them (decimal comma, "<5" for suppressed figures). The file is built in memory first,
// so an error never sends half a file.
func writeCSV(w http.ResponseWriter, filename string, t components.StatTable) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	rows := [][]string{append([]string{t.RowHead}, t.Columns...)}
	add := func(r components.StatRow) {
		rec := []string{noFormula(r.Label)}
		for _, c := range r.Cells {
			rec = append(rec, noFormula(c.Text))
		}
		rows = append(rows, rec)
	}
	for _, r := range t.Rows {
		add(r)
	}
	if t.Foot != nil {
		add(*t.Foot)
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(filename)+`.csv"`)
	_, err := w.Write(buf.Bytes())
	return err
}

// noFormula keeps a spreadsheet from reading a cell as a formula: labels and notes are text
// that users typed, and "=HYPERLINK(…)" in a cell is an attack. A negative number ("-4,3")
// stays a number.
func noFormula(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if s[0] == '-' && len(s) > 1 && s[1] >= '0' && s[1] <= '9' && strings.Trim(s[1:], "0123456789.,") == "" {
		return s
	}
	return "'" + s
}

// safeFilename keeps letters, digits, dashes and underscores, so the header cannot be broken.
func safeFilename(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
}
