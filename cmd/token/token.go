// Package token implements `authctl token`: print a valid access token and
// nothing else, for `curl -H "Authorization: Bearer $(authctl token)"`.
package token

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl token`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	MinTTL time.Duration
}

// NewCmdToken builds `authctl token`.
func NewCmdToken(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print a valid access token",
		Long: heredoc.Doc(`
			Print the stored session's access token and nothing else. When it expires within 90 seconds,
			or within --min-ttl, the session is refreshed first. A valid token costs no network call.
			Many processes may run this at once: one refreshes, the others use its result.
		`),
		Example: heredoc.Doc(`
			  curl -H "Authorization: Bearer $(authctl token)" "$SUPABASE_URL/rest/v1/todos"
			  authctl token --min-ttl 10m   # a token still valid for a 10-minute job
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, checkToken, runF, runToken),
	}
	cmd.Flags().DurationVar(&opts.MinTTL, "min-ttl", 0, "refresh first unless the token stays valid this `DURATION` (e.g. 10m)")
	return cmd
}

func runToken(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	// One lock acquisition covers the check and any refresh, so concurrent
	// processes refresh once between them.
	s, err := c.GetSessionValidFor(ctx, opts.MinTTL)
	if err != nil {
		return err
	}
	if s == nil {
		return cmdutil.ErrNotSignedIn()
	}
	if opts.MinTTL > 0 && s.ExpiresWithin(opts.F.Now(), opts.MinTTL) {
		opts.F.Warnf("the token expires at %s, sooner than --min-ttl %s asks: the server issues shorter-lived tokens",
			s.ExpiresAtTime().Format(time.RFC3339), opts.MinTTL)
	}
	if opts.F.WantsJSON() {
		return opts.F.PrintJSON(map[string]any{"access_token": s.AccessToken, "expires_at": s.ExpiresAt})
	}
	_, err = fmt.Fprintln(opts.F.IOStreams.Out, s.AccessToken)
	return err
}

func checkToken(opts *Options) error {
	if opts.MinTTL < 0 {
		return cmdutil.FlagErrorf("--min-ttl must not be negative")
	}
	return nil
}
