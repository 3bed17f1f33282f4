package pglocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// serverUser is the system account the server runs as when we are root:
// initdb and postgres refuse to run as root, and Debian/Ubuntu/RHEL
// packages all create this account.
const serverUser = "postgres"

// runner runs PostgreSQL programs, as the postgres system user when the
// current process is root and as ourselves otherwise.
type runner struct {
	asOther bool     // true when commands must switch to serverUser
	uid     int      // serverUser's uid (only when asOther)
	gid     int      // serverUser's primary gid (only when asOther)
	groups  []int    // all gids of serverUser, for the traversal check
	prefix  []string // argv prefix that switches user (runuser); nil for su
}

// newRunner decides how to run the server programs. As root it looks up
// the postgres account and prefers runuser (util-linux, no shell and no
// quoting involved), falling back to su with a quoted /bin/sh command line.
func newRunner() (*runner, error) {
	if os.Geteuid() != 0 {
		return &runner{}, nil
	}
	u, err := user.Lookup(serverUser)
	if err != nil {
		return nil, fmt.Errorf("running as root, but PostgreSQL refuses to run as root and there is no %q system user to run it as (%v): create one (useradd --system %s) or run as a normal user", serverUser, err, serverUser)
	}
	r := &runner{asOther: true}
	r.uid, _ = strconv.Atoi(u.Uid)
	r.gid, _ = strconv.Atoi(u.Gid)
	r.groups = []int{r.gid}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if n, err := strconv.Atoi(id); err == nil {
				r.groups = append(r.groups, n)
			}
		}
	}
	if p, err := exec.LookPath("runuser"); err == nil {
		r.prefix = []string{p, "-u", serverUser, "--"}
	} else if _, err := exec.LookPath("su"); err != nil {
		return nil, errors.New("running as root, but neither runuser nor su is available to switch to the postgres user")
	}
	return r, nil
}

// argv returns the full command line for running name with args, wrapped
// in runuser/su when needed.
func (r *runner) argv(name string, args ...string) []string {
	full := append([]string{name}, args...)
	switch {
	case !r.asOther:
		return full
	case r.prefix != nil:
		return append(slices.Clone(r.prefix), full...)
	default:
		return []string{"su", serverUser, "-s", "/bin/sh", "-c", shellJoin(full)}
	}
}

// command builds an exec.Cmd for name. The working directory is "/" because
// the postgres user usually cannot read our cwd (e.g. /root), and initdb
// and pg_ctl fail with "could not identify current directory" then. PG*
// variables are dropped so a developer's PGPORT/PGDATA cannot override the
// explicit flags we pass.
func (r *runner) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	argv := r.argv(name, args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = "/"
	cmd.Env = cleanEnv()
	return cmd
}

// cleanEnv is our environment without PG* variables.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PG")
	})
}

// run executes the command and returns its combined output, with the output
// folded into the error so failures explain themselves.
func (r *runner) run(ctx context.Context, name string, args ...string) (string, error) {
	out, err := r.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", filepath.Base(name), strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// chown hands path to the server user (no-op when not root). With
// recursive it walks the tree, used when an existing data directory is not
// owned by the server user (e.g. copied around as root).
func (r *runner) chown(path string, recursive bool) error {
	if !r.asOther {
		return nil
	}
	if !recursive {
		return os.Chown(path, r.uid, r.gid)
	}
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, r.uid, r.gid)
	})
}

// ownedByServerUser reports whether path already belongs to the server user.
func (r *runner) ownedByServerUser(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == r.uid
}

// canTraverse reports whether the server user may search (x) directory fi,
// using the owner/group/other bits that apply to it. Root does not need
// this check, so the caller only asks when asOther is set.
func (r *runner) canTraverse(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true // cannot tell; let the server report it
	}
	perm := fi.Mode().Perm()
	switch {
	case int(st.Uid) == r.uid:
		return perm&0o100 != 0
	case slices.Contains(r.groups, int(st.Gid)):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// ensureTraversable checks that the server user can reach dir through all
// its parent directories. Parents listed in created (made by us just now)
// get o+x; for any other parent we do not silently loosen permissions but
// return an error naming the directory and the fix.
func (r *runner) ensureTraversable(dir string, created []string) error {
	if !r.asOther {
		return nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !r.canTraverse(fi) {
			if !slices.Contains(created, p) {
				return fmt.Errorf("the %s user (uid %d) cannot reach %s because %s is not searchable by it; "+
					"run `chmod o+x %s` or put the data directory elsewhere", serverUser, r.uid, dir, p, p)
			}
			if err := os.Chmod(p, fi.Mode().Perm()|0o001); err != nil {
				return err
			}
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// mkdirAllTracked is os.MkdirAll that also reports which directories it
// created, so ensureTraversable knows which ones it may chmod.
func mkdirAllTracked(dir string, perm fs.FileMode) (created []string, err error) {
	var missing []string
	for p := dir; ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		missing = append(missing, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	if err := os.MkdirAll(dir, perm); err != nil {
		return nil, err
	}
	return missing, nil
}

// shellJoin quotes argv for /bin/sh (used only for the su fallback and the
// watchdog script): each word in single quotes, an embedded quote closed,
// backslash-escaped and reopened.
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// watchdog is a tiny /bin/sh process that outlives us if we die: it blocks
// reading its stdin, a pipe only this process holds. Stop writes "done" and
// the watchdog exits quietly; if instead we crash, panic in a test
// goroutine, get killed by go test's -timeout or by SIGKILL, the pipe hits
// EOF and the watchdog stops the server and removes what Stop would have
// removed. Without it every crashed test run would leak a postmaster (pg_ctl
// detaches it with setsid) and a directory in /tmp.
type watchdog struct {
	cmd *exec.Cmd
	in  io.WriteCloser
}

// startWatchdog starts the watchdog for c. It runs as ourselves (root may
// need to delete directories the postgres user cannot), in its own process
// group so a Ctrl-C aimed at us does not kill it before it has cleaned up.
func startWatchdog(c *Cluster) (*watchdog, error) {
	mode := "fast"
	remove := []string{}
	if c.sockDir != "" {
		remove = append(remove, c.sockDir)
	}
	if c.opts.Ephemeral {
		mode = "immediate" // data is discarded anyway
		remove = append(remove, c.dataDir)
	}
	stop := c.r.argv(filepath.Join(c.binDir, "pg_ctl"), "stop", "-D", c.dataDir, "-m", mode, "-w", "-t", "60", "-s")
	script := `read -r line; [ "$line" = done ] && exit 0; ` + shellJoin(stop) + ` >/dev/null 2>&1`
	if len(remove) > 0 {
		script += "; rm -rf -- " + shellJoin(remove)
	}
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Dir = "/"
	cmd.Env = cleanEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pglocal: start watchdog: %w", err)
	}
	return &watchdog{cmd: cmd, in: in}, nil
}

// release tells the watchdog that Stop did its job and reaps it.
func (w *watchdog) release() {
	_, _ = io.WriteString(w.in, "done\n")
	_ = w.in.Close()
	_ = w.cmd.Wait()
}
