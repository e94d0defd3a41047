package users

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/cmdutil"
)

// DeleteOptions of `authctl admin users delete`.
type DeleteOptions struct {
	F    *cmdutil.Factory
	ID   string
	Soft bool
}

// deleted is the --json result: the server answers an empty object, which
// would not say what happened.
type deleted struct {
	ID   string `json:"id"`
	Soft bool   `json:"soft"`
}

// NewCmdDelete builds `authctl admin users delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{F: f}
	cmd := &cobra.Command{
		Use:   "delete ID [--soft]",
		Short: "Delete a user",
		Long: "Delete a user and end their sessions. With --soft the server keeps an anonymised row\n" +
			"(deleted_at set) instead of removing it; the user can no longer sign in either way.",
		Example: "  authctl admin users delete 3f9ee07b-db8d-4c5a-b606-4609c830a94d\n" +
			"  authctl admin users delete \"$(authctl admin users get --email ci@example.com --jq .id)\" --soft",
		Args: cmdutil.ExactArgs(1, "the user ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if err := shared.ValidateUserID(opts.ID); err != nil {
				return err
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runDelete)
		},
	}
	cmd.Flags().BoolVar(&opts.Soft, "soft", false, "keep an anonymised row instead of removing the user")
	return cmd
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	if err := c.Admin().DeleteUser(ctx, opts.ID, opts.Soft); err != nil {
		return err
	}
	return opts.F.Print(deleted{ID: opts.ID, Soft: opts.Soft}, func(p *cmdutil.Printer) error {
		how := "Deleted"
		if opts.Soft {
			how = "Soft-deleted"
		}
		_, err := fmt.Fprintf(p.Out, "%s user %s\n", how, opts.ID)
		return err
	})
}
