package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat: 100 a second on every Linux
// architecture Helhed runs on (USER_HZ, fixed by the kernel's ABI).
const userHZ = 100

// cpuTimes is the CPU the server and the database have used so far: the server process's
// own, and PostgreSQL's whole process tree (the postmaster, its backends and workers, and the
// children it has already reaped). On a shared machine this, unlike the wall clock, does not
// grow with other work: it is what a request costs.
type cpuTimes struct {
	app, db time.Duration
}

// procStat reads a process's parent, and its own and its reaped children's CPU time.
func procStat(pid string) (ppid string, self, children time.Duration, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return "", 0, 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the command name may hold spaces and parentheses
	if i < 0 {
		return "", 0, 0, false
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 15 {
		return "", 0, 0, false
	}
	tick := func(k int) time.Duration {
		n, _ := strconv.ParseInt(f[k], 10, 64)
		return time.Duration(n) * time.Second / userHZ
	}
	return f[1], tick(11) + tick(12), tick(13) + tick(14), true // utime stime cutime cstime
}

// readCPU reads the CPU used so far by the server (serverPID) and by PostgreSQL (the
// postmaster pgPID and every live process it started); a zero pid is skipped.
func readCPU(serverPID, pgPID int) cpuTimes {
	var c cpuTimes
	if serverPID != 0 {
		_, self, _, _ := procStat(strconv.Itoa(serverPID))
		c.app = self
	}
	if pgPID == 0 {
		return c
	}
	pg := strconv.Itoa(pgPID)
	if _, self, reaped, ok := procStat(pg); ok {
		c.db = self + reaped
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		if ppid, self, reaped, ok := procStat(e.Name()); ok && ppid == pg {
			c.db += self + reaped
		}
	}
	return c
}

// printCPU reports what the run cost in CPU per request, and the throughput that cost allows
// on this machine's cores if nothing else ran on them.
func printCPU(w io.Writer, before, after cpuTimes, requests int, cores int) {
	if requests == 0 {
		return
	}
	app := after.app - before.app
	db := after.db - before.db
	per := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(requests) }
	total := per(app + db)
	fmt.Fprintf(w, "\nCPU per request: server %.2f ms, PostgreSQL %.2f ms, together %.2f ms", per(app), per(db), total)
	if total > 0 {
		fmt.Fprintf(w, " (at most %.0f requests/s on %d cores with nothing else running)", float64(cores)*1000/total, cores)
	}
	fmt.Fprintln(w)
}
