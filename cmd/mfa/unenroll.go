package mfa

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// UnenrollOptions of `authctl mfa unenroll`.
type UnenrollOptions struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	FactorID string
}

// NewCmdUnenroll builds `authctl mfa unenroll`.
func NewCmdUnenroll(f *cmdutil.Factory, runF func(context.Context, *UnenrollOptions) error) *cobra.Command {
	opts := &UnenrollOptions{F: f, Client: f.Client}
	return &cobra.Command{
		Use:   "unenroll FACTOR_ID",
		Short: "Remove a factor",
		Long: heredoc.Doc(`
			Remove one of your factors. Removing a verified factor needs an aal2 session (exit 4
			otherwise). The stored session keeps its level until it is refreshed.
		`),
		Example:           "  authctl mfa unenroll \"$FACTOR_ID\"",
		Args:              cmdutil.ExactArgs(1, "the factor ID"),
		ValidArgsFunction: shared.CompleteFactorIDs(f, 0),
		RunE:              cmdutil.RunE(opts, runF, runUnenroll, &opts.FactorID),
	}
}

func runUnenroll(ctx context.Context, opts *UnenrollOptions) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	id, err := c.MFA().Unenroll(ctx, opts.FactorID)
	if err != nil {
		return shared.ExplainAAL(err)
	}
	return opts.F.Print(map[string]string{"id": id}, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "%s Removed factor %s\n", p.CS.Green(p.CS.SuccessIcon()), id)
		return err
	})
}
