package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/filetype"
	"github.com/helhed/helhed/internal/helhed"
)

// Audit actions of documents.
const (
	AuditDocumentUpload   = "document.upload"
	AuditDocumentDownload = "document.download"
)

// DefaultDocumentMaxSize is the largest document kept unless Store.DocumentMaxSize says
// otherwise: 20 MB holds a scanned lægeattest of many pages.
const DefaultDocumentMaxSize = 20 << 20

// MaxDocumentTitle bounds a document's title (a CHECK in migration 0020 too).
const MaxDocumentTitle = 200

// The fields of a new document, as AddDocument's field errors name them (and the upload form's
// inputs are named).
const (
	DocumentFieldTitle = "title"
	DocumentFieldType  = "doc_type"
	DocumentFieldClass = "class"
	DocumentFieldFile  = "file"
)

// Document is one document on a citizen's case, without its content.
type Document struct {
	ID          int64
	CitizenID   int64
	Title       string
	Type        string // reference code, kind document_type
	Class       string // "sag", "helbred" or "social" (access.DocumentRow)
	Filename    string
	ContentType string // detected from the content (internal/filetype)
	Size        int64
	SHA256      []byte
	UploadedBy  string // the user's name; "" when Helhed made it
	UploadedAt  time.Time
}

// NewDocument is what the uploader says about a document; the rest is read from the file.
type NewDocument struct {
	Title string
	Type  string // a document_type code; the caller offers those in force
	// Class is "sag", "helbred" or "social"; "" takes the type's (access.DocumentTypeClass).
	Class string
	// Filename is the file's name as given; it is checked (filetype.CheckName), not repaired.
	Filename string
}

// MsgDocumentTooLarge is the refusal of a file over the limit of max bytes.
func MsgDocumentTooLarge(max int64) string {
	return "Filen er for stor. Den må højst fylde " + FormatSize(max) + "."
}

// FormatSize writes a file size the Danish way: "20 MB", "1,5 MB", "600 kB", "12 bytes".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20:
		s := strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64)
		s = strings.TrimSuffix(s, ".0")
		return strings.Replace(s, ".", ",", 1) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+1<<9)>>10, 10) + " kB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// errTooLarge is a file over the limit (tooLarge).
var errTooLarge = errors.New("store: document too large")

// limitReader reads at most max bytes of r, and fails with errTooLarge when there is more.
type limitReader struct {
	r   io.Reader
	max int64
	n   int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, errTooLarge
	}
	if rest := l.max + 1 - l.n; int64(len(p)) > rest {
		p = p[:rest] // one byte more than allowed is enough to know
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return n, errTooLarge
	}
	return n, err
}

// AddDocument keeps the file r as a document on the citizen's case, with its audit row, in
// one transaction: a document is kept whole with its row, or not at all. The file is
// streamed — never held in memory — through its checks: its first bytes decide its format
// before anything is written (filetype.Sniff; the name's extension must agree), every byte
// counts against the limit (Store.DocumentMaxSize) and into its SHA-256, and an office file's
// container is verified when the last byte has been written. Any refusal is a field error on
// DocumentFieldFile (or the field it concerns) and keeps nothing; an error reading r is
// returned as it is. It serves the upload form and any code that files a document it made
// (Who with UserID 0 is Helhed itself).
func (s *Store) AddDocument(ctx context.Context, who Who, citizenID int64, d NewDocument, r io.Reader) (Document, error) {
	in, err := s.prepareDocument(d, r)
	if err != nil {
		return Document{}, err
	}
	var doc Document
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var detail string
		if doc, detail, err = s.putDocument(ctx, tx, who, citizenID, in); err != nil {
			return err
		}
		return audit(ctx, tx, who, citizenID, AuditDocumentUpload, detail)
	})
	if err != nil {
		return Document{}, err
	}
	return doc, nil
}

// documentIn is a new document checked as far as its fields and first bytes allow, ready to
// be streamed into a transaction (putDocument).
type documentIn struct {
	NewDocument
	format filetype.Format
	body   *bufio.Reader
}

// prepareDocument checks a new document's fields and name, and its format from the first
// bytes of r (filetype.Sniff); nothing is written. d.Class "" takes the type's class.
func (s *Store) prepareDocument(d NewDocument, r io.Reader) (documentIn, error) {
	fields := map[string]string{}
	if d.Title == "" {
		fields[DocumentFieldTitle] = "Skal udfyldes"
	} else if utf8.RuneCountInString(d.Title) > MaxDocumentTitle {
		fields[DocumentFieldTitle] = "Højst " + strconv.Itoa(MaxDocumentTitle) + " tegn"
	}
	if d.Type == "" {
		fields[DocumentFieldType] = "Vælg en af mulighederne"
	}
	if d.Class == "" {
		d.Class = access.DocumentTypeClass(d.Type).String()
	} else if _, ok := access.ParseDocumentClass(d.Class); !ok {
		fields[DocumentFieldClass] = "Vælg en af mulighederne"
	}
	name, err := filetype.CheckName(d.Filename)
	if err != nil {
		fields[DocumentFieldFile] = err.Error()
	}
	if len(fields) > 0 {
		return documentIn{}, invalidDocument(fields)
	}
	d.Filename = name
	br := bufio.NewReaderSize(r, filetype.HeadSize)
	head, err := br.Peek(filetype.HeadSize)
	if err != nil && !errors.Is(err, io.EOF) {
		return documentIn{}, err
	}
	format, err := filetype.Sniff(head, name)
	if err != nil {
		return documentIn{}, invalidDocument(map[string]string{DocumentFieldFile: err.Error()})
	}
	return documentIn{NewDocument: d, format: format, body: br}, nil
}

// putDocument streams a prepared document into tx: its row, its content through the size
// limit, the checksum and the format's final check. It does not audit; detail is the audit
// row's detail for the caller to write (the audit row is the last statement of a use case).
func (s *Store) putDocument(ctx context.Context, tx pgx.Tx, who Who, citizenID int64, in documentIn) (Document, string, error) {
	d, format := in.NewDocument, in.format
	doc := Document{CitizenID: citizenID, Title: d.Title, Type: d.Type, Class: d.Class, Filename: d.Filename, ContentType: format.MIME}
	// The size and checksum are known at the end; until then the row holds placeholders
	// its checks accept, and nobody else sees it.
	err := tx.QueryRow(ctx, `
		INSERT INTO documents (citizen_id, title, document_type, class, filename, content_type, size, sha256, uploaded_by, uploaded_by_citizen)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9) RETURNING id, uploaded_at`,
		citizenID, d.Title, d.Type, d.Class, d.Filename, format.MIME, make([]byte, sha256.Size), nullInt(who.UserID), who.Citizen != 0).Scan(&doc.ID, &doc.UploadedAt)
	if err != nil {
		return Document{}, "", documentInsertError(err)
	}
	sum := sha256.New()
	var check filetype.Checker
	content := io.TeeReader(&limitReader{r: in.body, max: s.DocumentMaxSize}, io.MultiWriter(sum, &check))
	if err := s.Blobs.Put(ctx, tx, doc.ID, content); err != nil {
		if errors.Is(err, errTooLarge) {
			return Document{}, "", invalidDocument(map[string]string{DocumentFieldFile: MsgDocumentTooLarge(s.DocumentMaxSize)})
		}
		return Document{}, "", err
	}
	if err := check.Verify(format); err != nil {
		return Document{}, "", invalidDocument(map[string]string{DocumentFieldFile: err.Error()})
	}
	doc.Size, doc.SHA256 = check.Size(), sum.Sum(nil)
	if _, err := tx.Exec(ctx, `UPDATE documents SET size = $2, sha256 = $3 WHERE id = $1`, doc.ID, doc.Size, doc.SHA256); err != nil {
		return Document{}, "", fmt.Errorf("document size: %w", err)
	}
	// Codes only: the title and the file name are the citizen's data, not the log's.
	return doc, fmt.Sprintf("dokument %d tilføjet: %s, %s, %s", doc.ID, d.Type, d.Class, format.MIME), nil
}

// invalidDocument is the refusal of a document with field messages.
func invalidDocument(fields map[string]string) error {
	return &helhed.Error{Code: helhed.EInvalid, Message: "Dokumentet er ikke gemt", Fields: fields}
}

// documentInsertError names the field of a refused insert: a document type that does not
// exist, or a citizen that does not.
func documentInsertError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" {
		switch pgErr.ConstraintName {
		case "documents_document_type_fkey":
			return invalidDocument(map[string]string{DocumentFieldType: "Vælg en af mulighederne"})
		case "documents_citizen_id_fkey":
			return helhed.ErrNotFound
		}
	}
	return fmt.Errorf("insert document: %w", err)
}

// documentSelect reads documents with the uploader's name; the WHERE clause follows.
const documentSelect = `
	SELECT d.id, d.citizen_id, d.title, d.document_type, d.class, d.filename, d.content_type, d.size, d.sha256,
	       coalesce(u.name, ''), d.uploaded_at
	FROM documents d LEFT JOIN users u ON u.id = d.uploaded_by `

func scanDocument(row pgx.Row, d *Document) error {
	return row.Scan(&d.ID, &d.CitizenID, &d.Title, &d.Type, &d.Class, &d.Filename, &d.ContentType, &d.Size, &d.SHA256,
		&d.UploadedBy, &d.UploadedAt)
}

// DocumentByID loads one document of the citizen (a document of another citizen is not found),
// without its content and without auditing: the caller decides whether the viewer may have it
// before OpenDocument audits and streams it.
func (s *Store) DocumentByID(ctx context.Context, citizenID, id int64) (Document, error) {
	var d Document
	if err := scanDocument(s.pool.QueryRow(ctx, documentSelect+`WHERE d.id = $1 AND d.citizen_id = $2`, id, citizenID), &d); err != nil {
		return Document{}, notFound(err, "Dokumentet")
	}
	return d, nil
}

// OpenDocument audits the download of d and returns its content as a stream. The reader
// fails when the stored content is shorter or longer than d.Size, so a download is never
// silently incomplete.
func (s *Store) OpenDocument(ctx context.Context, who Who, d Document) (io.ReadCloser, error) {
	if err := s.Audit(ctx, who, d.CitizenID, AuditDocumentDownload, fmt.Sprintf("dokument %d hentet", d.ID)); err != nil {
		return nil, err
	}
	rc, err := s.Blobs.Open(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	return &sizedReader{ReadCloser: rc, want: d.Size}, nil
}

// sizedReader fails when its content is not want bytes long.
type sizedReader struct {
	io.ReadCloser
	want, n int64
}

func (r *sizedReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n += int64(n)
	switch {
	case r.n > r.want:
		return n, fmt.Errorf("document content longer than its size %d", r.want)
	case errors.Is(err, io.EOF) && r.n < r.want:
		return n, fmt.Errorf("document content %d bytes short of its size %d: %w", r.want-r.n, r.want, io.ErrUnexpectedEOF)
	}
	return n, err
}

// DocumentList is one page of a citizen's documents as one viewer may see them.
type DocumentList struct {
	Rows     []Document // newest first
	Shown    int        // the documents of the classes asked for, on every page
	Withheld int        // the citizen's other documents: counted, never listed
}

// ListDocuments returns page pg of the citizen's documents of the given classes (the ones the
// viewer's Sight sees; access.DocumentRow), newest first, and how many there are of those and
// of the others — one statement on documents_citizen_idx. The overview asks for its three
// newest with the same statement.
func (s *Store) ListDocuments(ctx context.Context, citizenID int64, classes []string, pg Page) (DocumentList, error) {
	return listDocuments(citizenID, classes, pg).run(ctx, s.pool)
}

// ListDocuments queues Store.ListDocuments.
func (b *Batch) ListDocuments(citizenID int64, classes []string, pg Page) *Result[DocumentList] {
	return queue(b, listDocuments(citizenID, classes, pg))
}

// listDocuments is ListDocuments's read.
func listDocuments(citizenID int64, classes []string, pg Page) query[DocumentList] {
	pg = pg.normalize()
	if classes == nil {
		classes = []string{} // no class (NULL would match nothing and count nothing)
	}
	return query[DocumentList]{sql: documentListSQL, args: []any{citizenID, classes, pg.PerPage, pg.offset()},
		read: func(rows pgx.Rows) (DocumentList, error) {
			var out DocumentList
			var (
				id                                          *int64
				cid                                         *int64
				title, typ, class, filename, ct, uploadedBy *string
				size                                        *int64
				sum                                         []byte
				at                                          *time.Time
			)
			_, err := pgx.ForEachRow(rows, []any{&id, &cid, &title, &typ, &class, &filename, &ct, &size, &sum, &uploadedBy, &at, &out.Shown, &out.Withheld}, func() error {
				if id != nil {
					out.Rows = append(out.Rows, Document{ID: *id, CitizenID: *cid, Title: *title, Type: *typ, Class: *class, Filename: *filename,
						ContentType: *ct, Size: *size, SHA256: sum, UploadedBy: *uploadedBy, UploadedAt: *at})
				}
				return nil
			})
			if err != nil {
				return DocumentList{}, fmt.Errorf("list documents: %w", err)
			}
			return out, nil
		}}
}

// documentListSQL is ListDocuments' statement ($1 citizen, $2 classes, $3 limit, $4 offset):
// the counts always give one row, joined to the page's documents (none past the last page).
const documentListSQL = `
	WITH counts AS (
		SELECT count(*) FILTER (WHERE class = ANY($2)) AS shown, count(*) FILTER (WHERE class <> ALL($2)) AS withheld
		FROM documents WHERE citizen_id = $1
	)
	SELECT d.id, d.citizen_id, d.title, d.document_type, d.class, d.filename, d.content_type, d.size, d.sha256,
	       coalesce(u.name, ''), d.uploaded_at, c.shown, c.withheld
	FROM counts c
	LEFT JOIN LATERAL (
		SELECT * FROM documents WHERE citizen_id = $1 AND class = ANY($2)
		ORDER BY uploaded_at DESC, id DESC LIMIT $3 OFFSET $4
	) d ON true
	LEFT JOIN users u ON u.id = d.uploaded_by
	ORDER BY d.uploaded_at DESC, d.id DESC`
