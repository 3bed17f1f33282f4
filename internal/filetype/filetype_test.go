package filetype

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"
)

// zipFile builds a zip with the named entries (in order); "mimetype" is stored, as ODF wants.
func zipFile(t *testing.T, entries map[string]string, order ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range order {
		method := zip.Deflate
		if name == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(entries[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func docx(t *testing.T, extra ...string) []byte {
	e := map[string]string{"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", "word/document.xml": "<w:document/>"}
	order := []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"}
	for _, x := range extra {
		e[x] = "x"
		order = append(order, x)
	}
	return zipFile(t, e, order...)
}

func odf(t *testing.T, mime string) []byte {
	return zipFile(t, map[string]string{"mimetype": mime, "content.xml": "<office:document-content/>",
		"META-INF/manifest.xml": "<manifest/>"}, "mimetype", "content.xml", "META-INF/manifest.xml")
}

// odfAsLibreOffice writes the mimetype entry with its sizes in the local header, as
// LibreOffice does (Go's writer puts them in a data descriptor after the data).
func odfAsLibreOffice(t *testing.T, mime string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store, CRC32: crc32.ChecksumIEEE([]byte(mime)),
		CompressedSize64: uint64(len(mime)), UncompressedSize64: uint64(len(mime))})
	if err == nil {
		_, err = w.Write([]byte(mime))
	}
	if err == nil {
		w, err = zw.Create("content.xml")
	}
	if err == nil {
		_, err = w.Write([]byte("<office:document-content/>"))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func ole2() []byte {
	h := make([]byte, 1024)
	copy(h, sigOLE2)
	h[24], h[26], h[28], h[29], h[30] = 0x3e, 3, 0xfe, 0xff, 9
	return h
}

// check runs a file through Sniff and a Checker as the store does.
func check(t *testing.T, content []byte, name string) (Format, error) {
	t.Helper()
	n, err := CheckName(name)
	if err != nil {
		return Format{}, err
	}
	f, err := Sniff(content[:min(len(content), HeadSize)], n)
	if err != nil {
		return Format{}, err
	}
	var c Checker
	// In uneven pieces, as a stream arrives.
	for rest := content; len(rest) > 0; {
		k := min(len(rest), 1+rand.IntN(70000))
		_, _ = c.Write(rest[:k])
		rest = rest[k:]
	}
	if c.Size() != int64(len(content)) {
		t.Fatalf("checker saw %d bytes of %d", c.Size(), len(content))
	}
	return f, c.Verify(f)
}

func TestFormatsFromContent(t *testing.T) {
	t.Parallel()
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 40)...)
	jpeg := append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 40)...)
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 40)...)
	big := docx(t, "word/media/image1.png")
	tests := []struct {
		name, file string
		content    []byte
		want       Format
		refusal    string // a part of the message; "" = accepted
	}{
		{"pdf", "LÆ 265 lægeattest.pdf", pdf, PDF, ""},
		{"pdf with upper-case extension", "attest.PDF", pdf, PDF, ""},
		{"png", "scan.png", png, PNG, ""},
		{"jpeg as .jpg", "foto.jpg", jpeg, JPEG, ""},
		{"jpeg as .jpeg", "foto.jpeg", jpeg, JPEG, ""},
		{"gif", "a.gif", []byte("GIF89a\x01\x00\x01\x00"), GIF, ""},
		{"webp", "a.webp", webp, WebP, ""},
		{"docx", "statusrapport.docx", big, DOCX, ""},
		{"xlsx", "skema.xlsx", zipFile(t, map[string]string{"[Content_Types].xml": "x", "xl/workbook.xml": "x"}, "[Content_Types].xml", "xl/workbook.xml"), XLSX, ""},
		{"odt", "brev.odt", odf(t, ODT.MIME), ODT, ""},
		{"ods", "ark.ods", odf(t, ODS.MIME), ODS, ""},
		{"odt as LibreOffice writes it", "brev.odt", odfAsLibreOffice(t, ODT.MIME), ODT, ""},
		{"odf presentation", "slides.odp", odfAsLibreOffice(t, "application/vnd.oasis.opendocument.presentation"), Format{}, "OpenDocument-format, der ikke kan bruges"},
		{"doc", "gammel.doc", ole2(), DOC, ""},
		{"xls", "gammel.xls", ole2(), XLS, ""},

		{"empty", "tom.pdf", nil, Format{}, "Filen er tom"},
		{"windows program renamed .pdf", "attest.pdf", append([]byte("MZ\x90\x00"), make([]byte, 100)...), Format{}, "Filen er et program"},
		{"linux program renamed .pdf", "attest.pdf", []byte("\x7fELF\x02\x01\x01"), Format{}, "Filen er et program"},
		{"script renamed .pdf", "attest.pdf", []byte("#!/bin/sh\nrm -rf /\n"), Format{}, "Filen er et program"},
		{"html posing as png", "billede.png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), Format{}, "indholdet er en webside"},
		{"svg posing as png", "billede.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), Format{}, "indholdet er en webside"},
		{"text posing as pdf", "brev.pdf", []byte("Kære sagsbehandler"), Format{}, "indholdet er ren tekst"},
		{"pdf named .png", "scan.png", pdf, Format{}, "Filen hedder .png, men indholdet er et PDF-dokument"},
		{"png named .pdf", "scan.pdf", png, Format{}, "ret filnavnets endelse til .png"},
		{"docx named .odt", "brev.odt", big, Format{}, "ikke et gyldigt OpenDocument"},
		{"odt named .docx", "brev.docx", odf(t, ODT.MIME), Format{}, "indholdet er et OpenDocument-tekstdokument"},
		{"plain zip", "arkiv.zip", zipFile(t, map[string]string{"a.txt": "a"}, "a.txt"), Format{}, "zip-arkiv"},
		{"zip named .docx", "brev.docx", zipFile(t, map[string]string{"a.txt": "a"}, "a.txt"), Format{}, "ikke et gyldigt Word-dokument"},
		{"docx without its document", "brev.docx", zipFile(t, map[string]string{"[Content_Types].xml": "x"}, "[Content_Types].xml"), Format{}, "ikke et gyldigt Word-dokument"},
		{"docx with macros", "brev.docx", docx(t, "word/vbaProject.bin"), Format{}, "makroer"},
		{"truncated docx", "brev.docx", big[:len(big)-30], Format{}, "ikke et gyldigt Word-dokument"},
		{"odt without content", "brev.odt", zipFile(t, map[string]string{"mimetype": ODT.MIME}, "mimetype"), Format{}, "ikke et gyldigt OpenDocument-tekstdokument"},
		{"ole2 named .pdf", "a.pdf", ole2(), Format{}, "ret filnavnets endelse til .doc eller .xls"},
		{"ole2 with a bad header", "a.doc", append(append([]byte{}, sigOLE2...), make([]byte, 600)...), Format{}, "ikke et gyldigt Word- eller Excel-dokument"},
		{"unknown binary", "data.pdf", []byte{0, 1, 2, 3, 4, 5}, Format{}, "Filtypen kan ikke bruges"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := check(t, tt.content, tt.file)
			switch {
			case tt.refusal == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.refusal == "" && f.MIME != tt.want.MIME:
				t.Fatalf("detected %s; want %s", f.MIME, tt.want.MIME)
			case tt.refusal != "" && (err == nil || !strings.Contains(err.Error(), tt.refusal)):
				t.Fatalf("got %v (%s); want a refusal saying %q", err, f.MIME, tt.refusal)
			}
			if _, ok := err.(Refusal); err != nil && !ok {
				t.Fatalf("error %T is not a Refusal", err)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"lægeattest.pdf":         "lægeattest.pdf",
		"  brev fra borger.pdf ": "brev fra borger.pdf",
		"rapport.v2.final.docx":  "rapport.v2.final.docx",
	} {
		if got, err := CheckName(name); err != nil || got != want {
			t.Errorf("CheckName(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for name, refusal := range map[string]string{
		"":                                "intet navn",
		"../../etc/passwd.pdf":            "må ikke indeholde /",
		`C:\Users\x\attest.pdf`:           "må ikke indeholde /",
		"attest\x00.pdf":                  "kontroltegn",
		"attest\n.pdf":                    "kontroltegn",
		"rapport\u202efdp.exe":            "kontroltegn",
		"attest\xff.pdf":                  "ikke kan læses",
		"..":                              "kun af punktummer",
		"attest":                          "ingen endelse",
		".pdf":                            "ingen endelse",
		strings.Repeat("a", 252) + ".pdf": "for langt",
	} {
		if got, err := CheckName(name); err == nil || !strings.Contains(err.Error(), refusal) {
			t.Errorf("CheckName(%q) = %q, %v; want a refusal saying %q", name, got, err, refusal)
		}
	}
}

// The checker keeps the head and the tail of a file of any size in constant memory, and
// reads a zip's table of contents from the tail however the bytes arrived.
func TestCheckerKeepsHeadAndTail(t *testing.T) {
	t.Parallel()
	content := make([]byte, 3*TailSize+12345)
	for i := range content {
		content[i] = byte(i * 7)
	}
	for _, piece := range []int{1, 1000, TailSize - 1, TailSize, TailSize + 1, len(content)} {
		var c Checker
		for rest := content; len(rest) > 0; rest = rest[min(piece, len(rest)):] {
			_, _ = c.Write(rest[:min(piece, len(rest))])
		}
		if !bytes.Equal(c.head, content[:HeadSize]) || !bytes.Equal(c.lastBytes(), content[len(content)-TailSize:]) {
			t.Errorf("pieces of %d: head or tail differ", piece)
		}
		if cap(c.tail) > TailSize+TailSize/2 {
			t.Errorf("pieces of %d: the tail grew to %d bytes", piece, cap(c.tail))
		}
	}
	// A docx padded beyond the kept tail with a large first entry still verifies.
	pad := make([]byte, 2*TailSize)
	for i := range pad {
		pad[i] = byte(rand.Uint32())
	}
	big := zipFile(t, map[string]string{"word/media/big.bin": string(pad), "[Content_Types].xml": "x", "word/document.xml": "x"},
		"word/media/big.bin", "[Content_Types].xml", "word/document.xml")
	if f, err := check(t, big, "stor.docx"); err != nil || f.MIME != DOCX.MIME {
		t.Fatalf("large docx: %v", err)
	}
}

func TestAccept(t *testing.T) {
	t.Parallel()
	if got := Accept(); !strings.Contains(got, ".pdf") || !strings.Contains(got, ".docx") || strings.Contains(got, ".exe") {
		t.Fatalf("Accept() = %q", got)
	}
}
