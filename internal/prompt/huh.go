package prompt

import (
	"errors"
	"fmt"
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/authctl/authctl/internal/termbg"
)

// Huh is the Prompter for a person at a terminal, built on huh forms.
type Huh struct {
	in         io.Reader
	out        io.Writer
	accessible bool
}

// Option configures New.
type Option func(*Huh)

// WithAccessible overrides the ACCESSIBLE environment variable: accessible
// mode asks line by line in plain text, for screen readers.
func WithAccessible(on bool) Option { return func(h *Huh) { h.accessible = on } }

// New returns a huh-backed Prompter reading from in and drawing on out
// (normally the terminal's stdin and stdout). Accessible mode is on when the
// ACCESSIBLE environment variable is set, read through getenv (the
// IOStreams' own, so tests need not touch the process environment).
func New(in io.Reader, out io.Writer, getenv func(string) string, opts ...Option) *Huh {
	h := &Huh{in: in, out: out, accessible: getenv("ACCESSIBLE") != ""}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Input asks for a line of text, re-asking until validate accepts it.
func (h *Huh) Input(title, placeholder string, validate func(string) error) (string, error) {
	return h.text(title, placeholder, validate, false)
}

// Password asks for a secret, masked as it is typed.
func (h *Huh) Password(title string, validate func(string) error) (string, error) {
	return h.text(title, "", validate, true)
}

func (h *Huh) text(title, placeholder string, validate func(string) error, secret bool) (string, error) {
	title, _ = SplitTitle(title)
	if validate == nil {
		validate = noValidation
	}
	var v string
	// Inline: the title and the answer share one line, which leaves room
	// above for what the question is about (e.g. a QR code on 24 rows).
	f := huh.NewInput().Title(title).Inline(true).Prompt(": ").Placeholder(placeholder).Validate(validate).Value(&v)
	if secret {
		f = f.EchoMode(huh.EchoModePassword)
	}
	if h.accessible {
		r := h.reader(secret)
		if err := f.RunAccessible(h.out, r); err != nil {
			return "", mapErr(err)
		}
		// huh's line reader returns "" at end of input without validating;
		// treat that as giving up, not as an answer.
		if r.gaveUp() || validate(v) != nil {
			return "", ErrInterrupted
		}
		return v, nil
	}
	if err := h.run(f); err != nil {
		return "", err
	}
	if secret {
		h.echo(title, "********")
	} else {
		h.echo(title, v)
	}
	return v, nil
}

// Select asks to choose one option and returns its index.
func (h *Huh) Select(title string, options []string) (int, error) {
	title, _ = SplitTitle(title)
	if len(options) == 0 {
		return -1, fmt.Errorf("prompt %q has no options", title)
	}
	opts := make([]huh.Option[int], len(options))
	for i, o := range options {
		opts[i] = huh.NewOption(o, i)
	}
	var idx int
	f := huh.NewSelect[int]().Title(title).Options(opts...).Value(&idx)
	if h.accessible {
		r := h.reader(false)
		if err := f.RunAccessible(h.out, r); err != nil {
			return -1, mapErr(err)
		}
		if r.gaveUp() {
			return -1, ErrInterrupted
		}
		return idx, nil
	}
	if err := h.run(f); err != nil {
		return -1, err
	}
	h.echo(title, options[idx])
	return idx, nil
}

// Confirm asks a yes/no question.
func (h *Huh) Confirm(title string, def bool) (bool, error) {
	title, _ = SplitTitle(title)
	v := def
	f := huh.NewConfirm().Title(title).Value(&v)
	if h.accessible {
		r := h.reader(false)
		if err := f.RunAccessible(h.out, r); err != nil {
			return false, mapErr(err)
		}
		if r.gaveUp() {
			return false, ErrInterrupted
		}
		return v, nil
	}
	if err := h.run(f); err != nil {
		return false, err
	}
	h.echo(title, map[bool]string{true: "Yes", false: "No"}[v])
	return v, nil
}

// run shows one field as a form on the terminal.
func (h *Huh) run(f huh.Field) error {
	termbg.Detect()
	form := huh.NewForm(huh.NewGroup(f)).WithInput(h.in).WithOutput(h.out).WithShowHelp(false)
	return mapErr(form.Run())
}

// echo leaves the answered question on screen: a huh form erases itself
// when it ends, and the person should still see what was chosen (like gh).
// Passwords are shown as a fixed mask that reveals nothing, not even length.
func (h *Huh) echo(title, answer string) {
	fmt.Fprintf(h.out, "%s %s\n", title, answer)
}

// mapErr turns huh's ways of saying "the person gave up" into ErrInterrupted.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, huh.ErrUserAborted), errors.Is(err, tea.ErrInterrupted), errors.Is(err, io.EOF):
		return ErrInterrupted
	}
	return err
}
