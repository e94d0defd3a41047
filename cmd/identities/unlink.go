package identities

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// UnlinkOptions of `authctl identities unlink`.
type UnlinkOptions struct {
	F          *cmdutil.Factory
	Client     func() (*auth.Client, error)
	IdentityID string
}

// NewCmdUnlink builds `authctl identities unlink`.
func NewCmdUnlink(f *cmdutil.Factory, runF func(context.Context, *UnlinkOptions) error) *cobra.Command {
	opts := &UnlinkOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "unlink IDENTITY_ID",
		Short: "Unlink an identity (its identity_id, from `authctl identities list`)",
		Long:  "Unlink an identity. The server refuses to unlink the last one (single_identity_not_deletable).",
		Args:  cmdutil.ExactArgs(1, "the IDENTITY_ID"),
		RunE:  cmdutil.RunE(opts, runF, runUnlink, &opts.IdentityID),
	}
}

func runUnlink(ctx context.Context, opts *UnlinkOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	// Found first, so a typo is a clear error rather than the server's 404,
	// and the human output can name the provider.
	ids, err := c.GetUserIdentities(ctx)
	if err != nil {
		return err
	}
	var found *auth.UserIdentity
	for i := range ids {
		if ids[i].IdentityID == opts.IdentityID {
			found = &ids[i]
			break
		}
	}
	if found == nil {
		return cmdutil.FlagErrorf("no identity %q is linked to this user: see `authctl identities list`", opts.IdentityID)
	}
	if err := c.UnlinkIdentity(ctx, opts.IdentityID); err != nil {
		return err
	}
	return opts.F.Print(found, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "Unlinked the %s identity %s.\n", found.Provider, found.IdentityID)
		return err
	})
}
