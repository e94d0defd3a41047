package prompt

import (
	"errors"
	"testing"
)

// Compile-time checks: every implementation is a Prompter.
var (
	_ Prompter = (*Huh)(nil)
	_ Prompter = (*Refuser)(nil)
	_ Prompter = (*Stub)(nil)
)

func TestNoPromptNamesTheFlag(t *testing.T) {
	p := NoPrompt()
	tests := []struct {
		name string
		call func() error
		flag string
		msg  string
	}{
		{"input from title", func() error { _, err := p.Input("Email", "", nil); return err },
			"email", "--email is required when not running interactively"},
		{"multi-word title", func() error { _, err := p.Input("Friendly name", "", nil); return err },
			"friendly-name", "--friendly-name is required when not running interactively"},
		{"explicit flag", func() error { _, err := p.Password(Flag("password-stdin", "Password"), nil); return err },
			"password-stdin", "--password-stdin is required when not running interactively"},
		{"confirm with flag", func() error { _, err := p.Confirm(Flag("yes", "Delete user u1?"), false); return err },
			"yes", "--yes is required when not running interactively"},
		{"select without flag", func() error { _, err := p.Select("Sign in with", []string{"a"}); return err },
			"", `"Sign in with" needs an answer, which cannot be asked when not running interactively`},
	}
	for _, tt := range tests {
		err := tt.call()
		var mi *MissingInputError
		if !errors.As(err, &mi) {
			t.Fatalf("%s: got %v (%T), want *MissingInputError", tt.name, err, err)
		}
		if mi.Flag != tt.flag || err.Error() != tt.msg {
			t.Errorf("%s: flag %q, message %q; want %q, %q", tt.name, mi.Flag, err.Error(), tt.flag, tt.msg)
		}
	}
}

func TestRefuserReason(t *testing.T) {
	p := &Refuser{Reason: "with --no-input"}
	_, err := p.Input("Phone", "", nil)
	if err == nil || err.Error() != "--phone is required with --no-input" {
		t.Errorf("got %v", err)
	}
	if ok, err := p.Confirm("Really?", true); ok || err == nil {
		t.Error("a refused confirmation must not be consent")
	}
}

func TestSplitTitle(t *testing.T) {
	if title, flag := SplitTitle(Flag("code", "TOTP code")); title != "TOTP code" || flag != "code" {
		t.Errorf("got %q, %q", title, flag)
	}
	if title, flag := SplitTitle("Email"); title != "Email" || flag != "" {
		t.Errorf("got %q, %q", title, flag)
	}
}

func TestStub(t *testing.T) {
	s := NewStub(Text("a@example.com"), Text("pw"), ChoiceOf("GitHub"), Choice(0), Yes(), Fail(ErrInterrupted))
	var p Prompter = s
	if v, err := p.Input("Email", "you@example.com", requireAt); err != nil || v != "a@example.com" {
		t.Fatalf("Input: %q, %v", v, err)
	}
	if v, err := p.Password(Flag("password-stdin", "Password"), nil); err != nil || v != "pw" {
		t.Fatalf("Password: %q, %v", v, err)
	}
	if i, err := p.Select("Provider", []string{"Google", "GitHub"}); err != nil || i != 1 {
		t.Fatalf("Select by label: %d, %v", i, err)
	}
	if i, err := p.Select("Factor", []string{"totp"}); err != nil || i != 0 {
		t.Fatalf("Select by index: %d, %v", i, err)
	}
	if ok, err := p.Confirm("Continue?", false); err != nil || !ok {
		t.Fatalf("Confirm: %v, %v", ok, err)
	}
	if _, err := p.Input("Code", "", nil); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Fail: %v", err)
	}
	if _, err := p.Input("Extra", "", nil); err == nil {
		t.Fatal("question beyond the script must fail")
	}
	if err := s.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
	asked := s.Asked()
	if len(asked) != 7 {
		t.Fatalf("recorded %d questions, want 7", len(asked))
	}
	if q := asked[1]; q.Kind != "password" || q.Title != "Password" || q.Flag != "password-stdin" {
		t.Errorf("password question recorded as %+v", q)
	}
	if q := asked[0]; q.Placeholder != "you@example.com" {
		t.Errorf("placeholder not recorded: %+v", q)
	}
	if q := asked[2]; len(q.Options) != 2 {
		t.Errorf("options not recorded: %+v", q)
	}
}

func TestStubMismatches(t *testing.T) {
	if _, err := NewStub(Text("bob")).Input("Email", "", requireAt); err == nil {
		t.Error("an answer failing validation must be an error")
	}
	if _, err := NewStub(Yes()).Input("Email", "", nil); err == nil {
		t.Error("a yes/no answer to an input must be an error")
	}
	if _, err := NewStub(Text("x")).Confirm("Ok?", true); err == nil {
		t.Error("a text answer to a confirm must be an error")
	}
	if _, err := NewStub(ChoiceOf("Nope")).Select("P", []string{"a"}); err == nil {
		t.Error("an unknown option must be an error")
	}
	if err := NewStub(Yes()).Verify(); err == nil {
		t.Error("Verify must report unused answers")
	}
}
