package cmd

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/state"
)

func TestSessionStoreRecordsWhereAProfileIsSignedIn(t *testing.T) {
	ctx := context.Background()
	f := state.Open(filepath.Join(t.TempDir(), "state.json"))
	mem := auth.NewMemoryStorage()
	noWarn := func(format string, args ...any) { t.Errorf("warned: "+format, args...) }
	a := sessionStore{Storage: mem, key: "key-a", profile: "default", url: "http://a/auth/v1", state: f, warn: noWarn}
	b := sessionStore{Storage: mem, key: "key-b", profile: "default", url: "http://b", state: f, warn: noWarn}
	for _, step := range []func() error{
		func() error { return a.SetItem(ctx, "key-a", "{}") },
		func() error { return a.SetItem(ctx, "key-a-code-verifier", "v") }, // not the session
		func() error { return b.SetItem(ctx, "key-b", "{}") },
		func() error { return a.SetItem(ctx, "key-a", "{}") }, // a refresh: no duplicate
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.Sessions("default"); !slices.Equal(got, []string{"http://a/auth/v1", "http://b"}) {
		t.Fatalf("sessions = %v", got)
	}
	if err := a.RemoveItem(ctx, "key-a"); err != nil {
		t.Fatal(err)
	}
	if got := f.Sessions("default"); !slices.Equal(got, []string{"http://b"}) {
		t.Fatalf("after sign-out of a: %v", got)
	}
	if got := f.Sessions("other"); got != nil {
		t.Fatalf("another profile: %v", got)
	}
}

func TestSessionStoreSaysWhenAnotherUserReplacesTheSession(t *testing.T) {
	ctx := context.Background()
	var warnings []string
	s := sessionStore{Storage: auth.NewMemoryStorage(), key: "k", profile: "default", url: "http://a",
		state: state.Open(filepath.Join(t.TempDir(), "state.json")),
		warn:  func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }}
	session := func(id, email string) string {
		return fmt.Sprintf(`{"access_token":"t","user":{"id":%q,"email":%q}}`, id, email)
	}
	for _, v := range []string{session("u1", "a@example.com"), session("u1", "a@example.com"), session("u2", "b@example.com")} {
		if err := s.SetItem(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"replaced the session of a@example.com with b@example.com"}; !slices.Equal(warnings, want) {
		t.Fatalf("warnings = %q, want %q: one, for the second user only", warnings, want)
	}
}

// countingStorage counts reads.
type countingStorage struct {
	auth.Storage
	gets int
}

func (c *countingStorage) GetItem(ctx context.Context, key string) (string, bool, error) {
	c.gets++
	return c.Storage.GetItem(ctx, key)
}

// A refresh is one write: the old session is not read back, nothing is
// said and the state file is left alone.
func TestSessionStoreWritesARefreshOnly(t *testing.T) {
	ctx := context.Background()
	mem := &countingStorage{Storage: auth.NewMemoryStorage()}
	f := state.Open(filepath.Join(t.TempDir(), "state.json"))
	s := sessionStore{Storage: mem, key: "k", profile: "default", url: "http://a", state: f,
		warn: func(format string, args ...any) { t.Errorf("warned: "+format, args...) }}
	if err := mem.Storage.SetItem(ctx, "k", `{"user":{"id":"u1"}}`); err != nil {
		t.Fatal(err)
	}
	if err := s.SetItem(auth.WithRefreshWrite(ctx), "k", `{"user":{"id":"u2"}}`); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := mem.Storage.GetItem(ctx, "k"); mem.gets != 0 || v != `{"user":{"id":"u2"}}` || f.Sessions("default") != nil {
		t.Fatalf("gets=%d value=%s sessions=%v", mem.gets, v, f.Sessions("default"))
	}
}
