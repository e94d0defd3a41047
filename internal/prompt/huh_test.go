package prompt

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func requireAt(s string) error {
	if !strings.Contains(s, "@") {
		return errors.New("enter an email address")
	}
	return nil
}

func accessible(in string) (*Huh, *bytes.Buffer) {
	var out bytes.Buffer
	return New(strings.NewReader(in), &out, noEnv, WithAccessible(true)), &out
}

func TestAccessibleInputValidatesInline(t *testing.T) {
	h, out := accessible("\nbob\nalice@example.com\n")
	got, err := h.Input("Email", "you@example.com", requireAt)
	if err != nil || got != "alice@example.com" {
		t.Fatalf("got %q, %v", got, err)
	}
	if n := strings.Count(out.String(), "enter an email address"); n != 2 {
		t.Errorf("validation message shown %d times, want 2:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "Email") {
		t.Errorf("title not shown: %q", out.String())
	}
}

func TestAccessibleShowsTitleWithoutFlagMarker(t *testing.T) {
	h, out := accessible("123456\n")
	if _, err := h.Input(Flag("code", "Verification code"), "", nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), flagSep) || strings.Contains(out.String(), "code\x1f") {
		t.Errorf("flag marker leaked into the prompt: %q", out.String())
	}
}

func TestAccessibleEndOfInputIsInterrupted(t *testing.T) {
	h, _ := accessible("")
	if _, err := h.Input("Email", "", nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Input: got %v, want ErrInterrupted", err)
	}
	h, _ = accessible("bob") // an invalid partial answer, then EOF
	if _, err := h.Input("Email", "", requireAt); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Input after invalid text: got %v", err)
	}
	h, _ = accessible("")
	if _, err := h.Select("Method", []string{"a", "b"}); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Select: got %v", err)
	}
	h, _ = accessible("")
	if _, err := h.Confirm("Delete?", true); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Confirm: got %v (a closed input must not confirm)", err)
	}
}

func TestAccessibleSelectAndConfirm(t *testing.T) {
	h, out := accessible("2\n")
	i, err := h.Select("Sign in with", []string{"Password", "Magic link", "GitHub"})
	if err != nil || i != 1 {
		t.Fatalf("Select: %d, %v", i, err)
	}
	if !strings.Contains(out.String(), "2. Magic link") {
		t.Errorf("options not listed: %q", out.String())
	}
	for in, want := range map[string]bool{"y\n": true, "n\n": false, "\n": true} {
		h, _ := accessible(in)
		if got, err := h.Confirm("Continue?", true); err != nil || got != want {
			t.Errorf("Confirm(%q): %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := New(nil, io.Discard, noEnv).Select("x", nil); err == nil {
		t.Error("Select with no options must fail")
	}
}

func TestAccessiblePasswordNeedsTerminal(t *testing.T) {
	h, _ := accessible("hunter2\n")
	// Reading a password with echo off needs a terminal; a plain reader
	// must give an error, never an empty "password".
	if pw, err := h.Password("Password", nil); err == nil {
		t.Fatalf("got %q without a terminal", pw)
	}
}

func TestNewReadsACCESSIBLE(t *testing.T) {
	accessible := func(k string) string {
		if k == "ACCESSIBLE" {
			return "1"
		}
		return ""
	}
	if !New(nil, io.Discard, accessible).accessible {
		t.Error("ACCESSIBLE=1 ignored")
	}
	if New(nil, io.Discard, accessible, WithAccessible(false)).accessible {
		t.Error("WithAccessible(false) ignored")
	}
	if New(nil, io.Discard, noEnv).accessible {
		t.Error("accessible without ACCESSIBLE")
	}
}

// noEnv is an empty environment.
func noEnv(string) string { return "" }

// keys feeds keystrokes to a full-screen huh form one at a time, as a
// terminal would, so the form has rendered before the next key arrives.
func keys(ks ...string) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		for _, k := range ks {
			time.Sleep(20 * time.Millisecond)
			if _, err := pw.Write([]byte(k)); err != nil {
				return
			}
		}
		// Leave the pipe open: a closed stdin is not how a form ends.
	}()
	return pr
}

func TestFormInputAndPassword(t *testing.T) {
	var out bytes.Buffer
	h := New(keys("alice@example.com", "\r"), &out, noEnv, WithAccessible(false))
	got, err := h.Input("Email", "", requireAt)
	if err != nil || got != "alice@example.com" {
		t.Fatalf("Input: %q, %v", got, err)
	}
	if !strings.HasSuffix(out.String(), "Email alice@example.com\n") {
		t.Errorf("answer not left on screen: %q", out.String()[max(0, out.Len()-80):])
	}

	out.Reset()
	h = New(keys("s3cret-pw", "\r"), &out, noEnv, WithAccessible(false))
	pw, err := h.Password("Password", nil)
	if err != nil || pw != "s3cret-pw" {
		t.Fatalf("Password: %q, %v", pw, err)
	}
	if strings.Contains(out.String(), "s3cret") {
		t.Error("password echoed on the terminal")
	}
	if !strings.HasSuffix(out.String(), "Password ********\n") {
		t.Errorf("answered password not summarised with a fixed mask: %q", out.String())
	}
}

func TestFormCtrlCIsInterrupted(t *testing.T) {
	h := New(keys("al", "\x03"), io.Discard, noEnv, WithAccessible(false))
	if _, err := h.Input("Email", "", nil); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Input: got %v, want ErrInterrupted", err)
	}
	h = New(keys("\x03"), io.Discard, noEnv, WithAccessible(false))
	if _, err := h.Confirm("Delete?", true); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Confirm: got %v, want ErrInterrupted", err)
	}
}

func TestFormSelect(t *testing.T) {
	// Down arrow twice, then Enter.
	h := New(keys("\x1b[B", "\x1b[B", "\r"), io.Discard, noEnv, WithAccessible(false))
	i, err := h.Select("Sign in with", []string{"Password", "Magic link", "GitHub"})
	if err != nil || i != 2 {
		t.Errorf("got %d, %v; want 2", i, err)
	}
}
