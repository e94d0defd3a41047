package providers

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// RemoveOptions of `authctl admin sso providers remove`.
type RemoveOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	ID     string
}

// NewCmdRemove builds `authctl admin sso providers remove`.
func NewCmdRemove(f *cmdutil.Factory, runF func(context.Context, *RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{F: f, Client: f.AdminClient}
	return &cobra.Command{
		Use:   "remove ID",
		Short: "Remove a SAML identity provider; its users can no longer sign in through it",
		Args:  cmdutil.ExactArgs(1, "the provider ID"),
		RunE:  cmdutil.RunE(opts, runF, runRemove, &opts.ID),
	}
}

func runRemove(ctx context.Context, opts *RemoveOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	sp, err := c.Admin().DeleteSSOProvider(ctx, opts.ID)
	if err != nil {
		return err
	}
	if opts.F.WantsJSON() {
		return opts.F.PrintJSON(sp)
	}
	opts.F.Infof("Removed SSO provider %s (%s)", sp.ID, sp.SAML.EntityID)
	return nil
}
