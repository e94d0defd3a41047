package users

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// maxPerPage is the largest page the list asks for: pages are held whole in
// memory, and a thousand users with identities is already megabytes.
const maxPerPage = 1000

// allPerPage is --all's page size unless --per-page says otherwise: fewer
// round trips, and still one bounded page in memory at a time.
const allPerPage = 500

// ListOptions of `authctl admin users list`.
type ListOptions struct {
	F       *cmdutil.Factory
	Page    int
	PerPage int
	All     bool
	Filter  string
	Columns []string
}

// NewCmdList builds `authctl admin users list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list [--page N --per-page N | --all] [--filter TEXT]",
		Short: "List users, one page or all of them",
		Long: heredoc.Doc(`
			List the project's users, newest first. Without --all one page is shown and stderr says
			how to get the next. --all follows the server's Link header page after page and writes
			users as each page arrives, so memory stays flat whatever the number of users.
			--filter keeps the users whose email (or name) contains TEXT, on the server.

			--json prints the server's page object {"users":[…],"aud":…} with the total and the
			next and last page numbers (users is [] when empty). With --all it prints JSON Lines
			instead, one user object per line (nothing at all when there are no users), and --jq
			applies to each user.
		`),
		Example: heredoc.Doc(`
			  authctl admin users list
			  authctl admin users list --page 2 --per-page 100
			  authctl admin users list --all --filter @example.com --json | jq -r .id
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.All && (cmd.Flags().Changed("page")) {
				return cmdutil.FlagErrorf("--all lists every page: it does not go with --page")
			}
			if opts.All && !cmd.Flags().Changed("per-page") {
				opts.PerPage = allPerPage
			}
			if opts.Page < 1 {
				return cmdutil.FlagErrorf("invalid --page %d: pages start at 1", opts.Page)
			}
			if opts.PerPage < 1 || opts.PerPage > maxPerPage {
				return cmdutil.FlagErrorf("invalid --per-page %d: want 1 to %d", opts.PerPage, maxPerPage)
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runList)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Page, "page", 1, "`N`th page to show (1-based)")
	fl.IntVar(&opts.PerPage, "per-page", 50, fmt.Sprintf("`N` users per page (1-%d; %d with --all)", maxPerPage, allPerPage))
	fl.BoolVar(&opts.All, "all", false, "every user, streamed page by page")
	fl.StringVar(&opts.Filter, "filter", "", "only users whose email or name contains `TEXT`")
	cmdutil.AddColumnsFlag(cmd, &opts.Columns, userColumns)
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	c, err := opts.F.AdminClient()
	if err != nil {
		return err
	}
	params := auth.ListUsersParams{Page: opts.Page, PerPage: opts.PerPage, Filter: opts.Filter}
	if opts.All {
		return listAll(ctx, opts.F, c.Admin(), params, opts.Columns)
	}
	page, err := c.Admin().ListUsers(ctx, params)
	if err != nil {
		return err
	}
	if err := opts.F.Print(page, func(p *cmdutil.Printer) error {
		t := newUserTable(p, true, opts.Columns)
		for i := range page.Users {
			t.add(&page.Users[i])
		}
		_, err := t.render()
		return err
	}); err != nil {
		return err
	}
	pageHint(opts, page)
	return nil
}

// pageHint tells on stderr where the page sits and how to get the next one,
// so stdout holds only users.
func pageHint(opts *ListOptions, page *auth.UserList) {
	ios := opts.F.IOStreams
	switch {
	case page.NextPage > 0:
		fmt.Fprintf(ios.ErrOut, "page %d of %d (%d users): next page with --page %d --per-page %d, or every user with --all\n",
			opts.Page, max(page.LastPage, page.NextPage), page.Total, page.NextPage, opts.PerPage)
	case len(page.Users) == 0 && page.Total > 0:
		fmt.Fprintf(ios.ErrOut, "page %d is past the last page (%d users, %d per page)\n", opts.Page, page.Total, opts.PerPage)
	case len(page.Users) == 0 && !opts.F.WantsJSON():
		fmt.Fprintln(ios.ErrOut, "no users")
	}
}

// listAll streams every user: each page is written, then dropped, before the
// next is fetched. The table is rendered per page (header once) for the same
// reason, so its columns align within a page only; every page shows the
// columns the first one chose.
func listAll(ctx context.Context, f *cmdutil.Factory, admin *auth.AdminAPI, params auth.ListUsersParams, columns []string) error {
	n := 0
	if f.WantsJSON() {
		// Buffered and flushed once a page: a write call per user would cost
		// more than everything else the listing does.
		bw := bufio.NewWriterSize(f.IOStreams.Out, 64<<10)
		lw, err := render.NewLineWriter(bw, render.JSONOptions{JQ: f.Flags.JQ, Color: f.IOStreams.ColorEnabled()})
		if err != nil {
			return cmdutil.FlagErrorWrap(err)
		}
		// The server's objects pass through undecoded: every field, and the
		// CPU of a plain pager rather than of decoding and re-encoding.
		err = admin.ListAllUsersRaw(ctx, params, func(u json.RawMessage) error {
			if err := lw.Write(u); err != nil {
				return err
			}
			if n++; n%params.PerPage == 0 {
				return bw.Flush()
			}
			return nil
		})
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return err
	}
	p := f.Printer()
	var t *userTable
	flush := func() error {
		if t == nil {
			return nil
		}
		var err error
		columns, err = t.render()
		t = nil
		return err
	}
	err := admin.ListAllUsers(ctx, params, func(u auth.User) error {
		if t == nil {
			t = newUserTable(p, n == 0, columns)
		}
		t.add(&u)
		n++
		if n%params.PerPage == 0 {
			return flush()
		}
		return nil
	})
	if ferr := flush(); err == nil {
		err = ferr
	}
	if err == nil && n == 0 {
		fmt.Fprintln(f.IOStreams.ErrOut, "no users")
	}
	return err
}
