package configcmd

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/config"
	"github.com/authctl/authctl/internal/keyring"
)

// harness is a Factory whose configuration lives in one temporary directory
// and whose storage is the harness' memory storage. Nothing reaches a server.
func harness(t *testing.T) *cmdutiltest.Harness {
	t.Helper()
	h := cmdutiltest.New(t, nil)
	dir := t.TempDir()
	h.F.Config = func() (*config.Config, error) { return config.Load(dir) }
	h.F.Storage = func() (auth.Storage, cmdutil.StorageInfo, error) {
		return h.Storage, cmdutil.StorageInfo{Backend: "memory"}, nil
	}
	return h
}

func TestSetGetUnsetList(t *testing.T) {
	h := harness(t)
	h.F.IOStreams.SetStderrTTY(true) // the confirmation is for a person
	ctx := context.Background()
	if err := runSet(ctx, &SetOptions{F: h.F, Key: "flow-type", Value: "pkce"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.Stderr.String(), "Set flow-type for profile") {
		t.Errorf("stderr %q", h.Stderr)
	}
	if err := runGet(ctx, &GetOptions{F: h.F, Key: "flow-type"}); err != nil || h.Stdout.String() != "pkce\n" {
		t.Fatalf("get: %v, stdout %q", err, h.Stdout)
	}
	h.Stdout.Reset()
	h.F.Flags.JSON = true
	if err := runList(ctx, &ListOptions{F: h.F}); err != nil {
		t.Fatal(err)
	}
	var all map[string]string
	if err := json.Unmarshal(h.Stdout.Bytes(), &all); err != nil || all["flow-type"] != "pkce" || all["profile"] == "" {
		t.Fatalf("list --json %s (%v)", h.Stdout, err)
	}
	if err := runUnset(ctx, &UnsetOptions{F: h.F, Key: "flow-type"}); err != nil {
		t.Fatal(err)
	}
	h.Stdout.Reset()
	h.F.Flags.JSON = false
	if err := runGet(ctx, &GetOptions{F: h.F, Key: "flow-type"}); err != nil || h.Stdout.String() != "\n" {
		t.Fatalf("get after unset: %v, stdout %q", err, h.Stdout)
	}
}

func TestInvalidKeyOrValueIsAUsageError(t *testing.T) {
	h := harness(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"unknown key":   runSet(ctx, &SetOptions{F: h.F, Key: "colour", Value: "red"}),
		"invalid value": runSet(ctx, &SetOptions{F: h.F, Key: "flow-type", Value: "magic"}),
		"get unknown":   runGet(ctx, &GetOptions{F: h.F, Key: "colour"}),
	} {
		if code := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
			t.Errorf("%s: exit %d (%v), want 2", name, code, err)
		}
	}
}

func TestSetArgs(t *testing.T) {
	var got *SetOptions
	capture := func(_ context.Context, o *SetOptions) error { got = o; return nil }
	h := harness(t)
	if code := cmdutiltest.Execute(NewCmdSet(h.F, capture), "url", "https://abcd.supabase.co"); code != 0 || got.Value != "https://abcd.supabase.co" {
		t.Fatalf("exit %d, options %+v", code, got)
	}
	if code := cmdutiltest.Execute(NewCmdSet(h.F, capture), "url"); code != cmdutil.ExitUsage {
		t.Errorf("a key without a value: exit %d, want 2", code)
	}
	got = nil
	cmd := NewCmdSet(h.F, capture)
	var stderr strings.Builder
	cmd.SetArgs([]string{ServiceRoleKeyName, "sb_secret_123"})
	cmd.SetOut(io.Discard)
	cmd.SetErr(&stderr)
	err := cmd.ExecuteContext(context.Background())
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || got != nil {
		t.Fatalf("the key as an argument: %v, ran %v", err, got != nil)
	}
	if strings.Contains(err.Error()+stderr.String(), "sb_secret_123") {
		t.Error("the refused key was echoed")
	}
}

func TestServiceRoleKeyIsStoredNeverPrinted(t *testing.T) {
	h := harness(t)
	ctx := context.Background()
	h.Stdin.WriteString("sb_secret_123\n")
	if err := runSet(ctx, &SetOptions{F: h.F, Key: ServiceRoleKeyName}); err != nil {
		t.Fatal(err)
	}
	v, ok, err := h.Storage.GetItem(ctx, keyring.ServiceRoleKeyItem("default"))
	if err != nil || !ok || v != "sb_secret_123" {
		t.Fatalf("stored %q %v %v", v, ok, err)
	}
	if err := runGet(ctx, &GetOptions{F: h.F, Key: ServiceRoleKeyName}); err != nil {
		t.Fatal(err)
	}
	if out := h.Stdout.String(); out != "set\n" {
		t.Errorf("get prints %q, want only whether it is set", out)
	}
	if err := runUnset(ctx, &UnsetOptions{F: h.F, Key: ServiceRoleKeyName}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := h.Storage.GetItem(ctx, keyring.ServiceRoleKeyItem("default")); ok {
		t.Error("unset left the key stored")
	}
}
