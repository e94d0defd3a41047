// Package bench measures authctl's start-up against a Go hello-world binary:
// DESIGN.md's targets say `authctl --help` and `authctl token` (valid stored
// session, file backend) run within 1.5× of it, with no network call.
//
//	go test -run '^$' -bench . -benchtime 200x ./bench/   (or ./bench/startup.sh)
package bench

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/emulator"
)

const helloSource = `package main

import "fmt"

func main() { fmt.Println("hello") }
`

// build compiles the binaries once per benchmark run.
func build(b *testing.B) (authctl, hello string) {
	b.Helper()
	dir := b.TempDir()
	authctl = filepath.Join(dir, "authctl")
	if out, err := goBuild("", authctl, "github.com/authctl/authctl"); err != nil {
		b.Fatalf("build authctl: %v\n%s", err, out)
	}
	src := filepath.Join(dir, "hello")
	if err := os.MkdirAll(src, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(helloSource), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	hello = filepath.Join(dir, "hello-bin")
	if out, err := goBuild(src, hello, "."); err != nil {
		b.Fatalf("build hello: %v\n%s", err, out)
	}
	return authctl, hello
}

// goBuild builds like a release (.goreleaser.yaml): static, trimmed, no
// symbol table. Both binaries get the same flags so the ratio is fair.
func goBuild(dir, out, pkg string) ([]byte, error) {
	return goBuildCgo("0", dir, out, pkg)
}

// goBuildCgo builds with the release flags and CGO_ENABLED=cgo ("" leaves
// Go's default: cgo where a C compiler is found, as `go install` does).
func goBuildCgo(cgo, dir, out, pkg string) ([]byte, error) {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
	return cmd.CombinedOutput()
}

// signedInEnv signs a user up against a throwaway emulator, then stops it, so
// the stored session is valid but any network call would fail.
func signedInEnv(b *testing.B, authctl, storage string) []string {
	b.Helper()
	dir := b.TempDir()
	cfg := emulator.DefaultConfig()
	cfg.PasswordCost = 4
	cfg.Logf = func(string, ...any) {}
	emu, err := emulator.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = emu.Serve(ctx, l); close(done) }()
	env := append(os.Environ(), "HOME="+dir, "AUTHCTL_CONFIG_DIR="+filepath.Join(dir, "cfg"), "AUTHCTL_STORAGE="+storage,
		"SUPABASE_URL=http://"+l.Addr().String())
	cmd := exec.Command(authctl, "signup", "--email", "bench@example.com", "--password-stdin")
	cmd.Env, cmd.Stdin = env, strings.NewReader("correct-horse-9\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("signup: %v\n%s", err, out)
	}
	cancel()
	<-done
	return env
}

// runN runs bin b.N times and reports, besides the mean (ns/op), the median
// (median-ns/op): a process start on a shared VM has a long tail, and one
// descheduled run moves the mean more than it says about authctl.
func runN(b *testing.B, env []string, bin string, args ...string) {
	b.Helper()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		start := time.Now()
		out, err := cmd.CombinedOutput()
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatalf("%s %v: %v\n%s", filepath.Base(bin), args, err, out)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns/op")
}

func BenchmarkStartup(b *testing.B) {
	authctl, hello := build(b)
	env := signedInEnv(b, authctl, "file")
	b.Run("hello-world", func(b *testing.B) { runN(b, env, hello) })
	b.Run("authctl-help", func(b *testing.B) { runN(b, env, authctl, "--help") })
	b.Run("authctl-token-file", func(b *testing.B) { runN(b, env, authctl, "token") })
	// The keyring case needs a Secret Service: bench/startup.sh runs it inside
	// dbus-run-session with an unlocked gnome-keyring when asked to.
	if os.Getenv("AUTHCTL_BENCH_KEYRING") == "1" {
		kenv := signedInEnv(b, authctl, "keyring")
		b.Run("authctl-token-keyring", func(b *testing.B) { runN(b, kenv, authctl, "token") })
	}
}

// BenchmarkStartupFloor splits the gap between hello-world and authctl: the
// programs under bench/floor link ever more of what authctl links, and exit.
//
//	floor-cli     cobra + net/http: any Go HTTP client CLI built on cobra
//	floor-deps    + every third-party library authctl uses (huh, gojq, …)
//	floor-linked  every authctl package: their init, the rest of the code dropped by the linker
//	floor-reachable  all of authctl's code linked as in the binary: all of start-up except main's work
func BenchmarkStartupFloor(b *testing.B) {
	dir := b.TempDir()
	for _, name := range []string{"cli", "deps", "linked", "reachable"} {
		bin := filepath.Join(dir, name)
		if out, err := goBuild("", bin, "github.com/authctl/authctl/bench/floor/"+name); err != nil {
			b.Fatalf("build %s: %v\n%s", name, err, out)
		}
		b.Run("floor-"+name, func(b *testing.B) { runN(b, os.Environ(), bin) })
	}
}
