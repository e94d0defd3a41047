// Package api implements `authctl api`: an HTTP request to the project with
// the session's access token and the anon key attached by auth.Fetcher, the
// SDK's fetchWithAuth (spec §17); shaped like `gh api`.
package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/heredoc"
)

const (
	// replayCap bounds the request body kept in memory so a 401 can be
	// retried with the same bytes. A larger body is streamed once and a 401
	// is not retried (the bytes are gone).
	replayCap = 8 << 20
	// jsonCap bounds the response --json buffers to pretty-print it.
	jsonCap = 32 << 20
)

// Options of `authctl api`.
type Options struct {
	F       *cmdutil.Factory
	Client  func() (*auth.Client, error)
	Target  func() (*cmdutil.Target, error)
	HTTP    *http.Client // nil: a client without overall timeout (bodies stream)
	Path    string
	Method  string
	Headers []string
	Data    string
	HasData bool // -d was given, even empty: an empty body is still a body
	Input   string
	Include bool
}

// NewCmdAPI builds `authctl api`.
func NewCmdAPI(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{F: f, Client: f.Client, Target: f.Target}
	cmd := &cobra.Command{
		Use:   "api PATH",
		Short: "Make an authenticated request to the project",
		Long: heredoc.Docf(`
			Send a request to PATH under the project URL with %[1]sAuthorization: Bearer <access token>%[1]s and
			%[1]sapikey: <anon key>%[1]s, and stream the response body to stdout.

			Nobody signed in exits 3 before any request: unlike supabase-js, authctl does not fall back
			to the anon key, so a lost session cannot pass for an empty answer. To call as anon, say so:
			-H "Authorization: Bearer $SUPABASE_ANON_KEY" (no session is read then). Headers given with
			-H are never overridden, whatever their case.

			A body given with -d or --input makes the default method POST (else GET) and, unless -H says
			otherwise, Content-Type: application/json.

			On a 401 to a request that carried the session's token, the session is refreshed once and the
			request retried once with the same body; bodies up to 8 MiB are kept for that, larger ones are
			sent once. A full URL is accepted only for the project's own host: the token never leaves it.

			--http-timeout bounds the wait for the response headers; the body streams for as long as it lasts.
			-i prints the status line and response headers first. --json pretty-prints a JSON response
			(buffered, up to 32 MiB) and --jq filters it. A non-2xx answer exits 1 after printing its
			body; an unreachable server exits 5.
		`, "`"),
		Example: heredoc.Doc(`
			  authctl api '/rest/v1/todos?select=*'
			  authctl api /auth/v1/user --jq .email
			  authctl api /rest/v1/todos -d '{"title":"milk"}' -H 'Prefer: return=representation'
			  authctl api -X PATCH /rest/v1/todos?id=eq.1 --input todo.json
		`),
		Args: cmdutil.ExactArgs(1, "PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			opts.HasData = cmd.Flags().Changed("data")
			if opts.HasData && opts.Input != "" {
				return cmdutil.FlagErrorf("-d and --input cannot be used together")
			}
			return cmdutil.Run(cmd.Context(), opts, runF, runAPI)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Method, "method", "X", "", "HTTP `METHOD` (default POST with a body, else GET)")
	fl.StringArrayVarP(&opts.Headers, "header", "H", nil, "add a request header `'Key: Value'` (repeatable)")
	fl.StringVarP(&opts.Data, "data", "d", "", "request `BODY`; @FILE reads it from a file")
	fl.StringVar(&opts.Input, "input", "", "read the request body from `FILE` (- for stdin)")
	fl.BoolVarP(&opts.Include, "include", "i", false, "print the status line and response headers first")
	return cmd
}

// HTTPError is a non-2xx answer whose body was already printed (exit 1).
type HTTPError struct{ Status string }

func (e *HTTPError) Error() string { return "the server answered " + e.Status }

// unreachable wraps a transport failure so it exits 5 like the SDK's.
func unreachable(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &auth.RetryableFetchError{AuthError: auth.AuthError{Name: auth.NameRetryableFetchError,
		Message: fmt.Sprintf("request failed: %v", err)}, Err: err}
}

func (o *Options) httpClient() *http.Client {
	if o.HTTP != nil {
		return o.HTTP
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// No overall timeout, since bodies stream for as long as they last, but a
	// server that never answers must not hang the CLI: --http-timeout bounds
	// the wait for the response headers.
	tr.ResponseHeaderTimeout = o.F.Flags.RequestTimeout()
	return &http.Client{Transport: tr}
}
