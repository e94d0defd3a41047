package authorization

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdDeny builds `authctl oauth authorization deny`.
func NewCmdDeny(f *cmdutil.Factory, runF func(context.Context, *DecideOptions) error) *cobra.Command {
	return newCmdDecide(&DecideOptions{F: f, Client: f.Client, Decision: "deny"},
		"Deny an OAuth authorization", "Refuse the client access; its redirect URL carries error=access_denied.", runF)
}
