// Package adminpasskeys implements `authctl admin passkeys`: list and delete
// any user's passkeys with the service-role key, e.g. for a lost device.
package adminpasskeys

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/render"
)

// NewCmdAdminPasskeys builds `authctl admin passkeys`.
func NewCmdAdminPasskeys(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "passkeys <command>",
		Short: "List and delete users' passkeys",
	}
	cmd.AddCommand(NewCmdList(f, nil), NewCmdDelete(f, nil))
	return cmd
}

// passkeys are a user's passkeys as the admin commands see them.
var passkeys = shared.UserItems[auth.Passkey]{
	Noun: "passkey",
	List: func(ctx context.Context, c *auth.Client, userID string) ([]auth.Passkey, error) {
		return c.Admin().Passkeys().ListPasskeys(ctx, userID)
	},
	Delete: func(ctx context.Context, c *auth.Client, userID, id string) (any, error) {
		if err := c.Admin().Passkeys().DeletePasskey(ctx, userID, id); err != nil {
			return nil, err
		}
		// The server answers 204 without a body: say what went.
		return auth.Passkey{ID: id}, nil
	},
	Label:       passkeyLabel,
	Completions: passkeyCompletions,
}

// passkeyCompletions are the passkeys' ids, described by their names.
func passkeyCompletions(ks []auth.Passkey) []string {
	out := make([]string, 0, len(ks))
	for _, k := range ks {
		out = append(out, cobra.CompletionWithDesc(k.ID, k.FriendlyName))
	}
	return out
}

// passkeyColumns are the list's table columns, for --columns.
var passkeyColumns = []string{"id", "name", "created", "last-used"}

// passkeyTable renders passkeys; the id is never cut (delete takes it).
// Times are relative on a terminal, the server's RFC 3339 otherwise.
func passkeyTable(p *cmdutil.Printer, ks []auth.Passkey, columns []string) error {
	when := func(ts string) string {
		if ts == "" || !p.IsTTY {
			return ts
		}
		return render.ServerTime(ts, p.Now)
	}
	return cmdutil.ListView[auth.Passkey]{
		Empty:   "No passkeys",
		Header:  passkeyColumns,
		Whole:   []string{"id"},
		Drop:    []string{"last-used", "created"},
		Columns: columns,
		Row: func(k auth.Passkey) []string {
			last := ""
			if k.LastUsedAt != nil {
				last = when(*k.LastUsedAt)
			}
			return []string{k.ID, k.FriendlyName, when(k.CreatedAt), last}
		},
	}.View(p, ks)
}
