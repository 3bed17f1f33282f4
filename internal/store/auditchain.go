package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The audit log is a hash chain (migrations/0015, 0051). A row is inserted unsealed, without
// any lock: seq, prev_hash and hash are NULL. SealAudit (the server runs it every second)
// calls audit_seal, which takes the chain's advisory lock for its own short transaction and
// gives each committed unsealed row, in id order, the next position (seq), the hash of the
// row before it (prev_hash) and the SHA-256 of both and its own content (hash). Audited
// transactions therefore never wait for one another; a row is in the chain within about a
// second of its commit. The retention purge removes the oldest part of the chain (sealed
// rows only) and keeps the last removed row's position and hash as the chain's anchor (table
// audit_chain). A sealed row changed, removed or inserted afterwards, even by someone who can
// switch the triggers off, no longer fits: VerifyAudit recomputes every hash here, in Go,
// independently of the database's functions.

// AuditPoint is one position of the chain and its hash, e.g. the head as logged by the
// hourly retention job (outside the database), to check later that nothing after it is gone.
type AuditPoint struct {
	Seq  int64
	Hash []byte
}

// String is the form the log and `helhed audit verify -head` use: seq:hex.
func (p AuditPoint) String() string { return fmt.Sprintf("%d:%s", p.Seq, hex.EncodeToString(p.Hash)) }

// AuditCheck is what VerifyAudit found.
type AuditCheck struct {
	Rows      int64  // rows checked
	AnchorSeq int64  // position of the last purged row; 0 when nothing was purged
	HeadSeq   int64  // position of the newest row (the anchor's when no row is left)
	HeadHash  []byte // its hash
	// Unsealed counts rows in the same snapshot that are not in the chain yet: committed
	// after VerifyAudit sealed, so they are not covered by this check (they are by the next).
	Unsealed int64
	// Broken is the first row that does not fit the chain; nil when the chain is whole.
	Broken *AuditBreak
}

// AuditBreak names the first row where the chain is broken, and how.
type AuditBreak struct {
	ID     int64 // the row's id; 0 when the row is missing
	Seq    int64
	Reason string // Danish, for the operator
}

// verifyBatch is how many rows one round trip of VerifyAudit reads.
const verifyBatch = 5000

// chainRow is one audit row as the chain hashes it.
type chainRow struct {
	ID         int64
	Seq        int64
	At         time.Time
	UserID     *int64
	CitizenID  *int64
	CitizenIDs []int64
	Action     string
	Detail     string
	RequestID  string
	PrevHash   []byte
	Hash       []byte
}

// VerifyAudit seals the rows written so far (SealAudit), then walks the audit chain from its
// anchor to its head in one snapshot and reports
// the first row that does not fit: a changed row (its hash is not that of its content), a
// removed or inserted row (its predecessor's hash or position differs). recorded are points
// noted earlier (the hourly log line's head); each must still be in the chain with the same
// hash, which also reveals newest rows cut off. A point older than the anchor has been purged
// and cannot be checked.
func (s *Store) VerifyAudit(ctx context.Context, recorded ...AuditPoint) (AuditCheck, error) {
	var c AuditCheck
	// On a read-only standby nothing can be sealed: the check covers the chain as sealed on
	// the primary, and Unsealed says how many rows it does not cover yet.
	if _, err := s.SealAudit(ctx); err != nil && !isReadOnly(err) {
		return c, err
	}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT anchor_seq, anchor_hash, (SELECT count(*) FROM audit_events WHERE seq IS NULL) FROM audit_chain`).
			Scan(&c.AnchorSeq, &c.HeadHash, &c.Unsealed); err != nil {
			return fmt.Errorf("audit chain anchor: %w", err)
		}
		c.HeadSeq = c.AnchorSeq
		want := map[int64][]byte{}
		for _, p := range recorded {
			want[p.Seq] = p.Hash
		}
		if h, ok := want[c.AnchorSeq]; ok && c.AnchorSeq > 0 && !bytes.Equal(h, c.HeadHash) {
			c.Broken = &AuditBreak{Seq: c.AnchorSeq, Reason: "ankerets hash (den sidst slettede række) er ikke den, der blev noteret"}
			return nil
		}
		for {
			rows, _ := tx.Query(ctx, `
				SELECT id, seq, at, user_id, citizen_id, citizen_ids, action, detail, request_id, prev_hash, hash
				FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2`, c.HeadSeq, verifyBatch)
			var r chainRow
			n := 0
			_, err := pgx.ForEachRow(rows, []any{&r.ID, &r.Seq, &r.At, &r.UserID, &r.CitizenID, &r.CitizenIDs,
				&r.Action, &r.Detail, &r.RequestID, &r.PrevHash, &r.Hash}, func() error {
				n++
				if c.Broken != nil {
					return nil
				}
				c.Broken = c.check(r, want)
				c.Rows++
				c.HeadSeq, c.HeadHash = r.Seq, r.Hash
				return nil
			})
			if err != nil {
				return fmt.Errorf("verify audit chain: %w", err)
			}
			if c.Broken != nil || n < verifyBatch {
				break
			}
		}
		if c.Broken == nil {
			c.Broken = missingPoints(c, recorded)
		}
		return nil
	})
	return c, err
}

// check compares row r with the chain so far (c's head) and with the recorded points.
func (c *AuditCheck) check(r chainRow, want map[int64][]byte) *AuditBreak {
	br := func(reason string) *AuditBreak { return &AuditBreak{ID: r.ID, Seq: r.Seq, Reason: reason} }
	switch {
	case r.Seq != c.HeadSeq+1:
		return br(fmt.Sprintf("række %d følger efter række %d: rækker mangler imellem", r.Seq, c.HeadSeq))
	case !bytes.Equal(r.PrevHash, c.HeadHash):
		return br("rækken peger ikke på den foregående rækkes hash: en række før den er ændret, fjernet eller indsat")
	case !bytes.Equal(r.Hash, chainHash(r)):
		return br("rækkens indhold passer ikke til dens hash: rækken er ændret")
	}
	if h, ok := want[r.Seq]; ok && !bytes.Equal(h, r.Hash) {
		return br("rækkens hash er ikke den, der blev noteret")
	}
	return nil
}

// missingPoints reports a recorded point beyond the head: rows noted earlier are gone.
func missingPoints(c AuditCheck, recorded []AuditPoint) *AuditBreak {
	for _, p := range recorded {
		if p.Seq > c.HeadSeq {
			return &AuditBreak{Seq: p.Seq, Reason: fmt.Sprintf("række %d blev noteret, men kæden ender ved række %d: de nyeste rækker er fjernet", p.Seq, c.HeadSeq)}
		}
	}
	return nil
}

// chainHash is audit_event_hash of migrations/0015: SHA-256 over the previous row's hash and
// the row's fields, each in a fixed binary form (int8send's big-endian integers, lengths before
// text, a marker byte for NULL, citizen_ids as "1,2,3"), so no two different rows encode alike.
func chainHash(r chainRow) []byte {
	b := make([]byte, 0, 128+len(r.Detail))
	b = append(b, r.PrevHash...)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(r.At.UnixMicro()))
	b = appendNullInt(b, r.UserID)
	b = appendNullInt(b, r.CitizenID)
	if r.CitizenIDs == nil {
		b = append(b, 0)
	} else {
		ids := make([]string, len(r.CitizenIDs))
		for i, id := range r.CitizenIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		b = appendText(append(b, 1), strings.Join(ids, ","))
	}
	for _, t := range []string{r.Action, r.Detail, r.RequestID} {
		b = appendText(b, t)
	}
	h := sha256.Sum256(b)
	return h[:]
}

func appendText(b []byte, t string) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(t))), t...)
}

func appendNullInt(b []byte, v *int64) []byte {
	if v == nil {
		return append(b, 0)
	}
	return binary.BigEndian.AppendUint64(append(b, 1), uint64(*v))
}

// AuditHead seals the rows written so far and returns the newest position of the chain and
// its hash (the anchor's when every row has been purged), for the hourly log line.
func (s *Store) AuditHead(ctx context.Context) (AuditPoint, error) {
	var p AuditPoint
	if _, err := s.SealAudit(ctx); err != nil {
		return p, err
	}
	err := s.pool.QueryRow(ctx, `
		SELECT seq, hash FROM (
			(SELECT seq, hash FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1)
			UNION ALL SELECT anchor_seq, anchor_hash FROM audit_chain) h
		ORDER BY seq DESC LIMIT 1`).Scan(&p.Seq, &p.Hash)
	if err != nil {
		return p, fmt.Errorf("audit chain head: %w", err)
	}
	return p, nil
}

// sealBatch is how many rows one call of audit_seal seals: one short transaction holding the
// chain's lock, so a backlog (after a pause of the job) is sealed in steps.
const sealBatch = 1000

// SealAudit appends every committed unsealed audit row to the chain (audit_seal, migration
// 0051), a batch per transaction until a batch is not full, and returns how many it sealed.
// Several instances may run it at once: audit_seal's lock makes them take turns, and each
// continues from the head the one before it committed.
func (s *Store) SealAudit(ctx context.Context) (int64, error) {
	var total int64
	for {
		var n int64
		if err := s.pool.QueryRow(ctx, `SELECT audit_seal($1)`, sealBatch).Scan(&n); err != nil {
			return total, fmt.Errorf("seal audit chain: %w", err)
		}
		total += n
		if n < sealBatch {
			return total, nil
		}
	}
}

// isReadOnly says err is PostgreSQL's refusal to write in a read-only transaction (a standby).
func isReadOnly(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "25006"
}
