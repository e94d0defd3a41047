// Package user implements `authctl user`: the signed-in user, fresh from the
// server.
package user

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
)

// Options of `authctl user`.
type Options struct {
	F      *cmdutil.Factory
	Client func() (*auth.Client, error)
}

// NewCmdUser builds `authctl user`.
func NewCmdUser(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Show the signed-in user (always asks the server)",
		Args:  cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmdutil.Run(cmd.Context(), opts, runF, runUser)
		},
	}
	cmd.AddCommand(NewCmdUpdate(f, nil))
	return cmd
}

func runUser(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	u, err := c.GetUser(ctx, "")
	if err != nil {
		return err
	}
	return opts.F.Print(u, func(p *cmdutil.Printer) error { return PrintUser(p, u) })
}

// PrintUser writes the human view of a user.
func PrintUser(p *cmdutil.Printer, u *auth.User) error {
	cs := p.CS
	rows := [][2]string{
		{"id", u.ID},
		{"email", u.Email + confirmed(u.Email, u.EmailConfirmedAt)},
		{"phone", u.Phone + confirmed(u.Phone, u.PhoneConfirmedAt)},
		{"providers", strings.Join(u.AppMetadata.Providers(), ", ")},
		{"role", u.Role},
		{"anonymous", yesNo(u.IsAnonymous)},
		{"created", u.CreatedAt},
		{"last sign-in", u.LastSignInAt},
	}
	if u.BannedUntil != "" {
		rows = append(rows, [2]string{"banned until", u.BannedUntil})
	}
	if _, err := fmt.Fprintln(p.Out, cs.Bold(shared.UserLabel(u))); err != nil {
		return err
	}
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(p.Out, "  %-13s %s\n", r[0]+":", r[1]); err != nil {
			return err
		}
	}
	return nil
}

func confirmed(value, at string) string {
	switch {
	case value == "":
		return ""
	case at == "":
		return " (unconfirmed)"
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
