package plans

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/helhed/helhed/internal/access"
)

// The PDF is Chromium's print of exactly this document, so hostile text in every field of the
// printed plan — and in the title — must reach it as text: no markup, no javascript: URL.
// (Extracting text from the PDF itself would need a PDF parser for Chromium's compressed,
// subset fonts; the HTML is what decides what Chromium draws.)
func TestPDFDocumentEscapesFreeText(t *testing.T) {
	for _, payload := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:alert(1)`} {
		end := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		p := PrintProps{CitizenName: payload, CPR: "020385-XXXX", CitizenGoal: access.Shown(payload), Goals: access.Shown([]string{payload}),
			Efforts: []access.Gated[EffortRow]{access.Shown(EffortRow{Title: payload, Status: payload, Unit: payload, Person: payload, Contact: payload,
				Start: end.AddDate(0, -3, 0), End: &end})},
			NextFollowUp: &end, Caseworker: payload, Unit: payload, Version: 3, PrintedOn: end}
		var b strings.Builder
		if err := PDFDocument("Indsatsplan "+payload, Print(p)).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		for _, raw := range []string{"<script>alert", "<img src=x"} {
			if strings.Contains(html, raw) {
				t.Errorf("payload %q is unescaped in the PDF document (%q)", payload, raw)
			}
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(doc.Text(), payload); n < 9 {
			t.Errorf("payload %q shown as text %d times; want every field (9)", payload, n)
		}
		doc.Find("[href], [src]").Each(func(_ int, s *goquery.Selection) {
			for _, a := range []string{"href", "src"} {
				if v, ok := s.Attr(a); ok && strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "javascript:") {
					t.Errorf("%s=%q in the PDF document", a, v)
				}
			}
		})
		if doc.Find("script").Length() > 0 {
			t.Error("the PDF document has a script element")
		}
	}
}
