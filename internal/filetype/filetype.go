// Package filetype tells what a file is from its bytes — never from its name or from the type
// a browser claims — and whether its name agrees. It knows the formats a document on a case may
// have (PDF, the common images, and Word, Excel and OpenDocument files), and refuses anything
// else with a Danish message that says why.
//
// A file is judged twice while it streams past, so it never has to be held in memory: Sniff
// decides from its first bytes (before anything is stored), and a Checker that has seen every
// byte verifies the structure of the office formats, which are zip or OLE2 containers, from
// their last bytes (a zip's table of contents is at its end).
package filetype

import (
	"bytes"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Format is a kind of file a document may be.
type Format struct {
	Name string   // Danish, for messages: "PDF-dokument"
	MIME string   // the content type it is stored and served with
	Exts []string // the file name extensions that name it, lower case with the dot
}

// The formats a document may have.
var (
	PDF  = Format{"PDF-dokument", "application/pdf", []string{".pdf"}}
	PNG  = Format{"PNG-billede", "image/png", []string{".png"}}
	JPEG = Format{"JPEG-billede", "image/jpeg", []string{".jpg", ".jpeg"}}
	GIF  = Format{"GIF-billede", "image/gif", []string{".gif"}}
	WebP = Format{"WebP-billede", "image/webp", []string{".webp"}}
	DOCX = Format{"Word-dokument", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []string{".docx"}}
	XLSX = Format{"Excel-regneark", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []string{".xlsx"}}
	ODT  = Format{"OpenDocument-tekstdokument", "application/vnd.oasis.opendocument.text", []string{".odt"}}
	ODS  = Format{"OpenDocument-regneark", "application/vnd.oasis.opendocument.spreadsheet", []string{".ods"}}
	DOC  = Format{"Word-dokument i det gamle format", "application/msword", []string{".doc"}}
	XLS  = Format{"Excel-regneark i det gamle format", "application/vnd.ms-excel", []string{".xls"}}
)

// Formats are all the formats, in the order the allowed list names them.
var Formats = []Format{PDF, PNG, JPEG, GIF, WebP, DOCX, DOC, XLSX, XLS, ODT, ODS}

// Accept is the file input's accept attribute: the extensions of every format.
func Accept() string {
	var exts []string
	for _, f := range Formats {
		exts = append(exts, f.Exts...)
	}
	return strings.Join(exts, ",")
}

// Allowed names the allowed file types for a message.
const Allowed = "PDF, PNG, JPEG, GIF, WebP, Word (.docx, .doc), Excel (.xlsx, .xls) og OpenDocument (.odt, .ods)"

// Refusal is why a file cannot be used, in Danish, fit to show beside the form's file field.
type Refusal string

func (r Refusal) Error() string { return string(r) }

// The refusals that do not depend on the file.
const (
	RefuseEmpty   Refusal = "Filen er tom. Vælg en fil med indhold."
	RefuseNoName  Refusal = "Filen har intet navn. Vælg filen igen."
	RefuseProgram Refusal = "Filen er et program, ikke et dokument. Programmer kan ikke gemmes på en sag."
)

// MaxNameLength is the longest file name kept, in characters (most file systems allow 255).
const MaxNameLength = 255

// HeadSize is how many of a file's first bytes Sniff wants to see (fewer when the file is
// shorter): enough for every signature and the first entry of a zip container.
const HeadSize = 4096

// CheckName returns the file name as it will be kept: the name with surrounding spaces
// trimmed. A name is refused, not repaired: path separators (a name is a name, not a path),
// control characters and invisible formatting characters (a right-to-left override can make
// "rapport‮fdp.exe" read as "rapportexe.pdf"), text that is not UTF-8, a name that is only
// dots, one longer than MaxNameLength, or one without an extension.
func CheckName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", RefuseNoName
	case !utf8.ValidString(name):
		return "", Refusal("Filnavnet indeholder tegn, der ikke kan læses. Omdøb filen, og vælg den igen.")
	case strings.ContainsAny(name, `/\`):
		return "", Refusal("Filnavnet må ikke indeholde / eller \\. Omdøb filen, og vælg den igen.")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
		return "", Refusal("Filnavnet indeholder usynlige kontroltegn. Omdøb filen, og vælg den igen.")
	case strings.Trim(name, ".") == "":
		return "", Refusal("Filnavnet består kun af punktummer. Omdøb filen, og vælg den igen.")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", Refusal("Filnavnet er for langt (højst 255 tegn). Omdøb filen, og vælg den igen.")
	case ext(name) == "":
		return "", Refusal("Filnavnet har ingen endelse (fx .pdf), så filtypen kan ikke kontrolleres. Omdøb filen, og vælg den igen.")
	}
	return name, nil
}

// ext is the lower-case extension of name, with the dot; "" when it has none.
func ext(name string) string {
	e := strings.ToLower(path.Ext(name))
	if e == "." || e == strings.ToLower(name) {
		return ""
	}
	return e
}

// Signatures at the start of a file.
var (
	sigPDF  = []byte("%PDF-")
	sigPNG  = []byte("\x89PNG\r\n\x1a\n")
	sigJPEG = []byte("\xff\xd8\xff")
	sigGIF7 = []byte("GIF87a")
	sigGIF9 = []byte("GIF89a")
	sigZip  = []byte("PK\x03\x04")
	sigOLE2 = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
	// Executables: Windows (MZ), Linux and other Unix (ELF), macOS (Mach-O, 32/64-bit, both
	// byte orders, and universal binaries), scripts (#!).
	sigPrograms = [][]byte{[]byte("MZ"), []byte("\x7fELF"), []byte("\xfe\xed\xfa\xce"), []byte("\xfe\xed\xfa\xcf"),
		[]byte("\xce\xfa\xed\xfe"), []byte("\xcf\xfa\xed\xfe"), []byte("\xca\xfe\xba\xbe"), []byte("#!")}
)

// Sniff decides from the file's first bytes (HeadSize of them, or the whole file when it is
// shorter) which format it is, and refuses it when it is none of the allowed formats or when
// name's extension names another format. name has passed CheckName. An office format is
// only the candidate its container and name agree on; Checker.Verify looks inside.
func Sniff(head []byte, name string) (Format, error) {
	if len(head) == 0 {
		return Format{}, RefuseEmpty
	}
	e := ext(name)
	var f Format
	switch {
	case bytes.HasPrefix(head, sigPDF):
		f = PDF
	case bytes.HasPrefix(head, sigPNG):
		f = PNG
	case bytes.HasPrefix(head, sigJPEG):
		f = JPEG
	case bytes.HasPrefix(head, sigGIF7), bytes.HasPrefix(head, sigGIF9):
		f = GIF
	case len(head) >= 16 && string(head[:4]) == "RIFF" && string(head[8:15]) == "WEBPVP8":
		f = WebP
	case bytes.HasPrefix(head, sigZip):
		return sniffZip(head, e)
	case bytes.HasPrefix(head, sigOLE2):
		return sniffOLE2(head, e)
	default:
		for _, sig := range sigPrograms {
			if bytes.HasPrefix(head, sig) {
				return Format{}, RefuseProgram
			}
		}
		return Format{}, unknown(head, e)
	}
	return f, agree(f, e)
}

// agree refuses a file whose extension e does not name its format f.
func agree(f Format, e string) error {
	for _, x := range f.Exts {
		if x == e {
			return nil
		}
	}
	return Refusal("Filen hedder " + e + ", men indholdet er et " + f.Name + ". " +
		"Vælg den rigtige fil, eller ret filnavnets endelse til " + f.Exts[0] + ".")
}

// unknown is the refusal of content that is none of the formats; it says what the content
// looks like where that helps (a web page renamed .png).
func unknown(head []byte, e string) error {
	what := ""
	ct := http.DetectContentType(head)
	switch {
	case strings.HasPrefix(ct, "text/html"), strings.HasPrefix(ct, "text/xml"), bytes.Contains(bytes.ToLower(head[:min(len(head), 512)]), []byte("<svg")):
		what = "en webside eller anden kode (HTML/XML)"
	case strings.HasPrefix(ct, "text/"):
		what = "ren tekst"
	case ct == "application/zip", ct == "application/x-rar-compressed", ct == "application/x-gzip":
		what = "et komprimeret arkiv"
	}
	msg := "Filtypen kan ikke bruges. Tilladte filtyper: " + Allowed + "."
	if what != "" {
		msg = "Filen hedder " + e + ", men indholdet er " + what + ". " + msg
	}
	return Refusal(msg)
}

// sniffZip picks the office format of a zip container by the extension, and checks the
// OpenDocument formats' first entry, which the standard fixes: an uncompressed "mimetype"
// holding the format's content type. Any other zip file is refused.
func sniffZip(head []byte, e string) (Format, error) {
	odf := odfMimetype(head)
	switch {
	case odf == ODT.MIME:
		return ODT, agree(ODT, e)
	case odf == ODS.MIME:
		return ODS, agree(ODS, e)
	case odf != "":
		return Format{}, Refusal("Filen er et OpenDocument-format, der ikke kan bruges. Tilladte filtyper: " + Allowed + ".")
	case e == ".docx":
		return DOCX, nil
	case e == ".xlsx":
		return XLSX, nil
	case e == ".odt", e == ".ods":
		return Format{}, Refusal("Filen hedder " + e + ", men er ikke et gyldigt OpenDocument-dokument.")
	}
	return Format{}, Refusal("Filen er et zip-arkiv, ikke et dokument. Tilladte filtyper: " + Allowed + ".")
}

// odfMimetype returns the content of the zip's first entry when it is the stored "mimetype"
// entry of an OpenDocument file, "" otherwise.
func odfMimetype(head []byte) string {
	const hdr = 30 // the local file header before the name
	if len(head) < hdr {
		return ""
	}
	le16 := func(b []byte) int { return int(b[0]) | int(b[1])<<8 }
	method, size, nameLen, extraLen := le16(head[8:]), le16(head[18:])|le16(head[20:])<<16, le16(head[26:]), le16(head[28:])
	start := hdr + nameLen + extraLen
	if method != 0 || string(head[hdr:min(len(head), hdr+nameLen)]) != "mimetype" || size > 100 || len(head) < start+size {
		return ""
	}
	content := head[start:]
	if size > 0 {
		content = content[:size]
	} else if i := bytes.Index(content, []byte("PK")); i >= 0 {
		// Written with a data descriptor (sizes after the data): the content ends where the
		// descriptor or the next entry begins.
		content = content[:i]
	}
	mt := string(content)
	if !strings.HasPrefix(mt, "application/vnd.oasis.opendocument.") || len(mt) > 100 {
		return ""
	}
	return mt
}

// sniffOLE2 picks the old Word or Excel format of an OLE2 compound file by the extension,
// after checking its header: the byte order mark and a version with its sector size.
func sniffOLE2(head []byte, e string) (Format, error) {
	bad := Refusal("Filen hedder " + e + ", men er ikke et gyldigt Word- eller Excel-dokument.")
	if len(head) < 512 || head[28] != 0xfe || head[29] != 0xff {
		return Format{}, bad
	}
	switch major, shift := int(head[26])|int(head[27])<<8, int(head[30])|int(head[31])<<8; {
	case major == 3 && shift == 9, major == 4 && shift == 12:
	default:
		return Format{}, bad
	}
	switch e {
	case ".doc":
		return DOC, nil
	case ".xls":
		return XLS, nil
	}
	return Format{}, Refusal("Filen er et Word- eller Excel-dokument i det gamle format, men hedder " + e +
		". Vælg den rigtige fil, eller ret filnavnets endelse til .doc eller .xls.")
}
