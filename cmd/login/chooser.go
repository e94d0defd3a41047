package login

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/cmd/shared"
	"github.com/authctl/authctl/internal/cmdutil"
)

// method is one entry of the interactive chooser: a login subcommand and
// how a person would name it.
type method struct {
	name, label string
	// args asks for the subcommand's positional arguments, if it has any.
	args func(ctx context.Context, f *cmdutil.Factory) ([]string, error)
}

// popularProviders are offered when the server's settings cannot be read;
// any other provider is typed in.
var popularProviders = []string{"github", "google", "gitlab", "azure", "apple", "discord"}

// otherProvider lets a person type a provider the list does not show
// (custom:NAME, which the settings do not list).
const otherProvider = "other…"

var methods = []method{
	{name: "password", label: "Email and password"},
	{name: "otp", label: "One-time code by email or SMS"},
	{name: "oauth", label: "In the browser, with a provider (GitHub, Google, …)", args: askProvider},
	{name: "sso", label: "Single sign-on (company domain)"},
	{name: "anonymous", label: "Anonymously"},
}

// runChooser asks which method to use and runs that subcommand, which then
// prompts for what it still needs. Without a terminal it names the methods.
func runChooser(ctx context.Context, opts *Options) error {
	f, cmd := opts.F, opts.Login
	available := make([]method, 0, len(methods))
	names := make([]string, 0, len(methods))
	for _, m := range methods {
		if sub := subcommand(cmd, m.name); sub != nil {
			available = append(available, m)
			names = append(names, m.name)
		}
	}
	if !f.IOStreams.CanPrompt() {
		return cmdutil.FlagErrorf("choose a sign-in method: authctl login %s", strings.Join(names, "|"))
	}
	if err := shared.ServerAnswers(ctx, f, f.Client); err != nil {
		return err
	}
	labels := make([]string, len(available))
	for i, m := range available {
		labels[i] = m.label
	}
	i, err := f.Prompter().Select("How do you want to sign in?", labels)
	if err != nil {
		return err
	}
	m := available[i]
	var args []string
	if m.args != nil {
		if args, err = m.args(ctx, f); err != nil {
			return err
		}
	}
	sub := subcommand(cmd, m.name)
	sub.SetContext(ctx)
	if err := sub.ValidateArgs(args); err != nil {
		return err
	}
	return sub.RunE(sub, args)
}

func subcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name && c.RunE != nil {
			return c
		}
	}
	return nil
}

// askProvider offers the providers the server has on (the chooser has just
// read its settings), then a way to type another.
func askProvider(ctx context.Context, f *cmdutil.Factory) ([]string, error) {
	offered := popularProviders
	if external, err := shared.ServerProviders(ctx, f); err == nil {
		offered = shared.EnabledProviders(external)
	}
	offered = append(slices.Clip(offered), otherProvider)
	p := f.Prompter()
	i, err := p.Select("Provider", offered)
	if err != nil {
		return nil, err
	}
	if i < len(offered)-1 {
		return []string{offered[i]}, nil
	}
	name, err := p.Input("Provider name (or custom:NAME)", "", nil)
	if err != nil {
		return nil, err
	}
	return []string{strings.TrimSpace(name)}, nil
}
