package shared

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func envOf(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestChooseOpener(t *testing.T) {
	injected := func(string) error { return nil }
	desktop := map[string]string{"DISPLAY": ":0"}
	for _, tc := range []struct {
		name    string
		flow    BrowserFlow
		env     map[string]string
		opens   bool
		reason  string
		linuxOn bool // the case depends on Linux's display rule
	}{
		{"no-browser wins", BrowserFlow{NoBrowser: true, OpenBrowser: injected}, desktop, false, "", false},
		{"injected opener", BrowserFlow{OpenBrowser: injected}, map[string]string{"SSH_TTY": "/dev/pts/1"}, true, "", false},
		{"BROWSER over SSH", BrowserFlow{}, map[string]string{"BROWSER": "w3m", "SSH_CONNECTION": "1 2 3 4"}, true, "", false},
		{"SSH", BrowserFlow{}, map[string]string{"SSH_CONNECTION": "10.0.0.1 5 10.0.0.2 22", "DISPLAY": ":0"}, false, "SSH", false},
		{"no display", BrowserFlow{}, map[string]string{}, false, "no display", true},
		{"wayland", BrowserFlow{}, map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, true, "", false},
	} {
		if tc.linuxOn && runtime.GOOS != "linux" {
			continue
		}
		open, why := chooseOpener(tc.flow, envOf(tc.env), io.Discard)
		if (open != nil) != tc.opens || !strings.Contains(why, tc.reason) {
			t.Errorf("%s: opens %v (%q), want %v (%q)", tc.name, open != nil, why, tc.opens, tc.reason)
		}
	}
}

func TestEnvBrowser(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses sh")
	}
	out := filepath.Join(t.TempDir(), "url")
	script := filepath.Join(t.TempDir(), "open.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > "+out+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	const u = "http://127.0.0.1:9999/authorize?provider=github&redirect_to=x"
	if err := envBrowser(script, io.Discard)(u); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(out); err == nil && string(b) == u {
			return
		}
	}
	t.Fatal("$BROWSER did not receive the URL")
}
