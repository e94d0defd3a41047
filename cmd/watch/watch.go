// Package watch implements `authctl watch`: keep the session fresh with the
// auto-refresh ticker (spec §11) and print auth events as JSON Lines,
// including changes other authctl processes make to the stored session
// (spec §12's cross-tab sync, done by polling the storage).
package watch

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// Options of `authctl watch`.
type Options struct {
	F         *cmdutil.Factory
	Client    func() (*auth.Client, error)
	Storage   func() (auth.Storage, error)
	Tick      time.Duration
	Poll      time.Duration
	KeepGoing bool
}

// NewCmdWatch builds `authctl watch`.
func NewCmdWatch(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, Storage: func() (auth.Storage, error) {
		s, _, err := f.Storage()
		return s, err
	}}
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Keep the session fresh and print auth events",
		Long: heredoc.Docf(`
			Run the auto-refresh ticker and print one JSON line per auth event:
			  {"event":"TOKEN_REFRESHED","session":{…},"at":"2026-01-02T15:04:05Z"}
			Events: INITIAL_SESSION (first, session null when signed out), TOKEN_REFRESHED, SIGNED_IN,
			SIGNED_OUT, USER_UPDATED, MFA_CHALLENGE_VERIFIED. Changes other authctl processes make to the
			stored session (a refresh, %[1]sauthctl logout%[1]s, another login) are noticed within a second.
			The session is printed without its access and refresh tokens: event logs are not secret stores.

			watch exits 0 on Ctrl-C or SIGTERM. When the session ends (SIGNED_OUT, or nobody is signed in
			at the start) it exits 3, unless --keep-going, which waits for the next sign-in instead.
			--jq applies to each line.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl watch
			  authctl watch --jq 'select(.event == "SIGNED_OUT")'
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if v := f.IOStreams.Getenv("AUTHCTL_WATCH_TICK"); v != "" && !cmd.Flags().Changed("tick") {
				d, err := time.ParseDuration(v)
				if err != nil {
					return cmdutil.FlagErrorf("AUTHCTL_WATCH_TICK: %v", err)
				}
				opts.Tick = d
			}
			if opts.Tick <= 0 || opts.Poll <= 0 {
				return cmdutil.FlagErrorf("--tick and --poll must be positive")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runWatch)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.KeepGoing, "keep-going", false, "keep running after SIGNED_OUT and wait for a new sign-in")
	// For tests only: §11 fixes the tick at 30 s; short-lived test sessions
	// need a faster one. AUTHCTL_WATCH_TICK sets it too.
	fl.DurationVar(&opts.Tick, "tick", auth.AutoRefreshTickDuration, "auto-refresh tick `DURATION` (for testing)")
	fl.DurationVar(&opts.Poll, "poll", time.Second, "`DURATION` between comparisons of the stored session (for testing)")
	_ = fl.MarkHidden("tick")
	_ = fl.MarkHidden("poll")
	return cmd
}

// errSignedOut ends watch with exit 3 once the session is gone.
func errSignedOut() error {
	return &auth.SessionMissingError{AuthError: auth.AuthError{Name: auth.NameSessionMissingError,
		Message: "signed out"}}
}

func runWatch(ctx context.Context, o *Options) error {
	// Waiting on Done installs the SIGINT handler (internal/interrupt arms it
	// lazily); it must be in place before INITIAL_SESSION is printed, or a
	// Ctrl-C right after that first line kills the process with 130.
	interrupted := ctx.Done()
	c, err := o.Client()
	if err != nil {
		return err
	}
	storage, err := o.Storage()
	if err != nil {
		return err
	}
	lw, err := render.NewLineWriter(o.F.IOStreams.Out, render.JSONOptions{JQ: o.F.Flags.JQ})
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	w := newWatcher(storage, c.StorageKey(), lw, o.F.Now, o.KeepGoing)

	sub := c.OnAuthStateChange(w.fromSDK)
	defer sub.Unsubscribe()
	c.SetAutoRefreshTick(o.Tick)
	c.StartAutoRefresh()
	defer c.StopAutoRefresh()

	t := time.NewTicker(o.Poll)
	defer t.Stop()
	for {
		select {
		case <-interrupted:
			// Ctrl-C is how a watch ends: exit 0, not 130.
			return nil
		case err := <-w.done:
			return err
		case <-t.C:
			w.poll(ctx)
		}
	}
}
