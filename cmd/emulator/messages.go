package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
	"github.com/authctl/authctl/internal/render"
)

// MessagesOptions of `authctl emulator messages`.
type MessagesOptions struct {
	F *cmdutil.Factory
	// Client reaches the profile's URL with no session; Key is the
	// profile's service-role key, empty when it has none.
	Client   func() (*auth.Client, error)
	Key      func() (cmdutil.Key, error)
	Target   func() (*cmdutil.Target, error)
	To       string
	Follow   bool
	Interval time.Duration
}

// Message is one email or SMS the emulator would have sent, as
// GET /emulator/messages lists it.
type Message struct {
	To         string    `json:"to"`
	Type       string    `json:"type"`
	OTP        string    `json:"otp"`
	TokenHash  string    `json:"token_hash"`
	ActionLink string    `json:"action_link"`
	CreatedAt  time.Time `json:"created_at"`
}

// NewCmdMessages builds `authctl emulator messages`.
func NewCmdMessages(f *cmdutil.Factory, runF func(context.Context, *MessagesOptions) error) *cobra.Command {
	opts := &MessagesOptions{F: f, Client: f.PublicClient, Key: f.ServiceRoleKey, Target: f.Target}
	cmd := &cobra.Command{
		Use:   "messages [--to ADDRESS] [--follow]",
		Short: "Show the codes and links the emulator would have emailed or texted",
		Long: heredoc.Docf(`
			List every email and SMS a running %[1]sauthctl emulator%[1]s would have sent, oldest first: when,
			to whom, what kind (signup, magiclink, recovery, sms, …), the one-time code and the link.
			The emulator is the one at the profile's URL (--url, SUPABASE_URL; default http://localhost:9999).

			--follow prints the messages so far, then new ones as they arrive (JSON Lines with --json),
			until Ctrl-C (exit 0). A person can also open the emulator's inbox page, printed when it starts.

			No key is needed from the machine that runs the emulator: it shows its messages to loopback
			clients only, and never to a script on another web origin. From another machine (an emulator
			started with --host 0.0.0.0, or in a container) it wants its service-role key, which this command
			sends when the profile has one (see docs/security.md). A real server keeps no messages: it sends
			them by email or SMS, or to a send hook.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl emulator messages
			  authctl emulator messages --to qa@example.com --follow
			  authctl emulator messages --to qa@example.com --json --jq '.[-1].otp'
		`),
		Args: cmdutil.NoArgs,
		RunE: cmdutil.CheckedRunE(opts, checkMessages, runF, runMessages),
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.To, "to", "", "only messages to this email `ADDRESS` or phone number")
	fl.BoolVarP(&opts.Follow, "follow", "f", false, "keep printing new messages as they arrive, until Ctrl-C")
	fl.DurationVar(&opts.Interval, "interval", time.Second, "`DURATION` between polls with --follow")
	return cmd
}

func runMessages(ctx context.Context, o *MessagesOptions) error {
	// Waiting on Done installs the SIGINT handler (internal/interrupt arms it
	// lazily): in place before the first line, so Ctrl-C ends --follow with 0.
	interrupted := ctx.Done()
	list, err := o.fetcher()
	if err != nil {
		return err
	}
	msgs, err := list(ctx)
	if err != nil {
		return err
	}
	if !o.Follow {
		return o.F.Print(render.List(msgs), o.table(msgs))
	}
	return o.follow(ctx, interrupted, list, msgs)
}

// fetcher returns the call that lists the emulator's messages to o.To.
func (o *MessagesOptions) fetcher() (func(context.Context) ([]Message, error), error) {
	t, err := o.Target()
	if err != nil {
		return nil, err
	}
	key, err := o.Key()
	if err != nil {
		return nil, err
	}
	c, err := o.Client()
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if o.To != "" {
		q.Set("to", o.To)
	}
	return func(ctx context.Context) ([]Message, error) {
		var msgs []Message
		_, err := c.Do(ctx, auth.Request{Method: http.MethodGet, Path: "/emulator/messages", Query: q, Token: key.Value}, &msgs)
		return msgs, explain(err, t, key)
	}, nil
}

// explain turns the answers of a server that is not a reachable emulator,
// or one that wants the key, into what to do about it.
func explain(err error, t *cmdutil.Target, key cmdutil.Key) error {
	var ae auth.Error
	if err == nil || !errors.As(err, &ae) {
		return err
	}
	switch st := ae.Base().Status; {
	case auth.IsAuthRetryableFetchError(err) && st == 0:
		return &cmdutil.HintedError{Err: err, Hint: fmt.Sprintf("is `authctl emulator` running at %s (from %s)? "+
			"start it, or point --url at it", t.AuthURL, t.URLSource)}
	case st == http.StatusNotFound:
		return cmdutil.FlagErrorf("%s (from %s) is not an authctl emulator: it has no /emulator/messages (404). "+
			"A real server sends its emails and SMS, or passes them to a send hook; start `authctl emulator` "+
			"and point --url or the profile at it", t.AuthURL, t.URLSource)
	case st == http.StatusUnauthorized || st == http.StatusForbidden:
		hint := "the emulator shows its messages without a key to this machine only; from another one (--host, a " +
			"container) it wants the service-role key it printed at start-up: " + cmdutil.HowToSetServiceRoleKey
		if key.Value != "" {
			hint = "the service-role key from " + key.Source + " is not this emulator's (it prints its own at start-up)"
		}
		return &cmdutil.HintedError{Err: err, Hint: hint}
	}
	return err
}

// table is the human rendering: one row a message. The link is the first
// column left out on a narrow terminal (a cut link is no use), and then
// the inbox page, where it can be clicked, is named.
func (o *MessagesOptions) table(msgs []Message) func(*cmdutil.Printer) error {
	return func(p *cmdutil.Printer) error {
		if len(msgs) == 0 {
			_, err := fmt.Fprintln(p.Out, "No messages"+o.toWhom()+" yet.")
			return err
		}
		tb := render.NewTable(p.Out, p.IsTTY, p.Width)
		tb.SetHeader("when", "to", "kind", "code", "link")
		tb.SetWhole("code")
		tb.SetDropOrder("link")
		for _, m := range msgs {
			tb.AddRow(m.row()...)
		}
		if err := tb.Render(); err != nil {
			return err
		}
		if p.IsTTY && slices.ContainsFunc(msgs, func(m Message) bool { return m.ActionLink != "" }) && !slices.Contains(tb.Visible(), "link") {
			o.linksNote()
		}
		return nil
	}
}

// follow prints msgs, then polls for new ones until interrupted. The list
// only grows while the emulator runs; a shorter one means it restarted with
// a fresh state, whose messages are then all new.
func (o *MessagesOptions) follow(ctx context.Context, interrupted <-chan struct{}, list func(context.Context) ([]Message, error), msgs []Message) error {
	f := o.F
	lw, err := render.NewLineWriter(f.IOStreams.Out, render.JSONOptions{JQ: f.Flags.JQ})
	if err != nil {
		return cmdutil.FlagErrorWrap(err)
	}
	p := f.Printer()
	emit := func(m *Message) error {
		switch {
		case f.WantsJSON():
			return lw.Write(m)
		case !p.IsTTY:
			_, err := fmt.Fprintln(p.Out, strings.Join(m.row(), "\t"))
			return err
		}
		return followLine(p.Out, m.row())
	}
	if p.IsTTY && !f.WantsJSON() {
		fmt.Fprintf(f.IOStreams.ErrOut, "Showing messages%s as they arrive; Ctrl-C to stop.\n", o.toWhom())
		o.linksNote()
		if err := followLine(p.Out, []string{"WHEN", "TO", "KIND", "CODE"}); err != nil {
			return err
		}
	}
	seen := 0
	t := time.NewTicker(o.Interval)
	defer t.Stop()
	for {
		if len(msgs) < seen {
			seen = 0
		}
		for i := seen; i < len(msgs); i++ {
			if err := emit(&msgs[i]); err != nil {
				return err
			}
		}
		seen = len(msgs)
		select {
		case <-interrupted:
			return nil // Ctrl-C is how following ends
		case <-t.C:
		}
		if msgs, err = list(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// linksNote says where the links left out of a narrow terminal are.
func (o *MessagesOptions) linksNote() {
	f := o.F
	if !f.IOStreams.IsStderrTTY() {
		return
	}
	inbox := "the emulator's inbox page"
	if t, err := o.Target(); err == nil {
		inbox = t.AuthURL + "/emulator/inbox"
	}
	fmt.Fprintf(f.IOStreams.ErrOut, "Open the links at %s (or add --json).\n", inbox)
}

func (o *MessagesOptions) toWhom() string {
	if o.To == "" {
		return ""
	}
	return " to " + o.To
}

// followLine writes a --follow line on a terminal: fixed columns, since
// rows arrive one by one, within 80 cells (the code is never cut, the link
// left out).
func followLine(w io.Writer, row []string) error {
	_, err := fmt.Fprintf(w, "%-19s  %-28s  %-16s  %s\n", row[0], render.Truncate(row[1], 28), render.Truncate(row[2], 16), row[3])
	return err
}

// row is a message's fields in the table's order.
func (m *Message) row() []string {
	return []string{m.CreatedAt.UTC().Format(time.DateTime), m.To, m.Type, m.OTP, m.ActionLink}
}

func checkMessages(opts *MessagesOptions) error {
	return cmdutil.CheckInterval(opts.Interval, "1s")
}
