package keyring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestFileRoundTripAndPermissions(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "sessions")
	s := NewFile(filepath.Join(dir, "default.json"))
	if _, ok, err := s.GetItem(ctx, "k"); ok || err != nil {
		t.Fatalf("empty storage: ok=%v err=%v", ok, err)
	}
	big := strings.Repeat("ü", 10000)
	if err := s.SetItem(ctx, "k", big); err != nil {
		t.Fatal(err)
	}
	if err := s.SetItem(ctx, "k-code-verifier", "v"); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := s.GetItem(ctx, "k"); got != big || !ok || err != nil {
		t.Fatalf("round trip failed: ok=%v err=%v", ok, err)
	}
	if err := s.RemoveItem(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.GetItem(ctx, "k"); ok {
		t.Fatal("removed item still there")
	}
	if v, ok, _ := s.GetItem(ctx, "k-code-verifier"); !ok || v != "v" {
		t.Fatal("removing one key lost another")
	}
	if st, _ := os.Stat(s.Path()); st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestFileCorruptIsAClearError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := NewFile(path).GetItem(context.Background(), "k")
	if err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("err = %v", err)
	}
}

// TestFileConcurrentProcessesLoseNothing: processes writing different keys
// into one file at once must not overwrite each other's.
func TestFileConcurrentProcessesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.json")
	const procs, keys = 4, 20
	var wg sync.WaitGroup
	for p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFileWriter$")
			cmd.Env = append(os.Environ(), "KEYRING_HELPER_FILE="+path, "KEYRING_HELPER_PREFIX="+strconv.Itoa(p),
				"KEYRING_HELPER_KEYS="+strconv.Itoa(keys))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("child: %v\n%s", err, out)
			}
		}()
	}
	wg.Wait()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var items map[string]string
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != procs*keys {
		t.Fatalf("%d keys in the file, want %d: writers lost each other's keys", len(items), procs*keys)
	}
}

// TestHelperFileWriter is the child of the concurrency and crash tests.
func TestHelperFileWriter(t *testing.T) {
	path := os.Getenv("KEYRING_HELPER_FILE")
	if path == "" {
		t.Skip("helper process only")
	}
	s := NewFile(path)
	prefix := os.Getenv("KEYRING_HELPER_PREFIX")
	n, _ := strconv.Atoi(os.Getenv("KEYRING_HELPER_KEYS"))
	for i := 0; n == 0 || i < n; i++ {
		key, value := prefix+"-"+strconv.Itoa(i), sessionValue(i)
		if n == 0 {
			key = "session" // the crash test rewrites one session forever
		}
		if err := s.SetItem(context.Background(), key, value); err != nil {
			t.Fatal(err)
		}
	}
}

// sessionValue is a complete, self-describing value: it parses as JSON and
// says which write it was.
func sessionValue(i int) string {
	return fmt.Sprintf(`{"write":%d,"access_token":"%s"}`, i, strings.Repeat("t", 3000+i%500))
}

// TestFileSurvivesSIGKILL kills a writer at random points; the file must
// always parse and hold one complete session.
func TestFileSurvivesSIGKILL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.json")
	for kill := range 30 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperFileWriter$")
		cmd.Env = append(os.Environ(), "KEYRING_HELPER_FILE="+path, "KEYRING_HELPER_PREFIX=x", "KEYRING_HELPER_KEYS=0")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(5+rand.IntN(40)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		v, ok, err := NewFile(path).GetItem(context.Background(), "session")
		if err != nil {
			t.Fatalf("after kill %d the file is unreadable: %v", kill, err)
		}
		if !ok {
			continue // killed before its first write
		}
		var s struct {
			Write       int    `json:"write"`
			AccessToken string `json:"access_token"`
		}
		if err := json.Unmarshal([]byte(v), &s); err != nil || len(s.AccessToken) != 3000+s.Write%500 {
			t.Fatalf("after kill %d the session is partial: %v", kill, err)
		}
	}
}

// Regression: a SIGKILL between a write's create and rename left
// .default.json.*.tmp files holding a full session, and nothing removed them.
func TestStaleTempFilesAreRemoved(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := NewFile(filepath.Join(dir, "default.json"))
	stale := filepath.Join(dir, ".default.json.123456.tmp")
	if err := os.WriteFile(stale, []byte(`{"sb-x-auth-token":"a whole session"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, ".other.json.1.tmp") // another profile's write, not ours to judge
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.SetItem(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("the stale temporary file is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("another file's temporary file was removed: %v", err)
	}
}

func TestCorruptFileReplacedOnlyWhenAllowed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "default.json")
	if err := os.WriteFile(path, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := NewFile(path)
	var corrupt *CorruptError
	if err := s.SetItem(context.Background(), "k", "v"); !errors.As(err, &corrupt) || corrupt.Path != path {
		t.Fatalf("SetItem without OnOverwrite = %v, want a CorruptError", err)
	}
	var told *CorruptError
	s.OnOverwrite = func(c *CorruptError) { told = c }
	if err := s.SetItem(context.Background(), "k", "v"); err != nil || told == nil {
		t.Fatalf("SetItem with OnOverwrite = %v, told %v", err, told)
	}
	if v, ok, err := s.GetItem(context.Background(), "k"); v != "v" || !ok || err != nil {
		t.Errorf("after the overwrite GetItem = %q, %v, %v", v, ok, err)
	}
}
