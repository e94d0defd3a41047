package cmd

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/interrupt"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/keyring"
)

// Installing the SIGINT handler costs two OS threads, 0.3 ms of a 3 ms start
// (bench/startup.sh). Commands that never block must not pay it; the first
// request, lock wait or browser wait installs it.
func TestOnlyWaitingCommandsInstallTheSignalHandler(t *testing.T) {
	dir := t.TempDir()
	// The Auth URL is given with its path: no probe, whatever listens there.
	env := map[string]string{"AUTHCTL_CONFIG_DIR": dir, "AUTHCTL_STORAGE": "file", "SUPABASE_URL": cmdutil.DefaultURL + "/auth/v1"}
	storeValidSession(t, filepath.Join(dir, "sessions"))

	for _, tc := range []struct {
		args  []string
		code  int
		armed bool
	}{
		{[]string{"token"}, 0, false},
		{[]string{"--help"}, 0, false},
		{[]string{"version"}, 0, false},
		{[]string{"status", "--json"}, 0, false},
		// A request waits on the context: from then on SIGINT cancels it.
		{[]string{"--url", "http://127.0.0.1:1", "user"}, 5, true},
	} {
		ios, _, out, errOut := iostreams.Test()
		ios.SetGetenv(func(k string) string { return env[k] })
		ctx := interrupt.New(context.Background())
		code := execute(ctx, tc.args, ios)
		ctx.Stop()
		if code != tc.code {
			t.Errorf("authctl %s: exit %d, want %d\n%s%s", strings.Join(tc.args, " "), code, tc.code, out, errOut)
		}
		if ctx.Armed() != tc.armed {
			t.Errorf("authctl %s: signal handler installed = %v, want %v", strings.Join(tc.args, " "), ctx.Armed(), tc.armed)
		}
	}
}

// storeValidSession writes a session valid for an hour where the file backend
// of the default profile reads it, for the default URL and for 127.0.0.1:1
// (a session belongs to one Auth URL).
func storeValidSession(t *testing.T, dir string) {
	t.Helper()
	b, err := json.Marshal(cmdutiltest.Session(time.Now().Add(time.Hour), "rt-1"))
	if err != nil {
		t.Fatal(err)
	}
	store := keyring.NewFile(filepath.Join(dir, "default.json"))
	for _, u := range []string{cmdutil.DefaultURL, "http://127.0.0.1:1"} {
		if err := store.SetItem(context.Background(), auth.StorageKeyFor(u+"/auth/v1", "default"), string(b)); err != nil {
			t.Fatal(err)
		}
	}
}
