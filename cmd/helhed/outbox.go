package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/helhed/helhed/internal/store"
)

// outboxUsage names the outbox's subcommands.
const outboxUsage = "outbox: unknown subcommand (list [-limit N], pdf ID [-out FILE], sent ID REFERENCE, failed ID MESSAGE)"

// cmdOutbox is the municipality's Digital Post integration's way to the letters Helhed has
// written (docs/operations.md):
//
//	helhed outbox list [-limit N]      the waiting letters, oldest first, one JSON object a line
//	helhed outbox pdf ID [-out FILE]   the letter's PDF (to standard output without -out)
//	helhed outbox sent ID REFERENCE    Digital Post delivered the letter, with its reference
//	helhed outbox failed ID MESSAGE    delivery failed, with the reason
//
// Each read and report is audited as Helhed itself. A letter is called sent only here.
func cmdOutbox(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(outboxUsage)
	}
	sub := args[0]
	fs := flag.NewFlagSet("outbox "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	limit := 0
	out := ""
	switch sub {
	case "list":
		fs.IntVar(&limit, "limit", 1000, "at most this many letters (1–1000)")
	case "pdf":
		fs.StringVar(&out, "out", "", "write the PDF to this file instead of standard output")
	case "sent", "failed":
	default:
		return errors.New(outboxUsage)
	}
	// Flags may come before or after the letter's id and text.
	var pos []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	var id int64
	if sub != "list" {
		if len(pos) == 0 {
			return fmt.Errorf("outbox %s: the letter's id is missing", sub)
		}
		n, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || n < 1 {
			return fmt.Errorf("outbox %s: %q is not a letter's id", sub, pos[0])
		}
		id = n
	}
	text := strings.TrimSpace(strings.Join(pos[min(1, len(pos)):], " "))
	if (sub == "sent" || sub == "failed") && text == "" {
		return fmt.Errorf("outbox %s: the %s is missing", sub, map[string]string{"sent": "delivery reference", "failed": "message"}[sub])
	}
	st, closeStore, err := openStore(ctx, d, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore()
	helhedItself := store.Who{RequestID: "outbox " + sub}
	switch sub {
	case "list":
		letters, err := st.Outbox(ctx, helhedItself, limit)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(stdout)
		for _, l := range letters {
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		return nil
	case "pdf":
		doc, err := st.OutboxDocument(ctx, id)
		if err != nil {
			return err
		}
		rc, err := st.OpenDocument(ctx, helhedItself, doc)
		if err != nil {
			return err
		}
		defer rc.Close()
		w := stdout
		if out != "" {
			f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			defer f.Close()
			w = f
		}
		if _, err := io.Copy(w, rc); err != nil {
			return fmt.Errorf("outbox pdf %d: %w", id, err)
		}
		return nil
	case "sent":
		if err := st.MarkLetterSent(ctx, helhedItself, id, text); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Brev %d er registreret som afsendt (ref. %s)\n", id, text)
	case "failed":
		if err := st.MarkLetterFailed(ctx, helhedItself, id, text); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Brev %d er registreret som ikke afsendt\n", id)
	}
	return nil
}
