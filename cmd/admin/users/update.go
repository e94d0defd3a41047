package users

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// UpdateOptions of `authctl admin users update`.
type UpdateOptions struct {
	F     *cmdutil.Factory
	ID    string
	Attrs attrFlags
}

// NewCmdUpdate builds `authctl admin users update`.
func NewCmdUpdate(f *cmdutil.Factory, runF func(context.Context, *UpdateOptions) error) *cobra.Command {
	opts := &UpdateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "update ID [flags]",
		Short: "Change a user's attributes",
		Long: heredoc.Doc(`
			Change the attributes given; the others keep their value. Metadata objects are merged
			into the user's by the server. --ban-duration none lifts a ban.
		`),
		Example: heredoc.Doc(`
			  authctl admin users update 3f9ee07b-db8d-4c5a-b606-4609c830a94d --email-confirm
			  authctl admin users update "$ID" --ban-duration 24h
			  echo "$NEW_PASSWORD" | authctl admin users update "$ID" --password-stdin
		`),
		Args: cmdutil.ExactArgs(1, "the user ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			opts.Attrs.note(cmd)
			if err := shared.ValidateUserID(opts.ID); err != nil {
				return err
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runUpdate)
		},
	}
	opts.Attrs.register(cmd)
	// Supabase Auth reads a password hash on create only: kept for the
	// message below, not offered.
	_ = cmd.Flags().MarkHidden("password-hash")
	return cmd
}

func runUpdate(ctx context.Context, opts *UpdateOptions) error {
	if opts.Attrs.PasswordHash != "" {
		return cmdutil.FlagErrorf("--password-hash works with create only: Supabase Auth ignores a password hash on " +
			"update and keeps the password; set a new one with --password-stdin, or delete the user and create it again")
	}
	attrs, err := opts.Attrs.build(opts.F)
	if err != nil {
		return err
	}
	if reflect.ValueOf(attrs).IsZero() {
		return cmdutil.FlagErrorf("nothing to change: give at least one attribute flag")
	}
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	var u *auth.User
	if u, err = c.Admin().UpdateUserByID(ctx, opts.ID, attrs); err != nil {
		return takenContactHint(err, opts.Attrs)
	}
	return opts.F.Print(u, func(p *cmdutil.Printer) error { return shared.PrintUser(p, u) })
}

// takenContactHint explains the server's bare 500 "Error updating user" on a
// new email or phone: the server does not check whether another user has
// it, its database refuses the write, and the answer does not say why.
func takenContactHint(err error, a attrFlags) error {
	var ae auth.Error
	if a.Email == "" && a.Phone == "" || !errors.As(err, &ae) || ae.Base().Status != http.StatusInternalServerError {
		return err
	}
	hint := "the server answers this when another user already has the new phone number"
	if a.Email != "" {
		hint = fmt.Sprintf("the server answers this when another user already has the new email or phone: "+
			"look with `authctl admin users get --email %s`", a.Email)
	}
	return &cmdutil.HintedError{Err: err, Hint: hint}
}
