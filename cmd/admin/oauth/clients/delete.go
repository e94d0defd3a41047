package clients

import (
	"cmp"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// DeleteOptions of `authctl admin oauth clients delete`.
type DeleteOptions struct {
	F           *cmdutil.Factory
	AdminClient func() (*auth.Client, error)
	ClientID    string
	Yes         bool
}

// NewCmdDelete builds `authctl admin oauth clients delete`.
func NewCmdDelete(f *cmdutil.Factory, runF func(context.Context, *DeleteOptions) error) *cobra.Command {
	opts := &DeleteOptions{F: f, AdminClient: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "delete CLIENT_ID [--yes]",
		Short: "Remove a client",
		Long: heredoc.Doc(`
			Remove a client. On a terminal it asks first, naming the client; --yes skips
			the question, and without a terminal --yes is required (exit code 2 otherwise).
		`),
		Args: cmdutil.ExactArgs(1, "the CLIENT_ID"),
		RunE: cmdutil.RunE(opts, runF, runDelete, &opts.ClientID),
	}
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	return cmd
}

func runDelete(ctx context.Context, opts *DeleteOptions) error {
	c, err := opts.AdminClient()
	if err != nil {
		return err
	}
	o := c.Admin().OAuth()
	err = cmdutil.ConfirmDestructive(opts.F, opts.Yes, func() (string, error) {
		c, err := o.GetClient(ctx, opts.ClientID)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Delete OAuth client %q (%s)?", cmp.Or(c.ClientName, "(no name)"), opts.ClientID), nil
	})
	if err != nil {
		return err
	}
	if err := o.DeleteClient(ctx, opts.ClientID); err != nil {
		return err
	}
	res := map[string]any{"client_id": opts.ClientID, "deleted": true}
	return opts.F.Print(res, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintln(p.Out, "Deleted")
		return err
	})
}
