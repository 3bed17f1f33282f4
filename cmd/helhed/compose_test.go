package main

import (
	"net/netip"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gopkg.in/yaml.v3"
)

// compose is the part of docker-compose.yml the checks read.
type compose struct {
	Services map[string]struct {
		Profiles    []string          `yaml:"profiles"`
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   any               `yaml:"depends_on"`
		Volumes     []string          `yaml:"volumes"`
		Configs     []struct {
			Source string `yaml:"source"`
			Target string `yaml:"target"`
		} `yaml:"configs"`
		Networks any `yaml:"networks"`
	} `yaml:"services"`
	Configs map[string]struct {
		Content string `yaml:"content"`
	} `yaml:"configs"`
	Networks map[string]struct {
		IPAM struct {
			Config []struct {
				Subnet string `yaml:"subnet"`
			} `yaml:"config"`
		} `yaml:"ipam"`
	} `yaml:"networks"`
	Volumes map[string]any `yaml:"volumes"`
}

// names lists a depends_on or networks value, which compose allows as a list or a map.
func names(v any) []string {
	var out []string
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			out = append(out, x.(string))
		}
	case map[string]any:
		for k := range v {
			out = append(out, k)
		}
	}
	return out
}

// There is no Docker engine or compose on the development machine or in CI, so the compose
// file is checked here: it parses as YAML, the plain `docker compose up` is unchanged, and the
// `ha` profile is wired together — every reference resolves, both app instances get both
// database servers (write to the one that accepts writes) and the standby for the dashboards,
// the proxy balances over both, and the proxy is the one trusted for X-Forwarded-For.
func TestComposeHAProfile(t *testing.T) {
	b, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	// `docker compose up` without a profile: the single database and app, as before.
	for _, name := range []string{"db", "app"} {
		if s, ok := c.Services[name]; !ok || len(s.Profiles) > 0 {
			t.Errorf("service %s: missing or in a profile", name)
		}
	}
	ha := []string{"db-primary", "db-replica", "app1", "app2", "proxy"}
	for _, name := range ha {
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		if !slices.Equal(s.Profiles, []string{"ha"}) {
			t.Errorf("%s: profiles %v, want [ha]", name, s.Profiles)
		}
		if s.Image == "" && s.Build == nil {
			t.Errorf("%s: neither image nor build", name)
		}
		for _, d := range names(s.DependsOn) {
			if _, ok := c.Services[d]; !ok || !slices.Contains(ha, d) {
				t.Errorf("%s depends on %s, not a service of the profile", name, d)
			}
		}
		for _, n := range names(s.Networks) {
			if _, ok := c.Networks[n]; !ok {
				t.Errorf("%s: network %s not declared", name, n)
			}
		}
		for _, v := range s.Volumes {
			if vol, _, _ := strings.Cut(v, ":"); !strings.HasPrefix(vol, "/") && !strings.HasPrefix(vol, ".") {
				if _, ok := c.Volumes[vol]; !ok {
					t.Errorf("%s: volume %s not declared", name, vol)
				}
			}
		}
		for _, cf := range s.Configs {
			if _, ok := c.Configs[cf.Source]; !ok {
				t.Errorf("%s: config %s not declared", name, cf.Source)
			}
		}
	}
	// Both instances (app2 is app1 through a YAML merge key) write to whichever server
	// accepts writes and read the dashboards from the standby.
	for _, name := range []string{"app1", "app2"} {
		env := c.Services[name].Environment
		w, err := pgconn.ParseConfig(env["DATABASE_URL"])
		if err != nil {
			t.Fatalf("%s DATABASE_URL: %v", name, err)
		}
		hosts := []string{w.Host}
		for _, f := range w.Fallbacks {
			hosts = append(hosts, f.Host)
		}
		if !slices.Contains(hosts, "db-primary") || !slices.Contains(hosts, "db-replica") ||
			!strings.Contains(env["DATABASE_URL"], "target_session_attrs=read-write") {
			t.Errorf("%s DATABASE_URL: hosts %v, want both servers with target_session_attrs=read-write", name, hosts)
		}
		r, err := pgconn.ParseConfig(env["READ_DATABASE_URL"])
		if err != nil {
			t.Fatalf("%s READ_DATABASE_URL: %v", name, err)
		}
		if r.Host != "db-replica" || !strings.Contains(env["READ_DATABASE_URL"], "target_session_attrs=standby") {
			t.Errorf("%s READ_DATABASE_URL: host %s, want the standby", name, r.Host)
		}
	}
	caddy := c.Configs["ha-caddyfile"].Content
	for _, want := range []string{"reverse_proxy app1:8080 app2:8080", "health_uri /healthz"} {
		if !strings.Contains(caddy, want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
	// The proxy's fixed address is in the network and is what the apps trust.
	var proxyIP string
	if m, ok := c.Services["proxy"].Networks.(map[string]any); ok {
		if n, ok := m["ha"].(map[string]any); ok {
			proxyIP, _ = n["ipv4_address"].(string)
		}
	}
	subnet, err := netip.ParsePrefix(c.Networks["ha"].IPAM.Config[0].Subnet)
	if err != nil {
		t.Fatal(err)
	}
	if ip, err := netip.ParseAddr(proxyIP); err != nil || !subnet.Contains(ip) || c.Services["app1"].Environment["TRUSTED_PROXIES"] != proxyIP {
		t.Errorf("proxy address %q, subnet %s, trusted %q", proxyIP, subnet, c.Services["app1"].Environment["TRUSTED_PROXIES"])
	}
	// Compose substitutes $NAME from the host's environment everywhere, config contents
	// included: the scripts' own variables must be written $$NAME.
	single := regexp.MustCompile(`(^|[^$])\$[A-Za-z{]`)
	for name, cf := range c.Configs {
		if single.MatchString(cf.Content) {
			t.Errorf("config %s has a $ that compose would substitute", name)
		}
	}
}
