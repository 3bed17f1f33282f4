package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// sightOf is what user (id, unit, role) may see of citizen, as the web layer computes it.
func (c *catalogue) sightOf(userID, unitID int64, role string, citizen int64) access.Sight {
	c.t.Helper()
	u := access.User{ID: userID, UnitID: unitID, Role: role}
	rel, err := c.st.Relation(c.ctx, u, citizen)
	if err != nil {
		c.t.Fatal(err)
	}
	return access.SightOf(u, rel)
}

// caseworkerSight is the coordinating caseworker's sight of citizen: the whole case.
func (c *catalogue) caseworkerSight(citizen int64) access.Sight {
	return c.sightOf(c.cw, c.jobcenter, access.RoleCaseworker, citizen)
}

func (c *catalogue) note(w store.Who, citizen int64, sight access.Sight, in store.NoteInput) int64 {
	c.t.Helper()
	if in.Kind == "" {
		in.Kind = "samtale"
	}
	if in.Class == "" {
		in.Class = "sag"
	}
	if in.EventDate.IsZero() {
		in.EventDate = c.st.Now()
	}
	id, err := c.st.CreateNote(c.ctx, w, citizen, sight, in)
	if err != nil {
		c.t.Fatal(err)
	}
	return id
}

// The author may amend a note until the lock period has passed on the store's clock: at
// 23 h 59 min, not at 24 h 01 min, when the refusal says why in Danish and changes nothing.
// After the lock, a correction is a new note that refers to the old one, and each shows the
// other on the timeline.
func TestNoteLocksAfterThePeriod(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	cph := danish(t)
	written := time.Date(2026, 3, 2, 9, 15, 0, 0, cph)
	c.st.Now = func() time.Time { return written }
	a := c.citizen()
	sight := c.caseworkerSight(a)
	id := c.note(c.cwWho, a, sight, store.NoteInput{Text: "Samtale om praktik hos Brugsen."})

	c.st.Now = func() time.Time { return written.Add(23*time.Hour + 59*time.Minute) }
	if err := c.st.AmendNote(c.ctx, c.cwWho, a, id, 1, "Samtale om praktik hos Netto."); err != nil {
		t.Fatalf("amend at 23h59m: %v", err)
	}
	if err := c.st.AmendNote(c.ctx, c.cwWho, a, id, 1, "Forældet udgave"); helhed.ErrorCode(err) != helhed.EConflict {
		t.Errorf("amend on a stale version: %v; want a conflict", err)
	}
	if err := c.st.AmendNote(c.ctx, c.nurseWho, a, id, 2, "Andens ord"); helhed.ErrorCode(err) != helhed.EForbidden {
		t.Errorf("amend by someone else: %v; want forbidden", err)
	}

	c.st.Now = func() time.Time { return written.Add(24*time.Hour + time.Minute) }
	err := c.st.AmendNote(c.ctx, c.cwWho, a, id, 2, "For sent")
	if helhed.ErrorCode(err) != helhed.EConflict || !strings.Contains(helhed.ErrorMessage(err), "låst 24 timer efter") ||
		!strings.Contains(helhed.ErrorMessage(err), "rettelse") {
		t.Fatalf("amend at 24h01m: %v; want the Danish lock message", err)
	}
	n, err := c.st.NoteByID(c.ctx, a, id, sight)
	if err != nil {
		t.Fatal(err)
	}
	if n.Text != "Samtale om praktik hos Netto." || n.Version != 2 || n.AmendedAt == nil || !n.Locked ||
		!n.LocksAt.Equal(written.Add(24*time.Hour)) {
		t.Fatalf("after the refused amendment: %+v", n)
	}

	fix := c.note(c.cwWho, a, sight, store.NoteInput{Text: "Rettelse: praktikken er hos Netto i Faxe.", CorrectsID: id})
	notes, total, err := c.st.ListNotes(c.ctx, c.cwWho, a, sight, store.NoteFilter{}, store.Page{Number: 1, PerPage: 20})
	if err != nil || total != 2 || len(notes) != 2 {
		t.Fatalf("timeline: %d of %d, %v; want both notes", len(notes), total, err)
	}
	// Same event date: the later written comes first.
	newer, older := notes[0], notes[1]
	if newer.ID != fix || older.ID != id {
		t.Fatalf("timeline order: %d, %d; want the correction first", newer.ID, older.ID)
	}
	if newer.CorrectsID == nil || *newer.CorrectsID != id || newer.CorrectsAt == nil || !newer.CorrectsAt.Equal(written) {
		t.Errorf("the correction does not refer to the note written %v: %+v", written, newer)
	}
	if len(older.CorrectedAt) != 1 || !older.CorrectedAt[0].Equal(c.st.Now()) || older.CorrectedHidden {
		t.Errorf("the old note does not show its correction: %+v", older)
	}
	if newer.Locked {
		t.Error("the new correction is locked at once")
	}
	var actions []string
	rows, _ := c.st.Pool().Query(c.ctx, `SELECT action || ': ' || detail FROM audit_events WHERE citizen_id = $1 AND action LIKE 'journal.%' ORDER BY id`, a)
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, s)
	}
	want := []string{"journal.create: notat " + itoa(id) + " (samtale, sag)", "journal.amend: notat " + itoa(id) + " redigeret inden låsning (version 2)",
		"journal.correct: notat " + itoa(fix) + " (samtale, sag) retter notat " + itoa(id)}
	if strings.Join(actions, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit rows:\n%s\nwant:\n%s", strings.Join(actions, "\n"), strings.Join(want, "\n"))
	}

	// A correction refers to a note of the same citizen.
	b := c.citizen()
	if _, err := c.st.CreateNote(c.ctx, c.cwWho, b, c.caseworkerSight(b), store.NoteInput{Kind: "samtale", Class: "sag",
		EventDate: c.st.Now(), Text: "x", CorrectsID: id}); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("a correction of another citizen's note: %v; want not found", err)
	}
}

// The lock period is the store's setting.
func TestNoteLockIsConfigurable(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	written := time.Date(2026, 3, 2, 9, 0, 0, 0, danish(t))
	c.st.Now = func() time.Time { return written }
	c.st.NoteLock = time.Hour
	a := c.citizen()
	id := c.note(c.cwWho, a, c.caseworkerSight(a), store.NoteInput{Text: "Telefon"})
	c.st.Now = func() time.Time { return written.Add(61 * time.Minute) }
	err := c.st.AmendNote(c.ctx, c.cwWho, a, id, 1, "Telefonsamtale")
	if helhed.ErrorCode(err) != helhed.EConflict || !strings.Contains(helhed.ErrorMessage(err), "låst 1 time efter") {
		t.Fatalf("amend after a 1-hour lock: %v", err)
	}
}

// The search is PostgreSQL's Danish full text: "samtaler" finds "samtale", a note without
// the word is not found, and another citizen's notes never are.
func TestNoteSearchIsDanishAndScopedToTheCitizen(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	a, b := c.citizen(), c.citizen()
	sight := c.caseworkerSight(a)
	hit := c.note(c.cwWho, a, sight, store.NoteInput{Text: "God samtale med borgeren om en praktikplads."})
	c.note(c.cwWho, a, sight, store.NoteInput{Kind: "telefonsamtale", Text: "Ringede til egen læge om attest."})
	c.note(c.cwWho, b, c.caseworkerSight(b), store.NoteInput{Text: "Samtale med Bo om hans fremtid."})

	search := func(q string) []int64 {
		t.Helper()
		notes, total, err := c.st.ListNotes(c.ctx, c.cwWho, a, sight, store.NoteFilter{Query: q}, store.Page{Number: 1, PerPage: 20})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		if total != len(notes) {
			t.Errorf("search %q: total %d, %d rows", q, total, len(notes))
		}
		var ids []int64
		for _, n := range notes {
			ids = append(ids, n.ID)
		}
		return ids
	}
	if got := search("samtaler"); len(got) != 1 || got[0] != hit {
		t.Errorf(`"samtaler" found %v; want only note %d (stemmed to "samtale", and not the other citizen's)`, got, hit)
	}
	if got := search("tandlæge"); len(got) != 0 {
		t.Errorf(`"tandlæge" found %v; want nothing`, got)
	}
	// Whatever is typed is a search, never a syntax error.
	for _, q := range []string{`"samtale`, `samtale & | !`, `:*`, `'`} {
		search(q)
	}
	var audited int
	if err := c.st.Pool().QueryRow(c.ctx, `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action = $2 AND detail = 'journal, fritekstsøgning'`,
		a, store.AuditCitizenView).Scan(&audited); err != nil || audited < 3 {
		t.Errorf("searches audited as journal views: %d, %v", audited, err)
	}
}

// A note of 1 MB is refused with the Danish message naming its length; nothing is stored.
func TestNoteTooLongIsRefused(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	a := c.citizen()
	sight := c.caseworkerSight(a)
	_, err := c.st.CreateNote(c.ctx, c.cwWho, a, sight, store.NoteInput{Kind: "samtale", Class: "sag", EventDate: c.st.Now(),
		Text: strings.Repeat("x", 1<<20)})
	var de *helhed.Error
	if !errors.As(err, &de) || de.Code != helhed.EInvalid || !strings.Contains(de.Fields[helhed.FieldNoteText], "1.048.576 tegn") {
		t.Fatalf("a 1 MB note: %v; want invalid with the length beside the text", err)
	}
	// The database holds the limit too.
	_, err = c.st.Pool().Exec(c.ctx, `INSERT INTO journal_notes (citizen_id, kind, event_date, text, author_id, unit_id)
		VALUES ($1, 'samtale', current_date, repeat('x', $2), $3, $4)`, a, helhed.MaxNoteText+1, c.cw, c.jobcenter)
	if err == nil {
		t.Error("the database accepts a note over the limit")
	}
	var n int
	if err := c.st.Pool().QueryRow(c.ctx, `SELECT count(*) FROM journal_notes`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("notes stored: %d, %v; want none", n, err)
	}
	c.note(c.cwWho, a, sight, store.NoteInput{Text: strings.Repeat("æ", helhed.MaxNoteText)})
}

// Which notes a viewer gets is decided in the query: a health note of the jobcenter reaches the
// health centre only under a health consent, its own notes always; counts and pages hold only
// what the viewer may see, and a correction the viewer may not read is marked, not shown.
func TestNotesFollowTheViewersSight(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	offer := c.offer(store.OfferInput{Name: "Rygestop", ProviderUnitID: c.health})
	a := c.citizen()
	// A referral to the health centre without a health consent (made in SQL: the app asks
	// for the consent first), so the nurse has a relation to the citizen but no consent.
	if _, err := c.st.Pool().Exec(c.ctx, `
		INSERT INTO referrals (citizen_id, offer_id, from_user_id, from_unit_id, to_unit_id, state, citizen_accepted)
		VALUES ($1, $2, $3, $4, $5, 'sendt', true)`, a, offer, c.cw, c.jobcenter, c.health); err != nil {
		t.Fatal(err)
	}
	cw := c.caseworkerSight(a)
	caseNote := c.note(c.cwWho, a, cw, store.NoteInput{Text: "Sagsnotat"})
	healthNote := c.note(c.cwWho, a, cw, store.NoteInput{Class: "helbred", Text: "Borgeren har ondt i ryggen"})
	c.note(c.cwWho, a, cw, store.NoteInput{Class: "social", Text: "Borgeren er sat ud af sin bolig"})
	nurse := c.sightOf(c.nurse, c.health, access.RoleHealth, a)
	own := c.note(c.nurseWho, a, nurse, store.NoteInput{Class: "helbred", Kind: "opfoelgning", Text: "Mødte op til rygestop"})
	// The caseworker corrects the case note with a health note.
	c.note(c.cwWho, a, cw, store.NoteInput{Class: "helbred", Text: "Rettelse med helbred", CorrectsID: caseNote})

	ids := func(s access.Sight, f store.NoteFilter) ([]int64, int) {
		t.Helper()
		notes, total, err := c.st.ListNotes(c.ctx, c.cwWho, a, s, f, store.Page{Number: 1, PerPage: 2})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, n := range notes {
			out = append(out, n.ID)
			if n.ID == caseNote && s == nurse && (!n.CorrectedHidden || len(n.CorrectedAt) != 0) {
				t.Errorf("the case note's health correction is not marked as withheld for the nurse: %+v", n)
			}
		}
		return out, total
	}
	if _, total := ids(cw, store.NoteFilter{}); total != 5 {
		t.Errorf("the caseworker sees %d notes; want all 5", total)
	}
	got, total := ids(nurse, store.NoteFilter{})
	if total != 2 || len(got) != 2 {
		t.Errorf("the nurse without consent: %v of %d; want the case note and her own", got, total)
	}
	if _, err := c.st.NoteByID(c.ctx, a, healthNote, nurse); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("the jobcenter's health note by id for the nurse without consent: %v; want not found", err)
	}
	if _, err := c.st.CreateNote(c.ctx, c.nurseWho, a, nurse, store.NoteInput{Kind: "andet", Class: "sag", EventDate: c.st.Now(),
		Text: "x", CorrectsID: healthNote}); !errors.Is(err, helhed.ErrNotFound) {
		t.Errorf("correcting a note one may not read: %v; want not found", err)
	}
	if got, _ := ids(nurse, store.NoteFilter{Kind: "opfoelgning"}); len(got) != 1 || got[0] != own {
		t.Errorf("the nurse's filter on kind: %v; want her own note", got)
	}
	authors, err := c.st.NoteAuthors(c.ctx, a, nurse)
	if err != nil || len(authors) != 2 {
		t.Errorf("authors the nurse sees: %v, %v; want both", authors, err)
	}

	c.consent(a, c.health, "helbred")
	nurse = c.sightOf(c.nurse, c.health, access.RoleHealth, a)
	if _, total := ids(nurse, store.NoteFilter{}); total != 4 {
		t.Errorf("the nurse with a health consent sees %d notes; want all but the social one", total)
	}
	if _, err := c.st.NoteByID(c.ctx, a, healthNote, nurse); err != nil {
		t.Errorf("the health note with consent: %v", err)
	}
	notes, total, err := c.st.NoteSummary(c.ctx, a, nurse, 3)
	if err != nil || total != 4 || len(notes) != 3 {
		t.Errorf("the overview's summary: %d of %d, %v; want 3 of 4", len(notes), total, err)
	}
}

// The application's database role may write a note and amend its text, and nothing else:
// a note is never deleted or rewritten by the application, only by the case's deletion.
func TestRuntimeRoleCannotRewriteOrDeleteNotes(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	a := c.citizen()
	id := c.note(c.cwWho, a, c.caseworkerSight(a), store.NoteInput{Text: "Samtale"})
	for _, q := range []string{
		`DELETE FROM journal_notes WHERE id = $1`,
		`UPDATE journal_notes SET class = 'helbred' WHERE id = $1`,
		`UPDATE journal_notes SET created_at = now() - interval '2 days' WHERE id = $1`,
		`UPDATE journal_notes SET author_id = author_id WHERE id = $1`,
	} {
		if _, err := c.st.Pool().Exec(context.Background(), q, id); err == nil {
			t.Errorf("%s succeeded as the application's role", q)
		}
	}
}

// The art. 15 export carries the journal with Danish keys: the kind by its label, the author
// by name, the reference to a corrected note; not the search vector, which is the text again.
func TestExportHasTheJournalInDanish(t *testing.T) {
	t.Parallel()
	c := newCatalogue(t)
	a := c.citizen()
	sight := c.caseworkerSight(a)
	old := c.note(c.cwWho, a, sight, store.NoteInput{Kind: "partshoering", Class: "helbred", Text: "Partshøring om sygedagpenge"})
	c.note(c.cwWho, a, sight, store.NoteInput{Text: "Rettelse", CorrectsID: old})
	ex, err := c.st.ExportCitizen(c.ctx, c.cwWho, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range ex.Sections {
		if sec.Table != "journal_notes" {
			continue
		}
		if sec.Title != "Journalnotater" || len(sec.Rows) != 2 {
			t.Fatalf("journal section: %q with %d rows", sec.Title, len(sec.Rows))
		}
		first, second := sec.Rows[0], sec.Rows[1]
		if first["notattype"] != "Partshøring" || first["tekst"] != "Partshøring om sygedagpenge" || first["klassifikation"] != "helbred" ||
			first["skrevet_af"] != "Case Worker" || second["retter_notat"] != float64(old) {
			t.Errorf("exported notes: %v", sec.Rows)
		}
		for _, r := range sec.Rows {
			if _, ok := r["search"]; ok {
				t.Error("the export carries the search vector")
			}
			// The indsigt page names each key in Danish.
			for k := range r {
				if l, shown := store.ExportLabel(sec.Table, k); shown && l == k {
					t.Errorf("journal key %q has no Danish label (store.exportColumnLabels)", k)
				}
			}
		}
		return
	}
	t.Fatal("no journal section in the export")
}
