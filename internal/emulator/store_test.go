package emulator

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadStoreReplacesNullMaps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	// users is an explicit null (a hand-edited file); sessions is absent
	// (a file from an older emulator).
	if err := os.WriteFile(path, []byte(`{"users": null, "identities": {}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := loadStore(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Users == nil || st.Sessions == nil || st.SSOProviders == nil {
		t.Fatalf("nil maps after load: users %v, sessions %v, sso %v", st.Users == nil, st.Sessions == nil, st.SSOProviders == nil)
	}
}
