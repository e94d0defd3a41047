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
