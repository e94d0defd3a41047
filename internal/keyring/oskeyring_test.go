package keyring

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// fakeProvider is an in-memory keyring that records the order of writes and
// can block to simulate a Secret Service that never answers.
type fakeProvider struct {
	mu     sync.Mutex
	items  map[string]string
	writes []string
	block  chan struct{}
}

func newFake() *fakeProvider { return &fakeProvider{items: map[string]string{}} }

func (f *fakeProvider) wait() {
	if f.block != nil {
		<-f.block
	}
}

func (f *fakeProvider) Get(s, u string) (string, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.items[s+"/"+u]
	if !ok {
		return "", gokeyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeProvider) Set(s, u, p string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(p) > 2560 {
		return gokeyring.ErrSetDataTooBig // what go-keyring says on Windows
	}
	f.items[s+"/"+u] = p
	f.writes = append(f.writes, u)
	return nil
}

func (f *fakeProvider) Delete(s, u string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.items[s+"/"+u]; !ok {
		return gokeyring.ErrNotFound
	}
	delete(f.items, s+"/"+u)
	return nil
}

func testKeyring(p provider) *OSStorage {
	return &OSStorage{service: "authctl-test", timeout: 200 * time.Millisecond, p: p}
}

func TestKeyringRoundTripSmallAndChunked(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	k := testKeyring(f)
	for _, v := range []string{"small", strings.Repeat("é", 4600) + "end", strings.Repeat("x", chunkSize), strings.Repeat("y", chunkSize+1)} {
		if err := k.SetItem(ctx, "sb-x-auth-token", v); err != nil {
			t.Fatal(err)
		}
		got, ok, err := k.GetItem(ctx, "sb-x-auth-token")
		if err != nil || !ok || got != v {
			t.Fatalf("round trip of %d bytes: ok=%v err=%v equal=%v", len(v), ok, err, got == v)
		}
	}
}

func TestKeyringSessionOfSeveralChunksWritesManifestLast(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	k := testKeyring(f)
	session := `{"access_token":"` + strings.Repeat("a", 9000) + `"}`
	if err := k.SetItem(ctx, "key", session); err != nil {
		t.Fatal(err)
	}
	if n := len(f.writes); n != 6 || f.writes[n-1] != "key" {
		t.Fatalf("writes = %v, want 5 chunks then the manifest", f.writes)
	}
	// Shrinking the value removes the chunks it no longer needs.
	if err := k.SetItem(ctx, "key", "short"); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, ok := f.items["authctl-test/"+chunkName("key", i)]; ok {
			t.Errorf("stale chunk %d left behind", i)
		}
	}
	if got, _, _ := k.GetItem(ctx, "key"); got != "short" {
		t.Errorf("after shrinking: %q", got)
	}
}

func TestKeyringRemoveDeletesChunks(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	k := testKeyring(f)
	if err := k.SetItem(ctx, "key", strings.Repeat("z", 5000)); err != nil {
		t.Fatal(err)
	}
	if err := k.RemoveItem(ctx, "key"); err != nil {
		t.Fatal(err)
	}
	if len(f.items) != 0 {
		t.Fatalf("items left: %v", f.items)
	}
	if _, ok, err := k.GetItem(ctx, "key"); ok || err != nil {
		t.Fatalf("after remove: ok=%v err=%v", ok, err)
	}
	if err := k.RemoveItem(ctx, "never-set"); err != nil {
		t.Fatalf("removing an absent item: %v", err)
	}
}

func TestKeyringMissingChunkIsAnError(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	k := testKeyring(f)
	if err := k.SetItem(ctx, "key", strings.Repeat("z", 5000)); err != nil {
		t.Fatal(err)
	}
	delete(f.items, "authctl-test/"+chunkName("key", 1))
	if _, _, err := k.GetItem(ctx, "key"); err == nil {
		t.Fatal("a value with a missing chunk was accepted")
	}
}

func TestKeyringTimeout(t *testing.T) {
	f := newFake()
	f.block = make(chan struct{})
	defer close(f.block)
	k := testKeyring(f)
	// The fake blocks until the test ends: only the timeout can return.
	_, _, err := k.GetItem(context.Background(), "key")
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if err := k.SetItem(context.Background(), "key", "v"); !errors.Is(err, ErrTimeout) {
		t.Fatalf("SetItem err = %v, want ErrTimeout", err)
	}
}

func TestOpenModes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	// go-keyring's mock stands in for the Secret Service; the session bus
	// check before it must see a bus.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")

	gokeyring.MockInit()
	s, info, err := Open(ctx, Config{Mode: ModeAuto, Service: "authctl-test", FileDir: dir, Profile: "p", Timeout: time.Second})
	if err != nil || info.Backend != ModeKeyring || info.FallbackReason != "" {
		t.Fatalf("auto with a working keyring: %T %+v %v", s, info, err)
	}

	gokeyring.MockInitWithError(errors.New("org.freedesktop.secrets was not provided by any .service files"))
	s, info, err = Open(ctx, Config{Mode: ModeAuto, Service: "authctl-test", FileDir: dir, Profile: "q", Timeout: time.Second})
	if err != nil || info.Backend != ModeFile || !strings.Contains(info.FallbackReason, "org.freedesktop.secrets") {
		t.Fatalf("auto without a keyring: %T %+v %v", s, info, err)
	}
	if _, ok := s.(*FileStorage); !ok {
		t.Fatalf("fallback storage is %T", s)
	}
	if _, _, err := Open(ctx, Config{Mode: ModeKeyring, Service: "authctl-test", FileDir: dir, Profile: "p", Timeout: time.Second}); err == nil ||
		!strings.Contains(err.Error(), "org.freedesktop.secrets") {
		t.Fatalf("explicit keyring mode fell back or hid the reason: %v", err)
	}
	if _, info, err := Open(ctx, Config{Mode: ModeFile, FileDir: dir, Profile: "p"}); err != nil || info.Backend != ModeFile || info.FallbackReason != "" {
		t.Fatalf("file mode: %+v %v", info, err)
	}
	if _, _, err := Open(ctx, Config{Mode: "cloud"}); err == nil {
		t.Fatal("unknown mode accepted")
	}
}
