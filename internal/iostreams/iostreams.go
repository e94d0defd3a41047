// Package iostreams gives commands their standard streams together with what
// they need to know about them: whether each is a terminal, whether a person
// can be prompted, whether colour is wanted and how wide the terminal is.
//
// Detection is lazy and cached: nothing here touches the terminal until a
// command asks, so `authctl --help` and `authctl token` pay nothing for it.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"

	"golang.org/x/term"
)

// IOStreams holds the three standard streams and facts about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	getenv func(string) string

	mu          sync.Mutex
	stdinTTY    *bool
	stdoutTTY   *bool
	stderrTTY   *bool
	neverPrompt bool
	width       int
	height      int
}

// System returns the process's real streams.
func System() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, getenv: os.Getenv}
}

// Test returns streams backed by buffers, none of them a terminal, for tests.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	f := false
	ios = &IOStreams{In: in, Out: out, ErrOut: errOut, getenv: func(string) string { return "" },
		stdinTTY: &f, stdoutTTY: &f, stderrTTY: &f}
	return ios, in, out, errOut
}

func isTerminal(s any) bool {
	f, ok := s.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

func (s *IOStreams) cached(p **bool, stream any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *p == nil {
		v := isTerminal(stream)
		*p = &v
	}
	return **p
}

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.cached(&s.stdinTTY, s.In) }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.cached(&s.stdoutTTY, s.Out) }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.cached(&s.stderrTTY, s.ErrOut) }

// SetStdinTTY overrides detection, as SetStdoutTTY and SetStderrTTY do (for
// tests, and tests that simulate a person at a terminal).
func (s *IOStreams) SetStdinTTY(v bool)  { s.set(&s.stdinTTY, v) }
func (s *IOStreams) SetStdoutTTY(v bool) { s.set(&s.stdoutTTY, v) }
func (s *IOStreams) SetStderrTTY(v bool) { s.set(&s.stderrTTY, v) }

func (s *IOStreams) set(p **bool, v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*p = &v
}

// SetNeverPrompt forbids prompting (--no-input, AUTHCTL_NO_INPUT=1).
func (s *IOStreams) SetNeverPrompt(v bool) { s.mu.Lock(); s.neverPrompt = v; s.mu.Unlock() }

// CanPrompt reports whether a person can be asked: prompting is allowed and
// both stdin and stdout are terminals.
func (s *IOStreams) CanPrompt() bool {
	s.mu.Lock()
	never := s.neverPrompt
	s.mu.Unlock()
	return !never && s.IsStdinTTY() && s.IsStdoutTTY()
}

// Getenv reads the environment the streams were made with.
func (s *IOStreams) Getenv(key string) string { return s.getenv(key) }

// WithGetenv returns streams that share s's streams and what is known about
// them but read another environment: commands that act on a named profile
// hide the variables that would override it.
func (s *IOStreams) WithGetenv(getenv func(string) string) *IOStreams {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &IOStreams{In: s.In, Out: s.Out, ErrOut: s.ErrOut, getenv: getenv, stdinTTY: s.stdinTTY,
		stdoutTTY: s.stdoutTTY, stderrTTY: s.stderrTTY, neverPrompt: s.neverPrompt, width: s.width}
}

// SetGetenv replaces the environment, for tests (Test's is empty).
func (s *IOStreams) SetGetenv(getenv func(string) string) { s.getenv = getenv }

// ColorEnabled reports whether stdout should be coloured: a terminal, no
// NO_COLOR, no TERM=dumb; CLICOLOR_FORCE forces it on.
func (s *IOStreams) ColorEnabled() bool {
	if v := s.getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if s.getenv("NO_COLOR") != "" || s.getenv("TERM") == "dumb" {
		return false
	}
	return s.IsStdoutTTY()
}

// TerminalWidth is the width of the terminal on stdout, COLUMNS when set, or 80.
func (s *IOStreams) TerminalWidth() int {
	w, _ := s.TerminalSize()
	return w
}

// TerminalSize is the size of the terminal on stdout: COLUMNS and LINES
// when set, else what the terminal says, else 80×24.
func (s *IOStreams) TerminalSize() (width, height int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.width > 0 && s.height > 0 {
		return s.width, s.height
	}
	s.width, s.height = 80, 24
	if f, ok := s.Out.(interface{ Fd() uintptr }); ok {
		if w, h, err := term.GetSize(int(f.Fd())); err == nil && w > 0 && h > 0 {
			s.width, s.height = w, h
		}
	}
	if n, err := strconv.Atoi(s.getenv("COLUMNS")); err == nil && n > 0 {
		s.width = n
	}
	if n, err := strconv.Atoi(s.getenv("LINES")); err == nil && n > 0 {
		s.height = n
	}
	return s.width, s.height
}
