package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/bulk/bulktest"
)

// The bulk tests (issue 8) create thousands of users: every run uses its
// own email prefix, so they pass on a real server that keeps earlier runs'
// users, and they count only their own.

// bulkSize is n against the emulator, and at most 200 against a real
// server: the one this suite runs against creates about 25 users a second
// (each insert waits for Postgres), so 5000 would take minutes there.
func bulkSize(n int) int {
	if target.Emulated {
		return n
	}
	return min(n, 200)
}

// runPrefix is unique per test and run, and an email filter on its own.
func runPrefix(tag string) string {
	return fmt.Sprintf("bulk%s%d", tag, time.Now().UnixNano())
}

// writeUsers writes a JSON Lines file of n users named prefix-i.
func writeUsers(t *testing.T, dir, prefix string, n int) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, "{\"email\":\"%s-%d@example.com\",\"email_confirm\":true,\"user_metadata\":{\"i\":%d},\"app_metadata\":{\"batch\":%q}}\n", prefix, i, i, prefix)
	}
	path := filepath.Join(dir, prefix+".jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// adminAPI talks to the target directly, to check what the commands did.
func adminAPI(t *testing.T) *auth.AdminAPI {
	t.Helper()
	c, err := auth.NewClient(auth.Options{URL: target.URL, APIKey: target.AnonKey, ServiceRoleKey: target.ServiceRoleKey})
	if err != nil {
		t.Fatal(err)
	}
	return c.Admin()
}

// countPrefix counts the users whose email contains prefix.
func countPrefix(t *testing.T, prefix string) int {
	t.Helper()
	n := 0
	err := adminAPI(t).ListAllUsers(context.Background(), auth.ListUsersParams{Filter: prefix, PerPage: 1000}, func(u auth.User) error {
		if strings.Contains(u.Email, prefix) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type importSummary struct {
	Rows, Created, Existing, Skipped, Updated, Failed int
	Report                                            string
}

func importJSON(t *testing.T, e *env, want int, args ...string) importSummary {
	t.Helper()
	r := e.run("", append([]string{"admin", "users", "import", "--json"}, args...)...)
	if r.Code != want && r.Code != 1 {
		t.Fatalf("import %v: exit %d, want %d\n%s\n%s", args, r.Code, want, r.Stdout, r.Stderr)
	}
	var s importSummary
	if err := json.Unmarshal([]byte(r.Stdout), &s); err != nil {
		t.Fatalf("import summary: %v\n%s\n%s", err, r.Stdout, r.Stderr)
	}
	if s.Failed > 0 && want == 0 {
		report, _ := os.ReadFile(s.Report)
		t.Fatalf("%d rows failed:\n%s", s.Failed, report)
	}
	return s
}

func TestBulkRoundTrip5000(t *testing.T) {
	start := time.Now()
	e := newEnv(t).withAdmin()
	prefix := runPrefix("rt")
	n := bulkSize(5000)
	file := writeUsers(t, e.dir, prefix, n)
	if s := importJSON(t, e, 0, file, "--concurrency", "16"); s.Created != n || s.Failed != 0 {
		t.Fatalf("import: %+v", s)
	}
	t.Logf("imported %d users in %s", n, time.Since(start).Round(time.Millisecond))

	for _, format := range []string{"jsonl", "csv"} {
		out := filepath.Join(e.dir, "export."+format)
		// Only this run's users: the export fetches each user again, and
		// the server holds every other test's users too.
		e.mustRun(0, "", "admin", "users", "export", "--format", format, "--output", out, "--filter", prefix)
		mine := filepath.Join(e.dir, "mine."+format)
		if got := keepMatching(t, out, mine, prefix+"-", format == "csv"); got != n {
			t.Fatalf("%s export holds %d of the %d users", format, got, n)
		}
		// Importing the export again finds every user by id: nobody new.
		if s := importJSON(t, e, 0, mine, "--format", format, "--concurrency", "16"); s.Created != 0 || s.Existing != n {
			t.Fatalf("reimport of the %s export: %+v", format, s)
		}
	}
	checkExportedUser(t, e, prefix)
	if got := countPrefix(t, prefix); got != n {
		t.Fatalf("%d users on the server, want %d", got, n)
	}
	t.Logf("round trip in %s", time.Since(start).Round(time.Millisecond))
}

// keepMatching copies the lines of src that contain s (and a CSV header)
// to dst and returns how many matched: the server may hold other tests'
// users.
func keepMatching(t *testing.T, src, dst, s string, header bool) int {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out bytes.Buffer
	n := 0
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for first := true; sc.Scan(); first = false {
		if (first && header) || strings.Contains(sc.Text(), s) {
			out.Write(append(sc.Bytes(), '\n'))
			if !(first && header) {
				n++
			}
		}
	}
	if err := os.WriteFile(dst, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkExportedUser checks one exported user field by field.
func checkExportedUser(t *testing.T, e *env, prefix string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(e.dir, "mine.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		var u auth.User
		if err := json.Unmarshal([]byte(line), &u); err != nil {
			t.Fatal(err)
		}
		if u.Email != prefix+"-42@example.com" {
			continue
		}
		if u.UserMetadata["i"] != float64(42) || u.AppMetadata["batch"] != prefix || u.EmailConfirmedAt == "" {
			t.Fatalf("exported user: %s", line)
		}
		return
	}
	t.Fatal("user 42 is not in the export")
}

func TestBulkImportInterruptedThenRerun(t *testing.T) {
	e := newEnv(t).withAdmin()
	prefix := runPrefix("int")
	n := bulkSize(3000)
	file := writeUsers(t, e.dir, prefix, n)

	cmd := exec.Command(binary, "admin", "users", "import", file, "--concurrency", "8")
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once a good part, but not all, is in: however long that
	// takes on this machine (the event, not a time budget, decides).
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	for countPrefix(t, prefix) < n/5 {
		select {
		case err := <-exited:
			t.Fatalf("the import ended (%v) before a fifth of it was in\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond): // poll interval
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("interrupted import: %v, want exit 130\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "run the same command again") {
		t.Errorf("stderr: %s", stderr.String())
	}
	before := countPrefix(t, prefix)
	if before >= n {
		t.Skipf("the import finished before the interrupt (%d users)", before)
	}
	s := importJSON(t, e, 0, file, "--concurrency", "8")
	if s.Created+s.Existing != n || s.Failed != 0 || s.Created > n-before {
		t.Fatalf("rerun: %+v (%d were in before)", s, before)
	}
	if got := countPrefix(t, prefix); got != n {
		t.Fatalf("%d users after the rerun, want each of %d exactly once", got, n)
	}
}

func TestBulkImportValidationAndReport(t *testing.T) {
	e := newEnv(t).withAdmin()
	prefix := runPrefix("val")
	bad := filepath.Join(e.dir, "bad.jsonl")
	writeFile(t, bad, []byte(fmt.Sprintf("{\"email\":\"%s-1@example.com\"}\nnot json\n{\"email\":\"%s-1@example.com\"}\n", prefix, prefix)))
	r := e.mustRun(1, "", "admin", "users", "import", bad)
	if !strings.Contains(r.Stderr, "line 2:") || !strings.Contains(r.Stderr, "line 3: same email as line 1") {
		t.Fatalf("stderr: %s", r.Stderr)
	}
	if countPrefix(t, prefix) != 0 {
		t.Fatal("an invalid file imported users")
	}

	// A hash the server rejects fails that row only, into the report.
	mixed := filepath.Join(e.dir, "mixed.jsonl")
	writeFile(t, mixed, []byte(fmt.Sprintf("{\"email\":\"%s-2@example.com\"}\n{\"email\":\"%s-3@example.com\",\"password_hash\":\"$fbscrypt$v=1,n=14,r=8,p=1$bad$bad\"}\n", prefix, prefix)))
	s := importJSON(t, e, 1, mixed)
	if s.Created != 1 || s.Failed != 1 || s.Report == "" {
		t.Fatalf("%+v", s)
	}
	report, err := os.ReadFile(s.Report)
	if err != nil || !strings.Contains(string(report), `"line":2`) || strings.Contains(string(report), "fbscrypt") {
		t.Fatalf("report %q: %v", report, err)
	}
}

func TestBulkFirebaseMigration(t *testing.T) {
	e := newEnv(t).withAdmin()
	prefix := runPrefix("fb")
	p := bulktest.TestProject
	var users []bulktest.User
	for i := range 10 {
		users = append(users, bulktest.User{LocalID: fmt.Sprintf("%s-uid%d", prefix, i), Email: fmt.Sprintf("%s-%d@example.com", prefix, i),
			EmailVerified: true, Password: fmt.Sprintf("firebase pw %d!", i), DisplayName: fmt.Sprintf("User %d", i),
			Claims: map[string]any{"tier": "gold"}, Disabled: i == 9})
	}
	exportFile, hashFile := filepath.Join(e.dir, "firebase.json"), filepath.Join(e.dir, "hash.txt")
	writeFile(t, exportFile, p.Export(users))
	writeFile(t, hashFile, []byte(p.Config()))

	if s := importJSON(t, e, 0, exportFile, "--format", "firebase", "--hash-config", hashFile); s.Created != 10 {
		t.Fatalf("%+v", s)
	}
	for i, u := range users {
		want := 0
		if u.Disabled {
			want = 1 // banned
		}
		r := newEnv(t).run(u.Password+"\n", "login", "password", "--email", u.Email, "--password-stdin")
		if r.Code != want {
			t.Errorf("user %d signs in: exit %d, want %d: %s", i, r.Code, want, r.Stderr)
		}
	}
	got, err := adminAPI(t).GetUserByEmail(context.Background(), users[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	if got.AppMetadata["tier"] != "gold" || got.AppMetadata["firebase_uid"] != users[0].LocalID || got.UserMetadata["full_name"] != "User 0" || got.EmailConfirmedAt == "" {
		t.Fatalf("migrated user: %+v", got)
	}
	// Rerunning the migration changes nothing.
	if s := importJSON(t, e, 0, exportFile, "--format", "firebase", "--hash-config", hashFile); s.Existing != 10 {
		t.Fatalf("rerun: %+v", s)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
