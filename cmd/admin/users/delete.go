package users

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// DeleteOptions of `authctl admin users delete`.
type DeleteOptions struct {
	F        *cmdutil.Factory
	ID       string
	Soft     bool
	Yes      bool
	IfExists bool
}

// deleted is the --json result: the server answers an empty object, which
// would not say what happened. Deleted is false only with --if-exists, for
// a user that did not exist.
type deleted struct {
	ID      string `json:"id"`
	Soft    bool   `json:"soft"`
	Deleted bool   `json:"deleted"`
}

// NewCmdDelete builds `authctl admin users delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{F: f}
	cmd := &cobra.Command{
		Use:   "delete ID [--soft] [--yes] [--if-exists]",
		Short: "Delete a user",
		Long: heredoc.Doc(`
			Delete a user and end their sessions. With --soft the server keeps an anonymised row
			(deleted_at set) instead of removing it; the user can no longer sign in either way.

			On a terminal it asks first, naming the user; --yes skips the question, and without a
			terminal --yes is required (exit code 2 otherwise). --if-exists makes deleting a user that
			does not exist a success, for cleanup scripts that may run twice.
		`),
		Example: heredoc.Doc(`
			  authctl admin users delete 3f9ee07b-db8d-4c5a-b606-4609c830a94d
			  authctl admin users delete "$(authctl admin users get --email ci@example.com --jq .id)" --soft --yes
			  authctl admin users delete "$ID" --yes --if-exists   # idempotent cleanup
		`),
		Args: cmdutil.ExactArgs(1, "the user ID"),
		RunE: shared.UserRunE(opts, runF, runDelete, &opts.ID),
	}
	cmd.Flags().BoolVar(&opts.Soft, "soft", false, "keep an anonymised row instead of removing the user")
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	cmd.Flags().BoolVar(&opts.IfExists, "if-exists", false, "succeed when the user does not exist")
	return cmd
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	err = cmdutil.ConfirmDestructive(opts.F, opts.Yes, func() (string, error) {
		u, err := c.Admin().GetUserByID(ctx, opts.ID)
		if err != nil {
			return "", err
		}
		how := "Delete"
		if opts.Soft {
			how = "Soft-delete"
		}
		return fmt.Sprintf("%s user %s (%s)?", how, shared.UserLabel(u), opts.ID), nil
	})
	if err == nil {
		err = c.Admin().DeleteUser(ctx, opts.ID, opts.Soft)
	}
	res := deleted{ID: opts.ID, Soft: opts.Soft, Deleted: err == nil}
	if err != nil && !(opts.IfExists && auth.ErrorCode(err) == "user_not_found") {
		return err
	}
	return opts.F.Print(res, func(p *cmdutil.Printer) error {
		msg := "Deleted user " + opts.ID
		switch {
		case !res.Deleted:
			msg = "User " + opts.ID + " does not exist: nothing to delete"
		case opts.Soft:
			msg = "Soft-deleted user " + opts.ID
		}
		_, err := fmt.Fprintln(p.Out, msg)
		return err
	})
}
