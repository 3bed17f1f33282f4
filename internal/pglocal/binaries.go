package pglocal

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ErrNoBinaries is wrapped by FindBinaries (and so by Start) when no usable
// PostgreSQL server installation is found, so callers can tell "install
// PostgreSQL or set DATABASE_URL" apart from a cluster that failed to start.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found")

// requiredBinaries must all sit in one directory: pg_ctl locates the
// postgres executable next to itself, and a directory with only client
// tools (psql, pg_isready) is useless to us.
var requiredBinaries = []string{"initdb", "pg_ctl", "postgres"}

// searchGlobs are the well-known install locations, tried after PATH and
// $PG_BIN. Each glob's matches are tried highest version first. It is a
// variable so tests can empty it to exercise the "nothing found" error.
var searchGlobs = []string{
	"/usr/lib/postgresql/*/bin",                               // Debian/Ubuntu (postgresql-NN packages)
	"/usr/local/opt/postgresql*/bin",                          // Homebrew on Intel macOS
	"/opt/homebrew/opt/postgresql*/bin",                       // Homebrew on Apple silicon
	"/usr/local/pgsql/bin",                                    // source builds (make install default)
	"/usr/pgsql-*/bin",                                        // RHEL/Fedora PGDG packages
	"/Applications/Postgres.app/Contents/Versions/latest/bin", // Postgres.app
}

// FindBinaries returns the directory holding initdb, pg_ctl and postgres.
//
// Search order: $PG_BIN (an explicit choice beats anything found by
// searching), then initdb/pg_ctl on PATH (symlinks resolved, because e.g.
// /usr/local/bin/pg_ctl may point into /usr/lib/postgresql/15/bin), then
// the well-known install locations, highest version first. The error wraps
// ErrNoBinaries and says where we looked and how to fix it.
func FindBinaries() (binDir string, err error) {
	var looked []string

	if dir := os.Getenv("PG_BIN"); dir != "" {
		if hasBinaries(dir) {
			return dir, nil
		}
		looked = append(looked, fmt.Sprintf("$PG_BIN=%s (missing initdb/pg_ctl/postgres)", dir))
	} else {
		looked = append(looked, "$PG_BIN (unset)")
	}

	for _, name := range []string{"pg_ctl", "initdb"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		// Prefer where a symlink really points (the version-specific
		// directory), then the PATH directory itself, which may hold
		// symlinks to all three.
		var candidates []string
		if real, err := filepath.EvalSymlinks(p); err == nil {
			candidates = append(candidates, filepath.Dir(real))
		}
		candidates = append(candidates, filepath.Dir(p))
		for _, dir := range candidates {
			if hasBinaries(dir) {
				return absDir(dir), nil
			}
		}
	}
	looked = append(looked, "PATH")

	for _, glob := range searchGlobs {
		looked = append(looked, glob)
		matches, _ := filepath.Glob(glob)
		sortByVersionDesc(matches)
		for _, dir := range matches {
			if hasBinaries(dir) {
				return dir, nil
			}
		}
	}

	return "", fmt.Errorf("%w (looked in %s): install PostgreSQL "+
		"(Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@15), "+
		"set PG_BIN to its bin directory, or set DATABASE_URL",
		ErrNoBinaries, strings.Join(looked, ", "))
}

// hasBinaries reports whether dir contains executable initdb, pg_ctl and
// postgres files.
func hasBinaries(dir string) bool {
	for _, name := range requiredBinaries {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}

// absDir makes dir absolute because we later run the binaries with a
// different working directory (and possibly as another user).
func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// versionRE pulls the version out of paths such as
// /usr/lib/postgresql/15/bin or /opt/homebrew/opt/postgresql@16/bin.
var versionRE = regexp.MustCompile(`\d+(?:\.\d+)*`)

// sortByVersionDesc orders glob matches highest PostgreSQL version first,
// numerically (so 16 beats 9.6). Paths without a version go last.
func sortByVersionDesc(paths []string) {
	version := func(p string) []int {
		m := versionRE.FindAllString(p, -1)
		if len(m) == 0 {
			return nil
		}
		var v []int
		for _, part := range strings.Split(m[len(m)-1], ".") {
			n, _ := strconv.Atoi(part)
			v = append(v, n)
		}
		return v
	}
	slices.SortStableFunc(paths, func(a, b string) int {
		va, vb := version(a), version(b)
		if (va == nil) != (vb == nil) {
			if va == nil {
				return 1
			}
			return -1
		}
		return slices.Compare(vb, va)
	})
}
