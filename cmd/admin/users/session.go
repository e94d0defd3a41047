package users

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// SessionOptions of `authctl admin users session`.
type SessionOptions struct {
	F     *cmdutil.Factory
	ID    string
	Email string
	Save  bool
}

// NewCmdSession builds `authctl admin users session`.
func NewCmdSession(f *cmdutil.Factory, runF func(context.Context, *SessionOptions) error) *cobra.Command {
	opts := &SessionOptions{F: f}
	cmd := &cobra.Command{
		Use:   "session (ID | --email E) [--save]",
		Short: "Mint a real session for a user, without their password (for tests)",
		Long: heredoc.Docf(`
			Sign in as a user without knowing their password, for tests (RLS policies, API calls in
			CI): a magic link is generated for the user (POST /admin/generate_link) and its token
			verified (POST /verify), which gives a real session. It needs the service-role key, and
			is meant for tests: anyone with that key can become any user this way.

			The user needs an email address, not a password: OAuth users, and phone users with an
			email, work too. Banned users are refused with the server's message.

			Prints the access token alone, or the Session with --json. The profile's stored session
			is left as it was unless --save, which makes the new session the profile's current one:
			%[1]sauthctl token%[1]s, %[1]sauthctl api%[1]s and every user command then act as this user.
		`, "`"),
		Example: heredoc.Doc(`
			  TOKEN=$(authctl admin users session --email ci@example.com)
			  authctl admin users session "$ID" --save && authctl user
			  authctl admin users session "$ID" --json --jq .refresh_token
		`),
		Args: cmdutil.MaximumNArgs(1, "one user ID"),
		RunE: cmdutil.CheckedRunE(opts, func(o *SessionOptions) error { return userSelector(o.ID, o.Email) }, runF, runSession, &opts.ID),
	}
	cmd.Flags().StringVar(&opts.Email, "email", "", "find the user by `EMAIL` address instead of id")
	cmd.Flags().BoolVar(&opts.Save, "save", false, "store the session as the profile's current session")
	return cmd
}

func runSession(ctx context.Context, opts *SessionOptions) error {
	f := opts.F
	admin, err := f.AdminClient()
	if err != nil {
		return err
	}
	u, err := findUser(ctx, admin.Admin(), opts.ID, opts.Email)
	if err != nil {
		return err
	}
	if u.Email == "" {
		return fmt.Errorf("user %s has no email address: a session is minted through a magic link, which needs one", u.ID)
	}
	link, err := admin.Admin().GenerateLink(ctx, auth.GenerateLinkParams{Type: auth.LinkMagicLink, Email: u.Email})
	if err != nil {
		return err
	}
	// Which client verifies decides where the session goes: the user client
	// stores it in the profile (--save); the admin client keeps sessions in
	// memory only, so without --save the profile's session is untouched.
	verifier := admin
	if opts.Save {
		if verifier, err = f.Client(); err != nil {
			return err
		}
	}
	ar, err := verifier.VerifyOTP(ctx, auth.VerifyOTPParams{TokenHash: link.Properties.HashedToken, Type: auth.OTPMagicLink})
	if err != nil {
		return err
	}
	s := ar.Session
	if s == nil || s.AccessToken == "" {
		return fmt.Errorf("the server verified the link but returned no session")
	}
	if s.User.ID != u.ID {
		return fmt.Errorf("the server returned a session for user %s, not %s", s.User.ID, u.ID)
	}
	if opts.Save && f.Target != nil {
		if t, err := f.Target(); err == nil {
			f.Infof("Saved as the current session of profile %s (%s)", t.Profile, u.Email)
		}
	}
	if f.WantsJSON() {
		return f.PrintJSON(s)
	}
	_, err = fmt.Fprintln(f.IOStreams.Out, s.AccessToken)
	return err
}
