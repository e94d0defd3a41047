// Package cmd is authctl's command tree: the root command, its global flags,
// and the one place where errors become messages and exit codes.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/build"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/helptopic"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/interrupt"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/render"
)

// Execute runs authctl with the process's arguments and exits with the code
// DESIGN.md gives.
func Execute() {
	os.Exit(Main(os.Args[1:], iostreams.System()))
}

// Main runs authctl with args and returns the exit code; tests call it.
func Main(args []string, ios *iostreams.IOStreams) int {
	ctx := interrupt.New(context.Background())
	defer ctx.Stop()
	return execute(ctx, args, ios)
}

// execute runs the command tree under ctx, which SIGINT and SIGTERM cancel
// once something waits on it.
func execute(ctx *interrupt.Context, args []string, ios *iostreams.IOStreams) int {
	f := newFactory(ios)
	root := newRootFor(f, args)
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)

	err := root.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if ctx.Err() != nil {
		err = cmdutil.ErrInterrupted
	}
	c, _, ferr := root.Find(args)
	if ferr != nil {
		c = nil
	}
	err = explain(f, c != nil && strings.HasPrefix(c.CommandPath(), "authctl admin "), err)
	err = firstRunHint(f, err)
	cmdutil.PrintError(ios, f.Flags, err)
	var fe *cmdutil.FlagError
	if errors.As(err, &fe) && !f.WantsJSON() && c != nil {
		fmt.Fprintf(ios.ErrOut, "Run '%s --help' for usage.\n", c.CommandPath())
	}
	return cmdutil.ExitCode(err)
}

// firstRunHint turns "connection refused" on the default URL into a way
// forward: on a first run nothing is configured and nothing listens there.
func firstRunHint(f *cmdutil.Factory, err error) error {
	if cmdutil.ExitCode(err) != cmdutil.ExitUnavailable {
		return err
	}
	if t, terr := f.Target(); terr != nil || !t.Unset {
		return err
	}
	return &cmdutil.HintedError{Err: err, Hint: "nothing answers at " + cmdutil.DefaultURL + ", the default URL.\n" +
		"  Start a local Auth server in another terminal:  authctl emulator\n" +
		"  Or use your project:  authctl config set url https://<ref>.supabase.co  (or set SUPABASE_URL and SUPABASE_ANON_KEY)"}
}

// NewCmdRoot builds the whole command tree around f.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	return addAllCommands(newRoot(f), f)
}

// addAllCommands adds every command and help topic to root.
func addAllCommands(root *cobra.Command, f *cmdutil.Factory) *cobra.Command {
	for _, c := range commands {
		addCommand(root, c, f)
	}
	// A command without Run is a help topic: `authctl help environment`.
	root.AddCommand(&cobra.Command{
		Use:   "environment",
		Short: "Environment variables and files authctl reads",
		Long:  helptopic.EnvironmentHelp(),
	})
	root.SetHelpCommandGroupID("other")
	root.SetCompletionCommandGroupID("other")
	// cobra adds `completion` at Execute; added now, its misspelt
	// subcommands are refused like every other group's.
	root.InitDefaultCompletionCmd()
	cmdutil.GuardCommandGroups(root)
	return root
}

// newRootFor builds what running args needs: the invoked top-level command
// alone when args name one (building all ~70 commands was a third of
// `authctl token`'s start-up), else the whole tree, which help, completion
// and misspelt commands (did-you-mean) look through.
func newRootFor(f *cmdutil.Factory, args []string) *cobra.Command {
	root := newRoot(f)
	name := invokedName(root, args)
	for _, c := range commands {
		if c.name == name {
			addCommand(root, c, f)
			// No `completion` command: cobra would build its four shells'
			// commands on every run; completion requests build the whole tree.
			root.CompletionOptions.DisableDefaultCmd = true
			cmdutil.GuardCommandGroups(root)
			return root
		}
	}
	return addAllCommands(root, f)
}

// invokedName is the first argument that is not a global flag or its value:
// the top-level command args invoke. It is "" when an argument before it is
// not one of the root's own flags (--help, --version, -h, --), which only
// the whole tree answers.
func invokedName(root *cobra.Command, args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return a
		}
		if !strings.HasPrefix(a, "--") {
			return ""
		}
		name, _, inline := strings.Cut(a[2:], "=")
		fl := root.PersistentFlags().Lookup(name)
		if fl == nil {
			return ""
		}
		if !inline && fl.NoOptDefVal == "" {
			i++ // the flag's value
		}
	}
	return ""
}

// newRoot is the root command with its global flags and no subcommands.
func newRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "authctl <command> <subcommand> [flags]",
		Short: "Supabase Auth from the command line",
		Long: heredoc.Docf(`
			authctl signs you in to a Supabase project from the terminal, manages users from CI,
			and enrolls MFA factors from the shell. %[1]sauthctl emulator%[1]s runs a local Auth server.

			Point it at a project with --url or SUPABASE_URL and SUPABASE_ANON_KEY; %[1]sauthctl help environment%[1]s
			lists every variable it reads.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl emulator &
			  authctl signup --email me@example.com --password-stdin <<< 'correct-horse-9'
			  curl -H "Authorization: Bearer $(authctl token)" http://localhost:9999/user
		`),
		Version:       build.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return applyGlobalEnv(f)
		},
	}
	setWrappedUsage(root)
	root.SetVersionTemplate("authctl {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cmdutil.FlagErrorWrap(err) })

	pf := root.PersistentFlags()
	pf.StringVar(&f.Flags.Profile, "profile", "", "`NAME` of the profile to use (env AUTHCTL_PROFILE)")
	pf.StringVar(&f.Flags.URL, "url", "", "project or Auth `URL` (env SUPABASE_URL; default "+cmdutil.DefaultURL+")")
	cmdutil.CompleteProfiles(root, f)
	pf.BoolVar(&f.Flags.JSON, "json", false, "print the result as JSON")
	pf.StringVar(&f.Flags.JQ, "jq", "", "filter JSON output with a jq `EXPRESSION`")
	pf.BoolVar(&f.Flags.NoInput, "no-input", false, "never prompt (env AUTHCTL_NO_INPUT=1; implied when stdin is not a terminal)")
	pf.BoolVar(&f.Flags.Debug, "debug", false, "trace HTTP requests on stderr, secrets redacted")
	// Not --timeout: login oauth/sso already have --timeout for the browser
	// wait (minutes), a different thing from one request's bound.
	pf.DurationVar(&f.Flags.HTTPTimeout, "http-timeout", cmdutil.DefaultHTTPTimeout, "give up on an Auth server request after `DURATION` (exit 5)")

	return root
}

// groupTitles are the headings root help lists commands under.
var groupTitles = map[string]string{
	"auth":    "Sign in and sessions:",
	"user":    "Your account:",
	"admin":   "Administration (service-role key):",
	"project": "Project and profiles:",
	"other":   "Other commands:",
}

// addCommand builds c under root, adding its help group on first use so
// help never shows an empty heading.
func addCommand(root *cobra.Command, c command, f *cmdutil.Factory) {
	if !root.ContainsGroup(c.group) {
		root.AddGroup(&cobra.Group{ID: c.group, Title: groupTitles[c.group]})
	}
	cmd := c.new(f)
	cmd.GroupID = c.group
	root.AddCommand(cmd)
}

// applyGlobalEnv folds the environment into the global flags once flags are
// parsed: AUTHCTL_NO_INPUT=1 means --no-input, and --no-input forbids prompts.
func applyGlobalEnv(f *cmdutil.Factory) error {
	if v := f.IOStreams.Getenv("AUTHCTL_NO_INPUT"); v != "" && v != "0" && v != "false" {
		f.Flags.NoInput = true
	}
	f.IOStreams.SetNeverPrompt(f.Flags.NoInput)
	if f.Flags.HTTPTimeout <= 0 {
		return cmdutil.FlagErrorf("--http-timeout must be positive, e.g. 30s")
	}
	if f.Flags.JQ != "" {
		// Compile --jq before any work: a typo must not cost a sign-in.
		if _, err := render.NewLineWriter(io.Discard, render.JSONOptions{JQ: f.Flags.JQ}); err != nil {
			return cmdutil.FlagErrorWrap(err)
		}
	}
	return nil
}

// NewCmdRootForDocs builds the command tree for generated documentation:
// help texts must not depend on the environment of whoever regenerates them.
func NewCmdRootForDocs() *cobra.Command {
	ios, _, _, _ := iostreams.Test()
	return NewCmdRoot(newFactory(ios))
}
