package audit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// maxPerPage bounds --per-page: one page is held in memory at a time.
const maxPerPage = 1000

// ListOptions of `authctl admin audit list`.
type ListOptions struct {
	F        *cmdutil.Factory
	Client   func() (*auth.Client, error)
	Since    string
	Action   string
	Actor    string
	Follow   bool
	Interval time.Duration
	PerPage  int
}

// NewCmdList builds `authctl admin audit list`.
func NewCmdList(f *cmdutil.Factory, runF func(context.Context, *ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f, Client: f.AdminClient}
	cmd := &cobra.Command{
		Use:   "list [--since T] [--action A] [--actor ID|EMAIL] [--follow]",
		Short: "List audit log entries, or follow new ones as they arrive",
		Long: heredoc.Doc(`
			List the audit log, newest first, every page (the Link header is followed to the last page).
			--since stops at the first older entry; --action and --actor keep exact matches (the actor by
			user id, email or phone). --json prints an array of the server's entries.

			--follow polls every --interval and prints entries newer than --since (default: from now on)
			as they arrive, oldest first, as JSON Lines with --json; Ctrl-C stops it (exit 0).

			The server keeps entries only when configured to: a self-hosted server with
			GOTRUE_AUDIT_LOG_DISABLE_POSTGRES=true stores none, and the list is then always empty.
		`),
		Example: heredoc.Doc(`
			  authctl admin audit list --since 24h --action login
			  authctl admin audit list --actor qa@example.com --json --jq '.[].payload.action'
			  authctl admin audit list --follow --json
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, checkList, runF, runList),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Since, "since", "", "only entries from this `TIME` on: 90m, 24h, 2026-12-01 or RFC 3339")
	fl.StringVar(&opts.Action, "action", "", "only entries of this `ACTION` (login, logout, user_signedup, token_refreshed, …)")
	fl.StringVar(&opts.Actor, "actor", "", "only entries by this user `ID|EMAIL` (or phone)")
	fl.BoolVarP(&opts.Follow, "follow", "f", false, "keep polling and print new entries as they arrive")
	fl.DurationVar(&opts.Interval, "interval", 2*time.Second, "`DURATION` between polls with --follow")
	fl.IntVar(&opts.PerPage, "per-page", 100, fmt.Sprintf("`N` entries per request (1-%d)", maxPerPage))
	return cmd
}

func runList(ctx context.Context, opts *ListOptions) error {
	since, err := parseSince(opts.Since, opts.F.Now())
	if err != nil {
		return err
	}
	fl := filter{since: since, action: opts.Action, actor: opts.Actor}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	if opts.Follow {
		return follow(ctx, opts, c.Admin(), fl)
	}
	var entries []auth.AuditEntry
	err = pages(ctx, c.Admin(), opts.PerPage, fl, func(e *auth.AuditEntry) bool {
		entries = append(entries, *e)
		return true
	})
	if err != nil {
		return err
	}
	return opts.F.Print(render.List(entries), func(p *cmdutil.Printer) error {
		return cmdutil.ListView[auth.AuditEntry]{
			Empty:  "No audit entries.",
			Header: []string{"time", "action", "actor", "type"},
			Row: func(e auth.AuditEntry) []string {
				return []string{e.CreatedAt.UTC().Format(time.DateTime), e.Field("action"), actor(&e), e.Field("log_type")}
			},
		}.View(p, entries)
	})
}

// pages walks the log newest first, page after page, calling fn for each
// matching entry until fn returns false, the log ends, or an entry older
// than the filter's since (the log is sorted, so none further can match).
func pages(ctx context.Context, admin *auth.AdminAPI, perPage int, fl filter, fn func(*auth.AuditEntry) bool) error {
	q := fl.serverQuery()
	for page := 1; page > 0; {
		p, err := admin.ListAudit(ctx, auth.AuditListParams{Page: page, PerPage: perPage, Query: q})
		if err != nil {
			return err
		}
		for i := range p.Entries {
			e := &p.Entries[i]
			if e.CreatedAt.Before(fl.since) {
				return nil
			}
			if fl.match(e) && !fn(e) {
				return nil
			}
		}
		page = p.NextPage
	}
	return nil
}

// follow prints entries as they arrive, oldest first. Entries are told apart
// by id: those of the newest timestamp seen are remembered, since several
// can share it.
func follow(ctx context.Context, opts *ListOptions, admin *auth.AdminAPI, fl filter) error {
	f := opts.F
	lw, err := render.NewLineWriter(f.IOStreams.Out, render.JSONOptions{JQ: f.Flags.JQ})
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	emit := func(e *auth.AuditEntry) error {
		if f.WantsJSON() {
			return lw.Write(e)
		}
		_, err := fmt.Fprintf(f.IOStreams.Out, "%s  %-22s  %-30s  %s\n", e.CreatedAt.UTC().Format(time.DateTime),
			e.Field("action"), truncate(actor(e), 30), e.Field("log_type"))
		return err
	}
	var w watermark
	if fl.since.IsZero() {
		// From now on, by the server's clock: the newest entry is the mark.
		p, err := admin.ListAudit(ctx, auth.AuditListParams{Page: 1, PerPage: 1})
		if err != nil {
			return err
		}
		if len(p.Entries) > 0 {
			w.advance(&p.Entries[0])
		}
	}
	t := time.NewTicker(opts.Interval)
	defer t.Stop()
	for {
		var fresh []auth.AuditEntry
		err := pages(ctx, admin, opts.PerPage, filter{since: fl.since}, func(e *auth.AuditEntry) bool {
			if w.seen(e) {
				return false
			}
			fresh = append(fresh, *e)
			return true
		})
		if ctx.Err() != nil {
			return nil // Ctrl-C is how following ends
		}
		if err != nil {
			return err
		}
		slices.Reverse(fresh)
		for i := range fresh {
			w.advance(&fresh[i])
			if !fl.match(&fresh[i]) {
				continue
			}
			if err := emit(&fresh[i]); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// watermark is the newest entry time followed so far and the ids seen at
// that time.
type watermark struct {
	at  time.Time
	ids map[string]bool
}

func (w *watermark) seen(e *auth.AuditEntry) bool {
	return !w.at.IsZero() && (e.CreatedAt.Before(w.at) || e.CreatedAt.Equal(w.at) && w.ids[e.ID])
}

func (w *watermark) advance(e *auth.AuditEntry) {
	if e.CreatedAt.After(w.at) {
		w.at, w.ids = e.CreatedAt, map[string]bool{}
	}
	w.ids[e.ID] = true
}

func actor(e *auth.AuditEntry) string {
	if u := e.Field("actor_username"); u != "" {
		return u
	}
	return e.Field("actor_id")
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func checkList(opts *ListOptions) error {
	if opts.PerPage < 1 || opts.PerPage > maxPerPage {
		return cmdutil.FlagErrorf("invalid --per-page %d: want 1 to %d", opts.PerPage, maxPerPage)
	}
	return cmdutil.CheckInterval(opts.Interval, "2s")
}
