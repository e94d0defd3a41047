package login

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// SSOOptions of `authctl login sso`.
type SSOOptions struct {
	F *cmdutil.Factory
	// Client must be in PKCE flow (Factory.PKCEClient).
	Client       func() (*auth.Client, error)
	Domain       string
	ProviderID   string
	CaptchaToken string
	shared.BrowserFlow
	StepUp shared.StepUpOptions
}

// NewCmdSSO builds `authctl login sso`.
func NewCmdSSO(f *cmdutil.Factory, runF func(context.Context, *SSOOptions) error) *cobra.Command {
	opts := &SSOOptions{F: f, Client: f.PKCEClient}
	cmd := &cobra.Command{
		Use:   "sso (--domain D | --provider-id ID) [--no-browser] [--port N] [--timeout D]",
		Short: "Sign in with your organisation's single sign-on (SAML) in the browser",
		Long: heredoc.Docf(`
			Sign in through the SSO (SAML 2.0) identity provider of an email domain or of a provider id.
			The browser part works as in %[1]sauthctl login oauth%[1]s: a receiver on 127.0.0.1, PKCE, and
			the printed address with --no-browser, over SSH or without a display.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl login sso --domain example.com
			  authctl login sso --provider-id 0b5e3f1c-6f7a-4d2e-9a51-3c0d2b8e7f10 --no-browser
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runSSO),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Domain, "domain", "", "email `DOMAIN` of the organisation")
	fl.StringVar(&opts.ProviderID, "provider-id", "", "SSO provider `ID` (UUID)")
	shared.AddCaptchaFlag(fl, &opts.CaptchaToken)
	opts.BrowserFlow.AddFlags(fl)
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runSSO(ctx context.Context, opts *SSOOptions) error {
	switch {
	case opts.Domain == "" && opts.ProviderID == "":
		return cmdutil.FlagErrorf("give --domain or --provider-id")
	case opts.Domain != "" && opts.ProviderID != "":
		return cmdutil.FlagErrorf("give either --domain or --provider-id, not both")
	}
	c, err := pkceClient(opts.Client)
	if err != nil {
		return err
	}
	what := "sign in with single sign-on for " + opts.Domain
	if opts.ProviderID != "" {
		what = "sign in with single sign-on provider " + opts.ProviderID
	}
	ar, err := shared.RunBrowserFlow(ctx, opts.F, c, opts.BrowserFlow, what,
		func(ctx context.Context, redirectTo string) (string, error) {
			return c.SignInWithSSO(ctx, auth.SSOParams{Domain: opts.Domain, ProviderID: opts.ProviderID,
				RedirectTo: redirectTo, CaptchaToken: opts.CaptchaToken})
		})
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, opts.F, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(opts.F, ar, "")
}
