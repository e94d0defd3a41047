package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/bulk"
)

// The validation memory target (issue 20): `admin users import --dry-run`,
// and the validation pass every import starts with, keep peak RSS flat
// whatever the number of rows. The validation runs in a child process
// (this test binary, re-executed) so its RSS is its own, not the file
// generator's.
//
//	go test -run '^$' -bench ValidateRSS -benchtime 1x ./bench/   (or ./bench/bulk.sh)

// validateChildEnv carries the path of the file to validate to the child.
const validateChildEnv = "AUTHCTL_BENCH_VALIDATE_CHILD"

// validateChild validates the file as the command does and prints the
// number of valid rows and its own peak RSS.
func validateChild(path string) int {
	v, err := bulk.Validate(func(fn bulk.RowFunc) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return bulk.ReadJSONL(f, time.Now(), fn)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return printPeakRSS(v.Rows)
}

func BenchmarkValidateRSS(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(rows), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "users.jsonl")
			writeUsers(b, path, rows)
			var peak int64
			for b.Loop() {
				peak = max(peak, childPeakRSS(b, validateChildEnv+"="+path, rows))
			}
			b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
		})
	}
}

// writeUsers writes n distinct users with an email, a phone and some
// metadata: every row has three identities to check (id, email, phone).
func writeUsers(b *testing.B, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, "{\"email\":\"user-%d@example.com\",\"phone\":\"+1555%07d\",\"user_metadata\":{\"i\":%d}}\n", i, i, i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
