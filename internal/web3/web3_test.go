package web3

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	secpecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/mr-tron/base58"
)

func keyFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// The account and personal_sign vector of the web3.js documentation
// (accounts.sign("Some data", key)), computed independently of this code.
func TestEthereumKnownVector(t *testing.T) {
	const secret = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	k, err := LoadEthereumKey(keyFile(t, secret+"\n", 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.Address(), "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"; got != want {
		t.Errorf("address %s, want %s", got, want)
	}
	if got, want := hex.EncodeToString(PersonalMessageHash([]byte("Some data"))),
		"1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655"; got != want {
		t.Errorf("hash %s, want %s", got, want)
	}
	sig, _ := k.Sign([]byte("Some data"))
	if want := "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c"; sig != want {
		t.Errorf("signature %s, want %s", sig, want)
	}
	// And it recovers to the address.
	b, _ := hex.DecodeString(strings.TrimPrefix(sig, "0x"))
	pub, _, err := secpecdsa.RecoverCompact(append([]byte{b[64]}, b[:64]...), PersonalMessageHash([]byte("Some data")))
	if err != nil || EthereumAddress(pub) != k.Address() {
		t.Errorf("recovery: %v", err)
	}
}

func TestSolanaKeypairSignsAndVerifies(t *testing.T) {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	nums := make([]int, 64)
	for i, b := range priv {
		nums[i] = int(b)
	}
	j, _ := json.Marshal(nums)
	k, err := LoadSolanaKey(keyFile(t, string(j), 0o600))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := base58.Decode(k.Address())
	if err != nil || len(pub) != 32 {
		t.Fatalf("address %q: %v", k.Address(), err)
	}
	sig, _ := k.Sign([]byte("hello"))
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(sig) != 88 || !ed25519.Verify(pub, []byte("hello"), raw) {
		t.Errorf("signature %q does not verify: %v", sig, err)
	}
}

func TestBadKeyFiles(t *testing.T) {
	for name, c := range map[string]struct {
		chain, content string
		mode           os.FileMode
	}{
		"eth short":       {"ethereum", "0x1234", 0o600},
		"eth not hex":     {"ethereum", strings.Repeat("zz", 32), 0o600},
		"eth zero":        {"ethereum", strings.Repeat("00", 32), 0o600},
		"eth world read":  {"ethereum", strings.Repeat("11", 32), 0o644},
		"sol not json":    {"solana", "nope", 0o600},
		"sol 32 numbers":  {"solana", "[" + strings.Repeat("1,", 31) + "1]", 0o600},
		"sol mismatched":  {"solana", "[" + strings.Repeat("1,", 63) + "1]", 0o600},
		"sol out of byte": {"solana", "[" + strings.Repeat("300,", 63) + "1]", 0o600},
	} {
		t.Run(name, func(t *testing.T) {
			secret := c.content
			_, err := LoadKey(c.chain, keyFile(t, secret, c.mode))
			if err == nil {
				t.Fatal("accepted")
			}
			if len(secret) > 8 && strings.Contains(err.Error(), secret) {
				t.Error("the error quotes the key")
			}
		})
	}
}
