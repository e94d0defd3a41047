package users

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// InviteOptions of `authctl admin users invite`.
type InviteOptions struct {
	F          *cmdutil.Factory
	Email      string
	Data       string
	RedirectTo string
}

// NewCmdInvite builds `authctl admin users invite`.
func NewCmdInvite(f *cmdutil.Factory, runF func(context.Context, *InviteOptions) error) *cobra.Command {
	opts := &InviteOptions{F: f}
	cmd := &cobra.Command{
		Use:   "invite EMAIL [--data JSON] [--redirect-to URL]",
		Short: "Create a user and email them an invitation",
		Long: heredoc.Docf(`
			Create a user and send the invitation email. Invitations count against the project's
			hourly email quota: for test users use %[1]sadmin users create%[1]s (no email) instead.
		`, "`"),
		Example: "  authctl admin users invite new@example.com --redirect-to https://app.example.com/welcome",
		Args:    cmdutil.ExactArgs(1, "the EMAIL to invite"),
		RunE: cmdutil.CheckedRunE(opts,
			func(o *InviteOptions) error { return shared.ValidateEmail(o.Email) },
			runF, runInvite, &opts.Email),
	}
	cmd.Flags().StringVar(&opts.Data, "data", "", "the user's user_metadata as a `JSON` object, or @file")
	cmd.Flags().StringVar(&opts.RedirectTo, "redirect-to", "", "`URL` the invitation link leads to")
	return cmd
}

func runInvite(ctx context.Context, opts *InviteOptions) error {
	data, err := shared.JSONObject("--data", opts.Data)
	if err != nil {
		return err
	}
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	u, err := c.Admin().InviteUserByEmail(ctx, opts.Email, auth.InviteOptions{Data: data, RedirectTo: opts.RedirectTo})
	if err != nil {
		return err
	}
	return opts.F.Print(u, func(p *cmdutil.Printer) error { return shared.PrintUser(p, u) })
}
