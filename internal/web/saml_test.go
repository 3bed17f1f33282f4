package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/helhed/helhed/internal/access"
	"github.com/helhed/helhed/internal/apptest"
	"github.com/helhed/helhed/internal/samlauth"
	"github.com/helhed/helhed/internal/samltest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// KOMBIT-style privileges (OIO-BPP) the test IdP grants; samlApp maps them.
const (
	privCaseworker = "http://helhed.dk/roles/usersystemrole/sagsbehandler/1"
	privManager    = "http://helhed.dk/roles/usersystemrole/leder/1"
	privSocial     = "http://helhed.dk/roles/usersystemrole/socialraadgiver/1"
)

// samlConfig is the SAML realm of an app at base, trusting IdP p, requiring MFA (OIOSAML 3
// defaults: NSIS Substantial or High).
func samlConfig(t *testing.T, p *samltest.IdP) func(base string) web.Config {
	key, cert := samltest.KeyPair(t, "helhed test SP")
	return func(base string) web.Config {
		return web.Config{StaffSAML: &samlauth.Config{MetadataURL: base + web.SAMLMetadataPath, ACSURL: base + web.SAMLACSPath,
			IdPMetadata: p.Metadata(), Key: key, Certificate: cert, RequireMFA: true}}
	}
}

// samlApp starts an IdP and an app that logs staff in through it, with the privileges
// mapped to Jobcenter Test's caseworker and manager and the social unit's social worker.
func samlApp(t *testing.T) (*apptest.App, *samltest.IdP, *pgxpool.Pool) {
	t.Helper()
	p := samltest.New(t)
	pool, _ := testdb.New(t)
	app := apptest.NewOnPoolAt(t, pool, samlConfig(t, p))
	p.AddServiceProvider(app.URL + web.SAMLMetadataPath)
	who := store.Who{RequestID: "test"}
	for group, g := range map[string]struct{ unit, role string }{
		privCaseworker: {apptest.Jobcenter, access.RoleCaseworker}, privManager: {apptest.Jobcenter, access.RoleManager},
		privSocial: {apptest.Social, access.RoleSocial}} {
		if _, err := app.Store.CreateSSOMapping(t.Context(), who, group, app.Units[g.unit], g.role); err != nil {
			t.Fatal(err)
		}
	}
	return app, p, pool
}

// samlLogin logs c in through the IdP as username and returns the page it lands on.
func samlLogin(t *testing.T, app *apptest.App, p *samltest.IdP, c *apptest.Client, username string) (status int, path, body string) {
	t.Helper()
	res, err := p.Login(c.HTTP(), app.URL+web.SAMLLoginPath+"?next=/borgere", username)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, string(b)
}

// TestSAMLLoginProvisionsAndMaps: the first login over SAML provisions the user by (IdP
// entity ID, NameID) with the unit and role their OIO-BPP privilege maps to, through the
// same mappings as OpenID Connect, and lands where they were going; a changed privilege
// moves them at the next login, the same user.
func TestSAMLLoginProvisionsAndMaps(t *testing.T) {
	t.Parallel()
	app, p, _ := samlApp(t)
	p.SetUser("anna", samltest.User{NameID: "c7f0-anna", FirstName: "Anna", LastName: "Berg", Email: "Anna.Berg@kommune.dk",
		Privileges: []string{"http://andet.dk/roles/x/1", privCaseworker}})
	c := app.Client(t)
	if status, path, body := samlLogin(t, app, p, c, "anna"); status != http.StatusOK || path != "/borgere" {
		t.Fatalf("after login: %d %s\n%s", status, path, body)
	}
	var id int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM users WHERE sso_issuer = $1 AND sso_subject = 'c7f0-anna'`, p.EntityID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	u, _ := app.Store.UserByID(t.Context(), id)
	if u.Username != "anna.berg" || u.Name != "Anna Berg" || u.UnitID != app.Units[apptest.Jobcenter] || u.Role != access.RoleCaseworker || u.PasswordHash != store.NoPassword {
		t.Errorf("provisioned %+v", u)
	}
	var detail string
	if err := app.Pool.QueryRow(t.Context(), `SELECT detail FROM audit_events WHERE action = 'login.success' AND user_id = $1`, id).Scan(&detail); err != nil || detail != "sso" {
		t.Errorf("login audit %q %v", detail, err)
	}
	// No password, so no "Skift adgangskode" in the header.
	if pg := c.Get("/borgere"); pg.Has(`header a[href="/konto/adgangskode"]`) || !pg.Has(".portal-user .user") {
		t.Error("an SSO-only user is offered to change a password")
	}

	p.SetUser("anna", samltest.User{NameID: "c7f0-anna", FirstName: "Anna", LastName: "Berg", Privileges: []string{privManager}})
	if status, path, _ := samlLogin(t, app, p, app.Client(t), "anna"); status != http.StatusOK || path != "/borgere" {
		t.Fatalf("second login: %d %s", status, path)
	}
	u, _ = app.Store.UserByID(t.Context(), id)
	var n int
	_ = app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM users WHERE sso_subject = 'c7f0-anna'`).Scan(&n)
	if u.Role != access.RoleManager || n != 1 {
		t.Errorf("after the privilege changed: role %s, %d users", u.Role, n)
	}
}

// TestSAMLRefusals: every bad assertion is refused with a Danish explanation, no session and
// an audit row naming the reason: unsigned, signed by another key, expired, for another
// audience, replayed, without MFA, the IdP's refusal, and Helhed's own rules (no mapped
// privilege, a user disabled in Helhed).
func TestSAMLRefusals(t *testing.T) {
	t.Parallel()
	app, p, _ := samlApp(t)
	ok := samltest.User{NameID: "s-ok", Privileges: []string{privCaseworker}}
	p.SetUser("ok", ok)
	p.SetUser("ukendt", samltest.User{NameID: "s-ukendt", Privileges: []string{"http://andet.dk/roles/x/1"}})
	p.SetUser("flere", samltest.User{NameID: "s-flere", Privileges: []string{privCaseworker, privSocial}})
	p.SetUser("uden-mfa", samltest.User{NameID: "s-pwd", Privileges: []string{privCaseworker},
		AuthnContext: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"})
	p.SetUser("lav", samltest.User{NameID: "s-low", Privileges: []string{privCaseworker},
		AuthnContext: "https://data.gov.dk/concept/core/nsis/loa/Low"})
	p.SetUser("spaerret-idp", samltest.User{NameID: "s-idp", Privileges: []string{privCaseworker}, Disabled: true})
	p.SetUser("spaerret", samltest.User{NameID: "s-helhed", Privileges: []string{privCaseworker}})

	if _, path, _ := samlLogin(t, app, p, app.Client(t), "spaerret"); path != "/borgere" {
		t.Fatalf("first login of the user to be disabled: %s", path)
	}
	var sid int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM users WHERE sso_subject = 's-helhed'`).Scan(&sid); err != nil {
		t.Fatal(err)
	}
	if err := app.Store.SetUserDisabled(t.Context(), store.Who{RequestID: "test"}, sid, true); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, user, want, audit string
		tamper                  samltest.Tamper
	}{
		{name: "unsigned", user: "ok", tamper: samltest.Unsigned, want: "kunne ikke bekræfte dit login", audit: "saml: signature"},
		{name: "wrong signer", user: "ok", tamper: samltest.WrongSigner, want: "kunne ikke bekræfte dit login", audit: "saml: signature"},
		{name: "expired", user: "ok", tamper: samltest.Expired, want: "kunne ikke bekræfte dit login", audit: "saml: expired"},
		{name: "wrong audience", user: "ok", tamper: samltest.WrongAudience, want: "kunne ikke bekræfte dit login", audit: "saml: assertion"},
		{name: "no MFA context", user: "uden-mfa", want: "to faktorer", audit: "saml: mfa"},
		{name: "NSIS Low", user: "lav", want: "to faktorer", audit: "saml: mfa"},
		{name: "refused at the IdP", user: "spaerret-idp", want: "Kommunens login afviste", audit: "saml: refused"},
		{name: "unknown privilege", user: "ukendt", want: "ingen af dine grupper giver adgang", audit: "sso: ingen kendt gruppe (1 grupper)"},
		{name: "ambiguous privileges", user: "flere", want: "flere forskellige enheder eller roller"},
		{name: "disabled in Helhed", user: "spaerret", want: "deaktiveret i Helhed", audit: "sso: deaktiveret i Helhed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := app.AuditCount(t, store.AuditLoginFailed, 0)
			if tc.tamper != 0 {
				p.TamperNext(tc.tamper)
			}
			c := app.Client(t)
			status, path, body := samlLogin(t, app, p, c, tc.user)
			if status != http.StatusForbidden || path != web.SAMLContinuePath || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s, want 403 with %q:\n%s", status, path, tc.want, body)
			}
			if pg := c.Get("/borgere"); pg.URL.Path != "/login" {
				t.Errorf("refused login has a session: %s", pg.URL.Path)
			}
			if app.AuditCount(t, store.AuditLoginFailed, 0) != before+1 {
				t.Errorf("refusal not audited")
			}
			if tc.audit != "" {
				var last string
				_ = app.Pool.QueryRow(t.Context(), `SELECT detail FROM audit_events WHERE action = 'login.failure' ORDER BY id DESC LIMIT 1`).Scan(&last)
				if last != tc.audit {
					t.Errorf("audited as %q, want %q", last, tc.audit)
				}
			}
		})
	}

	// Replayed: the same response posted again, in the same browser (its login still
	// pending) and in another, is refused; the first use let the person in.
	c := app.Client(t)
	if _, path, _ := samlLogin(t, app, p, c, "ok"); path != "/borgere" {
		t.Fatalf("login before the replay: %s", path)
	}
	captured := p.LastResponse()
	for _, who := range []*apptest.Client{c, app.Client(t)} {
		pg := who.Post(web.SAMLContinuePath, captured)
		if pg.Status != http.StatusForbidden {
			t.Errorf("replayed response: %d %s", pg.Status, pg.URL.Path)
		}
	}
	var replays int
	_ = app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM audit_events WHERE action = 'login.failure' AND detail = 'saml: replay'`).Scan(&replays)
	if replays != 1 {
		t.Errorf("replay in the same browser not refused as a replay: %d audit rows", replays)
	}
	var n int
	_ = app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM users WHERE sso_subject IS NOT NULL`).Scan(&n)
	if n != 2 {
		t.Errorf("refused logins provisioned users: %d SSO users", n)
	}
}

// TestSAMLMetadataAndRequests: the SP publishes its metadata (entity ID, ACS over HTTP-POST,
// signing key, signed requests wanted) and its AuthnRequests are signed: the IdP, which
// wants signed requests, refuses one whose signature is removed.
func TestSAMLMetadataAndRequests(t *testing.T) {
	t.Parallel()
	app, p, _ := samlApp(t)
	c := app.Client(t)
	pg := c.Get(web.SAMLMetadataPath)
	for _, want := range []string{`entityID="` + app.URL + web.SAMLMetadataPath + `"`, `AuthnRequestsSigned="true"`, `WantAssertionsSigned="true"`,
		`Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="` + app.URL + web.SAMLACSPath + `"`, "X509Certificate"} {
		if !strings.Contains(pg.Body, want) {
			t.Errorf("metadata lacks %s:\n%s", want, pg.Body)
		}
	}
	res, err := c.NoRedirects().HTTP().Get(app.URL + web.SAMLLoginPath)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	q := loc.Query()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), p.URL+"/sso?") || q.Get("Signature") == "" ||
		q.Get("SigAlg") != "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" {
		t.Fatalf("login start: %d %s", res.StatusCode, loc)
	}
	q.Del("Signature")
	loc.RawQuery = q.Encode()
	res, err = http.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("the IdP accepted an unsigned AuthnRequest: %d", res.StatusCode)
	}
}

// TestSAMLOnlyWhenConfigured: without SAML configuration its routes are absent and the login
// page has no button for it; with it, the button starts a SAML login.
func TestSAMLOnlyWhenConfigured(t *testing.T) {
	t.Parallel()
	plain := apptest.New(t, web.Config{})
	c := plain.Client(t)
	for _, path := range []string{web.SAMLMetadataPath, web.SAMLLoginPath} {
		if pg := c.Get(path); pg.Status != http.StatusNotFound {
			t.Errorf("%s without SAML: %d", path, pg.Status)
		}
	}
	for _, path := range []string{web.SAMLACSPath, web.SAMLContinuePath} {
		if pg := c.Post(path, url.Values{"SAMLResponse": {"x"}}); pg.Status != http.StatusNotFound {
			t.Errorf("POST %s without SAML: %d", path, pg.Status)
		}
	}
	app, _, _ := samlApp(t)
	if pg := app.Client(t).Get("/login?next=/borgere"); !pg.Has(`a[href="/login/saml?next=%2Fborgere"]`) {
		t.Errorf("no SAML button on the login page:\n%s", pg.Body)
	}
}
