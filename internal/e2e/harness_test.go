// Package e2e runs the built authctl binary against a Supabase Auth server:
// the in-process emulator by default, or a real server when
// AUTHCTL_E2E_URL, AUTHCTL_E2E_ANON_KEY and AUTHCTL_E2E_SERVICE_ROLE_KEY are
// set (with the AUTHCTL_E2E_* settings of realServerEnv: the harness then
// serves the server's hooks and identity provider; .ci/real-server-e2e.sh
// sets it all up). Every test must pass on both; a check that needs an
// emulator-only hook has a real-server path for the same check.
package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/emulator"
)

// server is the target every test talks to.
type server struct {
	URL            string // as given to authctl --url / SUPABASE_URL
	AnonKey        string
	ServiceRoleKey string
	Emulated       bool
	emu            *emulator.Server
	hooks          *hookSink          // a real server's SMS and email hooks
	idp            *oidcProvider      // a real server's keycloak provider
	saml           *samlIDPs          // a real server's SAML identity providers
	variants       map[string]*server // a real run's servers of serverWith
}

var (
	binary string  // the authctl binary built once for the whole run
	target *server // the server under test
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "authctl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)

	binary = filepath.Join(tmp, "authctl")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", append([]string{"build", "-o", binary}, append(buildFlags(), "github.com/authctl/authctl")...)...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building authctl:", err)
		return 1
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	target, err = startTarget(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the server under test:", err)
		return 1
	}
	return m.Run()
}

// startTarget uses the real server named by the environment, or starts an
// emulator on a free loopback port.
func startTarget(ctx context.Context) (*server, error) {
	if u := os.Getenv("AUTHCTL_E2E_URL"); u != "" {
		s := &server{URL: u, AnonKey: os.Getenv("AUTHCTL_E2E_ANON_KEY"),
			ServiceRoleKey: os.Getenv("AUTHCTL_E2E_SERVICE_ROLE_KEY")}
		return s, startRealServerFixtures(ctx, s)
	}
	s, _, err := startEmulator(ctx, nil)
	return s, err
}

// startEmulator serves an emulator, configured by tweak (nil: the defaults),
// on a free loopback port until ctx ends; done is closed when it has stopped.
func startEmulator(ctx context.Context, tweak func(*emulator.Config)) (s *server, done <-chan struct{}, err error) {
	cfg := emulator.DefaultConfig()
	cfg.PasswordCost = 4 // bcrypt.MinCost: the suite signs up hundreds of users
	cfg.Logf = func(string, ...any) {}
	if tweak != nil {
		tweak(&cfg)
	}
	emu, err := emulator.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	stopped := make(chan struct{})
	go func() { defer close(stopped); _ = emu.Serve(ctx, l) }()
	return &server{URL: "http://" + l.Addr().String(), AnonKey: emu.AnonKey(),
		ServiceRoleKey: emu.ServiceRoleKey(), Emulated: true, emu: emu}, stopped, nil
}

// env is an isolated authctl environment: its own HOME and configuration
// directory, file storage, the target's URL and keys.
type env struct {
	t    *testing.T
	dir  string
	vars map[string]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	return &env{t: t, dir: dir, vars: map[string]string{
		"HOME":               dir,
		"XDG_CONFIG_HOME":    filepath.Join(dir, ".config"),
		"AUTHCTL_CONFIG_DIR": filepath.Join(dir, "authctl"),
		"AUTHCTL_STORAGE":    "file",
		"SUPABASE_URL":       target.URL,
		"SUPABASE_ANON_KEY":  target.AnonKey,
		"NO_COLOR":           "1",
		"PATH":               os.Getenv("PATH"),
	}}
}

// withAdmin gives the environment the service-role key.
func (e *env) withAdmin() *env {
	e.vars["SUPABASE_SERVICE_ROLE_KEY"] = target.ServiceRoleKey
	return e
}

// result is what one authctl run produced.
type result struct {
	Stdout, Stderr string
	Code           int
}

// run executes authctl with args and stdin, bounded by the test's deadline.
func (e *env) run(stdin string, args ...string) result {
	e.t.Helper()
	return e.start(stdin, args...).wait()
}

// running is an authctl process started by env.start.
type running struct {
	t        *testing.T
	cmd      *exec.Cmd
	cancel   context.CancelFunc
	args     []string
	out, err bytes.Buffer
}

// start starts authctl with args and stdin without waiting for it; it is
// killed at the test's deadline.
func (e *env) start(stdin string, args ...string) *running {
	e.t.Helper()
	ctx, cancel := context.WithDeadline(context.Background(), waitDeadline(e.t))
	r := &running{t: e.t, cmd: exec.CommandContext(ctx, binary, args...), cancel: cancel, args: args}
	r.cmd.Stdin = strings.NewReader(stdin)
	r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.err
	for k, v := range e.vars {
		r.cmd.Env = append(r.cmd.Env, k+"="+v)
	}
	if err := r.cmd.Start(); err != nil {
		cancel()
		e.t.Fatalf("running authctl %v: %v", args, err)
	}
	return r
}

// wait waits for the process to end and returns what it produced.
func (r *running) wait() result {
	r.t.Helper()
	defer r.cancel()
	err := r.cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatalf("running authctl %v: %v", r.args, err)
	}
	return result{Stdout: r.out.String(), Stderr: r.err.String(), Code: code}
}

// mustRun runs authctl and fails the test unless it exits with want.
func (e *env) mustRun(want int, stdin string, args ...string) result {
	e.t.Helper()
	r := e.run(stdin, args...)
	if r.Code != want {
		e.t.Fatalf("authctl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.Code, want, r.Stdout, r.Stderr)
	}
	return r
}

// jsonOut runs authctl with --json, expects exit 0 and decodes stdout.
func (e *env) jsonOut(v any, stdin string, args ...string) {
	e.t.Helper()
	r := e.mustRun(0, stdin, append(args, "--json")...)
	if err := json.Unmarshal([]byte(r.Stdout), v); err != nil {
		e.t.Fatalf("authctl %s --json: %v\n%s", strings.Join(args, " "), err, r.Stdout)
	}
}

// uniqueEmail returns an address no earlier run has used.
func uniqueEmail(t *testing.T) string {
	return fmt.Sprintf("e2e-%d-%s@example.com", time.Now().UnixNano(), strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name())))
}

// b64url decodes unpadded base64url (JWT segments).
func b64url(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// buildFlags passes extra `go build` flags from AUTHCTL_E2E_BUILD_FLAGS
// (space separated), e.g. a -race build of the binary.
func buildFlags() []string { return strings.Fields(os.Getenv("AUTHCTL_E2E_BUILD_FLAGS")) }

// httpClient is the client for the tests' own requests: like every wait, it
// gives up at waitDeadline, not after a budget of its own.
func httpClient(t *testing.T) *http.Client {
	return &http.Client{Timeout: time.Until(waitDeadline(t))}
}

// waitDeadline is when a test stops waiting for an event: the deadline of
// the test binary (go test -timeout), less a little to report the failure.
// No wait has a fixed budget of its own, so a loaded machine makes the suite
// slower, never red.
func waitDeadline(t *testing.T) time.Time {
	if d, ok := t.Deadline(); ok {
		return d.Add(-time.Until(d) / 20)
	}
	return time.Now().Add(time.Hour)
}
