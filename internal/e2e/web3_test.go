package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// web3Keys writes an Ethereum hex key file and a Solana CLI keypair file
// (mode 0600), fresh for each test so every run is a new wallet.
func web3Keys(t *testing.T, dir string) map[string]string {
	t.Helper()
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	nums := make([]int, 64)
	for i, b := range ed25519.NewKeyFromSeed(seed) {
		nums[i] = int(b)
	}
	sol, _ := json.Marshal(nums)
	eth := make([]byte, 32)
	if _, err := rand.Read(eth); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"ethereum": filepath.Join(dir, "eth.key"), "solana": filepath.Join(dir, "id.json")}
	writeFile(t, files["ethereum"], []byte("0x"+hex.EncodeToString(eth)+"\n"))
	writeFile(t, files["solana"], sol)
	return files
}

// web3Login is the part of `login web3 --json` the tests read.
type web3Login struct {
	User struct {
		ID           string         `json:"id"`
		Email        string         `json:"email"`
		AppMetadata  map[string]any `json:"app_metadata"`
		UserMetadata map[string]any `json:"user_metadata"`
	} `json:"user"`
	Session *sessionJSON `json:"session"`
}

// The sign-in tests run on a server with web3 on (the shared target keeps
// it off, as Supabase does by default).
func TestLoginWeb3SignsInWithKeyFiles(t *testing.T) {
	srv := serverWith(t, "WEB3_ON")
	for _, chain := range []string{"ethereum", "solana"} {
		t.Run(chain, func(t *testing.T) {
			e := envFor(t, srv)
			keys := web3Keys(t, e.dir)
			var first web3Login
			e.jsonOut(&first, "", "login", "web3", "--chain", chain, "--key-file", keys[chain], "--statement", "authctl e2e")
			if first.Session == nil || first.Session.AccessToken == "" || first.User.Email != "" ||
				first.User.AppMetadata["provider"] != "web3" {
				t.Fatalf("login web3: %+v", first)
			}
			cc, _ := first.User.UserMetadata["custom_claims"].(map[string]any)
			if cc["chain"] != chain || cc["address"] == nil || cc["statement"] != "authctl e2e" {
				t.Errorf("custom_claims %v", cc)
			}
			// The stored session works, and the same wallet is the same user.
			tok := strings.TrimSpace(e.mustRun(0, "", "token").Stdout)
			if tok != first.Session.AccessToken {
				t.Error("token does not print the web3 session's token")
			}
			var again web3Login
			e.jsonOut(&again, "", "login", "web3", "--chain", chain, "--key-file", keys[chain])
			if again.User.ID != first.User.ID {
				t.Errorf("second sign-in is user %s, want %s", again.User.ID, first.User.ID)
			}
			r := e.mustRun(0, "", "login", "web3", "--chain", chain, "--key-file", keys[chain])
			for _, secret := range []string{"eth.key", "id.json"} {
				raw, _ := os.ReadFile(filepath.Join(e.dir, secret))
				if k := strings.TrimSpace(string(raw)); strings.Contains(r.Stdout+r.Stderr, strings.TrimPrefix(k, "0x")) {
					t.Errorf("the key of %s was printed", secret)
				}
			}
		})
	}
}

// The shared target has web3 off (the emulator's default, and the real
// server's as the CI script starts it): the server's error comes through,
// exit 1.
func TestLoginWeb3Disabled(t *testing.T) {
	e := newEnv(t)
	keys := web3Keys(t, e.dir)
	r := e.run("", "login", "web3", "--chain", "ethereum", "--key-file", keys["ethereum"], "--json")
	var er struct {
		Error struct {
			Status int     `json:"status"`
			Code   *string `json:"code"`
		} `json:"error"`
	}
	if r.Code != 1 || json.Unmarshal([]byte(r.Stderr), &er) != nil || er.Error.Code == nil ||
		*er.Error.Code != "web3_provider_disabled" || er.Error.Status != 422 {
		t.Errorf("exit %d, stderr %s; want 1 and 422 web3_provider_disabled", r.Code, r.Stderr)
	}
	if r.Stdout != "" {
		t.Errorf("stdout %q, want nothing", r.Stdout)
	}
}

func TestLoginWeb3UsageErrors(t *testing.T) {
	e := newEnv(t)
	keys := web3Keys(t, e.dir)
	open := filepath.Join(e.dir, "open.key")
	raw, _ := os.ReadFile(keys["ethereum"])
	writeFile(t, open, raw)
	if err := os.Chmod(open, 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(e.dir, "garbage.key")
	writeFile(t, garbage, []byte("secret-garbage-value"))
	for name, args := range map[string][]string{
		"no chain":         {"--key-file", keys["ethereum"]},
		"unknown chain":    {"--chain", "bitcoin", "--key-file", keys["ethereum"]},
		"no key file":      {"--chain", "solana"},
		"missing key file": {"--chain", "solana", "--key-file", filepath.Join(e.dir, "none.json")},
		"wrong format":     {"--chain", "solana", "--key-file", keys["ethereum"]},
		"garbage key":      {"--chain", "ethereum", "--key-file", garbage},
		"world readable":   {"--chain", "ethereum", "--key-file", open},
		"relative uri":     {"--chain", "ethereum", "--key-file", keys["ethereum"], "--uri", "/app"},
	} {
		t.Run(name, func(t *testing.T) {
			r := e.mustRun(2, "", append([]string{"login", "web3", "--json"}, args...)...)
			if strings.Contains(r.Stderr, "secret-garbage-value") || strings.Contains(r.Stderr, strings.TrimSpace(string(raw))) {
				t.Error("the error quotes the key file's content")
			}
			if !strings.Contains(r.Stderr, `"UsageError"`) {
				t.Errorf("stderr %s, want a UsageError", r.Stderr)
			}
		})
	}
}
