package pglocal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMemorySettings(t *testing.T) {
	const gb = 1 << 30
	for _, c := range []struct {
		total           uint64
		shared, caching string
	}{
		{0, "", ""},                          // unknown: PostgreSQL's defaults
		{256 << 20, "128MB", "128MB"},        // a small container: never below the default
		{2 * gb, "512MB", "1024MB"},          // a quarter
		{8 * gb, "2048MB", "4096MB"},         // a quarter, at the cap
		{24 * gb, "2048MB", "12288MB"},       // capped: the app shares the machine
		{uint64(1.5 * gb), "384MB", "768MB"}, // not a power of two
	} {
		got := memorySettings(c.total)
		if got["shared_buffers"] != c.shared || got["effective_cache_size"] != c.caching {
			t.Errorf("%d bytes: %v; want shared_buffers %q, effective_cache_size %q", c.total, got, c.shared, c.caching)
		}
	}
}

// A persistent cluster gets the memory settings and the caller can override them; a test
// cluster keeps PostgreSQL's small defaults (many run at once).
func TestWriteConfigSizesPersistentClusters(t *testing.T) {
	if memTotal() == 0 {
		t.Skip("no /proc/meminfo")
	}
	read := func(opts Options) string {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "postgresql.conf"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := writeConfig(dir, 5432, "/tmp", opts); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, confFile))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	want := memorySettings(memTotal())
	conf := read(Options{DataDir: "x"})
	for _, k := range []string{"shared_buffers", "effective_cache_size"} {
		if !strings.Contains(conf, k+" = '"+want[k]+"'") {
			t.Errorf("persistent cluster: %s not %s in\n%s", k, want[k], conf)
		}
	}
	if conf := read(Options{DataDir: "x", Settings: map[string]string{"shared_buffers": "64MB"}}); !strings.Contains(conf, "shared_buffers = '64MB'") {
		t.Errorf("the caller's setting did not win:\n%s", conf)
	}
	if conf := read(Options{Ephemeral: true}); strings.Contains(conf, "shared_buffers") {
		t.Errorf("test cluster got memory settings:\n%s", conf)
	}
}
