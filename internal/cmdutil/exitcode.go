package cmdutil

// Exit codes, as DESIGN.md defines them; docs/exit-codes.md documents them
// for users.
const (
	ExitOK          = 0   // success
	ExitError       = 1   // an error reported by the server or the SDK
	ExitUsage       = 2   // bad flags, arguments or missing input
	ExitNotSignedIn = 3   // no session (AuthSessionMissingError), or it was revoked
	ExitMFARequired = 4   // the server wants a second factor (aal2)
	ExitUnavailable = 5   // server unreachable, or a retryable failure after retries
	ExitInterrupted = 130 // SIGINT / Ctrl-C
)
