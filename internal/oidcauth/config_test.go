package oidcauth

import (
	"strings"
	"testing"
)

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if _, ok, err := FromEnv(env(nil), "OIDC_", "https://helhed.example/cb"); ok || err != nil {
		t.Errorf("no issuer: ok %v err %v", ok, err)
	}
	cfg, ok, err := FromEnv(env(map[string]string{"OIDC_ISSUER": "https://login.example/t/v2.0", "OIDC_CLIENT_ID": "abc",
		"OIDC_CLIENT_SECRET": "s", "OIDC_SCOPES": "profile, email", "OIDC_GROUPS_CLAIM": "roles"}), "OIDC_", "https://helhed.example/cb")
	if !ok || err != nil || cfg.RedirectURL != "https://helhed.example/cb" || !cfg.RequireMFA ||
		strings.Join(cfg.MFAAMR, ",") != "mfa" || strings.Join(cfg.Scopes, ",") != "profile,email" || cfg.GroupsClaim != "roles" {
		t.Errorf("%+v %v %v", cfg, ok, err)
	}
	// The citizen realm reads its own prefix.
	cfg, ok, err = FromEnv(env(map[string]string{"CITIZEN_OIDC_ISSUER": "https://broker.example", "CITIZEN_OIDC_CLIENT_ID": "c",
		"CITIZEN_OIDC_REDIRECT_URL": "https://helhed.example/borger/cb", "CITIZEN_OIDC_MFA_ACR": "https://data.gov.dk/concept/core/nsis/loa/Substantial"}),
		"CITIZEN_OIDC_", "")
	if !ok || err != nil || len(cfg.MFAAMR) != 0 || len(cfg.MFAACR) != 1 || cfg.RedirectURL != "https://helhed.example/borger/cb" {
		t.Errorf("citizen realm: %+v %v %v", cfg, ok, err)
	}
	for name, m := range map[string]map[string]string{
		"no client":        {"OIDC_ISSUER": "https://idp.example"},
		"relative issuer":  {"OIDC_ISSUER": "idp.example", "OIDC_CLIENT_ID": "x"},
		"bad REQUIRE_MFA":  {"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "x", "OIDC_REQUIRE_MFA": "måske"},
		"bad redirect URL": {"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "x", "OIDC_REDIRECT_URL": "/cb"},
	} {
		if _, _, err := FromEnv(env(m), "OIDC_", "https://helhed.example/cb"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
