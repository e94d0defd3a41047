package clients

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
)

// paramFlags are the client attributes create and update share.
func paramFlags(cmd *cobra.Command, p *auth.OAuthClientParams) {
	fl := cmd.Flags()
	fl.StringVar(&p.ClientName, "name", "", "the client's display `NAME`")
	fl.StringVar(&p.ClientURI, "client-uri", "", "the client's home page `URL`")
	fl.StringVar(&p.LogoURI, "logo-uri", "", "the `URL` of the client's logo")
	fl.StringArrayVar(&p.RedirectURIs, "redirect-uri", nil, "an allowed redirect `URI` (repeat for several)")
	fl.StringArrayVar(&p.GrantTypes, "grant-type", nil, "`GRANT`: authorization_code or refresh_token (repeat for several)")
	fl.StringArrayVar(&p.ResponseTypes, "response-type", nil, "`TYPE`: code (repeat for several)")
	fl.StringVar(&p.Scope, "scope", "", "`SCOPES`, space-separated")
	fl.StringVar(&p.TokenEndpointAuthMethod, "token-endpoint-auth-method", "",
		"`METHOD`: none (public client, PKCE only), client_secret_basic or client_secret_post")
}
