package testlimit

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeLoad points the load average at a file holding load (empty: no file, as on a
// system without /proc).
func fakeLoad(t *testing.T, load string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loadavg")
	if load != "" {
		if err := os.WriteFile(path, []byte(load+" 0.50 0.40 1/123 4567\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := loadavgPath
	loadavgPath = path
	t.Cleanup(func() { loadavgPath = old })
}

func TestFactor(t *testing.T) {
	cpus := float64(runtime.NumCPU())
	for _, tc := range []struct {
		name, env, load string
		want            float64
	}{
		{"idle", "", "0.10", 1},
		{"no /proc", "", "", 1},
		{"loaded", "", ftoa(3 * cpus), 3},
		{"saturated: capped", "", ftoa(100 * cpus), maxLoad},
		{"slow runner", "2.5", "0.10", 2.5},
		{"slow runner, loaded", "2", ftoa(3 * cpus), 6},
		{"not a number", "schnell", "0.10", 1},
		{"below 1", "0.5", "0.10", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fakeLoad(t, tc.load)
			t.Setenv(Env, tc.env)
			if got := Factor(); got < tc.want-1e-9 || got > tc.want+1e-9 {
				t.Errorf("Factor() = %v; want %v", got, tc.want)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	fakeLoad(t, "0.10")
	t.Setenv(Env, "")
	if d, s := Describe(15 * time.Second); d != 15*time.Second || s != "15s" {
		t.Errorf("idle: %v %q", d, s)
	}
	t.Setenv(Env, "2.5")
	d, s := Describe(15 * time.Second)
	if d != 37500*time.Millisecond || !strings.Contains(s, "37.5s (15s × 2.5") || !strings.Contains(s, Env) {
		t.Errorf("slowed: %v %q", d, s)
	}
	if got := Scale(2 * time.Second); got != 5*time.Second {
		t.Errorf("Scale(2s) = %v", got)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
