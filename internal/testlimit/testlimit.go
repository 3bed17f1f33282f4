// Package testlimit scales the time limits of tests to the machine they run on, so a
// loaded or slow machine makes a test slower but does not fail it.
//
// A limit is written for an idle machine (a browser step: 15 s; a board update: 3 s) and
// passed through Scale when it starts, which multiplies it by Factor:
//
//   - HELHED_TEST_SLOWDOWN, a number ≥ 1 (default 1), for a machine that is slow in a way
//     its load does not show: an emulated CPU, a small cloud runner, the race detector;
//   - times the machine's load per CPU at that moment (the 1-minute load average from
//     /proc/loadavg divided by runtime.NumCPU), when that is above 1, at most maxLoad.
//
// The factor only ever lengthens a limit. A step that hangs still fails, after its scaled
// limit, and `go test -timeout` stays the outer bound of a whole run.
package testlimit

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Env is the environment variable of the fixed slowdown factor.
const Env = "HELHED_TEST_SLOWDOWN"

// maxLoad caps the load part of the factor, so that a step that truly hangs on a
// saturated machine still fails within minutes rather than waiting for go test's timeout.
const maxLoad = 10

// loadavgPath is read for the load; a variable so the tests can point it elsewhere.
var loadavgPath = "/proc/loadavg"

// Factor is the multiplier for the time limits that start now: HELHED_TEST_SLOWDOWN times
// the load per CPU (when above 1). It is 1 on an idle machine without the variable.
func Factor() float64 {
	return slowdown() * loadFactor()
}

// Scale returns the limit d multiplied by Factor.
func Scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * Factor())
}

// Describe returns d scaled, and the limit in words for a failure message: "15s" on an
// idle machine, "37.5s (15s × 2.5 for the machine's load)" on a loaded one.
func Describe(d time.Duration) (time.Duration, string) {
	f := Factor()
	scaled := time.Duration(float64(d) * f)
	if f == 1 {
		return scaled, d.String()
	}
	return scaled, fmt.Sprintf("%v (%v × %.1f, scaled for the machine's load; see %s)", scaled.Round(100*time.Millisecond), d, f, Env)
}

// badSlowdown warns once about a HELHED_TEST_SLOWDOWN that is not a number ≥ 1.
var badSlowdown sync.Once

// slowdown is HELHED_TEST_SLOWDOWN, or 1 when it is unset. A value that is not a number
// ≥ 1 counts as 1, with a warning on stderr (a panic here would take the whole test
// binary down).
func slowdown() float64 {
	s := strings.TrimSpace(os.Getenv(Env))
	if s == "" {
		return 1
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 1) || math.IsInf(f, 0) {
		badSlowdown.Do(func() { fmt.Fprintf(os.Stderr, "testlimit: ignoring %s=%q: want a number ≥ 1\n", Env, s) })
		return 1
	}
	return f
}

// loadFactor is the 1-minute load average per CPU, between 1 and maxLoad; 1 where the load
// cannot be read (not Linux).
func loadFactor() float64 {
	b, err := os.ReadFile(loadavgPath)
	if err != nil {
		return 1
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 1
	}
	load, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return 1
	}
	return min(max(load/float64(runtime.NumCPU()), 1), maxLoad)
}

// Eventually polls ok every 10 ms until it holds, and fails t when it has not within d
// scaled: for what arrives when it does, such as a notification between two connections.
func Eventually(t testing.TB, d time.Duration, what string, ok func() bool) {
	t.Helper()
	limit, desc := Describe(d)
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, desc)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
