// Package termbg keeps authctl's start-up free of terminal queries.
//
// bubbletea v1, which huh draws its prompts with, asks the terminal for its
// background colour in its package init (OSC 11, then a cursor-position report
// to bound the wait) so that lipgloss can pick adaptive colours. That init runs
// on every authctl start, prompt or not: on a terminal that answers it costs a
// round trip (one network RTT over SSH); on a pty where nothing answers
// (script(1), `docker run -t`, some CI and IDE consoles) it blocks for
// termenv's 5 s timeout and leaves the escape sequences in the output.
//
// This package settles the answer before bubbletea's init can ask, and asks
// the terminal only when a prompt is about to be drawn, which is when huh's
// colours matter. It relies on the initialization order the Go specification
// gives (since Go 1.21): of the packages whose imports are all initialized,
// the one with the lexically smallest import path goes first. termbg imports
// lipgloss, as bubbletea does, and "github.com/authctl/" sorts before
// "github.com/charmbracelet/", so this init runs first. The end-to-end test
// TestStartupAsksTheTerminalNothing fails if that ever stops being true.
package termbg

import (
	"os"
	"sync"

	"github.com/charmbracelet/lipgloss"
)

func init() {
	// Dark is lipgloss's own answer when a terminal does not say.
	lipgloss.SetHasDarkBackground(true)
}

var detected sync.Once

// Detect asks the terminal on stdout for its background colour, once, and
// hands the answer to lipgloss. Call it just before drawing a prompt.
func Detect() {
	detected.Do(func() {
		lipgloss.SetHasDarkBackground(lipgloss.NewRenderer(os.Stdout).HasDarkBackground())
	})
}
