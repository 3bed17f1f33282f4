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

// PGBlobs keeps content in document_chunks, ChunkSize bytes a row (migration 0019): written
// with the document's transaction, read a piece per statement, deleted by the cascade from
// documents. Its memory is one piece whatever the size of the file.
type PGBlobs struct{ pool *pgxpool.Pool }

// Put inserts r's bytes as numbered pieces of document id.
func (b PGBlobs) Put(ctx context.Context, tx pgx.Tx, id int64, r io.Reader) error {
	buf := make([]byte, ChunkSize)
	for seq := 0; ; seq++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO document_chunks (document_id, seq, data) VALUES ($1, $2, $3)`, id, seq, buf[:n]); err != nil {
				return fmt.Errorf("store document content: %w", err)
			}
		}
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil
		case err != nil:
			return err
		}
	}
}

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
