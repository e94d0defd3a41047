package users

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/bulk"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// ExportOptions of `authctl admin users export`.
type ExportOptions struct {
	F       *cmdutil.Factory
	Format  string
	PerPage int
	Output  string
	Filter  string
	// Admin replaces the server in tests; nil means the factory's client.
	Admin bulk.Lister
}

// NewCmdExport builds `authctl admin users export`.
func NewCmdExport(f *cmdutil.Factory, runF func(context.Context, *ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "export [--format jsonl|csv] [--output FILE] [--filter TEXT]",
		Short: "Write every user as JSON Lines or CSV",
		Long: heredoc.Docf(`
			Write every user of the project, oldest first, following the listing's Link header page
			by page. Users are written as each page arrives, so memory stays flat whatever the number
			of users. Each user is fetched again (the listing leaves out identities and factors).

			JSON Lines holds the full user objects. CSV holds the columns id, email, phone,
			email_confirmed_at, phone_confirmed_at, created_at, last_sign_in_at, banned_until, role,
			user_metadata and app_metadata (as JSON), and not_kept: what CSV cannot hold, by name
			(identity:github factor:totp new_email ...), summed up on stderr. Both import back
			with %[1]sadmin users import%[1]s, which reports what it cannot restore. Password hashes are
			not exported: the server never returns them. --filter keeps the users whose email (or
			name) contains TEXT, on the server.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl admin users export > users.jsonl
			  authctl admin users export --format csv --output users.csv
			  authctl admin users export --filter @example.com --output example.jsonl
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runExport),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "jsonl", "`FORMAT`: jsonl or csv")
	cmdutil.CompleteValues(cmd, "format", "jsonl", "csv")
	fl.IntVar(&opts.PerPage, "per-page", 500, "`N` users per request (1-1000)")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `FILE` instead of stdout")
	fl.StringVar(&opts.Filter, "filter", "", "only users whose email or name contains `TEXT`")
	return cmd
}

func runExport(ctx context.Context, opts *ExportOptions) (err error) {
	if opts.Format != "jsonl" && opts.Format != "csv" {
		return cmdutil.FlagErrorf("invalid --format %q: want jsonl or csv", opts.Format)
	}
	if opts.PerPage < 1 || opts.PerPage > 1000 {
		return cmdutil.FlagErrorf("invalid --per-page %d: want 1 to 1000", opts.PerPage)
	}
	lister := opts.Admin
	if lister == nil {
		c, err := opts.F.AdminClient()
		if err != nil {
			return err
		}
		lister = c.Admin()
	}
	ios := opts.F.IOStreams
	w := ios.Out
	if opts.Output != "" {
		f, err := os.OpenFile(opts.Output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return cmdutil.FlagErrorWrap(err)
		}
		defer func() { err = errors.Join(err, f.Close()) }()
		w = f
	}
	// The bar would mix with the users on a terminal's stdout: only when
	// they go elsewhere.
	tty := ios.IsStderrTTY() && (opts.Output != "" || !ios.IsStdoutTTY())
	progress := render.NewProgress(ios.ErrOut, tty, 0, "exporting")
	e := &bulk.Exporter{Admin: lister, Format: opts.Format, PerPage: opts.PerPage, Filter: opts.Filter, OnUser: func() { progress.Add(1) }}
	_, err = e.Export(ctx, w)
	progress.Done()
	if lines := e.NotKept.Messages(); len(lines) > 0 {
		opts.F.Warnf("CSV cannot hold identities, factors or extra fields: its not_kept column names them,\n"+
			"and `admin users import` reports them; --format jsonl keeps everything.\n  %s", strings.Join(lines, "\n  "))
	}
	return err
}
