package cmdutil

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/prompt"
)

// ErrDeclined is the error of a destructive command whose confirmation was
// answered "no": nothing was changed.
var ErrDeclined = errors.New("cancelled: nothing was changed")

// AddYesFlag adds --yes, which ConfirmDestructive takes as the confirmation.
func AddYesFlag(cmd *cobra.Command, yes *bool) {
	cmd.Flags().BoolVar(yes, "yes", false, "do not ask for confirmation (required when not on a terminal)")
}

// ConfirmDestructive asks before an irreversible change, gh's rule: --yes
// (yes) skips the question; on a terminal the person is asked, default no;
// without one the command refuses with a usage error naming --yes (exit
// code 2), so a script says it means it. question is called only when
// someone will be asked, so a lookup that makes the question clearer (the
// user's email) costs nothing in scripts.
func ConfirmDestructive(f *Factory, yes bool, question func() (string, error)) error {
	if yes {
		return nil
	}
	if !f.IOStreams.CanPrompt() {
		return &prompt.MissingInputError{Flag: "yes"}
	}
	q, err := question()
	if err != nil {
		return err
	}
	ok, err := f.Prompter().Confirm(q, false)
	if err != nil {
		return err
	}
	if !ok {
		return ErrDeclined
	}
	return nil
}
