package profile

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/cmd/status"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// ListOptions of `authctl profile list`.
type ListOptions struct {
	F *cmdutil.Factory
}

// NewCmdList builds `authctl profile list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	return &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List the profiles with their URL and signed-in user",
		Long: heredoc.Docf(`
			List every profile of config.yaml with its Auth URL and the user its stored session belongs to
			(local state only, no network call). The profile in use is marked with *. --json prints the
			objects of %[1]sstatus --all --json%[1]s.
		`, "`"),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runList),
	}
}

func runList(ctx context.Context, opts *ListOptions) error {
	f := opts.F
	names, current, err := cmdutil.ProfileNames(f)
	if err != nil {
		return err
	}
	all := make([]*status.Status, 0, len(names))
	users := make([]string, 0, len(names))
	for _, name := range names {
		st, s, err := status.Read(ctx, f.ForProfile(name))
		if err != nil {
			return fmt.Errorf("profile %s: %w", name, err)
		}
		st.Current = name == current
		user := "-"
		if s != nil {
			user = shared.UserLabel(&s.User)
		}
		all, users = append(all, st), append(users, user)
	}
	return f.Print(all, func(p *cmdutil.Printer) error {
		tb := render.NewTable(p.Out, p.IsTTY, p.Width)
		tb.SetHeader("", "profile", "url", "user")
		for i, st := range all {
			mark := " "
			if st.Current {
				mark = "*"
			}
			tb.AddRow(mark, st.Profile, st.URL, users[i])
		}
		return tb.Render()
	})
}
