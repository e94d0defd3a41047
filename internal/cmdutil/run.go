package cmdutil

import "context"

// Run is the tail of every command's RunE: it calls runF, the hook a test
// passes to NewCmdX to capture the Options the flags produced, and the
// command's own run function otherwise.
func Run[O any](ctx context.Context, opts *O, runF, run func(context.Context, *O) error) error {
	if runF != nil {
		return runF(ctx, opts)
	}
	return run(ctx, opts)
}
