// Package exchangecode implements `authctl exchange-code`: finish a PKCE
// flow (magic link, recovery, sign-up confirmation) started by this profile.
package exchangecode

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// Options of `authctl exchange-code`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	Code   string
	StepUp shared.StepUpOptions
}

// NewCmdExchangeCode builds `authctl exchange-code`.
func NewCmdExchangeCode(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "exchange-code CODE",
		Short: "Trade a PKCE auth code for a session",
		Long: heredoc.Docf(`
			Exchange the code of a PKCE flow for a session, with the code verifier this profile stored
			when the flow started (%[1]s--flow pkce%[1]s of login otp, reset-password, or flow-type: pkce).
			The verifier is single-use: it is deleted whatever the outcome. CODE may also be the
			whole address a link ended on: ?code=… is exchanged, an error in it is reported, and an
			implicit-flow #access_token=… is stored as it is.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl login otp --email me@example.com --flow pkce
			  authctl exchange-code 'http://127.0.0.1:3000/?code=0b5e3f1c-…'
		`),
		Args: cmdutil.ExactArgs(1, "the CODE"),
		RunE: cmdutil.RunE(opts, runF, runExchangeCode, &opts.Code),
	}
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runExchangeCode(ctx context.Context, opts *Options) error {
	arg := strings.TrimSpace(opts.Code)
	if arg == "" {
		return cmdutil.FlagErrorf("the CODE is empty")
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	var ar *auth.AuthResponse
	if strings.Contains(arg, "://") {
		// The address a link ended on: ?code= is exchanged, error parameters
		// become the server's typed error, and an implicit-flow fragment
		// (#access_token=…) is adopted as it is.
		ar, err = c.SessionFromURL(ctx, arg)
	} else {
		ar, err = c.ExchangeCodeForSession(ctx, arg)
	}
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, opts.F, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(opts.F, ar, "")
}
