// Package adminmfa implements `authctl admin mfa`: list and delete any
// user's factors with the service-role key, e.g. for a lost authenticator.
package adminmfa

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/admin/users"
	"github.com/authctl/authctl/cmd/mfa"
	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdAdminMFA builds `authctl admin mfa`.
func NewCmdAdminMFA(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mfa <command>",
		Short: "List and delete users' second factors",
	}
	cmd.AddCommand(newCmdList(f), newCmdDelete(f))
	return cmd
}

func newCmdList(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "list USER_ID",
		Short:   "List a user's factors, verified or not",
		Example: "  authctl admin mfa list 3f9ee07b-db8d-4c5a-b606-4609c830a94d",
		Args:    cmdutil.ExactArgs(1, "the user ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := users.ValidateUserID(args[0]); err != nil {
				return err
			}
			c, err := f.AdminClient()
			if err != nil {
				return err
			}
			fs, err := c.Admin().MFA().ListFactors(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return f.Print(fs, func(p *cmdutil.Printer) error { return mfa.FactorTable(p, fs) })
		},
	}
}

func newCmdDelete(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "delete USER_ID FACTOR_ID",
		Short: "Delete a user's factor (a lost authenticator)",
		Long: "Delete one of a user's factors. The user's existing aal2 sessions keep their level until\n" +
			"refreshed; sign them out with `authctl admin signout` to end them.",
		Example: "  authctl admin mfa delete \"$USER_ID\" \"$FACTOR_ID\"",
		Args:    cmdutil.ExactArgs(2, "the user ID and the factor ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := users.ValidateUserID(args[0]); err != nil {
				return err
			}
			c, err := f.AdminClient()
			if err != nil {
				return err
			}
			fa, err := c.Admin().MFA().DeleteFactor(cmd.Context(), args[0], args[1])
			if err != nil {
				return err
			}
			if fa.ID == "" {
				fa.ID = args[1]
			}
			return f.Print(fa, func(p *cmdutil.Printer) error {
				_, err := fmt.Fprintf(p.Out, "%s Deleted factor %s of user %s\n", p.CS.Green(p.CS.SuccessIcon()), fa.ID, args[0])
				return err
			})
		},
	}
}
