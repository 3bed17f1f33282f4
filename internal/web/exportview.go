package web

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/web/components"
	"github.com/helhed/helhed/web/format"
	"github.com/helhed/helhed/web/pages/citizens"
	"github.com/helhed/helhed/web/paths"
)

// readableExport turns the export's rows into what a citizen can read: Danish column labels
// (store.ExportLabel) instead of column names, keys and bookkeeping left out, reference codes
// as their labels, dates and times the Danish way, yes/no instead of true/false, and the
// look-ups' actions named (store.AuditActionLabel). The JSON download keeps the raw export.
func (s *Server) readableExport(ctx context.Context, citizenID int64, ex store.Export) (citizens.ReadableExport, error) {
	out := citizens.ReadableExport{GeneratedAt: ex.GeneratedAt}
	labels := map[string]store.RefSet{}
	refLabel := func(kind, code string) (string, error) {
		set, ok := labels[kind]
		if !ok {
			vs, err := s.vocab.Values(ctx, kind)
			if err != nil {
				return "", err
			}
			set = store.RefSet(vs)
			labels[kind] = set
		}
		if l := set.Label(code); l != "" {
			return l, nil
		}
		return code, nil
	}
	for _, sec := range ex.Sections {
		rs := citizens.ReadableSection{Title: sec.Title}
		if sec.Table == "document_chunks" {
			// The documents' content is downloaded from their links, not listed piece by
			// piece; the JSON export lists the pieces.
			if len(sec.Rows) > 0 {
				rs.Note = chunkSummary(sec.Rows)
			}
			out.Sections = append(out.Sections, rs)
			continue
		}
		var keys []string
		seen := map[string]bool{}
		for _, row := range sec.Rows {
			for k := range row {
				if _, shown := store.ExportLabel(sec.Table, k); shown && !seen[k] {
					seen[k] = true
					keys = append(keys, k)
				}
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			l, _ := store.ExportLabel(sec.Table, k)
			rs.Columns = append(rs.Columns, l)
		}
		for _, row := range sec.Rows {
			cells := make([]citizens.ReadableCell, len(keys))
			for i, k := range keys {
				v := row[k]
				if kind, ok := row[k+"_kind"].(string); ok {
					if code, ok := v.(string); ok {
						l, err := refLabel(kind, code)
						if err != nil {
							return out, err
						}
						cells[i].Text = l
						continue
					}
				}
				cells[i].Text = readableValue(k, v)
				// Each document downloads from its file name, as it was uploaded.
				if sec.Table == "documents" && k == "filnavn" {
					if id, ok := row["id"].(float64); ok {
						cells[i].Href = paths.Document(citizenID, int64(id))
					}
				}
			}
			rs.Rows = append(rs.Rows, cells)
		}
		out.Sections = append(out.Sections, rs)
	}
	for _, l := range ex.Lookups {
		out.Lookups = append(out.Lookups, citizens.ReadableLookup{At: l.At, Action: store.AuditActionLabel(l.Action)})
	}
	return out, nil
}

// chunkSummary says how much the documents' content holds, in how many pieces.
func chunkSummary(rows []map[string]any) string {
	var total float64
	for _, r := range rows {
		b, _ := r["bytes"].(float64)
		total += b
	}
	return "Dokumenternes indhold fylder " + strconv.FormatFloat(total, 'f', 0, 64) + " bytes i " + strconv.Itoa(len(rows)) +
		" dele. Hent hvert dokument med linket under Dokumenter; JSON-udtrækket lister delene."
}

// prepLabels name the forberedende del's sections inside its document.
var prepLabels = func() map[string]string {
	m := map[string]string{}
	for _, s := range helhed.PrepSections {
		m[s.Key] = s.Label
	}
	return m
}()

// readableValue renders one exported value: codes the program fixes by their Danish names,
// times and dates the Danish way, documents as "label: value" lines.
func readableValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "Ja"
		}
		return "Nej"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		switch key {
		case "risk_group", "computed_group", "final_group":
			return components.RiskLabel(x)
		case "class", "klassifikation":
			// A note's, document's or letter's class, by what it means to the citizen.
			switch x {
			case "sag":
				return "Sagsoplysninger"
			case "helbred":
				return "Helbredsoplysninger"
			case "social":
				return "Sociale forhold"
			}
		case "result":
			switch x {
			case helhed.HearingAnswered:
				return "Svar modtaget"
			case helhed.HearingNoResponse:
				return "Intet svar inden fristen"
			}
		case "state", "from_state", "to_state":
			if l := helhed.ReferralState(x).Label(); l != "" {
				return l
			}
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return format.DateTime(t)
		}
		if t, err := time.Parse(time.DateOnly, x); err == nil {
			return format.Date(t)
		}
		return x
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if p := readableValue(key, e); p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		ks := make([]string, 0, len(x))
		for k := range x {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		lines := make([]string, 0, len(ks))
		for _, k := range ks {
			label := k
			if l, ok := prepLabels[k]; ok {
				label = l
			}
			if p := readableValue(k, x[k]); p != "" {
				lines = append(lines, label+": "+p)
			}
		}
		return strings.Join(lines, "\n")
	}
	return ""
}
