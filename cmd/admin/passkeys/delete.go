package adminpasskeys

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// DeleteOptions of `authctl admin passkeys delete`.
type DeleteOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	UserID      string
	PasskeyID   string
	Yes         bool
}

// NewCmdDelete builds `authctl admin passkeys delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "delete USER_ID PASSKEY_ID [--yes]",
		Short: "Delete a user's passkey (a lost device)",
		Long: heredoc.Docf(`
			Delete one of a user's passkeys: it no longer signs in. Sessions it started go on until
			they end; sign them out with %[1]sauthctl admin signout%[1]s.

			On a terminal it asks first, naming the passkey and the user; --yes skips the question, and
			without a terminal --yes is required (exit code 2 otherwise).
		`, "`"),
		Example:           "  authctl admin passkeys delete \"$USER_ID\" \"$PASSKEY_ID\" --yes",
		Args:              cmdutil.ExactArgs(2, "the user ID and the passkey ID"),
		ValidArgsFunction: passkeys.CompleteIDs(f),
		RunE:              shared.UserRunE(opts, runF, runDelete, &opts.UserID, &opts.PasskeyID),
	}
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	return cmd
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	return passkeys.DeleteOne(ctx, opts.F, opts.AdminClient, opts.UserID, opts.PasskeyID, opts.Yes)
}

// passkeyLabel names passkey id among the user's as people know it: by its
// friendly name.
func passkeyLabel(ks []auth.Passkey, id string) string {
	for _, k := range ks {
		if k.ID == id && k.FriendlyName != "" {
			return fmt.Sprintf("the passkey %q (%s)", k.FriendlyName, id)
		}
	}
	return "passkey " + id
}
