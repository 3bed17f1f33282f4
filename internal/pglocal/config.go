package pglocal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Files we keep inside the data directory.
const (
	confFile = "helhed.conf" // our settings, included from postgresql.conf
	portFile = "helhed.port" // last port of a persistent cluster
	logFile  = "logfile"     // server log (pg_ctl -l)
	pidFile  = "postmaster.pid"
)

// includeLine is appended once to postgresql.conf. Keeping our settings in
// a separate file that we rewrite on every start (instead of passing them
// through pg_ctl -o) avoids shell quoting and lets the port and socket dir
// change between runs; ALTER SYSTEM still wins because postgresql.auto.conf
// is read last.
const includeLine = "include_if_exists = '" + confFile + "'"

// ephemeralSettings trade durability for speed; a test cluster's data is
// thrown away anyway. max_connections is raised because parallel tests each
// open a pool per database.
var ephemeralSettings = map[string]string{
	"fsync":              "off",
	"synchronous_commit": "off",
	"full_page_writes":   "off",
	"max_connections":    "200",
}

// memorySettings sizes a persistent cluster's memory to the machine (total bytes of RAM; 0
// when unknown): shared_buffers a quarter of it, as PostgreSQL's documentation advises for a
// dedicated server, between PostgreSQL's default of 128 MB and 2 GB (the embedded cluster
// shares the machine with the app, and a 100 000-citizen database is 1.6 GB); the planner's
// effective_cache_size half of it, which only informs cost estimates. Without it, a
// municipality's database read its pages from the kernel's cache on every visit instead of
// keeping them (docs/benchmarks.md).
func memorySettings(total uint64) map[string]string {
	if total == 0 {
		return nil
	}
	const mb = 1 << 20
	shared := min(max(total/4, 128*mb), 2048*mb)
	return map[string]string{
		"shared_buffers":       strconv.FormatUint(shared/mb, 10) + "MB",
		"effective_cache_size": strconv.FormatUint(max(total/2, shared)/mb, 10) + "MB",
	}
}

// memTotal is the machine's RAM in bytes (0 when unknown).
func memTotal() uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// settingNameRE guards the conf file against injected lines.
var settingNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]*$`)

// writeConfig (re)writes helhed.conf with the listen address, port, socket
// directory and the caller's settings, and makes sure postgresql.conf
// includes it.
func writeConfig(dataDir string, port int, sockDir string, opts Options) error {
	settings := map[string]string{}
	if opts.Ephemeral {
		maps.Copy(settings, ephemeralSettings)
	} else {
		maps.Copy(settings, memorySettings(memTotal()))
	}
	maps.Copy(settings, opts.Settings)
	// Fixed settings come last so Settings cannot break connectivity.
	settings["listen_addresses"] = "127.0.0.1"
	settings["port"] = strconv.Itoa(port)
	settings["unix_socket_directories"] = sockDir

	var b strings.Builder
	b.WriteString("# Written by helhed (internal/pglocal) on every start; edits are overwritten.\n")
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		if !settingNameRE.MatchString(k) {
			return fmt.Errorf("invalid setting name %q", k)
		}
		v := strings.ReplaceAll(settings[k], `'`, `''`)
		if strings.ContainsAny(v, "\n\r") {
			return fmt.Errorf("setting %s: value must be a single line", k)
		}
		fmt.Fprintf(&b, "%s = '%s'\n", k, v)
	}
	if err := os.WriteFile(filepath.Join(dataDir, confFile), []byte(b.String()), 0o600); err != nil {
		return err
	}

	main := filepath.Join(dataDir, "postgresql.conf")
	content, err := os.ReadFile(main)
	if err != nil {
		return err
	}
	if bytes.Contains(content, []byte(includeLine)) {
		return nil
	}
	f, err := os.OpenFile(main, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "\n# Added by helhed: per-start settings (port, sockets, test tuning).\n%s\n", includeLine)
	return errors.Join(err, f.Close())
}

// choosePort returns the port to use and whether it was picked by us (and
// may therefore be re-picked if the server cannot bind it). A persistent
// cluster prefers the port it used last time, so URLs stay stable.
func choosePort(opts Options, dataDir string) (port int, picked bool, err error) {
	if opts.Port != 0 {
		return opts.Port, false, nil
	}
	if !opts.Ephemeral {
		if b, err := os.ReadFile(filepath.Join(dataDir, portFile)); err == nil {
			if p, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && portFree(p) {
				return p, true, nil
			}
		}
	}
	p, err := freePort()
	return p, true, err
}

// freePort asks the kernel for an unused port on 127.0.0.1. There is a
// small race until postgres binds it; Start retries on "address in use".
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portFree reports whether port can be bound on 127.0.0.1 right now.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// postmaster describes a live server found via postmaster.pid.
type postmaster struct {
	pid     int    // 0 when no server is running
	port    int    // TCP port, 0 if unknown
	sockDir string // first unix_socket_directories entry
}

// runningPostmaster inspects postmaster.pid and describes the live server,
// if any. A pid file whose process is gone is left for postgres to clean
// up; one whose pid was reused by an unrelated process (common after a
// container restart) is removed, because postgres would otherwise refuse to
// start ("lock file already exists").
func runningPostmaster(dataDir string) (postmaster, error) {
	path := filepath.Join(dataDir, pidFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return postmaster{}, nil
	} else if err != nil {
		return postmaster{}, err
	}
	// Line 1 is the pid, 4 the port, 5 the socket directory
	// (see src/include/utils/pidfile.h).
	lines := strings.Split(string(b), "\n")
	line := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	pid, _ := strconv.Atoi(line(0))
	if pid <= 0 {
		return postmaster{}, nil
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return postmaster{}, nil // dead: stale pid file, postgres handles it
	}
	if zombie(pid) {
		// A killed postmaster whose parent never reaps it (a container whose PID 1 is not an
		// init) stays a zombie: kill(pid, 0) succeeds, so postgres itself would refuse to
		// start ("lock file already exists"). It is dead; remove its pid file.
		return postmaster{}, os.Remove(path)
	}
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil {
		if name := strings.TrimSpace(string(comm)); name != "postgres" && name != "postmaster" {
			return postmaster{}, os.Remove(path) // pid reused by something else
		}
	}
	port, _ := strconv.Atoi(line(3))
	return postmaster{pid: pid, port: port, sockDir: line(4)}, nil
}

// rotateLog keeps the persistent server log from growing forever: above
// 10 MB it is moved to logfile.old at start.
func rotateLog(dataDir string) {
	p := filepath.Join(dataDir, logFile)
	if fi, err := os.Stat(p); err == nil && fi.Size() > 10<<20 {
		_ = os.Rename(p, p+".old")
	}
}

// logSize is the current size of the server log, so that logTail can show
// only what this start attempt wrote.
func logSize(dataDir string) int64 {
	fi, err := os.Stat(filepath.Join(dataDir, logFile))
	if err != nil {
		return 0
	}
	return fi.Size()
}

// logTail returns roughly the last n lines the server logged after offset
// from, for error messages.
func logTail(dataDir string, from int64, n int) string {
	f, err := os.Open(filepath.Join(dataDir, logFile))
	if err != nil {
		return "(no server log: " + err.Error() + ")"
	}
	defer f.Close()
	const maxBytes = 8 << 10
	if fi, err := f.Stat(); err == nil {
		from = max(from, fi.Size()-maxBytes)
	}
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return "(cannot read server log: " + err.Error() + ")"
	}
	b, _ := io.ReadAll(f)
	text := strings.TrimRight(string(b), "\n")
	if text == "" {
		return "(the server logged nothing)"
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// addrInUse reports whether a failed start was caused by the port being
// taken (between freePort and the server binding it).
func addrInUse(dataDir string, from int64) bool {
	tail := logTail(dataDir, from, 30)
	return strings.Contains(tail, "Address already in use") ||
		strings.Contains(tail, "could not create any TCP/IP sockets")
}

// zombie reports whether pid is a process that has exited but not been reaped.
func zombie(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name, which is in parentheses and may contain spaces.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 || i+2 >= len(b) {
		return false
	}
	st := b[i+2]
	return st == 'Z' || st == 'X'
}
