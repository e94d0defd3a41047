package cmdutil

import (
	"errors"
	"testing"

	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/prompt"
)

func TestConfirmDestructive(t *testing.T) {
	lookup := errors.New("lookup failed")
	cases := []struct {
		name     string
		tty, yes bool
		answer   *prompt.Answer
		lookup   error
		wantCode int
		asked    bool // the question was built (its lookup made)
	}{
		{name: "--yes", yes: true, wantCode: ExitOK},
		{name: "--yes on a terminal", tty: true, yes: true, wantCode: ExitOK},
		{name: "no terminal", wantCode: ExitUsage},
		{name: "terminal, yes", tty: true, answer: ptr(prompt.Yes()), wantCode: ExitOK, asked: true},
		{name: "terminal, no", tty: true, answer: ptr(prompt.No()), wantCode: ExitError, asked: true},
		{name: "terminal, Ctrl-C", tty: true, answer: ptr(prompt.Fail(prompt.ErrInterrupted)), wantCode: ExitInterrupted, asked: true},
		{name: "lookup fails", tty: true, lookup: lookup, wantCode: ExitError, asked: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.SetStdinTTY(c.tty)
			ios.SetStdoutTTY(c.tty)
			var answers []prompt.Answer
			if c.answer != nil {
				answers = append(answers, *c.answer)
			}
			stub := prompt.NewStub(answers...)
			f := &Factory{IOStreams: ios, Prompter: func() prompt.Prompter { return stub }}
			built := false
			err := ConfirmDestructive(f, c.yes, func() (string, error) { built = true; return "Delete it?", c.lookup })
			if got := ExitCode(err); got != c.wantCode {
				t.Fatalf("exit %d (%v), want %d", got, err, c.wantCode)
			}
			if built != c.asked {
				t.Errorf("question built: %v, want %v", built, c.asked)
			}
			if c.wantCode == ExitUsage && err.Error() != "--yes is required when not running interactively" {
				t.Errorf("message %q", err)
			}
			if c.lookup != nil && !errors.Is(err, lookup) {
				t.Errorf("error %v, want the lookup's", err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
