package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/bulk"
)

// The export memory target (issue 8): peak RSS of an export of 10,000 and
// of 50,000 users is the same, because users are written page by page.
// The export runs in a child process (this test binary, re-executed) so
// its RSS is its own, not the emulator's holding the users (which has a
// process of its own too).
//
//	go test -run '^$' -bench ExportRSS -benchtime 1x ./bench/   (or ./bench/bulk.sh)

// exportChildEnv carries "URL anonKey serviceKey" to the child.
const exportChildEnv = "AUTHCTL_BENCH_EXPORT_CHILD"

func TestMain(m *testing.M) {
	if v := os.Getenv(exportChildEnv); v != "" {
		os.Exit(exportChild(v))
	}
	if v := os.Getenv(validateChildEnv); v != "" {
		os.Exit(validateChild(v))
	}
	if v := os.Getenv(rawPagerEnv); v != "" {
		os.Exit(rawPager(v))
	}
	if os.Getenv(emulatorChildEnv) != "" {
		os.Exit(emulatorChild())
	}
	os.Exit(m.Run())
}

// exportChild exports every user to /dev/null as `admin users export`
// does (the same Exporter, 500 per page) and prints the count and its own
// peak RSS.
func exportChild(v string) int {
	f := strings.Fields(v)
	c, err := auth.NewClient(auth.Options{URL: f[0], APIKey: f[1], ServiceRoleKey: f[2]})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n, err := (&bulk.Exporter{Admin: c.Admin(), PerPage: 500}).Export(context.Background(), io.Discard)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return printPeakRSS(n)
}

// printPeakRSS prints n and the process's peak RSS in KiB, as childPeakRSS
// reads them. It reads VmHWM itself because the rusage a parent gets from
// wait4 is no use here: Linux carries the parent's high-water mark (the
// emulator and its users, the generated file) over the child's exec.
func printPeakRSS(n int) int {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for line := range strings.Lines(string(status)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			fmt.Println(n, f[1]) // kB
		}
	}
	return 0
}

func BenchmarkExportRSS(b *testing.B) {
	for _, users := range []int{10_000, 50_000} {
		b.Run(fmt.Sprint(users), func(b *testing.B) {
			srv := startBulkServer(b)
			seed(b, srv, users)
			var peak int64
			for b.Loop() {
				peak = max(peak, exportOnce(b, srv, users))
			}
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
		})
	}
}

// seed creates users straight through the SDK, many at a time.
func seed(b *testing.B, srv *bulkServer, n int) {
	admin := srv.admin(b, httpClient(16))
	ids := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range ids {
				meta := map[string]any{"i": i, "bio": strings.Repeat("x", 200)}
				if _, err := admin.CreateUser(context.Background(), auth.AdminUserAttributes{
					Email: fmt.Sprintf("rss-%d@example.com", i), UserMetadata: meta}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range n {
		ids <- i
	}
	close(ids)
	wg.Wait()
}

// exportOnce runs the export child and returns its peak RSS in KiB.
func exportOnce(b *testing.B, srv *bulkServer, want int) int64 {
	return childPeakRSS(b, exportChildEnv+"="+srv.URL+" "+srv.AnonKey+" "+srv.ServiceKey, want)
}

// childPeakRSS runs this test binary with env set, checks that the child
// handled want items and returns its peak RSS in KiB (Linux only).
func childPeakRSS(b *testing.B, env string, want int) int64 {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), env)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatal(err)
	}
	var n int
	var kb int64
	if _, err := fmt.Sscan(string(out), &n, &kb); err != nil || n != want {
		b.Fatalf("child said %q, want %d and the peak RSS", out, want)
	}
	return kb
}
