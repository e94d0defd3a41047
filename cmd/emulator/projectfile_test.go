package emulator

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// runConfig runs `authctl emulator` with args up to runEmulator, returning
// the options it would have started with and what it printed on stderr.
func runConfig(t *testing.T, env map[string]string, args ...string) (*Options, string, error) {
	t.Helper()
	h := cmdutiltest.New(t, nil)
	h.F.IOStreams.SetGetenv(func(k string) string { return env[k] })
	var got *Options
	cmd := NewCmdEmulator(h.F, func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(h.Stdout)
	cmd.SetErr(h.Stderr)
	err := cmd.Execute()
	return got, h.Stderr.String(), err
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The file configures the emulator; a flag given on the command line, or
// its environment variable, wins over it; what the file has that the
// emulator does not support is listed.
func TestConfigFileFlagsWin(t *testing.T) {
	path := writeConfig(t, `[auth]
jwt_expiry = 1800
enable_signup = false
enable_anonymous_sign_ins = true
[auth.hook.custom_access_token]
enabled = true
uri = "pg-functions://postgres/public/hook"
`)
	o, stderr, err := runConfig(t, map[string]string{"AUTHCTL_EMULATOR_DISABLE_ANONYMOUS": "true"},
		"--config", path, "--jwt-exp", "5m", "--port", "0")
	if err != nil {
		t.Fatal(err)
	}
	c := o.Config
	if c.JWTExp != 5*time.Minute || c.Port != 0 || !c.DisableSignup || !c.DisableAnonymous || !c.DisableManualLinking {
		t.Errorf("config = %+v", c)
	}
	if !strings.Contains(stderr, path+": settings the emulator does not support") ||
		!strings.Contains(stderr, "line 5: auth.hook.custom_access_token (not emulated)") {
		t.Errorf("stderr:\n%s", stderr)
	}
	// AUTHCTL_EMULATOR_CONFIG names the file too.
	o, _, err = runConfig(t, map[string]string{"AUTHCTL_EMULATOR_CONFIG": path})
	if err != nil || o.Config.JWTExp != 30*time.Minute {
		t.Errorf("from the environment: %v, %+v", err, o)
	}
}

// A bad file is a usage error (exit 2) naming the file, line and key.
func TestConfigFileErrors(t *testing.T) {
	path := writeConfig(t, "[auth]\njwt_expiry = \"an hour\"\n")
	_, _, err := runConfig(t, nil, "--config", path)
	var fe *cmdutil.FlagError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), path+":2:14: auth.jwt_expiry:") {
		t.Errorf("error %v", err)
	}
	_, _, err = runConfig(t, nil, "--config", filepath.Join(t.TempDir(), "none.toml"))
	if !errors.As(err, &fe) {
		t.Errorf("missing file: %v", err)
	}
}

// A relying party go-webauthn cannot use (here an env() whose variable is
// unset, left as written) is a usage error naming the value and where to
// set it, before anything listens.
func TestUnusableRelyingParty(t *testing.T) {
	path := writeConfig(t, "[auth.passkey]\nenabled = true\n[auth.webauthn]\nrp_id = \"env(ACME_RP_ID)\"\nrp_origins = [\"https://acme.test\"]\n")
	_, _, err := runConfig(t, nil, "--config", path, "--port", "0")
	var hinted *cmdutil.HintedError
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !errors.As(err, &hinted) ||
		!strings.Contains(err.Error(), `the WebAuthn relying party (ID "env(ACME_RP_ID)", origins "https://acme.test") is not valid`) ||
		!strings.Contains(hinted.Hint, "--webauthn-rp-id") {
		t.Errorf("error %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

// List flags win over the file too, whole: --webauthn-rp-origins replaces
// the file's rp_origins, it is not added to them.
func TestConfigFileListFlagsWin(t *testing.T) {
	path := writeConfig(t, `[auth.passkey]
enabled = true
[auth.webauthn]
rp_display_name = "Acme"
rp_id = "acme.test"
rp_origins = ["https://app.acme.test"]
`)
	o, _, err := runConfig(t, nil, "--config", path, "--webauthn-rp-origins", "https://a.acme.test,https://b.acme.test",
		"--sso-domain", "corp.test", "--webauthn-rp-id", "a.acme.test")
	if err != nil {
		t.Fatal(err)
	}
	c := o.Config
	if !c.Passkeys || c.WebAuthnRPName != "Acme" || c.WebAuthnRPID != "a.acme.test" ||
		strings.Join(c.WebAuthnOrigins, " ") != "https://a.acme.test https://b.acme.test" || strings.Join(c.SSODomains, " ") != "corp.test" {
		t.Errorf("config = %+v", c)
	}
}
