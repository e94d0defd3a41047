package auth

import (
	"errors"
	"fmt"
	"time"
)

// Error names, as in the spec's error hierarchy (§5). The command layer prints
// them in `--json` error objects.
const (
	NameAuthError                 = "AuthError"
	NameAPIError                  = "AuthApiError"
	NameRetryableFetchError       = "AuthRetryableFetchError"
	NameUnknownError              = "AuthUnknownError"
	NameSessionMissingError       = "AuthSessionMissingError"
	NameInvalidTokenResponseError = "AuthInvalidTokenResponseError"
	NameInvalidCredentialsError   = "AuthInvalidCredentialsError"
	NameImplicitGrantRedirectErr  = "AuthImplicitGrantRedirectError"
	NamePKCEGrantCodeExchangeErr  = "AuthPKCEGrantCodeExchangeError"
	NameWeakPasswordError         = "AuthWeakPasswordError"
	NameInvalidJwtError           = "AuthInvalidJwtError"
	NameLockAcquireTimeoutError   = "LockAcquireTimeoutError"
)

// Server error codes the command layer branches on. Codes are an open set (the
// server keeps adding them): APIError.Code holds whatever string the server
// sent, and only the codes below get a name.
const (
	// CodeInsufficientAAL: the operation needs an aal2 session (exit code 4).
	CodeInsufficientAAL = "insufficient_aal"
	// CodeSessionNotFound: the JWT's session was revoked (signed out elsewhere).
	CodeSessionNotFound = "session_not_found"
	// CodeRefreshTokenNotFound and CodeRefreshTokenAlreadyUsed: the refresh
	// token is gone (revoked, or reuse detected and the family revoked).
	CodeRefreshTokenNotFound    = "refresh_token_not_found"
	CodeRefreshTokenAlreadyUsed = "refresh_token_already_used"
	// CodeWeakPassword: the password fails the server's policy (422).
	CodeWeakPassword = "weak_password"
	// CodeOverRequestRateLimit and CodeOverEmailSendRateLimit: slow down.
	CodeOverRequestRateLimit   = "over_request_rate_limit"
	CodeOverEmailSendRateLimit = "over_email_send_rate_limit"
	// CodeMFAVerificationFailed: wrong TOTP/SMS code.
	CodeMFAVerificationFailed = "mfa_verification_failed"
)

// AuthError is the spec's AuthError base (§5): the four fields every error of
// this package carries. Each concrete error type embeds it.
//
// The JSON tags give the `--json` error object of DESIGN.md
// ({"name","message","status","code"}) by marshalling Base().
type AuthError struct {
	// Name is the spec's class name, e.g. "AuthApiError".
	Name string `json:"name"`
	// Message is human-readable and never contains a secret.
	Message string `json:"message"`
	// Status is the HTTP status, 0 when no response was received.
	Status int `json:"status"`
	// Code is the server's machine-readable error code ("" when none).
	Code string `json:"code"`
}

// Error returns the message, as the reference client does; the command layer
// prints the code next to it.
func (e *AuthError) Error() string { return e.Message }

// Base returns the common fields. It is promoted to every concrete type.
func (e *AuthError) Base() *AuthError { return e }

// Error is implemented by every error this package creates (isAuthError).
// Retrieve the fields with errors.As(err, &e) and e.Base().
type Error interface {
	error
	Base() *AuthError
}

// APIError is an error answer of the server (HTTP 4xx with a JSON body, or a
// 5xx other than 502/503/504).
type APIError struct{ AuthError }

// RetryableFetchError means no usable answer: a network failure (Status 0), a
// 502/503/504, or a response cut short. Trying again later may work; the
// command layer maps it to exit code 5.
type RetryableFetchError struct {
	AuthError
	// Err is the underlying transport error, if any (its text holds no secret).
	Err error
}

// Unwrap exposes the transport error (for example a *net.OpError).
func (e *RetryableFetchError) Unwrap() error { return e.Err }

// UnknownError is an answer the client cannot interpret: a 4xx without a JSON
// body, a success body that is not the expected JSON, an oversized body.
type UnknownError struct {
	AuthError
	Err error
}

// Unwrap exposes the decoding error, if any.
func (e *UnknownError) Unwrap() error { return e.Err }

// SessionMissingError means there is no usable session: none is stored, or
// the server says the session or its refresh token is gone (codes
// session_not_found, refresh_token_not_found, refresh_token_already_used).
// The command layer maps it to exit code 3 ("not signed in").
type SessionMissingError struct{ AuthError }

// InvalidTokenResponseError means the server answered a token request without the
// session fields (access_token, refresh_token, expires_in).
type InvalidTokenResponseError struct{ AuthError }

// InvalidCredentialsError is client-side validation of credentials (neither
// email nor phone, no password, ...): no request was sent.
type InvalidCredentialsError struct{ AuthError }

// ImplicitGrantRedirectError means an implicit-flow callback URL carried an error
// or no tokens.
type ImplicitGrantRedirectError struct {
	AuthError
	// ErrorParam and Description are the callback's error and
	// error_description parameters.
	ErrorParam, Description string
}

// PKCEGrantCodeExchangeError means a PKCE exchange could not start (no stored code
// verifier) or the callback carried an error.
type PKCEGrantCodeExchangeError struct {
	AuthError
	ErrorParam, Description string
}

// WeakPasswordError is an APIError (code weak_password, HTTP 422) with the
// reasons the password was refused ("length", "characters", "pwned").
type WeakPasswordError struct {
	APIError
	Reasons []string
}

// As lets errors.As(err, &apiErr) find the embedded *APIError, because a weak
// password error is an API error in the spec's hierarchy.
func (e *WeakPasswordError) As(target any) bool {
	if t, ok := target.(**APIError); ok {
		*t = &e.APIError
		return true
	}
	return false
}

// InvalidJwtError is a JWT that cannot be decoded or fails verification.
type InvalidJwtError struct{ AuthError }

// LockAcquireTimeoutError means the session lock was not acquired within the
// timeout (immediately, for a zero timeout).
type LockAcquireTimeoutError struct {
	AuthError
	// LockName is the name of the lock that was busy.
	LockName string
}

// IsAuthError reports whether err (or an error it wraps) comes from this
// package.
func IsAuthError(err error) bool {
	var e Error
	return errors.As(err, &e)
}

// IsAuthAPIError reports whether err is a server error answer (*APIError or
// *WeakPasswordError).
func IsAuthAPIError(err error) bool {
	var e *APIError
	return errors.As(err, &e)
}

// IsAuthSessionMissingError reports whether err means "not signed in".
func IsAuthSessionMissingError(err error) bool {
	var e *SessionMissingError
	return errors.As(err, &e)
}

// IsAuthRetryableFetchError reports whether err is a network-level failure
// worth retrying.
func IsAuthRetryableFetchError(err error) bool {
	var e *RetryableFetchError
	return errors.As(err, &e)
}

// IsAuthImplicitGrantRedirectError reports whether err comes from an
// implicit-flow callback.
func IsAuthImplicitGrantRedirectError(err error) bool {
	var e *ImplicitGrantRedirectError
	return errors.As(err, &e)
}

// IsAuthWeakPasswordError reports whether err is a weak password refusal.
func IsAuthWeakPasswordError(err error) bool {
	var e *WeakPasswordError
	return errors.As(err, &e)
}

// ErrorCode returns the server error code carried by err ("" when none), so a
// caller can branch on CodeInsufficientAAL without caring about the type.
func ErrorCode(err error) string {
	var e Error
	if errors.As(err, &e) {
		return e.Base().Code
	}
	return ""
}

// SessionMissingMessage is the message of the client-side "no session"
// error, as the spec words it.
const SessionMissingMessage = "Auth session missing!"

// errSessionMissing is the client-side "no session" error.
func errSessionMissing() *SessionMissingError {
	return &SessionMissingError{AuthError{Name: NameSessionMissingError, Message: SessionMissingMessage, Status: 400}}
}

func errInvalidCredentials(msg string) *InvalidCredentialsError {
	return &InvalidCredentialsError{AuthError{Name: NameInvalidCredentialsError, Message: msg, Status: 400}}
}

func errInvalidJWT(format string, args ...any) *InvalidJwtError {
	return &InvalidJwtError{AuthError{Name: NameInvalidJwtError, Message: fmt.Sprintf(format, args...), Status: 400}}
}

func errInvalidTokenResponse() *InvalidTokenResponseError {
	return &InvalidTokenResponseError{AuthError{Name: NameInvalidTokenResponseError, Message: "Auth session or user missing", Status: 500}}
}

// NewLockAcquireTimeoutError is the error a LockFunc returns when name could
// not be acquired within timeout; cross-process locks outside this package
// use it so callers see one error type.
func NewLockAcquireTimeoutError(name string, timeout time.Duration) *LockAcquireTimeoutError {
	return &LockAcquireTimeoutError{
		AuthError: AuthError{Name: NameLockAcquireTimeoutError, Message: fmt.Sprintf("acquiring lock %q timed out after %s", name, timeout)},
		LockName:  name,
	}
}

// asAPIError is errors.As for *APIError (WeakPasswordError included).
func asAPIError(err error, target **APIError) bool { return errors.As(err, target) }
