package providers

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// AddOptions of `authctl admin sso providers add`.
type AddOptions struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
	Params auth.SSOProviderParams
}

// NewCmdAdd builds `authctl admin sso providers add`.
func NewCmdAdd(f *cmdutil.Factory, runF func(context.Context, *AddOptions) error) *cobra.Command {
	opts := &AddOptions{F: f, Client: f.AdminClient}
	var pf ProviderFlags
	cmd := &cobra.Command{
		Use:   "add (--metadata-url URL | --metadata-file FILE) [--domain D]...",
		Short: "Register a SAML identity provider",
		Long: heredoc.Doc(`
			Register a SAML identity provider from its metadata: a URL the server fetches (https only), or
			the XML itself from a file or stdin. The EntityID in the metadata identifies the provider; the
			server refuses a second provider with the same one, and a domain another provider has.
		`),
		Example: heredoc.Doc(`
			  authctl admin sso providers add --metadata-file okta.xml --domain acme.com \
			    --attribute-mapping '{"email":{"name":"mail"}}'
			  authctl admin sso providers add --metadata-url https://idp.acme.com/saml/metadata --domain acme.com
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if pf.MetadataURL == "" && pf.MetadataFile == "" {
				return cmdutil.FlagErrorf("the provider's metadata is required: --metadata-url URL or --metadata-file FILE")
			}
			var err error
			if opts.Params, err = pf.params(f.IOStreams.In, cmd.Flags().Changed); err != nil {
				return err
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runAdd)
		},
	}
	pf.register(cmd.Flags())
	return cmd
}

func runAdd(ctx context.Context, opts *AddOptions) error {
	return cmdutil.Show(opts.F, opts.Client, func(c *auth.Client) (*auth.SSOProvider, error) {
		return c.Admin().CreateSSOProvider(ctx, opts.Params)
	}, printProvider)
}
