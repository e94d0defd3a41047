// Package adminmfa implements `authctl admin mfa`: list and delete any
// user's factors with the service-role key, e.g. for a lost authenticator.
package adminmfa

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdAdminMFA builds `authctl admin mfa`.
func NewCmdAdminMFA(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mfa <command>",
		Short: "List and delete users' second factors",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// factors are a user's MFA factors as the admin commands see them.
var factors = shared.UserItems[auth.Factor]{
	Noun: "factor",
	List: func(ctx context.Context, c *auth.Client, userID string) ([]auth.Factor, error) {
		return c.Admin().MFA().ListFactors(ctx, userID)
	},
	Delete: func(ctx context.Context, c *auth.Client, userID, id string) (any, error) {
		fa, err := c.Admin().MFA().DeleteFactor(ctx, userID, id)
		if err != nil {
			return nil, err
		}
		if fa.ID == "" {
			fa.ID = id
		}
		return fa, nil
	},
	Label:       factorLabel,
	Completions: shared.FactorCompletions,
}
