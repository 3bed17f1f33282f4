package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/helhed/helhed/internal/store"
)

// errAuditBroken makes `helhed audit verify` exit non-zero when the chain is broken.
var errAuditBroken = errors.New("auditloggen er ændret: kæden er brudt")

// cmdAudit checks the audit log's hash chain: `helhed audit verify [-head SEQ:HASH]`. It first
// seals the rows written so far (store.VerifyAudit), then walks every row from the anchor (the last purged row) to the newest, recomputing each hash, and
// names the first row that does not fit. -head is a head noted earlier, e.g. from the server's
// hourly "audit chain" log line: it must still be in the chain, which also shows newest rows
// cut off.
func cmdAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("audit: unknown subcommand (verify)")
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	head := fs.String("head", "", "a head noted earlier, SEQ:HASH as the server logs it; it must still be in the chain")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var points []store.AuditPoint
	if *head != "" {
		p, err := parseAuditPoint(*head)
		if err != nil {
			return err
		}
		points = append(points, p)
	}
	st, closeStore, err := openStore(ctx, d, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore()
	c, err := st.VerifyAudit(ctx, points...)
	if err != nil {
		return err
	}
	if b := c.Broken; b != nil {
		if b.ID != 0 {
			fmt.Fprintf(stdout, "Auditloggens kæde er brudt ved række id %d (nr. %d i kæden): %s\n", b.ID, b.Seq, b.Reason)
		} else {
			fmt.Fprintf(stdout, "Auditloggens kæde er brudt ved nr. %d i kæden: %s\n", b.Seq, b.Reason)
		}
		fmt.Fprintf(stdout, "%d rækker før den er kontrolleret og i orden.\n", c.Rows)
		return errAuditBroken
	}
	fmt.Fprintf(stdout, "Auditloggens kæde er hel: %d rækker kontrolleret (nr. %d–%d); hoved %s\n",
		c.Rows, c.AnchorSeq+1, c.HeadSeq, store.AuditPoint{Seq: c.HeadSeq, Hash: c.HeadHash})
	if c.Unsealed > 0 {
		fmt.Fprintf(stdout, "%d nyere rækker er endnu ikke forseglet i kæden og er ikke kontrolleret.\n", c.Unsealed)
	}
	return nil
}

// parseAuditPoint reads SEQ:HASH (hex), the form AuditPoint.String writes.
func parseAuditPoint(s string) (store.AuditPoint, error) {
	seq, h, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	hash, herr := hex.DecodeString(h)
	if !ok || err != nil || herr != nil || n < 1 || len(hash) != 32 {
		return store.AuditPoint{}, fmt.Errorf("audit verify: -head must be SEQ:HASH as logged, e.g. 1234:%s", strings.Repeat("0", 64))
	}
	return store.AuditPoint{Seq: n, Hash: hash}, nil
}
