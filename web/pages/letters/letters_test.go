package letters_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/web/pages/letters"
)

var head = letters.Head{
	Subject: "Afgørelse om ressourceforløb",
	Date:    time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC),
	Recipient: letters.Recipient{Name: "Søren Ærø Østergård", Address: "Åbrinken 4, 2. th.", PostalCode: "4640",
		City: "Faxe", CPR: "020385-XXXX"},
	Sender: letters.Sender{Unit: "Jobcenter Faxe", Caseworker: "Birthe Sørensen"},
}

var decision = letters.Afgoerelse{Head: head, Outcome: "Ressourceforløb i 2 år",
	Reasons:     "Du har brug for en længerevarende, helhedsorienteret indsats. <script>alert(1)</script>",
	Indstilling: &letters.IndstillingRef{Outcome: "Ressourceforløb", MeetingDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Followed: true},
	Klagevejledning: []string{
		"Hvis du ikke er enig i afgørelsen, kan du klage. Klagen skal være modtaget hos os senest 4 uger efter, at du har fået afgørelsen.",
		"Hvis vi fastholder afgørelsen, sender vi din klage videre til Ankestyrelsen.",
	}}

func render(t *testing.T, l letters.Letter) string {
	t.Helper()
	var buf bytes.Buffer
	if err := letters.Document(l).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// The HTML of every letter: the citizen's name and address, the masked CPR, user text
// escaped, and nothing of the app's chrome.
func TestLettersHTML(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 14, 9, 30, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		l    letters.Letter
		want []string
	}{
		"indkaldelse": {letters.Indkaldelse{Head: head, At: at, Place: "Jobcenter Faxe, Frederiksgade 9", Purpose: "Vi skal tale om din plan."}.Letter(),
			[]string{"indkaldt til en samtale", "14. december 2026 kl. 10.30", "bisidder", "Frederiksgade 9"}},
		"partshøring": {letters.Partshoering{Head: head, Matter: "Ressourceforløb", Basis: "Lægeattest af 1. november", Deadline: at}.Letter(),
			[]string{"Før vi gør det", "senest 14. december 2026", "Lægeattest af 1. november"}},
		"afgørelse": {decision.Letter(), []string{"Vi har besluttet: Ressourceforløb i 2 år.", "følger rehabiliteringsteamets indstilling",
			"Klagevejledning", "Ankestyrelsen", "&lt;script&gt;"}},
		"indstilling": {letters.Indstilling{Head: head, Team: "Rehabiliteringsteam Faxe", MeetingDate: at, Outcome: "Ressourceforløb",
			Reasons: "Uafklaret helbred", Efforts: "Mentor"}.Letter(), []string{"Teamet indstiller", "ikke en afgørelse", "Mentor"}},
	} {
		t.Run(name, func(t *testing.T) {
			html := render(t, tc.l)
			for _, w := range append(tc.want, "Søren Ærø Østergård", "Åbrinken 4, 2. th.", "4640 Faxe", "020385-XXXX", "Birthe Sørensen", `lang="da"`) {
				if !strings.Contains(html, w) {
					t.Errorf("letter lacks %q", w)
				}
			}
			if strings.Contains(html, "<script>") || strings.Contains(html, "<link") || strings.Contains(html, "src=") {
				t.Errorf("letter has a script, an unescaped text or fetches something: %s", html)
			}
		})
	}
	// A decision against the indstilling says so and what the team recommended.
	d := decision
	d.Indstilling = &letters.IndstillingRef{Outcome: "Fleksjob", MeetingDate: at, Followed: false}
	if html := render(t, d.Letter()); !strings.Contains(html, "indstillede på mødet 14. december 2026: Fleksjob. Vi følger ikke indstillingen.") {
		t.Errorf("a decision against the indstilling does not say so: %s", html)
	}
}

// The printed afgørelse, as the citizen gets it: the text extracted from the PDF holds the
// citizen's name with æ, ø and å intact, and the klagevejledning.
func TestAfgoerelsePDFText(t *testing.T) {
	t.Parallel()
	r := &pdf.Renderer{}
	t.Cleanup(r.Close)
	if !r.Available() || !hasPDFToText() {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have chromium and pdftotext (poppler-utils) to check the letter's text")
		}
		t.Skip("chromium or pdftotext (poppler-utils) is not installed")
	}
	doc, err := r.Render(context.Background(), render(t, decision.Letter()))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "afgoerelse.pdf")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, w := range []string{"Søren Ærø Østergård", "Åbrinken 4, 2. th.", "Afgørelse om ressourceforløb", "Klagevejledning",
		"senest 4 uger efter", "Ankestyrelsen", "Med venlig hilsen Birthe Sørensen"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF's text lacks %q:\n%s", w, text)
		}
	}
}

func hasPDFToText() bool {
	_, err := exec.LookPath("pdftotext")
	return err == nil
}
