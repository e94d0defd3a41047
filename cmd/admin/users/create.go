package users

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// CreateOptions of `authctl admin users create`.
type CreateOptions struct {
	F     *cmdutil.Factory
	ID    string
	Attrs attrFlags
}

// NewCmdCreate builds `authctl admin users create`.
func NewCmdCreate(f *cmdutil.Factory, runF func(context.Context, *CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "create (--email E | --phone P) [--password-stdin | --password-hash H] [flags]",
		Short: "Create a user (no email is sent)",
		Long: heredoc.Docf(`
			Create a user directly, without a confirmation message. Pass --email-confirm (or
			--phone-confirm) for a user who can sign in right away. The password is read from stdin
			with --password-stdin; a user may also have none (magic link, OAuth, %[1]sadmin users session%[1]s).
		`, "`"),
		Example: heredoc.Doc(`
			  echo "$PASSWORD" | authctl admin users create --email ci@example.com --password-stdin --email-confirm
			  authctl admin users create --phone +15555550100 --phone-confirm --app-metadata '{"plan":"pro"}'
			  authctl admin users create --email old@example.com --password-hash @hash.txt --user-metadata @profile.json
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Attrs.note(cmd)
			if opts.Attrs.Email == "" && opts.Attrs.Phone == "" {
				return cmdutil.FlagErrorf("give --email or --phone")
			}
			if opts.ID != "" {
				if err := shared.ValidateUserID(opts.ID); err != nil {
					return err
				}
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runCreate)
		},
	}
	opts.Attrs.register(cmd)
	cmd.Flags().StringVar(&opts.ID, "id", "", "choose the new user's `ID` (a UUID)")
	return cmd
}

func runCreate(ctx context.Context, opts *CreateOptions) error {
	attrs, err := opts.Attrs.build(opts.F)
	if err != nil {
		return err
	}
	attrs.ID = opts.ID
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	u, err := c.Admin().CreateUser(ctx, attrs)
	if err != nil {
		return err
	}
	return opts.F.Print(u, func(p *cmdutil.Printer) error { return shared.PrintUser(p, u) })
}

// fileOrValue reads @file values (a hash is easier to keep in a file than
// to quote in a shell).
func fileOrValue(flag, v string) (string, error) {
	name, ok := strings.CutPrefix(v, "@")
	if !ok {
		return v, nil
	}
	b, err := shared.ReadFlagFile(flag, name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
