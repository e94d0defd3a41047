package cmdutil

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/iostreams"
	"github.com/authctl/authctl/internal/keyring"
	"github.com/authctl/authctl/internal/prompt"
	"github.com/authctl/authctl/internal/render"
)

// ErrInterrupted reports that the command was stopped by SIGINT or SIGTERM.
var ErrInterrupted = errors.New("interrupted")

// MFARequiredError is returned when a command needs an aal2 session that the
// user can only get by completing a second factor (exit code 4).
type MFARequiredError struct{ Message string }

func (e *MFARequiredError) Error() string { return e.Message }

// ExitCode maps an error to the exit codes of DESIGN.md. It is the only place
// that does so.
func ExitCode(err error) int {
	var (
		silent   *SilentError
		flagErr  *FlagError
		missing  *prompt.MissingInputError
		mfa      *MFARequiredError
		lockWait *auth.LockAcquireTimeoutError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &silent):
		return silent.Code
	case errors.Is(err, ErrInterrupted), errors.Is(err, prompt.ErrInterrupted), errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &flagErr), errors.As(err, &missing):
		return ExitUsage
	case auth.IsAuthSessionMissingError(err):
		return ExitNotSignedIn
	case errors.As(err, &mfa), auth.ErrorCode(err) == auth.CodeInsufficientAAL:
		return ExitMFARequired
	case auth.IsAuthRetryableFetchError(err), errors.Is(err, keyring.ErrTimeout), errors.As(err, &lockWait):
		return ExitUnavailable
	}
	return ExitError
}

// errorJSON is the --json error object of DESIGN.md.
type errorJSON struct {
	Name    string   `json:"name"`
	Message string   `json:"message"`
	Status  int      `json:"status"`
	Code    *string  `json:"code"`
	Reasons []string `json:"reasons,omitempty"`
	Hint    string   `json:"hint,omitempty"`
}

// describe extracts the fields DESIGN.md's error object has.
func describe(err error) errorJSON {
	var (
		ae   auth.Error
		weak *auth.WeakPasswordError
	)
	out := errorJSON{Name: "Error", Message: err.Error()}
	switch code := ExitCode(err); {
	case errors.As(err, &ae):
		b := ae.Base()
		out.Name, out.Message, out.Status = b.Name, b.Message, b.Status
		if b.Message == auth.SessionMissingMessage {
			// One wording for "no session", whichever layer noticed.
			out.Message = notSignedIn
		}
		if b.Code != "" {
			c := b.Code
			out.Code = &c
		}
		if errors.As(err, &weak) {
			out.Reasons = weak.Reasons
		}
	case code == ExitUsage:
		out.Name = "UsageError"
	case code == ExitInterrupted:
		out.Name, out.Message = "Interrupted", ErrInterrupted.Error()
	case code == ExitMFARequired:
		out.Name = "MFARequiredError"
	}
	return out
}

// HintedError is an error with advice that depends on the setup the command
// ran with (which server the profile is signed in to, which key is wrong);
// PrintError prints the hint below the message.
type HintedError struct {
	Err  error
	Hint string
}

func (e *HintedError) Error() string { return e.Err.Error() }
func (e *HintedError) Unwrap() error { return e.Err }

// hint adds what to do next for the errors where that is clear.
func hint(err error) string {
	var lockWait *auth.LockAcquireTimeoutError
	if errors.As(err, &lockWait) {
		return "another authctl process kept this session busy (a slow or unreachable server?): try again, or raise --http-timeout"
	}
	var hinted *HintedError
	if errors.As(err, &hinted) {
		return hinted.Hint
	}
	switch ExitCode(err) {
	case ExitNotSignedIn:
		return "run `authctl login` to sign in"
	case ExitUnavailable:
		return "is the server running? check --url / SUPABASE_URL"
	}
	return ""
}

// PrintError writes err to stderr once: `error: MESSAGE (code)` for people,
// the {"error":{…}} object with --json or --jq.
func PrintError(ios *iostreams.IOStreams, flags *GlobalFlags, err error) {
	var silent *SilentError
	if errors.As(err, &silent) {
		return
	}
	d := describe(err)
	if flags.JSON || flags.JQ != "" {
		d.Hint = hint(err)
		b, _ := json.Marshal(map[string]errorJSON{"error": d})
		fmt.Fprintln(ios.ErrOut, string(b))
		return
	}
	cs := render.NewColorScheme(ios.ColorEnabled() && ios.IsStderrTTY())
	msg := d.Message
	var extra []string
	if d.Code != nil {
		extra = append(extra, *d.Code)
	}
	if len(d.Reasons) > 0 {
		extra = append(extra, "reasons: "+strings.Join(d.Reasons, ", "))
	}
	if len(extra) > 0 {
		msg += " (" + strings.Join(extra, "; ") + ")"
	}
	fmt.Fprintln(ios.ErrOut, cs.Red("error:")+" "+msg)
	if h := hint(err); h != "" {
		fmt.Fprintln(ios.ErrOut, cs.Gray("hint: "+h))
	}
}

// ErrNotSignedIn is the error of a command that needs a session when none is
// stored (exit code 3).
func ErrNotSignedIn() error {
	return &auth.SessionMissingError{AuthError: auth.AuthError{
		Name: auth.NameSessionMissingError, Message: notSignedIn}}
}

// notSignedIn is how the CLI words a missing session.
const notSignedIn = "not signed in"
