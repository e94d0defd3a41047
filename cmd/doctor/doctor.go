// Package doctor implements `authctl doctor`: one command that explains why
// "it doesn't work" — URL, server, clock, keys, storage, session, settings —
// each finding with why it matters and the command that fixes it.
package doctor

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// Options of `authctl doctor`.
type Options struct {
	F *cmdutil.Factory
	// Method is the sign-in method whose server settings are checked
	// (--method); empty: the stored session's.
	Method string
}

// Statuses of a check.
const (
	OK      = "ok"      // nothing wrong
	Problem = "problem" // something is wrong: doctor exits 1
	Info    = "info"    // worth knowing, not wrong
	Skipped = "skipped" // could not be checked (the server did not answer)
)

// Check is one finding.
type Check struct {
	Name    string `json:"check"`
	Status  string `json:"status"`
	Summary string `json:"summary"`
	Why     string `json:"why,omitempty"`
	Fix     string `json:"fix,omitempty"`
}

// Report is what `authctl doctor --json` prints.
type Report struct {
	OK     bool    `json:"ok"`
	Checks []Check `json:"checks"`
}

// NewCmdDoctor builds `authctl doctor`.
func NewCmdDoctor(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Explain what is wrong with the URL, keys, clock, session, storage and settings",
		Long: heredoc.Doc(`
			Check everything a sign-in depends on and say, for each problem, why it matters and the exact
			command that fixes it:

			  url       the Auth URL in use and where it came from (--url, SUPABASE_URL, profile, default)
			  server    whether it answers GET /health, and its version
			  clock     this machine's clock against the server's Date header (skew breaks token expiry)
			  anon key  its role, decoded locally, and whether it belongs to the URL's project
			  service   the service-role key: role, project, and whether the server accepts it
			  storage   where sessions are kept, why, and whether the session file is private
			  session   who is signed in, expiry, AAL, and whether the server still accepts the session
			            (asked with the access token; the refresh token is spent only when it has expired)
			  settings  what the server allows for the sign-in method (--method, else the session's)

			Exit status: 0 when nothing is wrong, 1 when any check found a problem.
		`),
		Example: heredoc.Doc(`
			  authctl doctor
			  authctl --profile staging doctor --method github
			  authctl doctor --json --jq '.checks[] | select(.status == "problem")'
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.RunE(opts, runF, runDoctor),
	}
	cmd.Flags().StringVar(&opts.Method, "method", "", "check the settings for this sign-in `METHOD`: email, phone, anonymous, sso or an OAuth provider")
	return cmd
}

func runDoctor(ctx context.Context, opts *Options) error {
	d := &doctor{f: opts.F, method: opts.Method}
	if err := d.run(ctx); err != nil {
		return err
	}
	r := Report{OK: true, Checks: d.checks}
	for _, c := range d.checks {
		if c.Status == Problem {
			r.OK = false
		}
	}
	if err := opts.F.Print(r, func(p *cmdutil.Printer) error { return print(p, r) }); err != nil {
		return err
	}
	if !r.OK {
		return &cmdutil.SilentError{Code: cmdutil.ExitError}
	}
	return nil
}

func print(p *cmdutil.Printer, r Report) error {
	cs := p.CS
	var rows [][2]string
	for _, c := range r.Checks {
		icon := map[string]string{OK: cs.SuccessIcon(), Problem: cs.FailureIcon(), Info: cs.Gray("i"), Skipped: cs.Gray("-")}[c.Status]
		rows = append(rows, [2]string{icon + " " + c.Name, c.Summary})
		if c.Why != "" {
			rows = append(rows, [2]string{"", cs.Gray("why: ") + c.Why})
		}
		if c.Fix != "" {
			rows = append(rows, [2]string{"", cs.Gray("fix: ") + c.Fix})
		}
	}
	if err := render.Fields(p.Out, p.Width, "", rows); err != nil {
		return err
	}
	if r.OK {
		_, err := fmt.Fprintln(p.Out, "\nNo problems found.")
		return err
	}
	return nil
}

// doctor runs the checks in order; later ones use what earlier ones found.
type doctor struct {
	f      *cmdutil.Factory
	method string
	checks []Check

	target  *cmdutil.Target
	client  *auth.Client // public: no session
	health  *auth.Health
	session *auth.Session // the stored one, nil when none
}

func (d *doctor) add(c Check) { d.checks = append(d.checks, c) }

func (d *doctor) run(ctx context.Context) error {
	t, err := d.f.Target()
	if err != nil {
		return err
	}
	d.target = t
	if d.client, err = d.f.PublicClient(); err != nil {
		return err
	}
	d.checkURL()
	d.checkServer(ctx)
	d.checkClock()
	d.checkAnonKey()
	d.checkServiceRoleKey(ctx)
	d.checkStorage(ctx)
	d.checkSession(ctx)
	d.checkSettings(ctx)
	return nil
}

// online reports whether the server answered; checks that need it are
// skipped otherwise, with one line saying so.
func (d *doctor) online(name string) bool {
	if d.health == nil {
		d.add(Check{Name: name, Status: Skipped, Summary: "not checked: the server did not answer"})
	}
	return d.health != nil
}
