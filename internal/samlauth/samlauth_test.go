package samlauth

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
)

// TestPrivileges: an OIO-BPP list becomes its privileges, and each privilege under a
// constraint also privilege|name=value; a plain value is not a list; a broken list grants
// nothing.
func TestPrivileges(t *testing.T) {
	bpp := `<?xml version="1.0" encoding="UTF-8"?>
<bpp:PrivilegeList xmlns:bpp="http://digst.dk/oiosaml/basic_privilege_profile">
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189129">
    <Constraint Name="http://sts.kombit.dk/constraints/orgenhed/1">6f3c</Constraint>
    <Privilege>http://helhed.dk/roles/usersystemrole/sagsbehandler/1</Privilege>
  </PrivilegeGroup>
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189129">
    <Privilege>http://helhed.dk/roles/usersystemrole/leder/1</Privilege>
    <Privilege>http://helhed.dk/roles/usersystemrole/sagsbehandler/1</Privilege>
  </PrivilegeGroup>
</bpp:PrivilegeList>`
	got, ok, err := Privileges(base64.StdEncoding.EncodeToString([]byte(bpp)))
	want := []string{"http://helhed.dk/roles/usersystemrole/sagsbehandler/1",
		"http://helhed.dk/roles/usersystemrole/sagsbehandler/1|http://sts.kombit.dk/constraints/orgenhed/1=6f3c",
		"http://helhed.dk/roles/usersystemrole/leder/1"}
	if !ok || err != nil || !slices.Equal(got, want) {
		t.Errorf("Privileges = %q %v %v", got, ok, err)
	}
	if _, ok, _ := Privileges("Jobcenter-sagsbehandlere"); ok {
		t.Error("a plain group read as a privilege list")
	}
	if g, ok, err := Privileges(base64.StdEncoding.EncodeToString([]byte("<PrivilegeList><PrivilegeGroup>"))); !ok || err == nil || len(g) > 0 {
		t.Errorf("broken list: %q %v %v", g, ok, err)
	}
	if _, _, err := Privileges(strings.Repeat("A", maxBPP*2)); err == nil {
		t.Error("oversized list accepted")
	}
}

// TestFromEnv: unset is off; the OIOSAML 3 defaults; a missing key is refused.
func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if _, ok, err := FromEnv(env(nil), "https://h.dk/saml/metadata", "https://h.dk/login/saml/acs"); ok || err != nil {
		t.Fatalf("unset: %v %v", ok, err)
	}
	_, _, err := FromEnv(env(map[string]string{"SAML_IDP_METADATA_URL": "https://idp.example/metadata"}), "https://h.dk/saml/metadata", "https://h.dk/login/saml/acs")
	if err == nil || !strings.Contains(err.Error(), "SAML_KEY_FILE") {
		t.Errorf("no key: %v", err)
	}
	c := Config{MetadataURL: "https://h.dk/saml/metadata"}
	c.defaults()
	if c.EntityID != "https://h.dk/saml/metadata" || c.GroupsAttribute != AttrPrivilegesOIOSAML3 ||
		!slices.Equal(c.MFAContexts, []string{LoASubstantial, LoAHigh}) || c.MFAAttribute != AttrLoAOIOSAML3 {
		t.Errorf("defaults: %+v", c)
	}
	id := Identity{AuthnContexts: []string{"urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
		Attributes: map[string][]string{AttrLoAOIOSAML3: {"Substantial"}}}
	if !id.HasMFA(c) {
		t.Error("NSIS Substantial in the loa attribute is not MFA")
	}
	id.Attributes[AttrLoAOIOSAML3] = []string{"Low"}
	if id.HasMFA(c) {
		t.Error("NSIS Low counted as MFA")
	}
}
