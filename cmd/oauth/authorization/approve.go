package authorization

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/cmdutil"
)

// NewCmdApprove builds `authctl oauth authorization approve`.
func NewCmdApprove(f *cmdutil.Factory, runF func(context.Context, *DecideOptions) error) *cobra.Command {
	return newCmdDecide(&DecideOptions{F: f, Client: f.Client, Decision: "approve"},
		"Approve an OAuth authorization", "Grant the client the scopes it asked for.", runF)
}
