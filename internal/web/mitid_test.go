package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/oidctest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
	"github.com/helhed/helhed/web/paths"
)

// The NSIS levels as a MitID broker sends them in its "loa" claim.
const (
	loaLow         = "https://data.gov.dk/concept/core/nsis/Low"
	loaSubstantial = "https://data.gov.dk/concept/core/nsis/Substantial"
)

// mitidUser is a citizen at the broker: the level of assurance in the ID token and the CPR
// number at the UserInfo endpoint only, as the Signaturgruppen broker gives them.
func mitidUser(sub, cpr, loa string) oidctest.User {
	u := oidctest.User{Subject: sub, Claims: map[string]any{"loa": loa}}
	if cpr != "" {
		u.UserinfoClaims = map[string]any{"dk.cpr": cpr}
	}
	return u
}

// mitidApp starts a provider and an app whose citizens log in through it as their MitID
// broker and whose staff log in through it as the municipality's identity provider (two
// clients at one provider). The development sign-in is asked for and must be off. Anna
// (020385-1233) and Bo (010190-1235) have a case; "anna", "bo", "lav" (Anna at level low),
// "ukendt" (no case), "uden-cpr" (no CPR claim) and "sagsbehandler" (staff, group "jc") are
// the provider's users.
func mitidApp(t *testing.T) (*apptest.App, *oidctest.Provider, citizenCase, citizenCase) {
	t.Helper()
	p := oidctest.New(t)
	pool, _ := testdb.New(t)
	app := apptest.NewOnPoolAt(t, pool, func(base string) web.Config {
		p.AddClient("helhed-mitid", "borger-hemmelig", []string{base + paths.SelfMitIDReturn}, []string{base + paths.SelfSignIn})
		cfg := ssoConfig(p)(base)
		cfg.CitizenDevSignIn = true
		cfg.CitizenOIDC = &web.CitizenOIDC{Config: oidcauth.Config{Issuer: p.Issuer, ClientID: "helhed-mitid", ClientSecret: "borger-hemmelig",
			RedirectURL: base + paths.SelfMitIDReturn, PostLogoutRedirectURL: base + paths.SelfSignIn, Scopes: []string{"ssn"}, UserInfo: true}}
		return cfg
	})
	cw := app.User(t, "cw", access.RoleCaseworker, apptest.Jobcenter)
	a := newCitizenCase(t, app, cw, "020385-1233", "Anna")
	b := newCitizenCase(t, app, cw, "010190-1235", "Bo")
	if _, err := app.Store.CreateSSOMapping(t.Context(), store.Who{RequestID: "test"}, "jc", app.Units[apptest.Jobcenter], access.RoleCaseworker); err != nil {
		t.Fatal(err)
	}
	p.SetUser("anna", mitidUser("mitid-anna", "0203851233", loaSubstantial))
	p.SetUser("bo", mitidUser("mitid-bo", "0101901235", "https://data.gov.dk/concept/core/nsis/High"))
	p.SetUser("lav", mitidUser("mitid-anna", "0203851233", loaLow))
	p.SetUser("ukendt", mitidUser("mitid-ukendt", "1111901234", loaSubstantial))
	p.SetUser("uden-cpr", mitidUser("mitid-uden", "", loaSubstantial))
	p.SetUser("sagsbehandler", oidctest.User{Subject: "staff-1", Name: "Sara Sagsbehandler", Email: "sara@kommune.dk",
		Groups: []string{"jc"}, AMR: []string{"mfa"}})
	return app, p, a, b
}

// mitidLogin logs c in with MitID through the provider as username and returns where it
// landed.
func mitidLogin(t *testing.T, app *apptest.App, p *oidctest.Provider, c *apptest.Client, username string) (status int, path, body string) {
	t.Helper()
	res, err := p.Login(c.HTTP(), app.URL+paths.SelfMitID, username)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, string(b)
}

// TestMitIDLoginLandsOnOwnPlan: the sign-in page offers MitID and not the development
// sign-in; a login through the broker maps the CPR claim to the citizen, lands on /mit with
// their own plan and nobody else's, and is audited as theirs; logging out ends the session
// here and at the broker.
func TestMitIDLoginLandsOnOwnPlan(t *testing.T) {
	t.Parallel()
	app, p, a, _ := mitidApp(t)

	c := app.Client(t)
	page := c.Get(paths.SelfSignIn)
	if !page.Has("a[href='"+paths.SelfMitID+"']") || page.Has("form[action='"+paths.SelfDevSignIn+"']") {
		t.Fatalf("the sign-in page with a broker: MitID link %v, development form %v", page.Has("a[href='"+paths.SelfMitID+"']"),
			page.Has("form[action='"+paths.SelfDevSignIn+"']"))
	}
	status, path, body := mitidLogin(t, app, p, c, "anna")
	if status != http.StatusOK || path != paths.SelfHome || !strings.Contains(body, "Gå en tur hver dag, Anna") || strings.Contains(body, "Gå en tur hver dag, Bo") {
		t.Fatalf("after MitID login: %d %s\n%s", status, path, body)
	}
	if n := app.AuditCount(t, store.AuditSelfLogin, a.id); n != 1 {
		t.Errorf("%d sign-ins audited as Anna's; want 1", n)
	}
	// The CPR claim decides whose case it is: Bo lands on Bo's plan.
	if _, path, body := mitidLogin(t, app, p, app.Client(t), "bo"); path != paths.SelfHome || !strings.Contains(body, "Gå en tur hver dag, Bo") ||
		strings.Contains(body, "Gå en tur hver dag, Anna") {
		t.Errorf("Bo's login: %s\n%s", path, body)
	}

	// Logging out ends the citizen's session, and at the broker too, which sends the browser
	// back to the sign-in page.
	out := c.Post(paths.SelfSignOut, nil)
	if out.URL.Path != paths.SelfSignIn || !strings.Contains(out.Body, "Du er logget ud af Mit Helhed") {
		t.Errorf("after logging out: %s %q", out.URL.Path, out.Text("main"))
	}
	if got := p.TerminatedSessions(); len(got) != 1 || got[0] != "mitid-anna" {
		t.Errorf("the broker ended sessions %v; want Anna's", got)
	}
	if pg := c.NoRedirects().Get(paths.SelfHome); pg.Status != http.StatusSeeOther || pg.Header.Get("Location") != paths.SelfSignIn {
		t.Errorf("after logging out, /mit: %d %s", pg.Status, pg.Header.Get("Location"))
	}
	// The citizen's logout form may lead to the broker (CSP form-action).
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self'") || !strings.Contains(csp, p.Issuer) {
		t.Errorf("CSP does not let the logout reach the broker: %s", csp)
	}
}

// TestMitIDRefusals: a level below betydelig, a CPR number without a case, no CPR claim,
// and ID tokens that are forged, expired or for another client: each is answered in Danish,
// leaves no signed-in session and is audited without the CPR number. (The exhaustive table
// of bad tokens is oidcauth's TestBadTokensRefused.)
func TestMitIDRefusals(t *testing.T) {
	t.Parallel()
	app, p, _, _ := mitidApp(t)
	other := oidctest.New(t)
	for _, tc := range []struct {
		name, user string
		forge      func(map[string]any) string
		status     int
		want       string
		audit      string
	}{
		{name: "assurance lav", user: "lav", status: http.StatusForbidden, want: "sikringsniveau betydelig", audit: store.AuditSelfLoginAssurance},
		{name: "no case", user: "ukendt", status: http.StatusOK, want: "Vi har ingen sag om dig", audit: store.AuditSelfLoginUnknown},
		{name: "no CPR claim", user: "uden-cpr", status: http.StatusForbidden, want: "Vi fik ikke dit CPR-nummer", audit: store.AuditSelfLoginFailed},
		{name: "another signer", user: "anna", forge: func(c map[string]any) string { return other.Sign(c) },
			status: http.StatusForbidden, want: "Vi kunne ikke bekræfte dit log ind", audit: store.AuditSelfLoginFailed},
		{name: "expired", user: "anna", forge: func(c map[string]any) string {
			c["exp"], c["iat"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-2*time.Hour).Unix()
			return p.Sign(c)
		}, status: http.StatusForbidden, want: "Vi kunne ikke bekræfte dit log ind", audit: store.AuditSelfLoginFailed},
		{name: "another audience", user: "anna", forge: func(c map[string]any) string {
			c["aud"] = "helhed" // the staff client's token
			return p.Sign(c)
		}, status: http.StatusForbidden, want: "Vi kunne ikke bekræfte dit log ind", audit: store.AuditSelfLoginFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := app.AuditCount(t, tc.audit, 0)
			if tc.forge != nil {
				p.TamperNextToken(tc.forge)
			}
			c := app.Client(t)
			status, path, body := mitidLogin(t, app, p, c, tc.user)
			if status != tc.status || path != paths.SelfMitIDReturn || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s; want %d with %q:\n%s", status, path, tc.status, tc.want, body)
			}
			if pg := c.NoRedirects().Get(paths.SelfHome); pg.Status != http.StatusSeeOther {
				t.Errorf("a refused login left a signed-in session: %d", pg.Status)
			}
			if got := app.AuditCount(t, tc.audit, 0); got != before+1 {
				t.Errorf("%s audited %d times; want %d", tc.audit, got, before+1)
			}
		})
	}
	var leaks int
	if err := app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_events WHERE action LIKE 'self.%'
		AND (detail LIKE '%0203851233%' OR detail LIKE '%1111901234%')`).Scan(&leaks); err != nil || leaks != 0 {
		t.Errorf("%d audit rows hold a CPR number (%v)", leaks, err)
	}
}

// TestMitIDAndStaffSSOAreSeparateRealms: logged in through the same provider, a staff
// session is worthless in /mit and a citizen's worthless on the staff side; a citizen's
// MitID identity is no staff login, and a login begun in one realm does not finish in the
// other.
func TestMitIDAndStaffSSOAreSeparateRealms(t *testing.T) {
	t.Parallel()
	app, p, _, _ := mitidApp(t)

	staff := app.Client(t)
	if status, path, _ := ssoLogin(t, app, p, staff, "sagsbehandler"); status != http.StatusOK || path != "/borgere" {
		t.Fatalf("staff SSO login: %d %s", status, path)
	}
	if pg := staff.NoRedirects().Get(paths.SelfHome); pg.Status != http.StatusSeeOther || pg.Header.Get("Location") != paths.SelfSignIn {
		t.Errorf("a staff SSO session in /mit: %d %s; want the citizen sign-in", pg.Status, pg.Header.Get("Location"))
	}

	citizen := app.Client(t)
	if _, path, _ := mitidLogin(t, app, p, citizen, "anna"); path != paths.SelfHome {
		t.Fatalf("citizen MitID login: %s", path)
	}
	for _, path := range []string{"/", "/borgere"} {
		if pg := citizen.NoRedirects().Get(path); pg.Status != http.StatusSeeOther || !strings.HasPrefix(pg.Header.Get("Location"), "/login") {
			t.Errorf("%s with a MitID session: %d %s; want the staff login", path, pg.Status, pg.Header.Get("Location"))
		}
	}
	// The citizen's identity at the provider is no way into the staff side.
	if status, path, _ := ssoLogin(t, app, p, app.Client(t), "anna"); status != http.StatusForbidden || path != web.SSOCallbackPath {
		t.Errorf("a citizen through staff SSO: %d %s; want refused", status, path)
	}
	// A staff login's callback brought to the citizen realm: no login of this realm began it.
	hc := app.Client(t).NoRedirects().HTTP()
	res, err := hc.Get(app.URL + web.SSOLoginPath)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	authURL := res.Header.Get("Location")
	state := authURL[strings.Index(authURL, "state=")+len("state="):]
	state, _, _ = strings.Cut(state, "&")
	if pg := app.Client(t).Get(paths.SelfMitIDReturn + "?state=" + state + "&code=x"); pg.Status != http.StatusForbidden ||
		!strings.Contains(pg.Body, "udløbet eller allerede brugt") {
		t.Errorf("a staff login's state at the citizen callback: %d %q", pg.Status, pg.Text("main"))
	}
}

// TestMitIDOnlyWhenConfigured: without a broker its routes are not found and the sign-in page
// offers no MitID link.
func TestMitIDOnlyWhenConfigured(t *testing.T) {
	t.Parallel()
	app := apptest.New(t, web.Config{CitizenDevSignIn: true})
	c := app.Client(t).NoRedirects()
	for _, path := range []string{paths.SelfMitID, paths.SelfMitIDReturn + "?state=x&code=y"} {
		if pg := c.Get(path); pg.Status != http.StatusNotFound {
			t.Errorf("%s without a broker: %d", path, pg.Status)
		}
	}
	if c.Get(paths.SelfSignIn).Has("a[href='" + paths.SelfMitID + "']") {
		t.Error("the sign-in page links to MitID without a broker")
	}
}

// TestCitizenOIDCFromEnv: CITIZEN_OIDC_ISSUER turns the broker login on with the Signaturgruppen
// broker's claim names and scope unless others are named; REQUIRE_MFA is off (the level of
// assurance is the check) and UserInfo on unless set.
func TestCitizenOIDCFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if c, err := web.CitizenOIDCFromEnv(env(nil), "https://helhed.kommune.dk"); c != nil || err != nil {
		t.Errorf("no issuer: %+v %v", c, err)
	}
	c, err := web.CitizenOIDCFromEnv(env(map[string]string{"CITIZEN_OIDC_ISSUER": "https://broker.example", "CITIZEN_OIDC_CLIENT_ID": "helhed"}),
		"https://helhed.kommune.dk/")
	if err != nil || c == nil {
		t.Fatalf("%+v %v", c, err)
	}
	if c.CPRClaim != "dk.cpr" || c.AssuranceClaim != "loa" || strings.Join(c.Scopes, " ") != "ssn" || !c.UserInfo || c.RequireMFA ||
		c.RedirectURL != "https://helhed.kommune.dk/mit/log-ind/mitid/callback" || c.PostLogoutRedirectURL != "https://helhed.kommune.dk/mit/log-ind" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = web.CitizenOIDCFromEnv(env(map[string]string{"CITIZEN_OIDC_ISSUER": "https://broker.example", "CITIZEN_OIDC_CLIENT_ID": "helhed",
		"CITIZEN_OIDC_CPR_CLAIM": "cprNumberIdentifier", "CITIZEN_OIDC_ASSURANCE_CLAIM": "https://data.gov.dk/concept/core/nsis/loa",
		"CITIZEN_OIDC_SCOPES": "openid", "CITIZEN_OIDC_USERINFO": "false"}), "https://helhed.kommune.dk")
	if err != nil || c.CPRClaim != "cprNumberIdentifier" || c.AssuranceClaim != "https://data.gov.dk/concept/core/nsis/loa" || c.UserInfo {
		t.Errorf("named claims: %+v %v", c, err)
	}
	if _, err := web.CitizenOIDCFromEnv(env(map[string]string{"CITIZEN_OIDC_ISSUER": "https://broker.example"}), "https://helhed.kommune.dk"); err == nil {
		t.Error("no client id: no error")
	}
}
