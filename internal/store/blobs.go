package store

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// BlobStore keeps the content of documents: the bytes of an uploaded file, apart from its
// metadata in documents. It is the one seam for keeping files somewhere else than in
// PostgreSQL; Helhed's own, PGBlobs, needs nothing beside the database.
//
// Put runs inside the transaction that inserts the document, so the content is kept if and
// only if the document is (a refused or failed upload keeps nothing). There is no Delete:
// Helhed deletes a document only with its citizen (retention), and PGBlobs' content goes in
// the same cascade. A store outside PostgreSQL would need a Delete, run after the
// transaction commits, and a sweep for what a crash left between the two.
type BlobStore interface {
	// Put reads r to its end and keeps its bytes as the content of document id, in tx. An
	// error from r is returned as it is.
	Put(ctx context.Context, tx pgx.Tx, id int64, r io.Reader) error
	// Open streams the content of document id. A document without content reads as empty.
	Open(ctx context.Context, id int64) (io.ReadCloser, error)
}

// ChunkSize is the size of PGBlobs' pieces: small enough that a piece in flight costs little
// memory, large enough that a 20 MB file is 80 rows.
const ChunkSize = 256 << 10

// PGBlobs keeps content in document_chunks, ChunkSize bytes a row (migration 0020): written
// with the document's transaction, read a piece per statement, deleted by the cascade from
// documents. Its memory is one piece whatever the size of the file.
type PGBlobs struct{ pool *pgxpool.Pool }

// Put copies r's bytes into numbered pieces of document id with one COPY: the pieces stream
// to PostgreSQL through one reused buffer, where an INSERT a piece would copy each into new
// memory twice (the parameter and the message), 40 MB of garbage for a 20 MB file.
func (b PGBlobs) Put(ctx context.Context, tx pgx.Tx, id int64, r io.Reader) error {
	src := &chunkSource{r: r, id: id, buf: make([]byte, ChunkSize), seq: -1}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"document_chunks"}, []string{"document_id", "seq", "data"}, src); err != nil {
		if src.err != nil {
			return src.err // the reader's own error, as it was
		}
		return fmt.Errorf("store document content: %w", err)
	}
	return nil
}

// chunkSource reads r a piece at a time as COPY rows (pgx.CopyFromSource). Each row's data
// is the one buffer, which COPY has encoded before it asks for the next row.
type chunkSource struct {
	r   io.Reader
	id  int64
	seq int
	buf []byte
	n   int
	err error
}

func (c *chunkSource) Next() bool {
	if c.err != nil {
		return false
	}
	n, err := io.ReadFull(c.r, c.buf)
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		c.r = eofReader{}
	case err != nil:
		c.err = err
		return false
	}
	c.n = n
	c.seq++
	return n > 0
}

func (c *chunkSource) Values() ([]any, error) { return []any{c.id, c.seq, c.buf[:c.n]}, nil }

func (c *chunkSource) Err() error { return c.err }

// eofReader is a reader at its end.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// Open returns a reader that fetches one piece at a time. It holds no connection between
// reads, so a slow download does not keep one of the pool's few connections; a document is
// never changed, so reading piece by piece outside a transaction reads it whole.
func (b PGBlobs) Open(ctx context.Context, id int64) (io.ReadCloser, error) {
	return &chunkReader{ctx: ctx, pool: b.pool, id: id}, nil
}

// chunkReader reads a document's pieces in order.
type chunkReader struct {
	ctx  context.Context
	pool *pgxpool.Pool
	id   int64
	seq  int
	buf  []byte
	done bool
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.done {
			return 0, io.EOF
		}
		err := c.pool.QueryRow(c.ctx, `SELECT data FROM document_chunks WHERE document_id = $1 AND seq = $2`, c.id, c.seq).Scan(&c.buf)
		if errors.Is(err, pgx.ErrNoRows) {
			c.done = true
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("read document content: %w", err)
		}
		c.seq++
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *chunkReader) Close() error { c.done, c.buf = true, nil; return nil }
