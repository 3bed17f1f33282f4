package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/store"
)

// pdfOf is a PDF-looking file of n bytes (the signature, filler, the end marker).
func pdfOf(n int) []byte {
	b := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
	copy(b, "%PDF-1.4\n")
	copy(b[n-6:], "%%EOF\n")
	return b
}

// documentRows counts the documents and content pieces in the database.
func documentRows(t *testing.T, st *store.Store) (docs, chunks int) {
	t.Helper()
	if err := st.Pool().QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM document_chunks)`).Scan(&docs, &chunks); err != nil {
		t.Fatal(err)
	}
	return docs, chunks
}

func readAll(t *testing.T, st *store.Store, d store.Document) []byte {
	t.Helper()
	rc, err := st.OpenDocument(context.Background(), who, d)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A document is streamed into pieces and read back byte for byte, with its size, checksum,
// detected type and audit rows; the class defaults by the type.
func TestAddDocumentStoresAndReadsBack(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "t"}
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	if err != nil {
		t.Fatal(err)
	}
	content := pdfOf(2*store.ChunkSize + 12345) // three pieces, the last one partial
	// Read in small, uneven pieces, as a request body arrives.
	d, err := st.AddDocument(ctx, w, id, store.NewDocument{Title: "Lægeattest fra egen læge", Type: "laegeattest", Filename: "LÆ 265.pdf"},
		iotest.HalfReader(bytes.NewReader(content)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if d.ContentType != "application/pdf" || d.Size != int64(len(content)) || !bytes.Equal(d.SHA256, sum[:]) || d.Class != "helbred" || d.Filename != "LÆ 265.pdf" {
		t.Fatalf("stored %+v", d)
	}
	if docs, chunks := documentRows(t, st); docs != 1 || chunks != 3 {
		t.Fatalf("%d documents, %d pieces; want 1 and 3", docs, chunks)
	}
	got, err := st.DocumentByID(ctx, id, d.ID)
	if err != nil || got.Size != d.Size || !bytes.Equal(got.SHA256, d.SHA256) || got.UploadedBy != "Case Worker" {
		t.Fatalf("loaded %+v, %v", got, err)
	}
	if b := readAll(t, st, got); !bytes.Equal(b, content) {
		t.Fatalf("read back %d bytes that differ from the %d stored", len(b), len(content))
	}
	var audits int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE citizen_id = $1 AND action = ANY($2)`, id,
		[]string{store.AuditDocumentUpload, store.AuditDocumentDownload}).Scan(&audits); err != nil || audits != 2 {
		t.Fatalf("%d audit rows (%v); want the upload and the download", audits, err)
	}
	// A letter is case data unless the uploader says otherwise; Helhed itself may file one.
	letter, err := st.AddDocument(ctx, store.Who{}, id, store.NewDocument{Title: "Indkaldelse", Type: "brev_til_borger", Filename: "brev.pdf"},
		bytes.NewReader(pdfOf(100)))
	if err != nil || letter.Class != "sag" {
		t.Fatalf("letter: %+v, %v", letter, err)
	}
	if got, _ := st.DocumentByID(ctx, id, letter.ID); got.UploadedBy != "" {
		t.Fatalf("a document Helhed made names %q as its uploader", got.UploadedBy)
	}
	if _, err := st.DocumentByID(ctx, id+1, d.ID); !errors.Is(err, helhed.ErrNotFound) {
		t.Fatalf("document under another citizen: %v; want not found", err)
	}
}

// Every refusal keeps nothing: no document row, no piece of content, no upload audit row — also
// when the refusal comes after the content has been written (over the limit, a broken office
// file) or the upload breaks off.
func TestAddDocumentRefusalsKeepNothing(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "t"}
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	if err != nil {
		t.Fatal(err)
	}
	st.DocumentMaxSize = 600 << 10
	broken := append([]byte("PK\x03\x04"), make([]byte, store.ChunkSize+100)...)
	cut := errors.New("connection reset")
	tests := []struct {
		name        string
		doc         store.NewDocument
		content     io.Reader
		field, want string
	}{
		{"over the limit", store.NewDocument{Filename: "stor.pdf"}, bytes.NewReader(pdfOf(600<<10 + 1)), store.DocumentFieldFile, "Den må højst fylde 600 kB"},
		{"a program renamed .pdf", store.NewDocument{Filename: "attest.pdf"}, strings.NewReader("MZ\x90\x00\x03\x00\x00\x00"), store.DocumentFieldFile, "Filen er et program"},
		{"html posing as png", store.NewDocument{Filename: "scan.png"}, strings.NewReader("<html><body onload=alert(1)>"), store.DocumentFieldFile, "en webside"},
		{"empty", store.NewDocument{Filename: "tom.pdf"}, strings.NewReader(""), store.DocumentFieldFile, "Filen er tom"},
		{"a path for a name", store.NewDocument{Filename: "../../etc/attest.pdf"}, bytes.NewReader(pdfOf(100)), store.DocumentFieldFile, "må ikke indeholde /"},
		{"a control character in the name", store.NewDocument{Filename: "attest\r.pdf"}, bytes.NewReader(pdfOf(100)), store.DocumentFieldFile, "kontroltegn"},
		{"a broken docx, refused after writing", store.NewDocument{Filename: "brev.docx"}, bytes.NewReader(broken), store.DocumentFieldFile, "ikke et gyldigt Word-dokument"},
		{"no title", store.NewDocument{Title: "-", Filename: "a.pdf"}, bytes.NewReader(pdfOf(100)), store.DocumentFieldTitle, "Skal udfyldes"},
		{"a type that does not exist", store.NewDocument{Type: "hemmelig", Filename: "a.pdf"}, bytes.NewReader(pdfOf(100)), store.DocumentFieldType, "Vælg"},
		{"a class that does not exist", store.NewDocument{Class: "offentlig", Filename: "a.pdf"}, bytes.NewReader(pdfOf(100)), store.DocumentFieldClass, "Vælg"},
	}
	for _, tt := range tests {
		if tt.doc.Title == "" {
			tt.doc.Title = "Titel"
		} else if tt.doc.Title == "-" {
			tt.doc.Title = ""
		}
		if tt.doc.Type == "" {
			tt.doc.Type = "laegeattest"
		}
		_, err := st.AddDocument(ctx, w, id, tt.doc, tt.content)
		if msg := helhed.FieldErrorsOf(err)[tt.field]; helhed.ErrorCode(err) != helhed.EInvalid || !strings.Contains(msg, tt.want) {
			t.Errorf("%s: %v (%v); want %q on %s", tt.name, err, helhed.FieldErrorsOf(err), tt.want, tt.field)
		}
	}
	// The client hangs up after the first piece was written.
	_, err = st.AddDocument(ctx, w, id, store.NewDocument{Title: "Afbrudt", Type: "andet", Filename: "a.pdf"},
		io.MultiReader(bytes.NewReader(pdfOf(store.ChunkSize+10)), iotest.ErrReader(cut)))
	if !errors.Is(err, cut) {
		t.Errorf("broken upload: %v; want the reader's error", err)
	}
	if docs, chunks := documentRows(t, st); docs != 0 || chunks != 0 {
		t.Fatalf("refused uploads left %d documents and %d pieces", docs, chunks)
	}
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = $1`, store.AuditDocumentUpload).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d upload audit rows (%v) for refused uploads", n, err)
	}
	// At the limit exactly, it is kept.
	if _, err := st.AddDocument(ctx, w, id, store.NewDocument{Title: "Præcis", Type: "andet", Filename: "a.pdf"}, bytes.NewReader(pdfOf(600<<10))); err != nil {
		t.Fatalf("a file of exactly the limit: %v", err)
	}
}

// The list shows the classes asked for, newest first, a page at a time, and counts the others.
func TestListDocumentsByClass(t *testing.T) {
	t.Parallel()
	st, unit, uid := fixture(t)
	ctx := context.Background()
	w := store.Who{UserID: uid, RequestID: "t"}
	id, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "020385-1233"), FirstName: "Anna", LastName: "Andersen"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateCitizen(ctx, w, unit, store.CitizenInput{CPR: mustCPR(t, "030486-1234"), FirstName: "Bo", LastName: "Berg"})
	if err != nil {
		t.Fatal(err)
	}
	var want []int64 // case documents, newest first
	for i, class := range []string{"sag", "helbred", "sag", "social", "sag", "helbred", "sag"} {
		d, err := st.AddDocument(ctx, w, id, store.NewDocument{Title: "Dokument " + string(rune('A'+i)), Type: "andet", Class: class, Filename: "a.pdf"},
			bytes.NewReader(pdfOf(100)))
		if err != nil {
			t.Fatal(err)
		}
		if class == "sag" {
			want = append([]int64{d.ID}, want...)
		}
	}
	if _, err := st.AddDocument(ctx, w, other, store.NewDocument{Title: "Bos", Type: "andet", Class: "sag", Filename: "b.pdf"}, bytes.NewReader(pdfOf(100))); err != nil {
		t.Fatal(err)
	}
	ids := func(l store.DocumentList) []int64 {
		var out []int64
		for _, d := range l.Rows {
			out = append(out, d.ID)
		}
		return out
	}
	p1, err := st.ListDocuments(ctx, id, []string{"sag"}, store.Page{Number: 1, PerPage: 3})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := st.ListDocuments(ctx, id, []string{"sag"}, store.Page{Number: 2, PerPage: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := append(ids(p1), ids(p2)...); p1.Shown != 4 || p1.Withheld != 3 || len(got) != 4 || got[0] != want[0] || got[3] != want[3] {
		t.Fatalf("pages %v (shown %d, withheld %d); want %v, 4 shown, 3 withheld", got, p1.Shown, p1.Withheld, want)
	}
	all, err := st.ListDocuments(ctx, id, []string{"sag", "helbred", "social"}, store.Page{Number: 1, PerPage: 50})
	if err != nil || len(all.Rows) != 7 || all.Withheld != 0 || all.Rows[0].UploadedBy != "Case Worker" {
		t.Fatalf("all: %d rows, %d withheld, %v", len(all.Rows), all.Withheld, err)
	}
	none, err := st.ListDocuments(ctx, id, nil, store.Page{Number: 1, PerPage: 50})
	if err != nil || len(none.Rows) != 0 || none.Shown != 0 || none.Withheld != 7 {
		t.Fatalf("no classes: %d rows, %d shown, %d withheld, %v", len(none.Rows), none.Shown, none.Withheld, err)
	}
	past, err := st.ListDocuments(ctx, id, []string{"sag"}, store.Page{Number: 9, PerPage: 3})
	if err != nil || len(past.Rows) != 0 || past.Shown != 4 {
		t.Fatalf("past the last page: %d rows, %d shown, %v", len(past.Rows), past.Shown, err)
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{20 << 20: "20 MB", 3 << 19: "1,5 MB", 600 << 10: "600 kB", 1500: "1 kB", 12: "12 bytes"} {
		if got := store.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q; want %q", n, got, want)
		}
	}
}
