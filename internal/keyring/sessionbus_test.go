package keyring

import (
	"errors"
	"runtime"
	"testing"
)

func TestSessionBusMissing(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("no D-Bus there")
	}
	none := func(string) bool { return false }
	for _, c := range []struct {
		name   string
		addr   string
		exists func(string) bool
		want   error
	}{
		{"address set", "unix:path=/run/user/7/bus", none, nil},
		{"nothing", "", none, ErrNoSessionBus},
		{"autolaunch asked for", "autolaunch:", none, ErrNoSessionBus},
		{"runtime bus socket", "", func(p string) bool { return p == "/run/user/7/bus" }, nil},
		{"dbus-session file", "", func(p string) bool { return p == "/run/user/7/dbus-session" }, nil},
	} {
		getenv := func(k string) string {
			if k == "DBUS_SESSION_BUS_ADDRESS" {
				return c.addr
			}
			return ""
		}
		if err := sessionBusMissing(getenv, 7, c.exists); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}
