package filetype

import (
	"archive/zip"
	"errors"
	"io"
	"strings"
)

// TailSize is how many of a file's last bytes a Checker keeps: a zip's table of contents (its
// central directory, about 50–100 bytes an entry) must fit in them, which holds for thousands
// of entries. A document whose table is larger is refused rather than read twice.
const TailSize = 256 << 10

// Checker sees every byte of a file as it streams past (it is an io.Writer: tee the upload
// into it) and keeps only the first HeadSize and the last TailSize bytes, so its memory does
// not grow with the file. Verify then looks inside the office formats' containers.
type Checker struct {
	head []byte
	tail []byte // a ring of TailSize bytes once full
	pos  int    // where the next byte goes in tail once it is full
	n    int64  // bytes seen
}

// Write records p; it never fails.
func (c *Checker) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if room := HeadSize - len(c.head); room > 0 {
		c.head = append(c.head, p[:min(room, len(p))]...)
	}
	q := p
	if len(q) >= TailSize {
		q = q[len(q)-TailSize:]
		c.tail = append(c.tail[:0], q...)
		c.pos = 0
		return len(p), nil
	}
	if room := TailSize - len(c.tail); room > 0 {
		k := min(room, len(q))
		c.tail = append(c.tail, q[:k]...)
		q = q[k:]
	}
	for len(q) > 0 { // the ring is full: overwrite the oldest bytes
		k := copy(c.tail[c.pos:], q)
		q = q[k:]
		c.pos = (c.pos + k) % TailSize
	}
	return len(p), nil
}

// Size is how many bytes were written.
func (c *Checker) Size() int64 { return c.n }

// lastBytes returns the kept tail in order.
func (c *Checker) lastBytes() []byte {
	if len(c.tail) < TailSize || c.pos == 0 {
		return c.tail
	}
	out := make([]byte, 0, TailSize)
	return append(append(out, c.tail[c.pos:]...), c.tail[:c.pos]...)
}

// errOutside is a read beyond what a Checker kept.
var errOutside = errors.New("filetype: outside the kept head and tail")

// keptReader reads the file at an offset from the kept head and tail.
type keptReader struct {
	head, tail []byte
	size       int64
}

func (k keptReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errOutside
	}
	end := off + int64(len(p))
	tailStart := k.size - int64(len(k.tail))
	switch {
	case end <= int64(len(k.head)):
		return copy(p, k.head[off:end]), nil
	case off >= tailStart:
		n := copy(p, k.tail[off-tailStart:])
		if n < len(p) {
			return n, io.EOF
		}
		return n, nil
	}
	return 0, errOutside
}

// Verify checks, after the whole file of format f has been written, what only the whole file
// shows: a Word or Excel file's zip holds [Content_Types].xml, the document's part and no
// macros (those belong in .docm and .xlsm); an OpenDocument file's zip holds its content. The
// other formats were decided by Sniff.
func (c *Checker) Verify(f Format) error {
	var dir string
	switch f.MIME {
	case DOCX.MIME:
		dir = "word/"
	case XLSX.MIME:
		dir = "xl/"
	case ODT.MIME, ODS.MIME:
	default:
		return nil
	}
	broken := Refusal("Filen hedder " + f.Exts[0] + ", men er ikke et gyldigt " + f.Name + " (filen kan være beskadiget). " +
		"Gem dokumentet igen, og vælg det på ny.")
	zr, err := zip.NewReader(keptReader{head: c.head, tail: c.lastBytes(), size: c.n}, c.n)
	if errors.Is(err, errOutside) {
		return Refusal("Dokumentet indeholder for mange dele til at kunne kontrolleres. Gem det som PDF, og vælg det igen.")
	}
	if err != nil || len(zr.File) == 0 {
		return broken
	}
	has := map[string]bool{}
	inDir := false
	for _, zf := range zr.File {
		has[zf.Name] = true
		inDir = inDir || (dir != "" && strings.HasPrefix(zf.Name, dir))
		if strings.HasSuffix(strings.ToLower(zf.Name), "vbaproject.bin") {
			return Refusal("Dokumentet indeholder makroer (programkode). Gem det uden makroer eller som PDF, og vælg det igen.")
		}
	}
	if dir != "" {
		if !has["[Content_Types].xml"] || !inDir {
			return broken
		}
		return nil
	}
	if zr.File[0].Name != "mimetype" || !has["content.xml"] {
		return broken
	}
	return nil
}
