package keyring

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRealSecretService runs the keyring backend against a real Secret
// Service (gnome-keyring on D-Bus). .ci/keyring-secret-service.sh starts one
// and sets AUTHCTL_TEST_SECRET_SERVICE=1.
func TestRealSecretService(t *testing.T) {
	if os.Getenv("AUTHCTL_TEST_SECRET_SERVICE") != "1" {
		t.Skip("needs a Secret Service: run .ci/keyring-secret-service.sh")
	}
	ctx := context.Background()
	s, info, err := Open(ctx, Config{Mode: ModeKeyring, Service: "authctl-ci", Timeout: 5 * time.Second})
	if err != nil || info.Backend != ModeKeyring {
		t.Fatalf("Open: %+v %v", info, err)
	}
	key := "sb-ci-auth-token"
	t.Cleanup(func() { _ = s.RemoveItem(ctx, key) })
	for _, v := range []string{"small", `{"access_token":"` + strings.Repeat("a", 9000) + `","user":{"email":"ü@example.com"}}`, "short again"} {
		if err := s.SetItem(ctx, key, v); err != nil {
			t.Fatalf("SetItem(%d bytes): %v", len(v), err)
		}
		got, ok, err := s.GetItem(ctx, key)
		if err != nil || !ok || got != v {
			t.Fatalf("GetItem after %d bytes: ok=%v err=%v equal=%v", len(v), ok, err, got == v)
		}
	}
	if err := s.RemoveItem(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.GetItem(ctx, key); ok || err != nil {
		t.Fatalf("after RemoveItem: ok=%v err=%v", ok, err)
	}
	// No chunk of either generation may survive the removal.
	for _, gen := range []string{"", altGen} {
		for i := range 6 {
			if _, ok, _ := s.GetItem(ctx, genChunkName(key, gen, i)); ok {
				t.Errorf("chunk %d of generation %q survived RemoveItem", i, gen)
			}
		}
	}
}
