package shared

import (
	"context"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// ServerAnswers checks, before a sign-in command prompts, that the server
// can be reached: nobody should type an email and a password for a request
// that cannot be made. Without a terminal there is no prompt to spare, and the
// command's own request reports the same failure. Only an unreachable server
// stops here; any other answer is for the sign-in itself to report.
func ServerAnswers(ctx context.Context, f *cmdutil.Factory, client func() (*auth.Client, error)) error {
	if !f.IOStreams.CanPrompt() {
		return nil
	}
	c, err := client()
	if err != nil {
		return err
	}
	s, err := c.GetSettings(ctx)
	if cmdutil.ExitCode(err) == cmdutil.ExitUnavailable {
		return err
	}
	if err == nil {
		// The chooser that follows lists the providers from them.
		rememberSettings(f, s)
	}
	return nil
}
