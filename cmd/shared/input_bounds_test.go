package shared

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/cmdutil"
)

// Regression: `--data @/dev/zero` read until memory ran out.
func TestFlagFilesAreBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte(`{"a":"`+strings.Repeat("x", MaxFlagFileBytes)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{big, os.DevNull + "-missing"} {
		_, err := JSONObject("--data", "@"+name)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--data") {
			t.Errorf("%s: %v, want a usage error naming --data", name, err)
		}
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := JSONObject("--data", "@/dev/zero"); err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
			t.Errorf("/dev/zero: %v", err)
		}
	}
}

// Regression: a secret line over the bound was cut silently.
func TestOverlongSecretLineIsAnError(t *testing.T) {
	_, err := ReadSecretLines(strings.NewReader(strings.Repeat("a", MaxSecretBytes+10)), 1, "--password-stdin")
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "more than 64 KiB") {
		t.Fatalf("err = %v", err)
	}
	if l, err := ReadSecretLines(strings.NewReader(strings.Repeat("a", MaxSecretBytes)), 1, "x"); err != nil || len(l[0]) != MaxSecretBytes {
		t.Fatalf("a secret of exactly the bound: %v", err)
	}
}
