package e2e

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestNoCommandLeavesAProcessBehind: with storage auto or keyring and no
// D-Bus session (no DBUS_SESSION_BUS_ADDRESS, as in CI containers and SSH
// sessions), godbus would autolaunch a dbus-daemon, which starts a
// gnome-keyring-daemon, and neither exits. Every process authctl starts
// inherits its environment, so a marker variable finds them all, whoever
// else runs on the machine. .ci/keyring-secret-service.sh installs
// dbus-launch and gnome-keyring, which this needs to catch the leak.
func TestNoCommandLeavesAProcessBehind(t *testing.T) {
	if _, err := os.Stat("/proc/self/environ"); err != nil {
		t.Skip("counts processes through /proc")
	}
	name, value := "AUTHCTL_E2E_LEAK_MARKER", strconv.FormatInt(time.Now().UnixNano(), 10)
	marker := name + "=" + value
	for _, storage := range []string{"auto", "keyring"} {
		e := newEnv(t)
		e.vars["AUTHCTL_STORAGE"] = storage
		e.vars[name] = value
		r := e.run("", "status")
		if storage == "keyring" && r.Code == 0 {
			t.Fatalf("storage keyring without a session bus: exit 0\n%s", r.Stderr)
		}
		if storage == "auto" && !strings.Contains(r.Stderr, "D-Bus") {
			t.Errorf("storage auto: the fallback warning does not name the missing D-Bus session:\n%s", r.Stderr)
		}
		if left := processesWith(marker); len(left) > 0 {
			t.Fatalf("storage %s: `authctl status` left processes behind: %s", storage, strings.Join(left, ", "))
		}
	}
}

// processesWith lists the live processes whose environment holds kv, as
// "PID (command)". Each one found is killed: a failing run must not leak.
func processesWith(kv string) []string {
	var found []string
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		env, err := os.ReadFile(filepath.Join(d, "environ"))
		if err != nil || !bytes.Contains(append([]byte{0}, env...), []byte("\x00"+kv+"\x00")) {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join(d, "comm"))
		found = append(found, fmt.Sprintf("%s (%s)", filepath.Base(d), strings.TrimSpace(string(comm))))
		if pid, err := strconv.Atoi(filepath.Base(d)); err == nil {
			if p, err := os.FindProcess(pid); err == nil {
				_ = p.Kill()
			}
		}
	}
	return found
}
