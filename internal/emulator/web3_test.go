package emulator

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/mr-tron/base58"
	"golang.org/x/crypto/sha3"
)

// The web3.js documentation's example account.
const (
	testEthKey  = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	testEthAddr = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
)

func siwx(account, address, uri, chainID string, issued time.Time) string {
	u := strings.TrimPrefix(strings.TrimPrefix(uri, "https://"), "http://")
	msg := strings.SplitN(u, "/", 2)[0] + " wants you to sign in with your " + account + " account:\n" + address +
		"\n\nSign in to the test\n\nURI: " + uri + "\nVersion: 1\n"
	if chainID != "" {
		msg += "Chain ID: " + chainID + "\n"
	}
	return msg + "Nonce: abcdefgh12345678\nIssued At: " + issued.UTC().Format(time.RFC3339)
}

func ethSign(t *testing.T, msg string) string {
	t.Helper()
	b, _ := hex.DecodeString(testEthKey)
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte("\x19Ethereum Signed Message:\n" + strconv.Itoa(len(msg)) + msg))
	c := ecdsa.SignCompact(secp256k1.PrivKeyFromBytes(b), h.Sum(nil), false)
	return "0x" + hex.EncodeToString(append(c[1:], c[0]))
}

func TestWeb3DisabledByDefault(t *testing.T) {
	_, ts := newTestServer(t, nil)
	var e map[string]any
	resp := call(t, "POST", ts.URL+"/token?grant_type=web3", "", map[string]string{"chain": "ethereum"}, &e)
	if resp.StatusCode != 422 || e["error_code"] != "web3_provider_disabled" {
		t.Errorf("%d %v", resp.StatusCode, e)
	}
}

func TestWeb3EthereumAndSolana(t *testing.T) {
	s, ts := newTestServer(t, func(c *Config) { c.Web3 = true })
	now := s.now()
	tokenURL := ts.URL + "/token?grant_type=web3"

	type session struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID           string         `json:"id"`
			Email        string         `json:"email"`
			AppMetadata  map[string]any `json:"app_metadata"`
			UserMetadata map[string]any `json:"user_metadata"`
			Identities   []struct {
				Provider string `json:"provider"`
			} `json:"identities"`
		} `json:"user"`
	}
	msg := siwx("Ethereum", testEthAddr, "http://localhost:3000", "1", now)
	var first, second session
	if resp := call(t, "POST", tokenURL, "", map[string]string{"chain": "ethereum", "message": msg, "signature": ethSign(t, msg)}, &first); resp.StatusCode != 200 {
		t.Fatalf("ethereum sign-in: %d %+v", resp.StatusCode, first)
	}
	if first.User.AppMetadata["provider"] != "web3" || first.User.Email != "" || len(first.User.Identities) != 1 {
		t.Errorf("user %+v", first.User)
	}
	cc, _ := first.User.UserMetadata["custom_claims"].(map[string]any)
	if cc["address"] != testEthAddr || cc["chain"] != "ethereum" || cc["network"] != "1" {
		t.Errorf("custom_claims %v", cc)
	}
	msg2 := siwx("Ethereum", strings.ToLower(testEthAddr[:2])+testEthAddr[2:], "http://localhost:3000", "1", now)
	call(t, "POST", tokenURL, "", map[string]string{"chain": "ethereum", "message": msg2, "signature": ethSign(t, msg2)}, &second)
	if second.User.ID != first.User.ID {
		t.Errorf("second sign-in made user %s, want %s", second.User.ID, first.User.ID)
	}

	seed := make([]byte, 32)
	key := ed25519.NewKeyFromSeed(seed)
	addr := base58.Encode(key.Public().(ed25519.PublicKey))
	smsg := siwx("Solana", addr, "http://localhost:3000/app", "solana:devnet", now)
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(key, []byte(smsg)))
	var sol session
	if resp := call(t, "POST", tokenURL, "", map[string]string{"chain": "solana", "message": smsg, "signature": sig}, &sol); resp.StatusCode != 200 {
		t.Fatalf("solana sign-in: %d", resp.StatusCode)
	}
	// URL-safe unpadded base64 is accepted too.
	if resp := call(t, "POST", tokenURL, "", map[string]string{"chain": "solana", "message": smsg,
		"signature": base64.RawURLEncoding.EncodeToString(ed25519.Sign(key, []byte(smsg)))}, nil); resp.StatusCode != 200 {
		t.Errorf("base64url signature: %d", resp.StatusCode)
	}

	cases := []struct {
		name, chain, message, signature string
		status                          int
		want                            string
	}{
		{"unsupported chain", "bitcoin", msg, "x", 400, "web3_unsupported_chain"},
		{"short signature", "ethereum", msg, "0x1234", 400, "validation_failed"},
		{"tampered", "ethereum", strings.Replace(msg, "Nonce: abcdefgh", "Nonce: zzzzzzzz", 1), ethSign(t, msg), 400, "invalid_grant"},
		{"solana signature of another message", "solana", smsg, base64.StdEncoding.EncodeToString(ed25519.Sign(key, []byte("another message"))), 400, "invalid_grant"},
		{"stale", "ethereum", siwx("Ethereum", testEthAddr, "http://localhost:3000", "1", now.Add(-11*time.Minute)), "", 400, "issued too long ago"},
		{"future", "ethereum", siwx("Ethereum", testEthAddr, "http://localhost:3000", "1", now.Add(11*time.Minute)), "", 400, "too far in the future"},
		{"plain http", "ethereum", siwx("Ethereum", testEthAddr, "http://app.example.com", "1", now), "", 400, "does not use HTTPS"},
		{"other app", "ethereum", siwx("Ethereum", testEthAddr, "https://evil.example.com", "1", now), "", 400, "another app"},
		{"bad chain id", "ethereum", siwx("Ethereum", testEthAddr, "http://localhost:3000", "0", now), "", 400, "Chain ID"},
		{"wrong header", "solana", msg, sig, 400, "siws: message first line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.signature == "" {
				c.signature = ethSign(t, c.message)
			}
			var e map[string]any
			resp := call(t, "POST", tokenURL, "", map[string]string{"chain": c.chain, "message": c.message, "signature": c.signature}, &e)
			body := strings.Join([]string{web3Str(e["error_code"]), web3Str(e["msg"]), web3Str(e["error"]), web3Str(e["error_description"])}, " ")
			if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
				t.Errorf("%d %v, want %d %q", resp.StatusCode, e, c.status, c.want)
			}
		})
	}
	if resp := call(t, "GET", ts.URL+"/user", first.AccessToken, nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /user with the web3 session: %d", resp.StatusCode)
	}
}

// web3Str is v when it is a string, else "".
func web3Str(v any) string { s, _ := v.(string); return s }
