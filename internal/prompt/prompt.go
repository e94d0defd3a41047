// Package prompt asks the person at the terminal for what the flags did not
// give, and refuses cleanly when nobody is there.
//
// Commands depend on the Prompter interface only and get one of three
// implementations from the Factory:
//
//   - New: huh forms on a terminal (masked passwords, inline validation,
//     huh's accessible line-by-line mode when ACCESSIBLE is set).
//   - NoPrompt: no terminal, --no-input or AUTHCTL_NO_INPUT=1. Every call
//     fails with a *MissingInputError naming the flag that would have
//     supplied the answer; the CLI maps it to exit 2.
//   - Stub: scripted answers for command tests.
//
// # Naming the flag
//
// A command asks only for what its flags left empty:
//
//	if opts.Email == "" {
//		opts.Email, err = p.Input("Email", "you@example.com", nil)
//	}
//
// With no terminal this fails with "--email is required when not running
// interactively". Input and Password derive the flag from the title (lower
// case, words joined by hyphens: "Friendly name" → --friendly-name). When the
// flag differs from the title, say so with Flag, which tucks the flag name
// into the title; every Prompter shows only the title part:
//
//	pw, err := p.Password(prompt.Flag("password-stdin", "Password"), nil)
//
// Select and Confirm name a flag only through Flag (their titles are
// questions, not flag names); without one the refusal names the question.
//
// # Interruption
//
// Ctrl-C (and end of input) returns ErrInterrupted, which the CLI maps to
// exit 130. Nothing here touches the terminal before a prompt is shown.
package prompt

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Prompter asks questions. Each method returns ErrInterrupted when the
// person gives up, and *MissingInputError when nobody can be asked.
type Prompter interface {
	// Input asks for a line of text; validate (may be nil) is checked
	// inline, so only a valid answer comes back.
	Input(title, placeholder string, validate func(string) error) (string, error)
	// Password asks for a secret without echoing it.
	Password(title string, validate func(string) error) (string, error)
	// Select asks to choose one of options and returns its index.
	Select(title string, options []string) (int, error)
	// Confirm asks a yes/no question; def is the answer Enter gives.
	Confirm(title string, def bool) (bool, error)
}

// ErrInterrupted reports that the person pressed Ctrl-C or closed the input.
var ErrInterrupted = errors.New("interrupted")

// MissingInputError is the refusal of a NoPrompt prompter: an answer was
// needed and nobody could be asked.
type MissingInputError struct {
	Flag   string // flag without dashes that supplies the answer; "" if none
	Title  string // the question that could not be asked
	Reason string // when clause; "when not running interactively" by default
}

func (e *MissingInputError) Error() string {
	reason := e.Reason
	if reason == "" {
		reason = "when not running interactively"
	}
	if e.Flag != "" {
		return fmt.Sprintf("--%s is required %s", e.Flag, reason)
	}
	return fmt.Sprintf("%q needs an answer, which cannot be asked %s", e.Title, reason)
}

// flagSep separates the flag Flag tucks into a title. The ASCII unit
// separator never occurs in a real title.
const flagSep = "\x1f"

// Flag returns title marked with the flag (without dashes) that supplies
// the answer, for the refusal message when prompting is impossible.
func Flag(flag, title string) string { return title + flagSep + flag }

// SplitTitle separates a title made by Flag into the text to show and the
// flag name (empty when none was given).
func SplitTitle(s string) (title, flag string) {
	title, flag, _ = strings.Cut(s, flagSep)
	return title, flag
}

// flagFromTitle derives a flag name from a label: "Friendly name" →
// "friendly-name". Anything that is not a letter or digit separates words.
func flagFromTitle(title string) string {
	words := strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(words, "-")
}

// noValidation stands in for a nil validate function.
func noValidation(string) error { return nil }
