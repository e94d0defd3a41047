package keyring

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// ErrNoSessionBus reports that the Secret Service cannot be reached without
// starting a D-Bus session bus of our own.
var ErrNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR has no bus): the Secret Service is unreachable")

// Without a session bus address, godbus (under go-keyring) "autolaunches"
// one: it runs dbus-launch, which starts a dbus-daemon, which in turn starts
// gnome-keyring-daemon for the Secret Service, and neither ever exits. Every
// authctl command would leave two daemons behind. So the Secret Service is
// only used when a session bus already exists: the places godbus itself
// looks before it autolaunches. (Two stats: cheap beside a D-Bus call.)
func sessionBusCheck() error {
	return sessionBusMissing(os.Getenv, os.Getuid(), fileExists)
}

// sessionBusMissing returns ErrNoSessionBus when a Secret Service call would
// have to autolaunch a bus; nil on macOS and Windows, whose keyrings do not
// use D-Bus.
func sessionBusMissing(getenv func(string) string, uid int, exists func(string) bool) error {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return nil
	}
	if a := getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	// godbus looks in /run/user/UID whatever XDG_RUNTIME_DIR says.
	dir := "/run/user/" + strconv.Itoa(uid)
	if exists(filepath.Join(dir, "bus")) || exists(filepath.Join(dir, "dbus-session")) {
		return nil
	}
	return ErrNoSessionBus
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
