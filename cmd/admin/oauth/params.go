package oauth

import (
	"reflect"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// paramFlags are the client attributes create and update share.
func paramFlags(cmd *cobra.Command, p *auth.OAuthClientParams) {
	fl := cmd.Flags()
	fl.StringVar(&p.ClientName, "name", "", "the client's display name")
	fl.StringVar(&p.ClientURI, "client-uri", "", "the client's home page")
	fl.StringVar(&p.LogoURI, "logo-uri", "", "the client's logo")
	fl.StringArrayVar(&p.RedirectURIs, "redirect-uri", nil, "an allowed redirect URI (repeat for several)")
	fl.StringArrayVar(&p.GrantTypes, "grant-type", nil, "authorization_code, refresh_token (repeat for several)")
	fl.StringArrayVar(&p.ResponseTypes, "response-type", nil, "code (repeat for several)")
	fl.StringVar(&p.Scope, "scope", "", "space-separated scopes")
	fl.StringVar(&p.TokenEndpointAuthMethod, "token-endpoint-auth-method", "",
		"none (public client, PKCE only), client_secret_basic or client_secret_post")
}

func newCmdCreate(f *cmdutil.Factory) *cobra.Command {
	var p auth.OAuthClientParams
	cmd := &cobra.Command{
		Use:   "create --redirect-uri URI [--name N] [flags]",
		Short: "Register a client",
		Long:  "Register a client. A confidential client's secret is in the answer, once.",
		Example: "  authctl admin oauth clients create --name 'My app' --redirect-uri https://app.example.com/callback\n" +
			"  authctl admin oauth clients create --name CLI --redirect-uri http://127.0.0.1/cb --token-endpoint-auth-method none",
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(p.RedirectURIs) == 0 {
				return cmdutil.FlagErrorf("--redirect-uri is required")
			}
			o, err := admin(f)
			if err != nil {
				return err
			}
			c, err := o.CreateClient(cmd.Context(), p)
			if err != nil {
				return err
			}
			return f.Print(c, func(pr *cmdutil.Printer) error { return printClient(pr, c) })
		},
	}
	paramFlags(cmd, &p)
	return cmd
}

func newCmdUpdate(f *cmdutil.Factory) *cobra.Command {
	var p auth.OAuthClientParams
	cmd := &cobra.Command{
		Use:   "update CLIENT_ID [flags]",
		Short: "Change a client (flags not given keep their value)",
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reflect.ValueOf(p).IsZero() {
				return cmdutil.FlagErrorf("nothing to change: give at least one flag")
			}
			o, err := admin(f)
			if err != nil {
				return err
			}
			c, err := o.UpdateClient(cmd.Context(), args[0], p)
			if err != nil {
				return err
			}
			return f.Print(c, func(pr *cmdutil.Printer) error { return printClient(pr, c) })
		},
	}
	paramFlags(cmd, &p)
	return cmd
}
