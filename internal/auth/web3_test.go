package auth

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestWeb3MessageFormat(t *testing.T) {
	at := time.Date(2026, 11, 22, 12, 0, 0, 0, time.FixedZone("x", 3600))
	m := Web3Message{Chain: "ethereum", Address: "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23",
		Statement: "Sign in to authctl", URI: "https://app.example.com/login", Nonce: "abcdefgh12345678",
		IssuedAt: at, ExpirationTime: at.Add(5 * time.Minute)}
	got, err := m.String()
	if err != nil {
		t.Fatal(err)
	}
	want := "app.example.com wants you to sign in with your Ethereum account:\n" +
		"0x2c7536E3605D9C16a7a3D7b1898e529396a65c23\n\nSign in to authctl\n\n" +
		"URI: https://app.example.com/login\nVersion: 1\nChain ID: 1\nNonce: abcdefgh12345678\n" +
		"Issued At: 2026-11-22T11:00:00Z\nExpiration Time: 2026-11-22T11:05:00Z"
	if got != want {
		t.Errorf("message\n%s\nwant\n%s", got, want)
	}
	s := Web3Message{Chain: "solana", Address: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T", URI: "http://localhost:3000", IssuedAt: at}
	got, err = s.String()
	if err != nil {
		t.Fatal(err)
	}
	want = "localhost:3000 wants you to sign in with your Solana account:\n4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T\n\n\n" +
		"URI: http://localhost:3000\nVersion: 1\nNonce: " + s.Nonce + "\nIssued At: 2026-11-22T11:00:00Z"
	if got != want || len(s.Nonce) != 16 {
		t.Errorf("message\n%q\nwant\n%q", got, want)
	}
	for _, bad := range []Web3Message{{Chain: "bitcoin", URI: "https://x.test"}, {Chain: "solana", URI: "/relative"},
		{Chain: "solana", URI: "https://x.test", Statement: "two\nlines"}} {
		if _, err := bad.String(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestSignInWithWeb3PostsChainMessageSignature(t *testing.T) {
	var body map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/token" || r.URL.Query().Get("grant_type") != "web3" {
			t.Errorf("request %s", r.URL)
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(422)
		_, _ = w.Write([]byte(`{"code":"web3_provider_disabled","message":"Web3 provider is disabled"}`))
	}))
	defer srv.Close()
	opts := DefaultOptions()
	opts.URL = srv.URL
	opts.Storage = NewMemoryStorage()
	opts.AutoRefreshToken = false
	c, err := NewClient(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.SignInWithWeb3(context.Background(), Web3Credentials{Chain: "solana", Message: "m", Signature: "s"})
	if ErrorCode(err) != "web3_provider_disabled" {
		t.Errorf("error %v, want web3_provider_disabled", err)
	}
	if body["chain"] != "solana" || body["message"] != "m" || body["signature"] != "s" {
		t.Errorf("body %v", body)
	}
	if _, err := c.SignInWithWeb3(context.Background(), Web3Credentials{Chain: "bitcoin", Message: "m", Signature: "s"}); err == nil {
		t.Error("bitcoin accepted")
	}
}
