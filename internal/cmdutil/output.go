package cmdutil

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/authctl/authctl/internal/render"
)

// Printer is what a command's human rendering writes with.
type Printer struct {
	Out   io.Writer
	CS    *render.ColorScheme
	IsTTY bool
	Width int
	Now   time.Time
}

// WantsJSON reports whether --json or --jq asked for machine output.
func (f *Factory) WantsJSON() bool { return f.Flags.JSON || f.Flags.JQ != "" }

// Print renders a command's result: the JSON document (filtered by --jq) when
// machine output was asked for, the human rendering otherwise. Results go to
// stdout; messages go to stderr through Warnf/Infof.
func (f *Factory) Print(v any, human func(*Printer) error) error {
	if f.WantsJSON() {
		return f.PrintJSON(v)
	}
	return human(f.Printer())
}

// PrintJSON writes v as one JSON document, filtered by --jq. A --jq
// expression that does not compile is a usage error; one that fails on this
// document is a plain error.
func (f *Factory) PrintJSON(v any) error {
	ios := f.IOStreams
	err := render.JSON(ios.Out, v, render.JSONOptions{JQ: f.Flags.JQ, Pretty: true, Color: ios.ColorEnabled()})
	var jqErr *render.JQError
	if errors.As(err, &jqErr) && !jqErr.Runtime {
		return FlagErrorWrap(err)
	}
	return err
}

// Printer returns the human renderer for stdout.
func (f *Factory) Printer() *Printer {
	ios := f.IOStreams
	return &Printer{Out: ios.Out, CS: render.NewColorScheme(ios.ColorEnabled()), IsTTY: ios.IsStdoutTTY(),
		Width: ios.TerminalWidth(), Now: f.Now()}
}

// Infof writes a message for the person at the terminal to stderr; it is
// dropped when stderr is not a terminal or machine output was asked for, so
// scripts see only results.
func (f *Factory) Infof(format string, args ...any) {
	if f.WantsJSON() || !f.IOStreams.IsStderrTTY() {
		return
	}
	cs := render.NewColorScheme(f.IOStreams.ColorEnabled())
	fmt.Fprintf(f.IOStreams.ErrOut, cs.Green(cs.SuccessIcon())+" "+format+"\n", args...)
}

// Warnf writes a warning to stderr, always: warnings matter in CI logs too.
func (f *Factory) Warnf(format string, args ...any) {
	cs := render.NewColorScheme(f.IOStreams.ColorEnabled())
	fmt.Fprintf(f.IOStreams.ErrOut, cs.Yellow("warning:")+" "+format+"\n", args...)
}
