package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/helhed/helhed/internal/helhed"
	"github.com/helhed/helhed/internal/mfa"
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/internal/samlauth"
	"github.com/helhed/helhed/internal/seed"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/migrations"
)

// defaultMemoryLimit is the server's soft memory limit unless GOMEMLIMIT is set, and
// defaultGCPercent its GOGC unless GOGC is set (setGC).
const (
	defaultMemoryLimit = 100 << 20
	defaultGCPercent   = 400
)

// setGC sets the garbage collector's defaults, each unless its environment variable is set.
//
// The live heap under the standard load is about 6 MB (since the pages' compressors keep no
// state, compress.go). With Go's default GOGC of 100 the collector then ran whenever 6 MB more
// had been allocated: 163 times in 43 s, its mark workers 5 % of the CPU profile. GOGC 400
// lets the heap reach about five times what is live (35 MB) before a collection: 42 times in
// the same run. The soft limit caps what that may cost: logins hash with argon2id (19 MiB a
// hash), and right after a burst of logins the heap can hold several hashes' garbage; under
// the former limit of 128 MiB, GOGC 400 let that reach 151 MB resident. At 100 MiB the server
// stays at about 125 MB under the standard load (docs/benchmarks.md), and the collector
// works harder only near the limit.
func setGC(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
}

// envDuration reads a duration from the environment, falling back to def.
func envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	if v := getenv(key); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

// envInt reads an integer from the environment, falling back to def.
func envInt(getenv func(string) string, key string, def int) int {
	if v := getenv(key); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, getenv func(string) string) *slog.Logger {
	level := slog.LevelInfo
	if getenv("LOG_LEVEL") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var d dbFlags
	d.register(fs, getenv)
	var cfg web.Config
	addr := fs.String("addr", envOr(getenv, "ADDR", "localhost:8080"), "listen address (env ADDR)")
	debugAddr := fs.String("debug-addr", getenv("DEBUG_ADDR"), "serve Go's profiler (net/http/pprof) on this address, e.g. localhost:6060; off when empty (env DEBUG_ADDR)")
	fs.StringVar(&cfg.BaseURL, "base-url", getenv("BASE_URL"), "public base URL, e.g. https://helhed.kommune.dk (env BASE_URL); https turns on Secure cookies and HSTS")
	fs.DurationVar(&cfg.SessionIdle, "session-idle", envDuration(getenv, "SESSION_IDLE_TIMEOUT", 30*time.Minute), "end sessions idle this long (env SESSION_IDLE_TIMEOUT)")
	fs.DurationVar(&cfg.SessionLifetime, "session-lifetime", envDuration(getenv, "SESSION_LIFETIME", 10*time.Hour), "end sessions this long after login (env SESSION_LIFETIME)")
	trusted := fs.String("trusted-proxies", getenv("TRUSTED_PROXIES"), "comma-separated IP addresses or CIDR prefixes of the reverse proxies in front; only from these are X-Forwarded-For and X-Real-IP believed (env TRUSTED_PROXIES; default none)")
	fs.IntVar(&cfg.PDFTabs, "pdf-tabs", envInt(getenv, "PDF_TABS", pdf.DefaultTabs), "plan PDFs printed at once by the one shared Chromium (env PDF_TABS)")
	fs.IntVar(&cfg.PDFQueue, "pdf-queue", envInt(getenv, "PDF_QUEUE", pdf.DefaultQueue), "plan PDFs that may wait for a tab, -1 for none; beyond, 503 'Prøv igen om lidt' (env PDF_QUEUE)")
	fs.DurationVar(&cfg.PDFTimeout, "pdf-timeout", envDuration(getenv, "PDF_TIMEOUT", pdf.DefaultTimeout), "longest wait and print time of one PDF (env PDF_TIMEOUT)")
	mgmtRefresh := fs.Duration("management-refresh", envDuration(getenv, "MANAGEMENT_REFRESH", 10*time.Minute), "recompute the management figures this often (env MANAGEMENT_REFRESH; 0 turns it off)")
	taskInterval := fs.Duration("task-interval", envDuration(getenv, "TASK_INTERVAL", time.Minute), "generate the task lists' tasks from the cases this often, in the background (env TASK_INTERVAL; 0 turns it off)")
	auditSeal := fs.Duration("audit-seal-interval", envDuration(getenv, "AUDIT_SEAL_INTERVAL", time.Second), "put new audit rows into the audit log's hash chain this often, in the background (env AUDIT_SEAL_INTERVAL; 0 turns it off, e.g. when another instance seals)")
	retention := auditRetentionFlag(fs, getenv)
	cprChecks := fs.Int("cpr-check-limit", envInt(getenv, "CPR_CHECK_LIMIT", store.DefaultCPRCheckLimit),
		"citizens one user may create or try to create in 10 minutes; each attempt tells whether a CPR number is registered (env CPR_CHECK_LIMIT)")
	noteLock := fs.Duration("note-lock", envDuration(getenv, "NOTE_LOCK", helhed.DefaultNoteLock),
		"a journal note's author may amend it this long after writing it; then it is locked and corrected by a new note (env NOTE_LOCK)")
	docMax := fs.Int("document-max-mb", envInt(getenv, "DOCUMENT_MAX_MB", store.DefaultDocumentMaxSize>>20),
		"largest document that may be uploaded to a case, in MB (env DOCUMENT_MAX_MB)")
	readURL := fs.String("read-database-url", getenv("READ_DATABASE_URL"),
		"PostgreSQL URL of a streaming standby for the management dashboards and their exports; each page says how old its figures may be (env READ_DATABASE_URL; empty: the primary)")
	demo := fs.Bool("demo", getenv("HELHED_DEMO") != "false", "seed demo data into an empty embedded database (env HELHED_DEMO=false to turn off)")
	citizens := fs.Int("citizens", 300, "number of demo citizens")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if cfg.TrustedProxies, err = web.ParseTrustedProxies(*trusted); err != nil {
		return err
	}
	if *noteLock <= 0 {
		return fmt.Errorf("note lock (-note-lock, NOTE_LOCK) must be a positive duration such as 24h; got %s", *noteLock)
	}
	if *docMax < 1 || *docMax > 1024 {
		return fmt.Errorf("-document-max-mb (DOCUMENT_MAX_MB) must be 1–1024 MB, not %d", *docMax)
	}
	log := newLogger(stderr, getenv)
	start := time.Now()
	setGC(getenv)

	db, err := openDatabase(ctx, d, log, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.ownerURL); err != nil {
		return err
	}
	pool, err := store.OpenPool(ctx, db.url)
	if err != nil {
		return err
	}
	defer pool.Close()
	st := store.New(pool)
	st.CPRCheckLimit = *cprChecks
	st.NoteLock = *noteLock
	// TOTP secrets of local accounts are sealed with TOTP_KEY (docs/operations.md).
	if st.TOTPKey, err = mfa.ParseKey(getenv("TOTP_KEY")); err != nil {
		return err
	}
	if st.TOTPKey == nil && !db.embedded {
		log.Warn("TOTP_KEY is not set: TOTP secrets of local accounts are stored unsealed")
	}
	if v := getenv("REQUIRE_ADMIN_TOTP"); v != "" {
		if cfg.RequireAdminTOTP, err = strconv.ParseBool(v); err != nil {
			return fmt.Errorf("REQUIRE_ADMIN_TOTP must be true or false, not %q", v)
		}
	}
	st.DocumentMaxSize = int64(*docMax) << 20

	loginsFile := filepath.Join(d.dataDir, "demo-logins.txt")
	if db.embedded && *demo {
		has, err := seed.HasData(ctx, pool)
		if err != nil {
			return err
		}
		if !has {
			fmt.Fprintf(stderr, "Tom database: opretter demodata (%d fiktive borgere) …\n", *citizens)
			logins, err := seed.Demo(ctx, pool, seed.Options{Citizens: *citizens, Seed: uint64(time.Now().UnixNano()), Today: time.Now()})
			if err != nil {
				return fmt.Errorf("seed demo data: %w", err)
			}
			if err := writeLogins(loginsFile, logins); err != nil {
				return err
			}
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := cfg.BaseURL
	if url == "" {
		url = "http://" + displayAddr(ln.Addr().String())
		cfg.BaseURL = url
	}
	// Staff single sign-on: OIDC_ISSUER turns it on (docs/operations.md).
	staffOIDC, ok, err := oidcauth.FromEnv(getenv, "OIDC_", strings.TrimSuffix(cfg.BaseURL, "/")+web.SSOCallbackPath)
	if err != nil {
		return err
	}
	if ok {
		if staffOIDC.PostLogoutRedirectURL == "" {
			staffOIDC.PostLogoutRedirectURL = strings.TrimSuffix(cfg.BaseURL, "/") + "/login"
		}
		cfg.StaffOIDC = &staffOIDC
		log.Info("staff single sign-on is on", "issuer", staffOIDC.Issuer, "require_mfa", staffOIDC.RequireMFA)
	}
	// The citizen's MitID login: CITIZEN_OIDC_ISSUER turns it on, and the development
	// sign-in off (docs/citizen-area.md).
	citizenOIDC, err := web.CitizenOIDCFromEnv(getenv, cfg.BaseURL)
	if err != nil {
		return err
	}
	if citizenOIDC != nil {
		cfg.CitizenOIDC = citizenOIDC
		cfg.CitizenBroker = citizenOIDC.Issuer
		log.Info("citizen MitID login is on", "issuer", citizenOIDC.Issuer, "cpr_claim", citizenOIDC.CPRClaim,
			"assurance_claim", citizenOIDC.AssuranceClaim, "userinfo", citizenOIDC.UserInfo)
	}
	// The citizen area's development sign-in is for the embedded demo only (it never runs
	// with a MitID broker configured: web.Config.CitizenDevSignInEnabled).
	cfg.CitizenDevSignIn = db.embedded && *demo
	// Staff single sign-on over SAML 2.0: SAML_IDP_METADATA_URL or _FILE turns it on.
	base := strings.TrimSuffix(cfg.BaseURL, "/")
	staffSAML, ok, err := samlauth.FromEnv(getenv, base+web.SAMLMetadataPath, base+web.SAMLACSPath)
	if err != nil {
		return err
	}
	if ok {
		cfg.StaffSAML = &staffSAML
		log.Info("staff single sign-on over SAML is on", "sp", staffSAML.EntityID, "require_mfa", staffSAML.RequireMFA)
	}
	srv := web.New(st, log, cfg)
	if *readURL != "" {
		rp, err := store.OpenPool(ctx, *readURL)
		if err != nil {
			return fmt.Errorf("READ_DATABASE_URL: %w", err)
		}
		defer rp.Close()
		srv.UseReadReplica(store.New(rp))
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second}
	hs.RegisterOnShutdown(srv.CloseStreams) // end board streams, or Shutdown would wait for them
	defer srv.Close()                       // after Shutdown: PDFs being printed finish, then the browser goes

	fmt.Fprintf(stdout, "Helhed kører på %s (startet på %d ms)\n", url, time.Since(start).Milliseconds())
	if db.embedded {
		printLogins(stdout, loginsFile)
	}
	if cfg.CitizenDevSignInEnabled() {
		fmt.Fprintf(stdout, "Borgerens egen Helhed (demo-log ind): %s/mit/log-ind\n", url)
	}
	go housekeeping(ctx, st, log, *retention)
	go refreshManagement(ctx, st, log, *mgmtRefresh)
	go srv.GenerateTasks(ctx, *taskInterval)
	go sealAudit(ctx, st, log, *auditSeal)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if *debugAddr != "" {
		go serveDebug(ctx, *debugAddr, log)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "Lukker ned …")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdownCtx)
	// After the last requests: their audit rows join the chain before the server stops.
	sealAuditAtShutdown(st, log)
	return err
}

// displayAddr turns a listen address into something a browser can open.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" {
		return "localhost:" + port
	}
	return net.JoinHostPort(host, port)
}

// writeLogins keeps the generated demo passwords in the git-ignored data folder, readable only
// by the owner, so later runs can print them again. They exist only in demo databases.
func writeLogins(path string, logins []seed.Login) error {
	var b strings.Builder
	for _, l := range logins {
		fmt.Fprintf(&b, "%-14s %-20s %s (%s)\n", l.Username, l.Password, l.RoleLabel, l.Unit)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

func printLogins(w io.Writer, path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(w, "Demo-logins (brugernavn, adgangskode, rolle):")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fmt.Fprintln(w, "  "+sc.Text())
	}
}
