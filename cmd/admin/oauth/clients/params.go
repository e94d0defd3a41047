package clients

import (
	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
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
