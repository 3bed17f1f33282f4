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
	"github.com/helhed/helhed/internal/oidcauth"
	"github.com/helhed/helhed/internal/oidctest"
	"github.com/helhed/helhed/internal/store"
	"github.com/helhed/helhed/internal/testdb"
	"github.com/helhed/helhed/internal/web"
)

// ssoConfig is the staff realm of an app at base, against provider p, requiring MFA.
func ssoConfig(p *oidctest.Provider) func(base string) web.Config {
	return func(base string) web.Config {
		p.AddClient("helhed", "hemmelig", []string{base + web.SSOCallbackPath}, []string{base + "/login"})
		return web.Config{StaffOIDC: &oidcauth.Config{Issuer: p.Issuer, ClientID: "helhed", ClientSecret: "hemmelig",
			RedirectURL: base + web.SSOCallbackPath, PostLogoutRedirectURL: base + "/login", RequireMFA: true, MFAAMR: []string{"mfa"}}}
	}
}

// ssoApp starts a provider and an app that logs staff in through it; "jc" maps to a
// caseworker in Jobcenter Test, "leder" to a manager there, "social" to a social worker.
func ssoApp(t *testing.T) (*apptest.App, *oidctest.Provider, *pgxpool.Pool) {
	t.Helper()
	p := oidctest.New(t)
	pool, _ := testdb.New(t)
	app := apptest.NewOnPoolAt(t, pool, ssoConfig(p))
	who := store.Who{RequestID: "test"}
	for group, g := range map[string]struct{ unit, role string }{
		"jc": {apptest.Jobcenter, access.RoleCaseworker}, "leder": {apptest.Jobcenter, access.RoleManager},
		"social": {apptest.Social, access.RoleSocial}} {
		if _, err := app.Store.CreateSSOMapping(t.Context(), who, group, app.Units[g.unit], g.role); err != nil {
			t.Fatal(err)
		}
	}
	return app, p, pool
}

// ssoLogin logs c in through the provider as username and returns the page it lands on.
func ssoLogin(t *testing.T, app *apptest.App, p *oidctest.Provider, c *apptest.Client, username string) (status int, path, body string) {
	t.Helper()
	res, err := p.Login(c.HTTP(), app.URL+web.SSOLoginPath+"?next=/borgere", username)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Request.URL.Path, string(b)
}

// TestSSOLoginProvisionsAndMaps: the first login provisions the user with the unit and role of
// their group and lands where they were going; later logins find them by (issuer, subject)
// and follow a change of group; a local password never opens the account.
func TestSSOLoginProvisionsAndMaps(t *testing.T) {
	t.Parallel()
	app, p, _ := ssoApp(t)
	p.SetUser("anna", oidctest.User{Subject: "0f3a-anna", Name: "Anna Berg", Email: "Anna.Berg@kommune.dk",
		Groups: []string{"alle-ansatte", "jc"}, AMR: []string{"pwd", "mfa"}})
	c := app.Client(t)
	if status, path, body := ssoLogin(t, app, p, c, "anna"); status != http.StatusOK || path != "/borgere" {
		t.Fatalf("after login: %d %s\n%s", status, path, body)
	}
	var u store.User
	var id int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM users WHERE sso_issuer = $1 AND sso_subject = '0f3a-anna'`, p.Issuer).Scan(&id); err != nil {
		t.Fatal(err)
	}
	u, _ = app.Store.UserByID(t.Context(), id)
	if u.Username != "anna.berg" || u.Name != "Anna Berg" || u.Email != "Anna.Berg@kommune.dk" || u.UnitID != app.Units[apptest.Jobcenter] || u.Role != access.RoleCaseworker {
		t.Errorf("provisioned %+v", u)
	}
	if n := app.AuditCount(t, store.AuditUserProvision, 0); n != 1 {
		t.Errorf("provision audited %d times", n)
	}
	var detail string
	if err := app.Pool.QueryRow(t.Context(), `SELECT detail FROM audit_events WHERE action = 'login.success' AND user_id = $1`, id).Scan(&detail); err != nil || detail != "sso" {
		t.Errorf("login audit %q %v", detail, err)
	}

	// The provider moves her to the leaders' group: the next login makes her a manager, the
	// same user.
	p.SetUser("anna", oidctest.User{Subject: "0f3a-anna", Name: "Anna Berg", Email: "Anna.Berg@kommune.dk", Groups: []string{"leder"}, AMR: []string{"mfa"}})
	c2 := app.Client(t)
	if status, path, _ := ssoLogin(t, app, p, c2, "anna"); status != http.StatusOK || path != "/borgere" {
		t.Fatalf("second login: %d %s", status, path)
	}
	u, _ = app.Store.UserByID(t.Context(), id)
	if u.Role != access.RoleManager {
		t.Errorf("role after the group changed: %s", u.Role)
	}
	var n int
	_ = app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM users WHERE sso_subject = '0f3a-anna'`).Scan(&n)
	if n != 1 || app.AuditCount(t, store.AuditUserProvision, 0) != 1 {
		t.Errorf("%d users for one subject", n)
	}
	// The change of role ended the session that had the old one.
	if pg := c.Get("/borgere"); pg.URL.Path != "/login" {
		t.Errorf("session with the old role still works: %s", pg.URL.Path)
	}

	// Nobody logs in to a provisioned account with a password.
	local := app.Client(t)
	if pg := local.Post("/login", url.Values{"username": {"anna.berg"}, "password": {store.NoPassword}}); pg.URL.Path != "/login" || pg.Status != http.StatusUnauthorized {
		t.Errorf("local login to an SSO account: %d %s", pg.Status, pg.URL.Path)
	}
}

// TestSSORefusals: each reason a login is refused gives a Danish explanation, no session and
// an audit row.
func TestSSORefusals(t *testing.T) {
	t.Parallel()
	app, p, _ := ssoApp(t)
	p.SetUser("ukendt", oidctest.User{Subject: "s-ukendt", Groups: []string{"alle-ansatte"}, AMR: []string{"mfa"}})
	p.SetUser("flere", oidctest.User{Subject: "s-flere", Groups: []string{"jc", "social"}, AMR: []string{"mfa"}})
	p.SetUser("uden-mfa", oidctest.User{Subject: "s-pwd", Groups: []string{"jc"}, AMR: []string{"pwd"}})
	p.SetUser("spaerret-idp", oidctest.User{Subject: "s-idp", Groups: []string{"jc"}, AMR: []string{"mfa"}, Disabled: true})
	p.SetUser("spaerret", oidctest.User{Subject: "s-helhed", Groups: []string{"jc"}, AMR: []string{"mfa"}})
	p.SetUser("forfalsket", oidctest.User{Subject: "s-forfalsket", Groups: []string{"jc"}, AMR: []string{"mfa"}})

	// "spaerret" has logged in before and has since been disabled in Helhed.
	if _, path, _ := ssoLogin(t, app, p, app.Client(t), "spaerret"); path != "/borgere" {
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
		user, want string
		forge      bool
	}{
		{user: "ukendt", want: "ingen af dine grupper giver adgang"},
		{user: "flere", want: "flere forskellige enheder eller roller"},
		{user: "uden-mfa", want: "to faktorer"},
		{user: "spaerret-idp", want: "Kommunens login afviste"},
		{user: "spaerret", want: "deaktiveret i Helhed"},
		{user: "forfalsket", forge: true, want: "kunne ikke bekræfte dit login"},
	} {
		t.Run(tc.user, func(t *testing.T) {
			before := app.AuditCount(t, store.AuditLoginFailed, 0)
			if tc.forge {
				other := oidctest.New(t) // another provider's key signs the token
				p.TamperNextToken(func(c map[string]any) string { return other.Sign(c) })
			}
			c := app.Client(t)
			status, path, body := ssoLogin(t, app, p, c, tc.user)
			if status != http.StatusForbidden || path != web.SSOCallbackPath || !strings.Contains(body, tc.want) {
				t.Errorf("%d %s, want 403 with %q:\n%s", status, path, tc.want, body)
			}
			if pg := c.Get("/borgere"); pg.URL.Path != "/login" {
				t.Errorf("refused login has a session: %s", pg.URL.Path)
			}
			if app.AuditCount(t, store.AuditLoginFailed, 0) != before+1 {
				t.Errorf("refusal not audited")
			}
		})
	}
	var n int
	_ = app.Pool.QueryRow(t.Context(), `SELECT count(*) FROM users WHERE sso_subject IS NOT NULL`).Scan(&n)
	if n != 1 {
		t.Errorf("refused logins provisioned users: %d SSO users", n)
	}
}

// TestSSOLogoutEndsSessionEverywhere: two instances share the database; a session begun on one
// works on the other, and logging out on either ends it on both and at the provider.
func TestSSOLogoutEndsSessionEverywhere(t *testing.T) {
	t.Parallel()
	app, p, pool := ssoApp(t)
	other := apptest.NewOnPoolAt(t, pool, ssoConfig(p))
	p.SetUser("anna", oidctest.User{Subject: "s-anna", Name: "Anna", Groups: []string{"jc"}, AMR: []string{"mfa"}})
	c := app.Client(t)
	if _, path, _ := ssoLogin(t, app, p, c, "anna"); path != "/borgere" {
		t.Fatalf("login: %s", path)
	}
	token := ""
	u, _ := url.Parse(app.URL)
	for _, ck := range c.HTTP().Jar.Cookies(u) {
		if ck.Name == "helhed_session" {
			token = ck.Value
		}
	}
	elsewhere := other.Client(t)
	elsewhere.SetSessionCookie(token)
	if pg := elsewhere.Get("/borgere"); pg.URL.Path != "/borgere" {
		t.Fatalf("the session does not work on the second instance: %s", pg.URL.Path)
	}
	pg := c.Post("/logout", nil)
	if pg.URL.String() != app.URL+"/login" || !strings.Contains(pg.Body, "Du er logget ud") {
		t.Errorf("after logout at %s", pg.URL)
	}
	if got := p.TerminatedSessions(); len(got) != 1 || got[0] != "s-anna" {
		t.Errorf("the provider's session was not ended: %v", got)
	}
	if pg := elsewhere.Get("/borgere"); pg.URL.Path != "/login" {
		t.Errorf("the session still works on the second instance after logout: %s", pg.URL.Path)
	}
	var n int
	if err := pool.QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&n); err != nil || n != 0 {
		t.Errorf("session row left after logout: %d %v", n, err)
	}
}

// TestSSOOnlyWhenConfigured: without an identity provider the login page has no SSO button and
// the SSO routes are not found; with one, the button starts the login and the CSP lets the
// logout form lead to the provider.
func TestSSOOnlyWhenConfigured(t *testing.T) {
	t.Parallel()
	plain := apptest.New(t, web.Config{})
	c := plain.Client(t)
	if pg := c.Get("/login"); pg.Has(`a[href^="/login/sso"]`) || strings.Contains(pg.Body, "kommunens login") {
		t.Error("SSO button shown without an identity provider")
	}
	for _, path := range []string{web.SSOLoginPath, web.SSOCallbackPath + "?state=x&code=y"} {
		if pg := c.Get(path); pg.Status != http.StatusNotFound {
			t.Errorf("%s without an identity provider: %d", path, pg.Status)
		}
	}

	app, p, _ := ssoApp(t)
	pg := app.Client(t).Get("/login?next=/borgere")
	if !pg.Has(`a[href="/login/sso?next=%2Fborgere"]`) {
		t.Errorf("no SSO button on the login page:\n%s", pg.Body)
	}
	if csp := pg.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+p.Issuer+";") {
		t.Errorf("CSP form-action does not allow the provider: %s", csp)
	}
}

// TestSSOGroupAdmin: the administrator adds and removes group mappings (audited); a group
// mapped twice is a field error; removing a mapping refuses its members' next login.
func TestSSOGroupAdmin(t *testing.T) {
	t.Parallel()
	app, p, _ := ssoApp(t)
	app.User(t, "admin", access.RoleAdmin, apptest.Admin)
	ac := app.Login(t, "admin")
	pg := ac.Get("/admin/sso-grupper")
	if pg.Status != http.StatusOK || !strings.Contains(pg.Body, "jc") {
		t.Fatalf("mapping page: %d", pg.Status)
	}
	unit := itoa(app.Units[apptest.Health])
	pg = ac.Post("/admin/sso-grupper", url.Values{"form_token": {pg.Value(`input[name=form_token]`)}, "group": {"sundhed"}, "unit": {unit}, "role": {access.RoleHealth}})
	if pg.URL.Path != "/admin/sso-grupper" || !strings.Contains(pg.Body, "sundhed") {
		t.Fatalf("add mapping: %d %s", pg.Status, pg.URL.Path)
	}
	pg = ac.Post("/admin/sso-grupper", url.Values{"form_token": {pg.Value(`input[name=form_token]`)}, "group": {"sundhed"}, "unit": {unit}, "role": {access.RoleHealth}})
	if pg.Status != http.StatusUnprocessableEntity || !strings.Contains(pg.Text("#group-error, .form-error-message"), "allerede") {
		t.Errorf("duplicate group: %d %q", pg.Status, pg.Text(".form-error-message"))
	}
	if app.AuditCount(t, store.AuditSSOMappingAdd, 0) != 4 {
		t.Errorf("mapping additions audited %d times", app.AuditCount(t, store.AuditSSOMappingAdd, 0))
	}

	p.SetUser("sofie", oidctest.User{Subject: "s-sofie", Groups: []string{"sundhed"}, AMR: []string{"mfa"}})
	if _, path, _ := ssoLogin(t, app, p, app.Client(t), "sofie"); path != "/borgere" && path != "/" {
		t.Logf("health staff lands on %s", path)
	}
	var mid int64
	if err := app.Pool.QueryRow(t.Context(), `SELECT id FROM sso_group_mappings WHERE group_name = 'sundhed'`).Scan(&mid); err != nil {
		t.Fatal(err)
	}
	if pg := ac.Post("/admin/sso-grupper/"+itoa(mid)+"/slet", nil); pg.Status != http.StatusOK || strings.Contains(pg.Text("tbody"), "sundhed") {
		t.Errorf("remove mapping: %d", pg.Status)
	}
	if app.AuditCount(t, store.AuditSSOMappingDelete, 0) != 1 {
		t.Error("removal not audited")
	}
	if status, _, body := ssoLogin(t, app, p, app.Client(t), "sofie"); status != http.StatusForbidden || !strings.Contains(body, "ingen af dine grupper") {
		t.Errorf("login after the mapping was removed: %d", status)
	}
}
