package login

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// flowParams are the query parameters the flow itself sets; --query must not
// override them (a different redirect_to would never reach the receiver).
var flowParams = []string{"provider", "redirect_to", "code_challenge", "code_challenge_method", "scopes"}

// OAuthOptions of `authctl login oauth`.
type OAuthOptions struct {
	F *cmdutil.Factory
	// Client must be in PKCE flow (Factory.PKCEClient).
	Client   func() (*auth.Client, error)
	Provider string
	Scopes   string
	Query    []string // k=v
	shared.BrowserFlow
	StepUp shared.StepUpOptions
}

// NewCmdOAuth builds `authctl login oauth`.
func NewCmdOAuth(f *cmdutil.Factory, runF func(context.Context, *OAuthOptions) error) *cobra.Command {
	opts := &OAuthOptions{F: f, Client: f.PKCEClient}
	cmd := &cobra.Command{
		Use:   "oauth PROVIDER [--scopes SCOPES] [--query KEY=VALUE]...",
		Short: "Sign in with an OAuth provider in the browser",
		Long: heredoc.Docf(`
			Sign in with an OAuth provider (github, google, …, or custom:NAME) in the
			browser.

			authctl listens on 127.0.0.1 for the browser's return (RFC 8252), opens the
			provider's page, and exchanges the code it gets back for a session (PKCE,
			whatever the profile's flow type). Over SSH, without a display, or with
			--no-browser, the address is printed instead: open it anywhere, then paste into
			the terminal the address the browser ends on (or just the code). $BROWSER, when
			set, is the command that opens the browser.

			Providers: %[2]s,
			%[3]s,
			%[4]s, custom:NAME.
			Only those the server has on work (%[1]sauthctl settings%[1]s lists them; Tab completes
			them): any other fails at once, with the server's answer.
		`, "`", strings.Join(shared.Providers[:8], ", "), strings.Join(shared.Providers[8:16], ", "),
			strings.Join(shared.Providers[16:], ", ")),
		Example: heredoc.Doc(`
			  authctl login oauth github
			  authctl login oauth google --scopes 'openid email' --query prompt=consent
			  authctl login oauth github --no-browser --timeout 10m
		`),
		Args:              cmdutil.ExactArgs(1, "the PROVIDER"),
		ValidArgsFunction: shared.CompleteProviders(f),
		RunE:              cmdutil.RunE(opts, runF, runOAuth, &opts.Provider),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Scopes, "scopes", "", "`SCOPES` to ask the provider for, space-separated")
	fl.StringArrayVar(&opts.Query, "query", nil, "extra `KEY=VALUE` query parameter for the provider (repeatable)")
	opts.BrowserFlow.AddFlags(fl)
	shared.AddStepUpFlags(cmd, &opts.StepUp)
	return cmd
}

func runOAuth(ctx context.Context, opts *OAuthOptions) error {
	if err := shared.ValidateProvider(opts.Provider); err != nil {
		return err
	}
	query, err := parseQuery(opts.Query)
	if err != nil {
		return err
	}
	if err := opts.BrowserFlow.Validate(); err != nil {
		return err
	}
	c, err := pkceClient(opts.Client)
	if err != nil {
		return err
	}
	if err := shared.CheckProvider(ctx, opts.F, c, opts.Provider); err != nil {
		return err
	}
	ar, err := shared.RunBrowserFlow(ctx, opts.F, c, opts.BrowserFlow, "sign in with "+opts.Provider,
		func(ctx context.Context, redirectTo string) (string, error) {
			u, err := c.SignInWithOAuth(ctx, auth.OAuthParams{Provider: opts.Provider, RedirectTo: redirectTo,
				Scopes: opts.Scopes, QueryParams: query})
			if err != nil {
				return "", err
			}
			return u.URL, nil
		})
	if err != nil {
		return err
	}
	if ar, err = shared.StepUp(ctx, opts.F, c, ar, opts.StepUp); err != nil {
		return err
	}
	return shared.PrintAuthResult(opts.F, ar, "")
}

func parseQuery(kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, cmdutil.FlagErrorf("invalid --query %q: want key=value", kv)
		}
		if slices.Contains(flowParams, k) {
			return nil, cmdutil.FlagErrorf("--query %s: this parameter is set by authctl (use --scopes for scopes)", k)
		}
		out[k] = v
	}
	return out, nil
}

// pkceClient evaluates the client function, which a Factory without
// PKCEClient leaves nil.
func pkceClient(client func() (*auth.Client, error)) (*auth.Client, error) {
	if client == nil {
		return nil, errors.New("internal error: no PKCE client is configured")
	}
	return client()
}
