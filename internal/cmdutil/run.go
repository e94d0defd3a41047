package cmdutil

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
)

// Run is the tail of every command's RunE: it calls runF, the hook a test
// passes to NewCmdX to capture the Options the flags produced, and the
// command's own run function otherwise.
func Run[O any](ctx context.Context, opts *O, runF, run func(context.Context, *O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return run(ctx, opts)
}

// RunE is the RunE of a leaf command whose flags need no check beyond their
// types: it stores the positional arguments in the Options fields args
// points to, in order, and then calls Run.
//
// The fields are passed as pointers rather than read back by a callback so
// that the binding stays one line that names the fields, typed by the
// compiler: `RunE: cmdutil.RunE(opts, runF, runGet, &opts.ID)`. A missing
// optional argument leaves its field as the flags left it; the command's
// Args rule has already refused too few or too many.
func RunE[O any](opts *O, runF, run func(context.Context, *O) error, args ...*string) func(*cobra.Command, []string) error {
	return CheckedRunE(opts, nil, runF, run, args...)
}

// CheckedRunE is RunE for a command whose flags and arguments need a check
// of their values: check runs once the arguments are bound, and its error
// (a usage error, as a rule) is returned before runF or run is called, so a
// test's hook sees only Options that passed it, as the command's run does:
// `RunE: cmdutil.CheckedRunE(opts, checkEnrollFlags, runF, runEnroll)`.
func CheckedRunE[O any](opts *O, check func(*O) error, runF, run func(context.Context, *O) error, args ...*string) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, positional []string) error {
		for i, v := range positional[:min(len(args), len(positional))] {
			*args[i] = v
		}
		if check != nil {
			if err := check(opts); err != nil {
				return err
			}
		}
		return Run(cmd.Context(), opts, runF, run)
	}
}

// Show is the whole run of a command that makes one call and prints its
// answer: it gets the client, makes the call, and prints the answer as JSON
// (--json, --jq) or with view. A dozen read commands are only that; with
// Show each states just its call and its view.
func Show[T any](f *Factory, client func() (*auth.Client, error), call func(*auth.Client) (T, error), view func(*Printer, T) error) error {
	c, err := client()
	if err != nil {
		return err
	}
	v, err := call(c)
	if err != nil {
		return err
	}
	return f.Print(v, func(p *Printer) error { return view(p, v) })
}
