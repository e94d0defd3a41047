package login

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// IDTokenOptions of `authctl login id-token`.
type IDTokenOptions struct {
	F            *cmdutil.Factory
	Client       func() (*auth.Client, error)
	Provider     string
	TokenStdin   bool
	AccessToken  string
	Nonce        string
	CaptchaToken string
	StepUp       shared.StepUpOptions
}

// NewCmdIDToken builds `authctl login id-token`.
func NewCmdIDToken(f *cmdutil.Factory, runF func(context.Context, *IDTokenOptions) error) *cobra.Command {
	opts := &IDTokenOptions{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "id-token --provider P --token-stdin [--access-token T] [--nonce N]",
		Short: "Sign in with an OIDC ID token from a provider (Google, Apple, …)",
		Long: heredoc.Doc(`
			Sign in with an ID token a provider issued to another app (a native Google or Apple
			sign-in). The token is read from stdin, never from argv, and checked to be a JWT before
			it is sent. Tokens with an at_hash claim need --access-token; with a nonce claim, --nonce
			(the raw nonce the app generated).
		`),
		Example: "  authctl login id-token --provider google --token-stdin < id_token.txt",
		Args:    cmdutil.NoArgs,
		RunE:    cmdutil.RunE(opts, runF, runIDToken),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Provider, "provider", "", "`PROVIDER`: google, apple, azure, facebook, kakao, or a custom OIDC provider")
	fl.BoolVar(&opts.TokenStdin, "token-stdin", false, "read the ID token from stdin")
	fl.StringVar(&opts.AccessToken, "access-token", "", "the provider's access `TOKEN`, when the ID token has at_hash")
	fl.StringVar(&opts.Nonce, "nonce", "", "the raw `NONCE`, when the ID token has a nonce claim")
	shared.AddCaptchaFlag(fl, &opts.CaptchaToken)
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runIDToken(ctx context.Context, opts *IDTokenOptions) error {
	f := opts.F
	if err := shared.ServerAnswers(ctx, f, opts.Client); err != nil {
		return err
	}
	if err := shared.Ask(f, &opts.Provider, "--provider", "Provider", shared.NotEmpty("the provider")); err != nil {
		return err
	}
	token, err := shared.Secret(f, opts.TokenStdin, "--token-stdin", "ID token", checkIDToken(opts))
	if err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	ar, err := c.SignInWithIDToken(ctx, auth.IDTokenCredentials{Provider: opts.Provider, Token: token,
		AccessToken: opts.AccessToken, Nonce: opts.Nonce, CaptchaToken: opts.CaptchaToken})
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, f, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(f, ar, "")
}

// checkIDToken refuses what the server would answer with a bare 500
// ("Unexpected failure") or a vague 400: a token that is not a JWT, or one
// whose claims need --access-token or --nonce. The token is never quoted.
func checkIDToken(opts *IDTokenOptions) func(string) error {
	return func(tok string) error {
		jwt, err := auth.DecodeJWT(tok)
		if err != nil {
			return cmdutil.FlagErrorf("the ID token is not a JWT (want header.payload.signature in base64url): %v", err)
		}
		raw := jwt.Claims.Raw
		if _, ok := raw["at_hash"]; ok && opts.AccessToken == "" {
			return cmdutil.FlagErrorf("the ID token has an at_hash claim: pass the provider's access token with --access-token")
		}
		if _, ok := raw["nonce"]; ok && opts.Nonce == "" {
			return cmdutil.FlagErrorf("the ID token has a nonce claim: pass the raw nonce with --nonce")
		}
		return nil
	}
}
