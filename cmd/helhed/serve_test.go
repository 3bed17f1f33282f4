package main

import (
	"io"
	"runtime/debug"
	"strings"
	"testing"
)

// A mistyped trusted-proxy list stops the server at start instead of silently trusting no
// proxy (every user would then share the proxy's login limit) or the wrong one.
func TestServeRefusesBadTrustedProxies(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"serve", "-trusted-proxies", "10.0.0.1,proxy.example"}, nil},
		{[]string{"serve"}, map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}},
	} {
		getenv := func(k string) string {
			if k == "HELHED_DATA_DIR" {
				return t.TempDir()
			}
			return tc.env[k]
		}
		err := run(t.Context(), tc.args, getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "trusted proxies") {
			t.Errorf("%v %v: %v; want a trusted proxies error", tc.args, tc.env, err)
		}
	}
}

// A journal note's lock period of zero or less would lock every note at once (or never): the
// server refuses it at start.
func TestServeRefusesANoteLockThatIsNotPositive(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"serve", "-note-lock", "0s"}, nil},
		{[]string{"serve"}, map[string]string{"NOTE_LOCK": "-1h"}},
	} {
		getenv := func(k string) string {
			if k == "HELHED_DATA_DIR" {
				return t.TempDir()
			}
			return tc.env[k]
		}
		err := run(t.Context(), tc.args, getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "note lock") {
			t.Errorf("%v %v: %v; want a note lock error", tc.args, tc.env, err)
		}
	}
}

// A document limit outside 1–1024 MB stops the server at start.
func TestServeRefusesBadDocumentLimit(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"serve", "-document-max-mb", "0"}, nil},
		{[]string{"serve"}, map[string]string{"DOCUMENT_MAX_MB": "4096"}},
	} {
		getenv := func(k string) string {
			if k == "HELHED_DATA_DIR" {
				return t.TempDir()
			}
			return tc.env[k]
		}
		err := run(t.Context(), tc.args, getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "DOCUMENT_MAX_MB") {
			t.Errorf("%v %v: %v; want a document limit error", tc.args, tc.env, err)
		}
	}
}

// The collector's defaults apply unless GOGC or GOMEMLIMIT says otherwise (setGC). Not
// parallel: it changes the process's collector settings, and restores them.
func TestSetGCDefaultsYieldToTheEnvironment(t *testing.T) {
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	defer func() { debug.SetMemoryLimit(limit); debug.SetGCPercent(percent) }()
	for _, tc := range []struct {
		env     map[string]string
		limit   int64
		percent int
	}{
		{nil, defaultMemoryLimit, defaultGCPercent},
		{map[string]string{"GOGC": "100"}, defaultMemoryLimit, 123},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, 456, defaultGCPercent},
	} {
		debug.SetMemoryLimit(456)
		debug.SetGCPercent(123)
		setGC(func(k string) string { return tc.env[k] })
		if got := debug.SetMemoryLimit(-1); got != tc.limit {
			t.Errorf("env %v: memory limit %d, want %d", tc.env, got, tc.limit)
		}
		if got := debug.SetGCPercent(123); got != tc.percent {
			t.Errorf("env %v: GOGC %d, want %d", tc.env, got, tc.percent)
		}
	}
}
