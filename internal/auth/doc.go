// Package auth is the Go SDK of the Supabase Auth (GoTrue) client specification
// (spec/supabase-auth-sdk-spec.md): the Client with its session management,
// token refresh, locking, auth state events, PKCE and JWT helpers, and the HTTP
// layer with the spec's error classification.
//
// It knows nothing of cobra, terminals or the OS keyring and imports no other
// internal package, so it can be used (and tested) as a library on its own. The
// command layer hands it a Storage (the keyring or a file) and a LockFunc (a
// cross-process file lock); tests hand it NewMemoryStorage and an httptest
// server.
//
// # Result<T> in Go
//
// The spec's Result<T> = { data: T?, error: AuthError? } is Go's (T, error):
// exactly one is meaningful. On error the value is the zero value (a nil
// pointer, an empty struct); on success the error is nil. "data: null with no
// error" (for example getSession() when nobody is signed in) is a nil pointer
// with a nil error. Methods never panic on server answers.
//
// Errors returned by the client are concrete types (*APIError,
// *WeakPasswordError, *RetryableFetchError, *SessionMissingError, ...), all
// implementing Error. The spec's type guards are IsAuthError, IsAuthAPIError,
// IsAuthSessionMissingError, IsAuthRetryableFetchError and
// IsAuthImplicitGrantRedirectError; they look through wrapping (errors.As), so
// callers may wrap freely with fmt.Errorf("...: %w", err). Two kinds of error
// are deliberately not auth errors: a cancelled or expired context (the
// caller's own decision, returned as ctx.Err() possibly wrapped) and a failing
// Storage (returned wrapped, so the caller can tell a broken keyring from a
// server refusal).
//
// # Extending: the admin, MFA and OAuth namespaces
//
// Every call to the server goes through Client.Do with a Request (method,
// path, query, JSON body or form, bearer token, extra headers, size cap) and
// an optional decode target; it applies the headers, the size cap, the error
// classification and the redaction, so a new namespace writes none of that.
// Inside the package:
//
//   - admin calls pass Token: c.opts.ServiceRoleKey;
//   - calls on behalf of the signed-in user run in c.withSessionToken, which
//     takes the lock, refreshes an expiring session and hands over the
//     access token (not signed in → *SessionMissingError);
//   - an operation that yields a new session (MFA verify) saves it with
//     c.adoptSession(ctx, s, EventMFAChallengeVerified);
//   - token answers go through c.sessionFromTokenResponse (expires_at).
//
// # Secrets
//
// Tokens, keys, passwords, codes, nonces and verifiers never appear in error
// messages or debug logs: the HTTP layer redacts headers, JSON fields and URL
// parameters before logging (see Redact*) and scrubs the values it sent from
// every error message it builds.
package auth
