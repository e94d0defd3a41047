package adminmfa

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// DeleteOptions of `authctl admin mfa delete`.
type DeleteOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	UserID      string
	FactorID    string
	Yes         bool
}

// NewCmdDelete builds `authctl admin mfa delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "delete USER_ID FACTOR_ID [--yes]",
		Short: "Delete a user's factor (a lost authenticator)",
		Long: heredoc.Docf(`
			Delete one of a user's factors. The user's existing aal2 sessions keep their level until
			refreshed; sign them out with %[1]sauthctl admin signout%[1]s to end them.

			On a terminal it asks first, naming the factor and the user; --yes skips the question, and
			without a terminal --yes is required (exit code 2 otherwise).
		`, "`"),
		Example:           "  authctl admin mfa delete \"$USER_ID\" \"$FACTOR_ID\" --yes",
		Args:              cmdutil.ExactArgs(2, "the user ID and the factor ID"),
		ValidArgsFunction: factors.CompleteIDs(f),
		RunE:              shared.UserRunE(opts, runF, runDelete, &opts.UserID, &opts.FactorID),
	}
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	return cmd
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	return factors.DeleteOne(ctx, opts.F, opts.AdminClient, opts.UserID, opts.FactorID, opts.Yes)
}

// factorLabel names factor id among the user's factors as people know it:
// its type and friendly name.
func factorLabel(fs []auth.Factor, id string) string {
	for _, fa := range fs {
		if fa.ID == id && fa.FriendlyName != "" {
			return fmt.Sprintf("the %s factor %q (%s)", fa.FactorType, fa.FriendlyName, id)
		}
		if fa.ID == id {
			return fmt.Sprintf("the %s factor %s", fa.FactorType, id)
		}
	}
	return "factor " + id
}
