// Package oidcauth is the relying-party side of OpenID Connect: the authorization code flow
// with PKCE, state and nonce, the ID token verified against the provider's published keys,
// the proof of a second factor (acr/amr) checked, and RP-initiated logout.
//
// It knows nothing about who may use Helhed: it turns a login at an identity provider into a
// verified Identity, and the caller decides what that identity may do. Each realm (staff
// through the municipality's identity provider, citizens through a MitID broker) has its own
// Config and its own Client; the pending logins of each live in the caller's scs session
// under the realm's own key, so two realms never read each other's state.
package oidcauth

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Config is one realm's connection to one OpenID provider.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document is read from
	// Issuer + "/.well-known/openid-configuration" and must name the same issuer.
	Issuer string
	// ClientID and ClientSecret are the client's registration at the provider. The secret is
	// sent with client_secret_basic or client_secret_post, whichever the provider announces.
	ClientID     string
	ClientSecret string
	// RedirectURL is this realm's callback, exactly as registered at the provider.
	RedirectURL string
	// PostLogoutRedirectURL is where the provider sends the browser after RP-initiated logout
	// (registered at the provider too); empty leaves it to the provider.
	PostLogoutRedirectURL string
	// Scopes are requested besides "openid" (default: profile, email).
	Scopes []string
	// Claim names in the ID token. Defaults: "email", "name", "groups".
	EmailClaim, NameClaim, GroupsClaim string
	// ACRValues, when set, are sent as acr_values: the levels of assurance to ask for.
	ACRValues []string
	// RequireMFA refuses an ID token without proof of a second factor: its acr is one of
	// MFAACR, or its amr holds one of MFAAMR.
	RequireMFA bool
	MFAACR     []string
	MFAAMR     []string
	// UserInfo also reads the provider's UserInfo endpoint with the login's access token and
	// adds the claims the ID token lacks (a broker may keep a CPR number out of the ID token
	// and give it only there). The ID token's own claims always win; a UserInfo answer about
	// another subject fails the login.
	UserInfo bool
}

// FromEnv reads a realm's Config from environment variables that all begin with prefix (e.g.
// "OIDC_" for staff): ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URL,
// POST_LOGOUT_REDIRECT_URL, SCOPES (space- or comma-separated), EMAIL_CLAIM, NAME_CLAIM,
// GROUPS_CLAIM, ACR_VALUES, REQUIRE_MFA (true/false, default true), MFA_ACR, MFA_AMR (default
// "mfa"), USERINFO (true/false, default false). ok is false when ISSUER is unset: the realm is not configured. redirectDefault is
// the callback to use when REDIRECT_URL is unset (from the public base URL).
func FromEnv(getenv func(string) string, prefix, redirectDefault string) (cfg Config, ok bool, err error) {
	get := func(k string) string { return strings.TrimSpace(getenv(prefix + k)) }
	cfg.Issuer = get("ISSUER")
	if cfg.Issuer == "" {
		return Config{}, false, nil
	}
	cfg.ClientID = get("CLIENT_ID")
	cfg.ClientSecret = getenv(prefix + "CLIENT_SECRET")
	cfg.RedirectURL = get("REDIRECT_URL")
	if cfg.RedirectURL == "" {
		cfg.RedirectURL = redirectDefault
	}
	cfg.PostLogoutRedirectURL = get("POST_LOGOUT_REDIRECT_URL")
	cfg.Scopes = list(get("SCOPES"))
	cfg.EmailClaim = get("EMAIL_CLAIM")
	cfg.NameClaim = get("NAME_CLAIM")
	cfg.GroupsClaim = get("GROUPS_CLAIM")
	cfg.ACRValues = list(get("ACR_VALUES"))
	cfg.RequireMFA = true
	if v := get("REQUIRE_MFA"); v != "" {
		b, perr := strconv.ParseBool(v)
		if perr != nil {
			return Config{}, false, fmt.Errorf("%sREQUIRE_MFA must be true or false, not %q", prefix, v)
		}
		cfg.RequireMFA = b
	}
	if v := get("USERINFO"); v != "" {
		b, perr := strconv.ParseBool(v)
		if perr != nil {
			return Config{}, false, fmt.Errorf("%sUSERINFO must be true or false, not %q", prefix, v)
		}
		cfg.UserInfo = b
	}
	cfg.MFAACR = list(get("MFA_ACR"))
	cfg.MFAAMR = list(get("MFA_AMR"))
	if len(cfg.MFAACR) == 0 && len(cfg.MFAAMR) == 0 {
		cfg.MFAAMR = []string{"mfa"}
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, false, fmt.Errorf("%s*: %w", prefix, err)
	}
	return cfg, true, nil
}

// Validate reports a configuration that cannot work, before any login is tried.
func (c Config) Validate() error {
	var errs []error
	if err := absURL(c.Issuer); err != nil {
		errs = append(errs, fmt.Errorf("issuer: %w", err))
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("client id is missing"))
	}
	if err := absURL(c.RedirectURL); err != nil {
		errs = append(errs, fmt.Errorf("redirect URL: %w", err))
	}
	if c.PostLogoutRedirectURL != "" {
		if err := absURL(c.PostLogoutRedirectURL); err != nil {
			errs = append(errs, fmt.Errorf("post-logout redirect URL: %w", err))
		}
	}
	if c.RequireMFA && len(c.MFAACR) == 0 && len(c.MFAAMR) == 0 {
		errs = append(errs, errors.New("MFA is required but no acr or amr value counts as MFA"))
	}
	return errors.Join(errs...)
}

func (c *Config) defaults() {
	if len(c.Scopes) == 0 {
		c.Scopes = []string{"profile", "email"}
	}
	if c.EmailClaim == "" {
		c.EmailClaim = "email"
	}
	if c.NameClaim == "" {
		c.NameClaim = "name"
	}
	if c.GroupsClaim == "" {
		c.GroupsClaim = "groups"
	}
}

func absURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}

// list splits a space- or comma-separated list.
func list(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}
