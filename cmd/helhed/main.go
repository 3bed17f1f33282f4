// Command helhed runs Helhed: the web server, migrations, demo/scale data and user admin.
//
//	helhed serve                 start the web app (embedded PostgreSQL when DATABASE_URL is unset)
//	helhed migrate up|down [N]|version
//	helhed seed --demo [--citizens N]
//	helhed user add|disable …
//	helhed backup --out FILE | restore --in FILE
//	helhed retention run         delete closed cases and audit rows past their retention period
//	helhed audit verify          check the audit log's hash chain
//	helhed outbox list|pdf|sent|failed   the letters waiting for the Digital Post integration
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "helhed:", err)
		os.Exit(1)
	}
}

const usage = `Brug: helhed <kommando> [flag]

Kommandoer:
  serve                      start webserveren (standard)
  migrate up|down [N]|version
  seed --demo [--citizens N]  opret demodata
  user add --username U --name N --role R --unit ENHED [--password P]
  user disable --username U
  backup --out FIL            sikkerhedskopi (pg_dump, custom format)
  restore --in FIL            indlæs en sikkerhedskopi i en tom database
  retention run               slet afsluttede sager og auditrækker, hvis opbevaringsperiode er udløbet
  audit verify [-head N:HASH] kontrollér auditloggens kæde af hashværdier
  outbox list [-limit N]      breve, der venter på Digital Post-integrationen (JSON, én pr. linje)
  outbox pdf ID [-out FIL]    brevets PDF
  outbox sent ID REFERENCE    integrationen har afsendt brevet
  outbox failed ID BESKED     afsendelsen fejlede

Uden DATABASE_URL startes en privat PostgreSQL i datamappen (.data/pg).
`

// run is the whole program with its environment passed in, so tests can call it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args, getenv, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, args, getenv, stdout, stderr)
	case "user":
		return cmdUser(ctx, args, getenv, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args, getenv, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args, getenv, stdout, stderr)
	case "retention":
		return cmdRetention(ctx, args, getenv, stdout, stderr)
	case "audit":
		return cmdAudit(ctx, args, getenv, stdout, stderr)
	case "outbox":
		return cmdOutbox(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		_, err := io.WriteString(stdout, usage)
		return err
	}
	return fmt.Errorf("ukendt kommando %q\n%s", cmd, usage)
}
