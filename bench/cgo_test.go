package bench

import (
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The cost of a cgo build (issue 21): release archives are static
// (CGO_ENABLED=0), but `go install` on a machine with a C compiler links
// libc dynamically and initialises cgo. Each iteration runs `authctl token`
// (valid session, file storage, no network) once with each binary,
// alternating which goes first, and compares the CPU time (user + system)
// the processes used: medians of each, and the median of the per-pair
// ratios.
//
//	go test -run '^$' -bench TokenCgoPaired -benchtime 400x ./bench/
func BenchmarkTokenCgoPaired(b *testing.B) {
	dir := b.TempDir()
	static, dynamic := filepath.Join(dir, "authctl-static"), filepath.Join(dir, "authctl-cgo")
	if out, err := goBuildCgo("0", "", static, "github.com/authctl/authctl"); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	if out, err := goBuildCgo("", "", dynamic, "github.com/authctl/authctl"); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	env := signedInEnv(b, static, "file")
	cpu := func(bin string) time.Duration {
		cmd := exec.Command(bin, "token")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%s token: %v\n%s", filepath.Base(bin), err, out)
		}
		return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var statics, cgos []time.Duration
	var ratios []float64
	i := 0
	for b.Loop() {
		var s, c time.Duration
		if i++; i%2 == 0 {
			s, c = cpu(static), cpu(dynamic)
		} else {
			c, s = cpu(dynamic), cpu(static)
		}
		statics, cgos = append(statics, s), append(cgos, c)
		if s > 0 {
			ratios = append(ratios, c.Seconds()/s.Seconds())
		}
	}
	median := func(d []time.Duration) float64 { slices.Sort(d); return float64(d[len(d)/2].Microseconds()) }
	b.ReportMetric(median(statics), "static-cpu-µs")
	b.ReportMetric(median(cgos), "cgo-cpu-µs")
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "cgo/static")
}
