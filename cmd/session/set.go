package session

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// SetOptions of `authctl session set`.
type SetOptions struct {
	F                *cmdutil.Factory
	Client           func() (*auth.Client, error)
	AccessTokenStdin bool
	RefreshToken     string
}

// NewCmdSet builds `authctl session set`.
func NewCmdSet(f *cmdutil.Factory, runF func(context.Context, *SetOptions) error) *cobra.Command {
	opts := &SetOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "set --access-token-stdin [--refresh-token R]",
		Short: "Store a session made elsewhere from its access and refresh tokens",
		Long: heredoc.Doc(`
			Read an access token from stdin and store the session it belongs to. The refresh token is
			read from the second line of stdin; --refresh-token is accepted too, but anything in argv is
			visible to other users of the machine, so prefer stdin.

			An expired access token is refreshed at once; a valid one is checked with the server (GET /user).
		`),
		Example: "  printf '%s\\n%s\\n' \"$ACCESS_TOKEN\" \"$REFRESH_TOKEN\" | authctl session set --access-token-stdin",
		Args:    cmdutil.NoArgs,
		RunE:    cmdutil.CheckedRunE(opts, checkSet, runF, runSet),
	}
	cmd.Flags().BoolVar(&opts.AccessTokenStdin, "access-token-stdin", false, "read the access token (and the refresh token on a second line) from stdin")
	cmd.Flags().StringVar(&opts.RefreshToken, "refresh-token", "", "the refresh `TOKEN`, when not on stdin's second line")
	return cmd
}

func runSet(ctx context.Context, opts *SetOptions) error {
	lines, err := shared.ReadSecretLines(opts.F.IOStreams.In, 2, "--access-token-stdin")
	if err != nil {
		return err
	}
	refresh := opts.RefreshToken
	if len(lines) == 2 {
		refresh = lines[1]
	}
	if refresh == "" {
		return cmdutil.FlagErrorf("the refresh token is missing: give it on the second line of stdin (or --refresh-token)")
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	s, err := c.SetSession(ctx, lines[0], refresh)
	var badJWT *auth.InvalidJwtError
	if errors.As(err, &badJWT) {
		return cmdutil.FlagErrorf("--access-token-stdin: %s", badJWT.Message)
	}
	if err != nil {
		return err
	}
	return opts.F.Print(s, func(p *cmdutil.Printer) error { return shared.PrintSession(p, s) })
}

func checkSet(opts *SetOptions) error {
	if !opts.AccessTokenStdin {
		return cmdutil.FlagErrorf("--access-token-stdin is required: tokens are never taken from flags")
	}
	return nil
}
