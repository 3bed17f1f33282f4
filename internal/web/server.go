// Package web is Helhed's HTTP layer: one Server holding every dependency, handlers as methods
// that return errors, templ pages rendered through one buffered helper.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/helhed/helhed/internal/delivery"
	"github.com/helhed/helhed/internal/form"
	"github.com/helhed/helhed/internal/live"
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/pdf"
	"github.com/helhed/helhed/internal/samlauth"
	"github.com/helhed/helhed/internal/store"
)

// Config is the web layer's configuration.
type Config struct {
	// BaseURL is the public address; https makes cookies Secure and turns on HSTS.
	BaseURL string
	// SessionIdle ends a session after this long without requests (default 30 min).
	SessionIdle time.Duration
	// SessionLifetime ends a session this long after login, active or not (default 10 h).
	SessionLifetime time.Duration
	// LoginMaxPerUser, LoginDelay and LoginMaxDelay slow guessing at one account down: after
	// LoginMaxPerUser failures in a row (default 5) each attempt must wait LoginDelay (30 s)
	// after the last failure, doubling with every further failure up to LoginMaxDelay
	// (5 min). A success clears the count; failures older than a day no longer count.
	LoginMaxPerUser int
	LoginDelay      time.Duration
	LoginMaxDelay   time.Duration
	// LoginWindow and LoginMaxPerIP limit one client address across accounts: after
	// LoginMaxPerIP failures (default 50) within LoginWindow (15 min), its attempts are
	// refused until the window has passed.
	LoginWindow   time.Duration
	LoginMaxPerIP int
	// TrustedProxies are the reverse proxies in front of the app. Only a request whose direct
	// peer is one of them has its client address taken from X-Forwarded-For (the rightmost
	// address that is not a trusted proxy) or X-Real-IP; from anyone else those headers are
	// ignored, since a client can send whatever it likes. Empty: trust no one.
	TrustedProxies []netip.Prefix
	// ChromiumPath is the browser that renders plan PDFs; "" finds chromium on the machine.
	ChromiumPath string
	// PDFTabs, PDFQueue and PDFTimeout bound PDF printing: one shared browser prints PDFTabs
	// documents at once (default 2), PDFQueue more wait for a tab (default 8), and beyond
	// that, or after PDFTimeout for one document (default 30 s), the user is asked to try
	// again in a moment (503). See internal/pdf.
	PDFTabs    int
	PDFQueue   int
	PDFTimeout time.Duration
	// PDF prints plan PDFs; nil is the shared Chromium above. Tests that must read the
	// document a PDF is printed from pass a printer that returns the HTML it was given.
	PDF PDFPrinter
	// Delivery hands a sent letter to Digital Post; nil is the outbox that the
	// municipality's integration collects (delivery.Outbox, `helhed outbox`).
	Delivery delivery.Delivery
	// Uploads bounds the documents streaming into the database at once (default 2): each
	// holds a database connection and a transaction until its last byte has arrived, so a
	// few slow uploads must not take the pool from everyone else. UploadWait is how long a
	// further upload waits for a turn before the user is asked to try again (default 10 s).
	Uploads    int
	UploadWait time.Duration
	// StaffOIDC turns on staff login through the municipality's identity provider (OpenID
	// Connect, internal/oidcauth); nil leaves local passwords only.
	StaffOIDC *oidcauth.Config
	// StaffSAML turns on staff login over SAML 2.0 (internal/samlauth); nil leaves it off,
	// and its routes absent.
	StaffSAML *samlauth.Config
	// RequireAdminTOTP holds an administrator who logs in with a password at the TOTP
	// enrolment page until they have an app (the break-glass account; REQUIRE_ADMIN_TOTP).
	RequireAdminTOTP bool
	// StreamCheck is how often an open board stream sends a keep-alive and checks that its
	// session and user still hold (default 20 s).
	StreamCheck time.Duration
	// The citizen area (docs/citizen-area.md). CitizenIdle and CitizenLifetime bound its
	// sessions (default 15 min and 1 h: shorter than staff's). CitizenAssurance is the NSIS
	// level a MitID sign-in must have (default "betydelig"). CitizenBroker is the MitID
	// broker's issuer, set when its OIDC login is wired to signInCitizen; CitizenDevSignIn
	// turns on the development sign-in (the embedded demo, tests), which never runs while a
	// broker is configured (CitizenDevSignInEnabled). CitizenActions is how many actions a
	// citizen may take within CitizenActionWindow (default 30 in 10 min).
	CitizenIdle         time.Duration
	CitizenLifetime     time.Duration
	CitizenAssurance    string
	CitizenBroker       string
	CitizenDevSignIn    bool
	CitizenActions      int
	CitizenActionWindow time.Duration
	// CitizenOIDC turns on the citizen's MitID login through the municipality's broker
	// (mitid.go); it sets CitizenBroker, so the development sign-in is off.
	CitizenOIDC *CitizenOIDC
}

// PDFPrinter prints an HTML document to PDF (*pdf.Renderer).
type PDFPrinter interface {
	Available() bool
	Render(ctx context.Context, html string) ([]byte, error)
	Close()
}

func (c *Config) defaults() {
	if c.SessionIdle == 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.SessionLifetime == 0 {
		c.SessionLifetime = 10 * time.Hour
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = 15 * time.Minute
	}
	if c.LoginMaxPerUser == 0 {
		c.LoginMaxPerUser = 5
	}
	if c.LoginDelay == 0 {
		c.LoginDelay = 30 * time.Second
	}
	if c.LoginMaxDelay == 0 {
		c.LoginMaxDelay = 5 * time.Minute
	}
	if c.LoginMaxPerIP == 0 {
		c.LoginMaxPerIP = 50
	}
	if c.StreamCheck == 0 {
		c.StreamCheck = 20 * time.Second
	}
	if c.Uploads <= 0 {
		c.Uploads = 2
	}
	if c.UploadWait <= 0 {
		c.UploadWait = 10 * time.Second
	}
	if c.CitizenIdle <= 0 {
		c.CitizenIdle = 15 * time.Minute
	}
	if c.CitizenLifetime <= 0 {
		c.CitizenLifetime = time.Hour
	}
	if c.CitizenAssurance == "" {
		c.CitizenAssurance = AssuranceSubstantial
	}
	if c.CitizenActions <= 0 {
		c.CitizenActions = 30
	}
	if c.CitizenActionWindow <= 0 {
		c.CitizenActionWindow = 10 * time.Minute
	}
	if c.CitizenOIDC != nil {
		o := *c.CitizenOIDC
		o.defaults()
		c.CitizenOIDC = &o
		if c.CitizenBroker == "" {
			c.CitizenBroker = o.Issuer
		}
	}
}

// HTTPS reports whether the app is served over https.
func (c Config) HTTPS() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Server holds every dependency of the handlers. There are no globals.
type Server struct {
	store    *store.Store
	sessions *scs.SessionManager
	// selfSessions is the citizen area's own session realm (citizenarea.go).
	selfSessions *scs.SessionManager
	log          *slog.Logger
	cfg          Config
	now          func() time.Time
	// hashing bounds concurrent argon2id verifications: each takes 19 MiB and a core for tens
	// of milliseconds, so a burst of logins must queue rather than grow the heap by a
	// gigabyte (or be used to exhaust memory).
	hashing chan struct{}
	// uploads holds a token per document streaming into the database (Config.Uploads).
	uploads chan struct{}
	pdf     PDFPrinter
	// delivery hands letters to Digital Post (the outbox by default).
	delivery delivery.Delivery
	// live wakes open board streams when their meeting changes on any instance; boards
	// shares the work of updating them between this instance's screens.
	live   *live.Hub
	boards boardCaches
	// vocab is the reference data, kept in memory and read again after every change (the
	// store keeps the settings and units the same way, store.KeepCopies).
	vocab *vocabulary
	// sso logs staff in through the identity provider; nil when not configured.
	sso *oidcauth.Client
	// reader reads the management figures from a replica; nil: from store (replica.go).
	reader *store.Store
	// saml logs staff in over SAML 2.0; nil when not configured.
	saml *samlauth.SP
	// mitid logs citizens in through the MitID broker (mitid.go); nil when not configured.
	mitid *oidcauth.Client
}

// New builds a Server. Sessions live in PostgreSQL so any number of instances behave as one.
func New(st *store.Store, log *slog.Logger, cfg Config) *Server {
	cfg.defaults()
	sm := scs.New()
	sm.Store = newSessionStore(st, cfg.SessionIdle, 5*time.Minute)
	sm.Codec = sessionCodec{}
	sm.IdleTimeout = cfg.SessionIdle
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "helhed_session"
	if cfg.HTTPS() {
		// __Host-: the browser keeps the cookie only if it is Secure, for path / and this host
		// alone (no Domain), so a sibling subdomain cannot set or shadow it (ASVS 3.3.1, 3.3.3).
		// Plain-http development cannot use the prefix.
		sm.Cookie.Name = "__Host-helhed_session"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.HTTPS()
	sm.Cookie.Path = "/"
	hub := live.NewHub(st.Pool(), store.LiveChannel, log)
	// The settings and units in memory, behind the same announcements as the vocabulary.
	st.KeepCopies(hub)
	printer := cfg.PDF
	if printer == nil {
		printer = &pdf.Renderer{ExecPath: cfg.ChromiumPath, Tabs: cfg.PDFTabs, Queue: cfg.PDFQueue, Timeout: cfg.PDFTimeout}
	}
	var post delivery.Delivery = delivery.Outbox{}
	if cfg.Delivery != nil {
		post = cfg.Delivery
	}
	srv := &Server{store: st, sessions: sm, log: log, cfg: cfg, now: time.Now,
		hashing: make(chan struct{}, max(1, runtime.NumCPU())), uploads: make(chan struct{}, cfg.Uploads),
		pdf: printer, delivery: post, selfSessions: newCitizenSessions(st, cfg),
		live: hub, vocab: newVocabulary(st, hub)}
	if cfg.StaffOIDC != nil {
		c, err := oidcauth.New(*cfg.StaffOIDC, sm, sessStaffOIDC)
		if err != nil {
			// The command validates the configuration before it gets here.
			log.Error("staff single sign-on is off: invalid configuration", "err", err)
		} else {
			srv.sso = c
		}
	}
	if cfg.StaffSAML != nil {
		c, err := samlauth.New(*cfg.StaffSAML, sm, sessStaffSAML, st.SAMLReplayCache())
		if err != nil {
			log.Error("staff single sign-on over SAML is off: invalid configuration", "err", err)
		} else {
			srv.saml = c
		}
	}
	if cfg.CitizenOIDC != nil {
		srv.mitid = srv.newMitID(cfg.CitizenOIDC)
	}
	return srv
}

// CloseStreams ends the live updates: open board streams return, and the listening
// connection is given back. Call it when the HTTP server starts shutting down
// (http.Server.RegisterOnShutdown), so streams do not hold the shutdown up.
func (s *Server) CloseStreams() { s.live.Close() }

// Close ends everything the server started: the live updates (CloseStreams) and the shared
// PDF browser, whose process it waits for. Call it after the HTTP server has shut down (so
// PDFs being printed finish first) and before the pool closes. It is safe to call twice.
func (s *Server) Close() {
	s.live.Close()
	s.pdf.Close()
}

// Sessions exposes the session manager (the CLI ends sessions of a disabled user with it).
func (s *Server) Sessions() *scs.SessionManager { return s.sessions }

// today is the Danish calendar date now (midnight in Europe/Copenhagen), whatever the
// server's time zone: what a typed date is compared with.
func (s *Server) today() time.Time { return form.Today(s.now()) }
