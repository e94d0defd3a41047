package identities

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// LinkOptions of `authctl identities link`.
type LinkOptions struct {
	F *cmdutil.Factory
	// PKCEClient runs the browser flow (Factory.PKCEClient); Client the
	// ID-token variant (Factory.Client).
	PKCEClient func() (*auth.Client, error)
	Client     func() (*auth.Client, error)
	Provider   string
	Scopes     string
	shared.BrowserFlow
	// The ID-token variant: --provider P --id-token-stdin.
	ProviderFlag string
	IDTokenStdin bool
	AccessToken  string
	Nonce        string
}

// NewCmdLink builds `authctl identities link`.
func NewCmdLink(f *cmdutil.Factory, runF func(context.Context, *LinkOptions) error) *cobra.Command {
	opts := &LinkOptions{F: f, PKCEClient: f.PKCEClient, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "link {PROVIDER | --provider P --id-token-stdin} [flags]",
		Short: "Link an OAuth provider's identity to the signed-in user",
		Long: heredoc.Docf(`
			Link a provider's identity (github, google, …, or custom:NAME) to the signed-in user.

			  authctl identities link PROVIDER [--scopes S] [--no-browser] [--port N] [--timeout D]
			      signs in to the provider in the browser, as %[1]sauthctl login oauth%[1]s does (a receiver
			      on 127.0.0.1 gets the browser back; PKCE), and links the identity. Over SSH, without
			      a display, or with --no-browser, the address is printed: open it anywhere, then paste
			      the address the browser ends on (or the code).
			  authctl identities link --provider P --id-token-stdin [--access-token T] [--nonce N]
			      links the identity of an OIDC ID token the provider issued to another app (a native
			      Google or Apple sign-in), read from stdin.

			Manual linking must be enabled on the project (GOTRUE_SECURITY_MANUAL_LINKING_ENABLED).
			The session is renewed by the link; the user's identities are printed (--json: the array).
		`, "`"),
		Example: heredoc.Doc(`
			  authctl identities link github
			  authctl identities link google --scopes 'openid email' --no-browser
			  authctl identities link --provider google --id-token-stdin < id_token.txt
		`),
		Args:              cmdutil.MaximumNArgs(1, "one PROVIDER"),
		ValidArgsFunction: shared.CompleteProviders(f),
		RunE:              cmdutil.RunE(opts, runF, runLink, &opts.Provider),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Scopes, "scopes", "", "`SCOPES` to ask the provider for, space-separated")
	opts.BrowserFlow.AddFlags(fl)
	fl.StringVar(&opts.ProviderFlag, "provider", "", "the ID token's `PROVIDER`: google, apple, azure, facebook, kakao, or a custom OIDC one")
	fl.BoolVar(&opts.IDTokenStdin, "id-token-stdin", false, "link the identity of an OIDC ID token read from stdin")
	fl.StringVar(&opts.AccessToken, "access-token", "", "the provider's access `TOKEN`, when the ID token has at_hash")
	fl.StringVar(&opts.Nonce, "nonce", "", "the raw `NONCE`, when the ID token has a nonce claim")
	return cmd
}

func runLink(ctx context.Context, opts *LinkOptions) error {
	idToken := opts.IDTokenStdin || opts.ProviderFlag != "" || opts.Nonce != "" || opts.AccessToken != ""
	switch {
	case idToken && opts.Provider != "":
		return cmdutil.FlagErrorf("give either PROVIDER (browser) or --provider with --id-token-stdin, not both")
	case idToken:
		return runLinkIDToken(ctx, opts)
	case opts.Provider == "":
		return cmdutil.FlagErrorf("the PROVIDER is required (or --provider P --id-token-stdin)")
	}
	return runLinkOAuth(ctx, opts)
}

func runLinkOAuth(ctx context.Context, opts *LinkOptions) error {
	p := opts.Provider
	if err := shared.ValidateProvider(p); err != nil {
		return err
	}
	if opts.PKCEClient == nil {
		return fmt.Errorf("internal error: no PKCE client is configured")
	}
	c, err := opts.PKCEClient()
	if err != nil {
		return err
	}
	ar, err := shared.RunBrowserFlow(ctx, opts.F, c, opts.BrowserFlow, "link your "+p+" account",
		func(ctx context.Context, rt string) (string, error) {
			u, err := c.LinkIdentity(ctx, auth.OAuthParams{Provider: p, RedirectTo: rt, Scopes: opts.Scopes})
			if err != nil {
				return "", err
			}
			return u.URL, nil
		})
	if err != nil {
		return err
	}
	return printLinked(opts.F, p, ar)
}

func runLinkIDToken(ctx context.Context, opts *LinkOptions) error {
	switch {
	case opts.Scopes != "":
		return cmdutil.FlagErrorf("--scopes is for the browser flow (PROVIDER), not --id-token-stdin")
	case !opts.IDTokenStdin:
		return cmdutil.FlagErrorf("--provider links an ID token: add --id-token-stdin and pipe the token")
	case opts.ProviderFlag == "":
		return cmdutil.FlagErrorf("--id-token-stdin needs --provider")
	}
	lines, err := shared.ReadSecretLines(opts.F.IOStreams.In, 1, "--id-token-stdin")
	if err != nil {
		return err
	}
	tok := lines[0]
	jwt, err := auth.DecodeJWT(tok)
	if err != nil {
		return cmdutil.FlagErrorf("the ID token is not a JWT (want header.payload.signature in base64url): %v", err)
	}
	if _, ok := jwt.Claims.Raw["at_hash"]; ok && opts.AccessToken == "" {
		return cmdutil.FlagErrorf("the ID token has an at_hash claim: pass the provider's access token with --access-token")
	}
	if _, ok := jwt.Claims.Raw["nonce"]; ok && opts.Nonce == "" {
		return cmdutil.FlagErrorf("the ID token has a nonce claim: pass the raw nonce with --nonce")
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ar, err := c.LinkIdentityIDToken(ctx, auth.IDTokenCredentials{Provider: opts.ProviderFlag, Token: tok,
		AccessToken: opts.AccessToken, Nonce: opts.Nonce})
	if err != nil {
		return err
	}
	// The real server (v2.196) answers the link with the user as it was
	// before: its identities lack the one just linked. GET /user has them.
	u, err := c.GetUser(ctx, "")
	if err != nil {
		return err
	}
	ar.User = *u
	return printLinked(opts.F, opts.ProviderFlag, ar)
}

// printLinked prints the user's identities after the link, from the renewed
// session's user: like `identities list`, with a line naming the provider.
func printLinked(f *cmdutil.Factory, provider string, ar *auth.AuthResponse) error {
	ids := ar.User.Identities
	if ids == nil {
		ids = []auth.UserIdentity{}
	}
	return f.Print(ids, func(p *cmdutil.Printer) error {
		if _, err := fmt.Fprintf(p.Out, "Linked your %s identity. Identities of this user:\n", provider); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := fmt.Fprintf(p.Out, "%-10s %-36s %s\n", id.Provider, id.IdentityID, id.Email); err != nil {
				return err
			}
		}
		return nil
	})
}
