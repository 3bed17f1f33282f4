// Package samlauth is the service-provider side of SAML 2.0 web browser single sign-on: the
// SP metadata, signed AuthnRequests (HTTP-Redirect binding), the IdP's signed assertion
// validated (signature by the key in the IdP's metadata, audience, time window, the request
// it answers, single use through a replay cache), the proof of a second factor
// (AuthnContextClassRef or an attribute) checked, and the attributes read per the OIOSAML
// profile, the OIO Basic Privilege Profile (OIO-BPP) included. The protocol is
// github.com/crewjam/saml's.
//
// Like internal/oidcauth it knows nothing about who may use Helhed: it turns a login at an
// identity provider into a verified Identity, and the caller decides what it may do.
package samlauth

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Attribute names of OIOSAML 3 (the profile KOMBIT's Context Handler speaks with NSIS), and
// the NSIS levels of assurance that mean at least two factors. docs/operations.md names the
// sources.
const (
	AttrPrivilegesOIOSAML3 = "https://data.gov.dk/model/core/eid/privilegesIntermediate"
	AttrPrivilegesOIOSAML2 = "dk:gov:saml:attribute:Privileges_intermediate"
	AttrEmailOIOSAML3      = "https://data.gov.dk/model/core/eid/email"
	AttrFirstNameOIOSAML3  = "https://data.gov.dk/model/core/eid/firstName"
	AttrLastNameOIOSAML3   = "https://data.gov.dk/model/core/eid/lastName"
	AttrLoAOIOSAML3        = "https://data.gov.dk/concept/core/nsis/loa"
	LoASubstantial         = "https://data.gov.dk/concept/core/nsis/loa/Substantial"
	LoAHigh                = "https://data.gov.dk/concept/core/nsis/loa/High"
)

// Config is the service provider's connection to one identity provider.
type Config struct {
	// EntityID is this service provider's entity ID (default: MetadataURL).
	EntityID string
	// MetadataURL is where this SP's metadata is published; ACSURL is its assertion consumer
	// service (HTTP-POST), exactly as registered at the IdP.
	MetadataURL, ACSURL string
	// The IdP's metadata: fetched from IdPMetadataURL, or read from IdPMetadataFile, or given
	// as IdPMetadata. It is trusted as it stands (the signing certificate in it is what
	// assertions must be signed with), so it must come over https or from a file the
	// operator placed.
	IdPMetadataURL  string
	IdPMetadataFile string
	IdPMetadata     []byte
	// KeyFile and CertFile are the SP's key and certificate in PEM (they sign AuthnRequests
	// and are published in the metadata); Key and Certificate give them directly.
	KeyFile, CertFile string
	Key               crypto.Signer
	Certificate       *x509.Certificate
	// RequireMFA refuses an assertion without proof of a second factor: its
	// AuthnContextClassRef is one of MFAContexts, or its attribute MFAAttribute holds one of
	// MFAValues.
	RequireMFA   bool
	MFAContexts  []string
	MFAAttribute string
	MFAValues    []string
	// RequestedContexts, when set, are sent as RequestedAuthnContext (Comparison "minimum").
	RequestedContexts []string
	// Attribute names. NameAttribute (if set and present) is the full name; otherwise
	// FirstNameAttribute and LastNameAttribute are joined. GroupsAttribute holds the groups
	// or, base64-encoded, an OIO-BPP PrivilegeList (see Privileges).
	NameAttribute, FirstNameAttribute, LastNameAttribute string
	EmailAttribute, GroupsAttribute                      string
}

// FromEnv reads the Config from SAML_* variables (docs/operations.md): IDP_METADATA_URL or
// IDP_METADATA_FILE (one of them turns SAML on), ENTITY_ID, KEY_FILE, CERT_FILE,
// REQUIRE_MFA (default true), MFA_CONTEXTS, MFA_ATTRIBUTE, MFA_VALUES,
// REQUESTED_CONTEXTS, NAME_ATTRIBUTE, FIRST_NAME_ATTRIBUTE, LAST_NAME_ATTRIBUTE,
// EMAIL_ATTRIBUTE, GROUPS_ATTRIBUTE. metadataURL and acsURL are this SP's endpoints.
func FromEnv(getenv func(string) string, metadataURL, acsURL string) (cfg Config, ok bool, err error) {
	get := func(k string) string { return strings.TrimSpace(getenv("SAML_" + k)) }
	cfg.IdPMetadataURL = get("IDP_METADATA_URL")
	cfg.IdPMetadataFile = get("IDP_METADATA_FILE")
	if cfg.IdPMetadataURL == "" && cfg.IdPMetadataFile == "" {
		return Config{}, false, nil
	}
	cfg.MetadataURL, cfg.ACSURL = metadataURL, acsURL
	cfg.EntityID = get("ENTITY_ID")
	cfg.KeyFile, cfg.CertFile = get("KEY_FILE"), get("CERT_FILE")
	cfg.RequireMFA = true
	if v := get("REQUIRE_MFA"); v != "" {
		b, perr := strconv.ParseBool(v)
		if perr != nil {
			return Config{}, false, fmt.Errorf("SAML_REQUIRE_MFA must be true or false, not %q", v)
		}
		cfg.RequireMFA = b
	}
	cfg.MFAContexts = list(get("MFA_CONTEXTS"))
	cfg.MFAAttribute = get("MFA_ATTRIBUTE")
	cfg.MFAValues = list(get("MFA_VALUES"))
	cfg.RequestedContexts = list(get("REQUESTED_CONTEXTS"))
	cfg.NameAttribute = get("NAME_ATTRIBUTE")
	cfg.FirstNameAttribute = get("FIRST_NAME_ATTRIBUTE")
	cfg.LastNameAttribute = get("LAST_NAME_ATTRIBUTE")
	cfg.EmailAttribute = get("EMAIL_ATTRIBUTE")
	cfg.GroupsAttribute = get("GROUPS_ATTRIBUTE")
	cfg.defaults()
	if err := cfg.load(); err != nil {
		return Config{}, false, fmt.Errorf("SAML_*: %w", err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, false, fmt.Errorf("SAML_*: %w", err)
	}
	return cfg, true, nil
}

// defaults fills in the OIOSAML 3 names: an operator connecting AD FS names its own.
func (c *Config) defaults() {
	if c.EntityID == "" {
		c.EntityID = c.MetadataURL
	}
	if len(c.MFAContexts) == 0 && c.MFAAttribute == "" {
		c.MFAContexts = []string{LoASubstantial, LoAHigh}
		c.MFAAttribute = AttrLoAOIOSAML3
		c.MFAValues = []string{"Substantial", "High"}
	}
	if c.FirstNameAttribute == "" {
		c.FirstNameAttribute = AttrFirstNameOIOSAML3
	}
	if c.LastNameAttribute == "" {
		c.LastNameAttribute = AttrLastNameOIOSAML3
	}
	if c.EmailAttribute == "" {
		c.EmailAttribute = AttrEmailOIOSAML3
	}
	if c.GroupsAttribute == "" {
		c.GroupsAttribute = AttrPrivilegesOIOSAML3
	}
}

// load reads the key, certificate and a metadata file named in the configuration.
func (c *Config) load() error {
	if c.Key == nil && (c.KeyFile != "" || c.CertFile != "") {
		pair, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return fmt.Errorf("key and certificate: %w", err)
		}
		signer, ok := pair.PrivateKey.(crypto.Signer)
		if !ok {
			return errors.New("the key cannot sign")
		}
		c.Key = signer
		c.Certificate, err = x509.ParseCertificate(pair.Certificate[0])
		if err != nil {
			return fmt.Errorf("certificate: %w", err)
		}
	}
	if c.IdPMetadata == nil && c.IdPMetadataFile != "" {
		b, err := os.ReadFile(c.IdPMetadataFile)
		if err != nil {
			return fmt.Errorf("IdP metadata: %w", err)
		}
		c.IdPMetadata = b
	}
	return nil
}

// Validate reports a configuration that cannot work, before any login is tried.
func (c Config) Validate() error {
	var errs []error
	if c.IdPMetadataURL == "" && c.IdPMetadataFile == "" && len(c.IdPMetadata) == 0 {
		errs = append(errs, errors.New("no IdP metadata (URL or file)"))
	}
	if c.IdPMetadataURL != "" {
		if err := absURL(c.IdPMetadataURL); err != nil {
			errs = append(errs, fmt.Errorf("IdP metadata URL: %w", err))
		}
	}
	for name, u := range map[string]string{"metadata URL": c.MetadataURL, "ACS URL": c.ACSURL} {
		if err := absURL(u); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if c.Key == nil || c.Certificate == nil {
		errs = append(errs, errors.New("the SP's key and certificate are missing (SAML_KEY_FILE, SAML_CERT_FILE): AuthnRequests are signed"))
	}
	if c.RequireMFA && len(c.MFAContexts) == 0 && (c.MFAAttribute == "" || len(c.MFAValues) == 0) {
		errs = append(errs, errors.New("MFA is required but no AuthnContextClassRef or attribute value counts as MFA"))
	}
	return errors.Join(errs...)
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
