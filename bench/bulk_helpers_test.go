package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/emulator"
)

// bulkServer is an emulator on loopback for the bulk benchmarks, in a
// process of its own (this test binary, re-executed): in the benchmark's
// process, the garbage of the client under test would be collected on the
// server's time, which is not how the CLI meets a server.
type bulkServer struct {
	URL, AnonKey, ServiceKey string
}

// emulatorChildEnv makes the re-executed test binary serve an emulator.
const emulatorChildEnv = "AUTHCTL_BENCH_EMULATOR_CHILD"

// emulatorChild serves an emulator on a free port, prints its URL and keys,
// and stops when stdin closes (the parent ended or killed it).
func emulatorChild() int {
	cfg := emulator.DefaultConfig()
	cfg.PasswordCost = 4
	cfg.Logf = func(string, ...any) {}
	emu, err := emulator.New(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	fmt.Println("http://"+l.Addr().String(), emu.AnonKey(), emu.ServiceRoleKey())
	_ = emu.Serve(ctx, l)
	return 0
}

func startBulkServer(tb testing.TB) *bulkServer {
	tb.Helper()
	exe, err := os.Executable()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), emulatorChildEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	var s bulkServer
	if _, err := fmt.Fscan(stdout, &s.URL, &s.AnonKey, &s.ServiceKey); err != nil {
		tb.Fatalf("emulator child: %v", err)
	}
	return &s
}

// httpClient keeps one idle connection per worker, as `admin users import`
// does, for the importer and the plain loop alike.
func httpClient(workers int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = workers
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

func (s *bulkServer) admin(tb testing.TB, hc *http.Client) *auth.AdminAPI {
	c, err := auth.NewClient(auth.Options{URL: s.URL, APIKey: s.AnonKey, ServiceRoleKey: s.ServiceKey, HTTPClient: hc})
	if err != nil {
		tb.Fatal(err)
	}
	return c.Admin()
}
