package login

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// AnonymousOptions of `authctl login anonymous`.
type AnonymousOptions struct {
	F            *cmdutil.Factory
	Client       func() (*auth.Client, error)
	Data         string
	CaptchaToken string
}

// NewCmdAnonymous builds `authctl login anonymous`.
func NewCmdAnonymous(f *cmdutil.Factory, runF func(context.Context, *AnonymousOptions) error) *cobra.Command {
	opts := &AnonymousOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "anonymous [--data JSON]",
		Short: "Sign in as a new anonymous user",
		Long: heredoc.Docf(`
			Create an anonymous user and store its session. Link an email later with
			%[1]sauthctl user update --email E%[1]s to keep the account.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl login anonymous
			  authctl login anonymous --data '{"cart":"42"}'
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runAnonymous),
	}
	cmd.Flags().StringVar(&opts.Data, "data", "", "user metadata as a `JSON` object, or @file")
	shared.AddCaptchaFlag(cmd.Flags(), &opts.CaptchaToken)
	return cmd
}

func runAnonymous(ctx context.Context, opts *AnonymousOptions) error {
	data, err := shared.JSONObject("--data", opts.Data)
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ar, err := c.SignInAnonymously(ctx, data, opts.CaptchaToken)
	if err != nil {
		return err
	}
	return shared.PrintAuthResult(opts.F, ar, "")
}
