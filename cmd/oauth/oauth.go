// Package oauth implements `authctl oauth authorization get|approve|deny` and
// `authctl oauth grants list|revoke`: the signed-in user's side of the
// project's OAuth 2.1 server (consent and granted clients).
package oauth

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// Options of the `authctl oauth` subcommands.
type Options struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	ID       string // authorization_id or client_id, by command
	Decision string // "approve" or "deny"
}

// NewCmdOAuth builds `authctl oauth` and its subcommands.
func NewCmdOAuth(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "oauth <command>",
		Short: "Consent to OAuth clients of the project's OAuth 2.1 server, and manage your grants",
		Args:  cmdutil.NoArgs,
	}
	authz := &cobra.Command{
		Use:   "authorization <command>",
		Short: "Read, approve or deny a pending OAuth authorization",
		Args:  cmdutil.NoArgs,
	}
	authz.AddCommand(NewCmdAuthorizationGet(f, nil), NewCmdAuthorizationDecide(f, "approve", nil),
		NewCmdAuthorizationDecide(f, "deny", nil))
	grants := &cobra.Command{
		Use:   "grants <command>",
		Short: "The OAuth clients you have granted access to",
		Args:  cmdutil.NoArgs,
	}
	grants.AddCommand(NewCmdGrantsList(f, nil), NewCmdGrantsRevoke(f, nil))
	cmd.AddCommand(authz, grants)
	return cmd
}

// NewCmdAuthorizationGet builds `authctl oauth authorization get`.
func NewCmdAuthorizationGet(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "get AUTHORIZATION_ID",
		Short: "Show what an OAuth client asks for",
		Long: "Show a pending authorization: the client, the scopes and the redirect URI. AUTHORIZATION_ID is\n" +
			"the authorization_id the server put on the consent page's URL. When you consented to these\n" +
			"scopes before, the server answers with the client's redirect URL instead, which is printed.",
		Args: cmdutil.ExactArgs(1, "the AUTHORIZATION_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return cmdutil.Run(cmd.Context(), opts, runF, runAuthorizationGet)
		},
	}
}

// NewCmdAuthorizationDecide builds `authctl oauth authorization approve` or
// `deny`, by decision.
func NewCmdAuthorizationDecide(f *cmdutil.Factory, decision string, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, Decision: decision}
	short, long := "Approve an OAuth authorization", "Grant the client the scopes it asked for."
	if decision == "deny" {
		short, long = "Deny an OAuth authorization", "Refuse the client access; its redirect URL carries error=access_denied."
	}
	return &cobra.Command{
		Use:   decision + " AUTHORIZATION_ID",
		Short: short,
		Long:  long + "\nPrints the client's redirect URL, to open in the browser or hand to the client.",
		Args:  cmdutil.ExactArgs(1, "the AUTHORIZATION_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return cmdutil.Run(cmd.Context(), opts, runF, runAuthorizationDecide)
		},
	}
}

// NewCmdGrantsList builds `authctl oauth grants list`.
func NewCmdGrantsList(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "list",
		Short: "List the OAuth clients you have granted access to",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Run(cmd.Context(), opts, runF, runGrantsList)
		},
	}
}

// NewCmdGrantsRevoke builds `authctl oauth grants revoke`.
func NewCmdGrantsRevoke(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "revoke CLIENT_ID",
		Short: "Withdraw an OAuth client's access",
		Long:  "Withdraw a client's access. The server also ends the client's sessions and refresh tokens for you.",
		Args:  cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return cmdutil.Run(cmd.Context(), opts, runF, runGrantsRevoke)
		},
	}
}

func runAuthorizationGet(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	a, err := c.OAuth().GetAuthorizationDetails(ctx, opts.ID)
	if err != nil {
		return err
	}
	return opts.F.Print(a, func(p *cmdutil.Printer) error {
		if a.AlreadyApproved() {
			_, err := fmt.Fprintln(p.Out, a.RedirectURL)
			return err
		}
		name := a.Client.Name
		if name == "" {
			name = a.Client.ID
		}
		_, err := fmt.Fprintf(p.Out, "Client:   %s (%s)\nScopes:   %s\nRedirect: %s\n", name, a.Client.ID, a.Scope, a.RedirectURI)
		return err
	})
}

func runAuthorizationDecide(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	decide := c.OAuth().ApproveAuthorization
	if opts.Decision == "deny" {
		decide = c.OAuth().DenyAuthorization
	}
	redirect, err := decide(ctx, opts.ID)
	if err != nil {
		return err
	}
	return opts.F.Print(map[string]string{"redirect_url": redirect}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintln(p.Out, redirect)
		return err
	})
}

func runGrantsList(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	grants, err := c.OAuth().ListGrants(ctx)
	if err != nil {
		return err
	}
	return opts.F.Print(grants, func(p *cmdutil.Printer) error {
		if len(grants) == 0 {
			_, err := fmt.Fprintln(p.Out, "No grants.")
			return err
		}
		tb := render.NewTable(p.Out, p.IsTTY, p.Width)
		tb.SetHeader("CLIENT ID", "NAME", "SCOPES", "GRANTED AT")
		for _, g := range grants {
			tb.AddRow(g.Client.ID, g.Client.Name, strings.Join(g.Scopes, " "), g.GrantedAt)
		}
		return tb.Render()
	})
}

func runGrantsRevoke(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if err := c.OAuth().RevokeGrant(ctx, opts.ID); err != nil {
		return err
	}
	if opts.F.WantsJSON() {
		return opts.F.PrintJSON(map[string]string{"client_id": opts.ID})
	}
	opts.F.Infof("Revoked the grant of client %s", opts.ID)
	return nil
}
