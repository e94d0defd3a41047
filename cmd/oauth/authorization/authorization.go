// Package authorization implements `authctl oauth authorization get|approve|deny`:
// the consent step of an OAuth client's authorization request.
package authorization

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// NewCmdAuthorization builds `authctl oauth authorization`.
func NewCmdAuthorization(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "authorization <command>",
		Short: "Read, approve or deny a pending OAuth authorization",
	}
	cmd.AddCommand(NewCmdGet(f, nil), NewCmdApprove(f, nil), NewCmdDeny(f, nil))
	return cmd
}

// DecideOptions of `authctl oauth authorization approve` and `deny`, which
// differ only in the decision they send.
type DecideOptions struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	ID       string // the authorization_id
	Decision string // "approve" or "deny"
}

// newCmdDecide builds approve or deny; short and long are its help.
func newCmdDecide(opts *DecideOptions, short, long string, runF func(context.Context, *DecideOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   opts.Decision + " AUTHORIZATION_ID",
		Short: short,
		Long: long + "\n" + heredoc.Docf(`
			The authorization is read first (as %[1]sget%[1]s does): the server takes a decision only from the
			user who read it. Prints the client's redirect URL, to open in the browser or hand to the client.
		`, "`"),
		Args: cmdutil.ExactArgs(1, "the AUTHORIZATION_ID"),
		RunE: cmdutil.RunE(opts, runF, runDecide, &opts.ID),
	}
}

// errApprovedOnRead is deny's answer when reading the authorization
// approved it: the user consented to the client's scopes before.
var errApprovedOnRead = errors.New("you consented to this client before, so the server approved the authorization " +
	"when it was read: it can no longer be denied. To withdraw the client's access, find it with " +
	"`authctl oauth grants list` and run `authctl oauth grants revoke CLIENT_ID`")

func runDecide(ctx context.Context, opts *DecideOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	// The real server accepts a decision only from the user who has read
	// the authorization (the read binds it to them): without this, approve
	// and deny fail with oauth_authorization_not_found unless `get` ran
	// first. A read may approve at once (consented before).
	a, err := c.OAuth().GetAuthorizationDetails(ctx, opts.ID)
	if err != nil {
		return err
	}
	redirect := a.RedirectURL
	switch {
	case a.AlreadyApproved() && opts.Decision == "deny":
		return errApprovedOnRead
	case !a.AlreadyApproved():
		decide := c.OAuth().ApproveAuthorization
		if opts.Decision == "deny" {
			decide = c.OAuth().DenyAuthorization
		}
		if redirect, err = decide(ctx, opts.ID); err != nil {
			return err
		}
	}
	return opts.F.Print(map[string]string{"redirect_url": redirect}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintln(p.Out, redirect)
		return err
	})
}
