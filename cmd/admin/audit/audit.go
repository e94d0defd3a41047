// Package audit implements `authctl admin audit list`: the server's audit
// log, filtered, paged through and followed.
package audit

import (
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

// NewCmdAudit builds `authctl admin audit`.
func NewCmdAudit(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit <command>",
		Short: "Read the server's audit log",
		Long: heredoc.Doc(`
			The audit log records sign-ups, sign-ins, token refreshes, user changes and admin actions.
			The server keeps it only when configured to: a self-hosted server with
			GOTRUE_AUDIT_LOG_DISABLE_POSTGRES=true stores no entries, and the list is then always empty.
		`),
		Args: cmdutil.NoArgs,
	}
	cmd.AddCommand(NewCmdList(f, nil))
	return cmd
}

// filter is what --since, --action and --actor select. The server filters on
// one substring at most (query=action:X or author:X), so the exact match is
// made here, and the server's filter only narrows what crosses the network.
type filter struct {
	since  time.Time
	action string
	actor  string // an id, or a username (email, phone)
}

// serverQuery is the one server-side filter that narrows the most: one
// user's entries are fewer than all entries of an action.
func (fl filter) serverQuery() string {
	switch {
	case fl.actor != "" && !isUUID(fl.actor):
		return "author:" + fl.actor
	case fl.action != "":
		return "action:" + fl.action
	}
	return "" // the server cannot filter on actor_id
}

func (fl filter) match(e *auth.AuditEntry) bool {
	if fl.action != "" && !strings.EqualFold(e.Field("action"), fl.action) {
		return false
	}
	if fl.actor != "" && !strings.EqualFold(e.Field("actor_id"), fl.actor) && !strings.EqualFold(e.Field("actor_username"), fl.actor) {
		return false
	}
	return !e.CreatedAt.Before(fl.since)
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", r):
			return false
		}
	}
	return true
}

// parseSince reads --since: a duration back from now (90m, 24h), an RFC 3339
// time, or a date (2026-12-01, midnight UTC).
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cmdutil.FlagErrorf("invalid --since %q: want a duration back from now (90m, 24h), "+
		"a time (2026-12-01T09:00:00Z) or a date (2026-12-01)", s)
}
