package users

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/bulk"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// ImportOptions of `authctl admin users import`.
type ImportOptions struct {
	F           *cmdutil.Factory
	File        string
	Format      string
	HashConfig  string
	Concurrency int
	DryRun      bool
	OnConflict  string
	Report      string
	// ConfirmEmails marks the unverified emails of a Firebase export
	// confirmed, as Firebase let those users sign in.
	ConfirmEmails bool
	// Admin replaces the server in tests; nil means the factory's client.
	Admin bulk.Admin
}

// NewCmdImport builds `authctl admin users import`.
func NewCmdImport(f *cmdutil.Factory, runF func(context.Context, *ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "import FILE [--format jsonl|csv|firebase] [--concurrency N] [--dry-run] [--on-conflict skip|update|fail]",
		Short: "Create users from a JSON Lines, CSV or Firebase Auth export",
		Long: heredoc.Docf(`
			Create every user of FILE. The whole file is validated first (errors name the line) and
			nothing is sent unless every row is valid. Users are created concurrently; 429 and
			502/503/504 answers are retried with backoff. Failed rows and their errors are written to
			the report (FILE.report.jsonl); the exit code is 1 when any row failed.

			Each row's user id is fixed (its id column, else derived from its Firebase uid, email or
			phone), so an interrupted import can simply be run again: users an earlier run created
			are recognised and skipped, never created twice. --on-conflict decides what happens to
			a row whose email or phone belongs to another, pre-existing user.

			Formats: jsonl (the output of %[1]sadmin users export%[1]s, or objects with the fields of
			%[1]sadmin users create%[1]s: email, phone, password or password_hash, email_confirm,
			phone_confirm, user_metadata, app_metadata, ban_duration, role, id); csv (a header row
			naming the same columns; metadata as JSON); firebase (the JSON of %[1]sfirebase auth:export%[1]s
			with --hash-config: see docs/firebase-migration.md).

			What the admin API cannot create is named, not dropped silently: verified MFA factors
			(those users enrol again), OAuth and SSO identities (those users sign in with the provider
			to link it again), and a Firebase user's unverified email (--confirm-emails marks it
			confirmed, as Firebase let them sign in; otherwise a project that requires confirmation
			refuses their password until they confirm).
		`, "`"),
		Example: heredoc.Doc(`
			  authctl admin users export > users.jsonl
			  authctl admin users import users.jsonl --concurrency 16
			  authctl admin users import people.csv --dry-run
			  authctl admin users import firebase-users.json --format firebase --hash-config hash.txt
		`),
		Args: cmdutil.ExactArgs(1, "the FILE to import"),
		RunE: cmdutil.RunE(opts, runF, runImport, &opts.File),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "", "`FORMAT`: jsonl, csv or firebase (default: csv for *.csv, else jsonl)")
	fl.StringVar(&opts.HashConfig, "hash-config", "", "`FILE` of the Firebase project's password hash parameters (with --format firebase)")
	fl.IntVar(&opts.Concurrency, "concurrency", 8, "`N` users created at once (1-64)")
	fl.BoolVar(&opts.DryRun, "dry-run", false, "validate the file and stop; nothing is sent")
	fl.StringVar(&opts.OnConflict, "on-conflict", "skip", "`ACTION` when another user has the row's email or phone: skip, update or fail")
	cmdutil.CompleteValues(cmd, "format", "jsonl", "csv", "firebase")
	cmdutil.CompleteValues(cmd, "on-conflict", "skip", "update", "fail")
	fl.StringVar(&opts.Report, "report", "", "`FILE` to write failed rows to (default FILE.report.jsonl)")
	fl.BoolVar(&opts.ConfirmEmails, "confirm-emails", false, "mark unverified Firebase emails confirmed (Firebase's behaviour)")
	return cmd
}

// importSummary is the --json result of an import.
type importSummary struct {
	Rows        int     `json:"rows"`
	Created     int     `json:"created"`
	Existing    int     `json:"existing"`
	Skipped     int     `json:"skipped"`
	Updated     int     `json:"updated"`
	Failed      int     `json:"failed"`
	Retries     int64   `json:"retries"`
	Seconds     float64 `json:"seconds"`
	DryRun      bool    `json:"dry_run,omitempty"`
	Interrupted bool    `json:"interrupted,omitempty"`
	Report      string  `json:"report,omitempty"`
	// NotRestored says what the file had that the admin API cannot create.
	NotRestored []string `json:"not_restored"`
}

func runImport(ctx context.Context, opts *ImportOptions) error {
	read, err := importReader(opts)
	if err != nil {
		return err
	}
	if opts.Concurrency < 1 || opts.Concurrency > 64 {
		return cmdutil.FlagErrorf("invalid --concurrency %d: want 1 to 64", opts.Concurrency)
	}
	conflict := bulk.Conflict(opts.OnConflict)
	if conflict != bulk.ConflictSkip && conflict != bulk.ConflictUpdate && conflict != bulk.ConflictFail {
		return cmdutil.FlagErrorf("invalid --on-conflict %q: want skip, update or fail", opts.OnConflict)
	}
	if opts.ConfirmEmails {
		read = confirmEmails(read)
	}
	start := time.Now() // a stopwatch for the summary's seconds, not a timestamp
	v, err := bulk.Validate(read)
	if err != nil {
		// A reader that stops names the line; the file goes with it, as
		// with invalid rows.
		return fmt.Errorf("%s: %w", opts.File, err)
	}
	if v.ErrorCount > 0 {
		for _, e := range v.Errors {
			fmt.Fprintf(opts.F.IOStreams.ErrOut, "%s: %v\n", opts.File, e)
		}
		if more := v.ErrorCount - len(v.Errors); more > 0 {
			fmt.Fprintf(opts.F.IOStreams.ErrOut, "%s: … and %d more invalid rows\n", opts.File, more)
		}
		return fmt.Errorf("%d of %d rows are invalid: nothing was imported", v.ErrorCount, v.ErrorCount+v.Rows)
	}
	out := importSummary{Rows: v.Rows, DryRun: opts.DryRun, NotRestored: v.Losses.Messages(opts.ConfirmEmails)}
	for _, m := range out.NotRestored {
		opts.F.Warnf("%s", m)
	}
	if opts.DryRun {
		out.Seconds = time.Since(start).Seconds()
		return opts.F.Print(out, func(p *cmdutil.Printer) error {
			_, err := fmt.Fprintf(p.Out, "%d rows are valid; nothing was sent (--dry-run)\n", v.Rows)
			return err
		})
	}
	return importRows(ctx, opts, read, conflict, out, start)
}

// importRows is the second pass: the file is read again rather than kept,
// so memory does not grow with its size.
func importRows(ctx context.Context, opts *ImportOptions, read func(bulk.RowFunc) error, conflict bulk.Conflict, out importSummary, start time.Time) error {
	admin := opts.Admin
	if admin == nil {
		c, err := opts.F.AdminClient()
		if err != nil {
			return err
		}
		admin = c.Admin()
	}
	reportPath := opts.Report
	if reportPath == "" {
		reportPath = opts.File + ".report.jsonl"
	}
	report, err := bulk.NewReport(reportPath)
	if err != nil {
		return err
	}
	ios := opts.F.IOStreams
	progress := render.NewProgress(ios.ErrOut, ios.IsStderrTTY(), out.Rows, "importing")
	im := &bulk.Importer{Admin: admin, Concurrency: opts.Concurrency, OnConflict: conflict,
		OnResult: func(r bulk.Result) error {
			progress.Add(1)
			if r.Outcome == bulk.Failed {
				return report.Add(r.Row, r.Err)
			}
			return nil
		}}
	sum, runErr := im.Run(ctx, read)
	progress.Done()
	if err := report.Close(); err != nil && runErr == nil {
		runErr = err
	}
	out.Created, out.Existing, out.Skipped, out.Updated, out.Failed = sum.Created, sum.Existing, sum.Skipped, sum.Updated, sum.Failed
	out.Retries, out.Interrupted, out.Seconds = sum.Retries, sum.Interrupted, time.Since(start).Seconds()
	if n := sum.HashesNotApplied; n > 0 {
		msg := fmt.Sprintf("%d updated users kept their password: Supabase Auth reads password_hash on create only", n)
		out.NotRestored = append(out.NotRestored, msg)
		opts.F.Warnf("%s", msg)
	}
	if report.Count() > 0 {
		out.Report = report.Path()
	}
	if err := printImportSummary(opts.F, out); err != nil {
		return err
	}
	switch {
	case runErr != nil && sum.Interrupted && errors.Is(runErr, context.Canceled):
		fmt.Fprintf(ios.ErrOut, "interrupted after %d of %d rows: run the same command again to finish\n", sum.Done(), out.Rows)
		return runErr
	case runErr != nil:
		return runErr
	case out.Failed > 0:
		return fmt.Errorf("%d of %d rows failed: see %s", out.Failed, out.Rows, out.Report)
	}
	return nil
}

func printImportSummary(f *cmdutil.Factory, s importSummary) error {
	return f.Print(s, func(p *cmdutil.Printer) error {
		_, err := fmt.Fprintf(p.Out, "%d rows in %.1fs: %d created, %d already imported, %d skipped (conflict), %d updated, %d failed\n",
			s.Rows, s.Seconds, s.Created, s.Existing, s.Skipped, s.Updated, s.Failed)
		return err
	})
}

// confirmEmails wraps read so that rows with an unverified email come out
// confirmed.
func confirmEmails(read func(bulk.RowFunc) error) func(bulk.RowFunc) error {
	return func(fn bulk.RowFunc) error {
		return read(func(row bulk.Row, err error) error {
			if row.Lost.UnverifiedEmail {
				row.Attrs.EmailConfirm = auth.Bool(true)
			}
			return fn(row, err)
		})
	}
}

// importReader checks the format flags and returns a function that reads
// the whole file once per call (validation, then import).
func importReader(opts *ImportOptions) (func(bulk.RowFunc) error, error) {
	if opts.File == "-" {
		return nil, cmdutil.FlagErrorf("import reads its FILE twice (validation, then import): stdin cannot be used")
	}
	format := opts.Format
	if format == "" {
		format = "jsonl"
		if strings.EqualFold(filepath.Ext(opts.File), ".csv") {
			format = "csv"
		}
	}
	if opts.HashConfig != "" && format != "firebase" {
		return nil, cmdutil.FlagErrorf("--hash-config goes with --format firebase")
	}
	var parse func(io.Reader, bulk.RowFunc) error
	now := opts.F.Now() // the rows' default timestamps: the injected clock, fixed in tests
	switch format {
	case "jsonl":
		parse = func(r io.Reader, fn bulk.RowFunc) error { return bulk.ReadJSONL(r, now, fn) }
	case "csv":
		parse = func(r io.Reader, fn bulk.RowFunc) error { return bulk.ReadCSV(r, now, fn) }
	case "firebase":
		var hc *bulk.HashConfig
		if opts.HashConfig != "" {
			b, err := os.ReadFile(opts.HashConfig)
			if err != nil {
				return nil, cmdutil.FlagErrorWrap(err)
			}
			if hc, err = bulk.ParseHashConfig(b); err != nil {
				return nil, cmdutil.FlagErrorWrap(fmt.Errorf("%s: %w", opts.HashConfig, err))
			}
		}
		parse = func(r io.Reader, fn bulk.RowFunc) error { return bulk.ReadFirebase(r, hc, fn) }
	default:
		return nil, cmdutil.FlagErrorf("invalid --format %q: want jsonl, csv or firebase", format)
	}
	if _, err := os.Stat(opts.File); err != nil {
		return nil, cmdutil.FlagErrorWrap(err)
	}
	return func(fn bulk.RowFunc) error {
		f, err := os.Open(opts.File)
		if err != nil {
			return err
		}
		defer f.Close()
		return parse(f, fn)
	}, nil
}
