package users

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// GetOptions of `authctl admin users get`.
type GetOptions struct {
	F     *cmdutil.Factory
	ID    string
	Email string
}

// NewCmdGet builds `authctl admin users get`.
func NewCmdGet(f *cmdutil.Factory, runF func(context.Context, *GetOptions) error) *cobra.Command {
	opts := &GetOptions{F: f}
	cmd := &cobra.Command{
		Use:   "get (ID | --email E)",
		Short: "Show one user, by id or by email",
		Long: heredoc.Doc(`
			Show a user. With --email the address must match exactly one user (case-insensitive):
			no match, or several users with that address, fails with exit code 1.
		`),
		Example: heredoc.Doc(`
			  authctl admin users get 3f9ee07b-db8d-4c5a-b606-4609c830a94d
			  authctl admin users get --email ci@example.com --jq .id
		`),
		Args: cmdutil.MaximumNArgs(1, "one user ID"),
		RunE: cmdutil.CheckedRunE(opts, func(o *GetOptions) error { return userSelector(o.ID, o.Email) }, runF, runGet, &opts.ID),
	}
	cmd.Flags().StringVar(&opts.Email, "email", "", "find the user by `EMAIL` address instead of id")
	return cmd
}

func runGet(ctx context.Context, opts *GetOptions) error {
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	u, err := findUser(ctx, c.Admin(), opts.ID, opts.Email)
	if err != nil {
		return err
	}
	return opts.F.Print(u, func(p *cmdutil.Printer) error { return shared.PrintUser(p, u) })
}

// userSelector checks that a user is named one way, and well.
func userSelector(id, email string) error {
	switch {
	case id != "" && email != "":
		return cmdutil.FlagErrorf("give either a user ID or --email, not both")
	case id != "":
		return shared.ValidateUserID(id)
	case email != "":
		return shared.ValidateEmail(email)
	}
	return cmdutil.FlagErrorf("missing the user: give its ID or --email")
}

// findUser fetches the user by id, or resolves email to exactly one user.
func findUser(ctx context.Context, admin *auth.AdminAPI, id, email string) (*auth.User, error) {
	if id != "" {
		return admin.GetUserByID(ctx, id)
	}
	return userByEmail(ctx, admin, email)
}

// userByEmail lists the users the server's filter matches and keeps the
// exact (case-insensitive) matches. The SDK's GetUserByEmail stops at the
// first one; here a second match is an error, since SSO users may share an
// address with another user and acting on the wrong one is worse than
// asking for the id.
func userByEmail(ctx context.Context, admin *auth.AdminAPI, email string) (*auth.User, error) {
	var matches []auth.User
	// The server stores addresses in lower case and its filter compares
	// emails case-sensitively (LIKE): lower-case the filter, compare folded.
	filter := strings.ToLower(email)
	err := admin.ListAllUsers(ctx, auth.ListUsersParams{Filter: filter, PerPage: 100}, func(u auth.User) error {
		if strings.EqualFold(u.Email, email) {
			matches = append(matches, u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("no user has the email %s", email)
	case 1:
		// The server's listing leaves identities and factors out (it answers
		// "identities": null); only the user's own endpoint has them.
		return admin.GetUserByID(ctx, matches[0].ID)
	}
	ids := make([]string, len(matches))
	for i, u := range matches {
		ids[i] = u.ID
	}
	return nil, fmt.Errorf("%d users have the email %s (%s): name one by its ID", len(matches), email, strings.Join(ids, ", "))
}
