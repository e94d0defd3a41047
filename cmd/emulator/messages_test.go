package emulator

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/emulator"
)

// setup runs the command's client against handler (an emulator's, or a
// server that is not one).
func setup(t *testing.T, handler http.HandlerFunc) (*cmdutiltest.Harness, *MessagesOptions) {
	t.Helper()
	h := cmdutiltest.New(t, handler)
	o := &MessagesOptions{F: h.F, Client: h.F.PublicClient, Interval: time.Millisecond,
		Key: func() (cmdutil.Key, error) { return cmdutil.Key{}, nil },
		Target: func() (*cmdutil.Target, error) {
			return &cmdutil.Target{AuthURL: "http://emulator.test", URLSource: "--url"}, nil
		}}
	return h, o
}

func newEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	cfg := emulator.DefaultConfig()
	cfg.PasswordCost = 4
	emu, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return emu
}

// sendOTP has the emulator "email" a code to addr, through the harness's
// client as an app would.
func sendOTP(t *testing.T, h *cmdutiltest.Harness, addr string) {
	t.Helper()
	if _, err := h.Client.SignInWithOTP(context.Background(), auth.OTPCredentials{Email: addr}); err != nil {
		t.Fatal(err)
	}
}

func TestMessagesJSONAndFilter(t *testing.T) {
	h, o := setup(t, newEmulator(t).Handler().ServeHTTP)
	sendOTP(t, h, "a@example.com")
	sendOTP(t, h, "b@example.com")
	h.F.Flags.JSON = true
	o.To = "B@example.com"
	if err := runMessages(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	var msgs []Message
	if err := json.Unmarshal(h.Stdout.Bytes(), &msgs); err != nil {
		t.Fatalf("%v\n%s", err, h.Stdout)
	}
	if len(msgs) != 1 || msgs[0].To != "b@example.com" || len(msgs[0].OTP) != 6 || !strings.Contains(msgs[0].ActionLink, "/verify?token=") {
		t.Fatalf("messages: %+v", msgs)
	}
}

// On an 80-column terminal the table fits: the code is whole, the link is
// left out and the inbox page named instead. In a pipe every field is there.
func TestMessagesTable(t *testing.T) {
	h, o := setup(t, newEmulator(t).Handler().ServeHTTP)
	sendOTP(t, h, "a-rather-long-address-for-the-table@example.com")
	h.F.IOStreams.SetStdoutTTY(true)
	h.F.IOStreams.SetStderrTTY(true)
	if err := runMessages(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(h.Stdout.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "WHEN") || !strings.Contains(lines[0], "CODE") || strings.Contains(lines[0], "LINK") {
		t.Fatalf("table:\n%s", h.Stdout)
	}
	for _, l := range lines {
		if len([]rune(l)) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
	if !strings.Contains(h.Stderr.String(), "http://emulator.test/emulator/inbox") {
		t.Errorf("stderr does not name the inbox: %q", h.Stderr)
	}

	h.Stdout.Reset()
	h.F.IOStreams.SetStdoutTTY(false)
	if err := runMessages(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if f := strings.Split(strings.TrimSpace(h.Stdout.String()), "\t"); len(f) != 5 || !strings.Contains(f[4], "/verify?token=") {
		t.Fatalf("piped: %q", h.Stdout)
	}
}

func TestMessagesNone(t *testing.T) {
	h, o := setup(t, newEmulator(t).Handler().ServeHTTP)
	o.To = "nobody@example.com"
	if err := runMessages(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if got := h.Stdout.String(); got != "No messages to nobody@example.com yet.\n" {
		t.Fatalf("%q", got)
	}
}

// A real server has no /emulator/messages: a usage error naming the URL.
func TestMessagesNotAnEmulator(t *testing.T) {
	_, o := setup(t, http.NotFound)
	err := runMessages(context.Background(), o)
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "http://emulator.test (from --url) is not an authctl emulator") {
		t.Fatalf("exit %d: %v", cmdutil.ExitCode(err), err)
	}
}

// Refused: the hint says which key to give, or that the given one is wrong.
func TestMessagesRefused(t *testing.T) {
	_, o := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":401,"error_code":"no_authorization","msg":"This endpoint requires a valid Bearer token"}`))
	})
	var hinted *cmdutil.HintedError
	err := runMessages(context.Background(), o)
	if !errors.As(err, &hinted) || !strings.Contains(hinted.Hint, "SUPABASE_SERVICE_ROLE_KEY") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Fatalf("no key: %v", err)
	}
	o.Key = func() (cmdutil.Key, error) { return cmdutil.Key{Value: "k", Source: "SUPABASE_SERVICE_ROLE_KEY"}, nil }
	if err := runMessages(context.Background(), o); !errors.As(err, &hinted) || !strings.Contains(hinted.Hint, "key from SUPABASE_SERVICE_ROLE_KEY is not this emulator's") {
		t.Fatalf("wrong key: %v", err)
	}
}

// --follow prints what was there, then each new message as it arrives, and
// ends with nil when interrupted. Waits on lines, not on time.
func TestMessagesFollow(t *testing.T) {
	h, o := setup(t, newEmulator(t).Handler().ServeHTTP)
	sendOTP(t, h, "before@example.com")
	pr, pw := io.Pipe()
	h.F.IOStreams.Out = pw
	h.F.Flags.JSON = true
	o.Follow = true
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runMessages(ctx, o); pw.Close() }()
	lines := bufio.NewScanner(pr)
	next := func() Message {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("output ended: %v", <-done)
		}
		var m Message
		if err := json.Unmarshal(lines.Bytes(), &m); err != nil {
			t.Fatalf("%v: %q", err, lines.Text())
		}
		return m
	}
	if m := next(); m.To != "before@example.com" {
		t.Fatalf("first line: %+v", m)
	}
	sendOTP(t, h, "after@example.com")
	if m := next(); m.To != "after@example.com" || m.OTP == "" {
		t.Fatalf("second line: %+v", m)
	}
	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if err := <-done; err != nil {
		t.Fatalf("after Ctrl-C: %v", err)
	}
}
