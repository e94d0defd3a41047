package login

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/emulator"
)

const web3EthKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318\n"

func web3Harness(t *testing.T, enabled bool) *cmdutiltest.Harness {
	t.Helper()
	cfg := emulator.DefaultConfig()
	cfg.Web3 = enabled
	cfg.Now = func() time.Time { return cmdutiltest.Now }
	cfg.Logf = func(string, ...any) {}
	emu, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cmdutiltest.New(t, emu.Handler().ServeHTTP)
}

func web3KeyFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func solanaKeypairJSON() string {
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	nums := make([]int, len(key))
	for i, b := range key {
		nums[i] = int(b)
	}
	j, _ := json.Marshal(nums)
	return string(j)
}

func TestWeb3SignsInOnBothChains(t *testing.T) {
	for chain, key := range map[string]string{"ethereum": web3EthKey, "solana": solanaKeypairJSON()} {
		t.Run(chain, func(t *testing.T) {
			h := web3Harness(t, true)
			h.F.Flags.JSON = true
			o := &Web3Options{F: h.F, Client: h.F.Client, Chain: chain, KeyFile: web3KeyFile(t, key),
				URI: "http://localhost:3000", Statement: "authctl test"}
			if err := o.validate(); err != nil {
				t.Fatal(err)
			}
			if err := runWeb3(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			if s := h.Stored(t); s == nil || s.User.AppMetadata["provider"] != "web3" {
				t.Fatalf("stored session %+v", s)
			}
			if strings.Contains(h.Stdout.String()+h.Stderr.String(), strings.TrimSpace(strings.TrimPrefix(web3EthKey, "0x"))) {
				t.Error("the key was printed")
			}
		})
	}
}

func TestWeb3Errors(t *testing.T) {
	h := web3Harness(t, false)
	o := &Web3Options{F: h.F, Client: h.F.Client, Chain: "ethereum", KeyFile: web3KeyFile(t, web3EthKey), URI: "http://localhost:3000"}
	if err := runWeb3(context.Background(), o); cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("disabled provider: %v", err)
	}
	for name, o := range map[string]*Web3Options{
		"no chain":      {KeyFile: "k", URI: "http://localhost"},
		"bad chain":     {Chain: "bitcoin", KeyFile: "k", URI: "http://localhost"},
		"no key":        {Chain: "solana", URI: "http://localhost"},
		"relative uri":  {Chain: "solana", KeyFile: "k", URI: "/x"},
		"solana net":    {Chain: "solana", KeyFile: "k", URI: "http://localhost", ChainID: "moonnet"},
		"two-line stmt": {Chain: "solana", KeyFile: "k", URI: "http://localhost", Statement: "a\nb"},
	} {
		if err := o.validate(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}
	o.KeyFile = web3KeyFile(t, "not a key")
	if err := runWeb3(context.Background(), o); cmdutil.ExitCode(err) != cmdutil.ExitUsage || strings.Contains(err.Error(), "not a key") {
		t.Errorf("bad key file: %v", err)
	}
}
