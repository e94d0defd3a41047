package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEndlessInputsAreBounded: inputs that never end, or are absurdly long,
// stop with a clear error instead of growing memory without bound.
func TestEndlessInputsAreBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("needs /dev/zero")
	}
	e := newEnv(t).withAdmin()
	r := e.mustRun(2, "", "signup", "--email", uniqueEmail(t), "--data", "@/dev/zero")
	if !strings.Contains(r.Stderr, "--data") || !strings.Contains(r.Stderr, "larger than 1 MiB") {
		t.Errorf("signup --data @/dev/zero: %s", r.Stderr)
	}
	r = e.run("", "admin", "users", "import", "/dev/zero", "--format", "csv")
	if r.Code == 0 || !strings.Contains(r.Stderr, "is this CSV?") {
		t.Errorf("import /dev/zero: exit %d, %s", r.Code, r.Stderr)
	}
	// A Firebase export's user object is bounded like a CSV record.
	huge := filepath.Join(e.dir, "firebase.json")
	writeFile(t, huge, []byte("{\"users\":[\n{\"localId\":\"a\",\"displayName\":\""+strings.Repeat("x", 5<<20)+"\"}]}"))
	r = e.run("", "admin", "users", "import", huge, "--format", "firebase", "--dry-run")
	if r.Code == 0 || !strings.Contains(r.Stderr, huge+": line 2: user 1 of the users array is longer than 4 MiB") {
		t.Errorf("import of a 5 MiB Firebase user: exit %d, %s", r.Code, r.Stderr)
	}
	// The argument has the bound stdin has (64 KiB).
	r = e.mustRun(2, "", "claims", strings.Repeat("a", 65<<10))
	if !strings.Contains(r.Stderr, "longer than 64 KiB") {
		t.Errorf("claims with a 65 KiB argument: %s", r.Stderr)
	}
}
