package providers

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// UpdateOptions of `authctl admin sso providers update`.
type UpdateOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	ID     string
	Params auth.SSOProviderParams
	// KeepNameIDFormat: --name-id-format was not given. The server clears
	// the format on any update that leaves it out, so the current one is
	// sent back.
	KeepNameIDFormat bool
}

// NewCmdUpdate builds `authctl admin sso providers update`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(context.Context, *UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{F: f, Client: f.AdminClient}
	var pf ProviderFlags
	cmd := &cobra.Command{
		Use:   "update ID [flags]",
		Short: "Change a SAML identity provider",
		Long: heredoc.Doc(`
			Change what the flags given say; the rest stays. --domain replaces the whole list of domains.
			New metadata must name the same EntityID. The server (v2.196) keeps a new --name-id-format
			only together with new metadata or a changed --attribute-mapping.
		`),
		Example: heredoc.Doc(`
			  authctl admin sso providers update ID --domain acme.com --domain acme.org
			  authctl admin sso providers update ID --disabled
		`),
		Args: cmdutil.ExactArgs(1, "the provider ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			var err error
			if opts.Params, err = pf.params(f.IOStreams.In, cmd.Flags().Changed); err != nil {
				return err
			}
			opts.KeepNameIDFormat = !cmd.Flags().Changed("name-id-format")
			return cmdutil.Run(cmd.Context(), opts, runF, runUpdate)
		},
	}
	pf.register(cmd.Flags())
	return cmd
}

func runUpdate(ctx context.Context, opts *UpdateOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	admin := c.Admin()
	if opts.KeepNameIDFormat {
		cur, err := admin.GetSSOProvider(ctx, opts.ID)
		if err != nil {
			return err
		}
		opts.Params.NameIDFormat = cur.SAML.NameIDFormat
	}
	sp, err := admin.UpdateSSOProvider(ctx, opts.ID, opts.Params)
	if err != nil {
		return err
	}
	return opts.F.Print(sp, func(p *cmdutil.Printer) error { return printProvider(p, sp) })
}
