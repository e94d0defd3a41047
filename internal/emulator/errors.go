package emulator

import (
	"fmt"
	"net/http"

	"github.com/google/uuid"
)

// apiError is an error answered to the client in the server's error shape.
type apiError struct {
	Status  int
	Code    string // error_code, e.g. "invalid_credentials"
	Msg     string
	Weak    []string // reasons of a weak_password error
	OAuth   bool     // answer as {"error","error_description"}
	OAuthID string   // the OAuth error string when OAuth is set
	// ErrorID adds a random error_id to legacy bodies (the server's handled 500s).
	ErrorID bool
	// NoHeader omits X-Sb-Error-Code (the server's unhandled failures).
	NoHeader bool
	// Postgres is the database error the server shows in place of a legacy
	// body (its utilities.PostgresError); the versioned API keeps Msg.
	Postgres *postgresError
}

// postgresError is the body the server answers, before the 2024-01-01 API
// version, for a failure whose cause is a constraint violation.
type postgresError struct {
	Code    string
	Message string
	Detail  string
}

// uniqueViolation is the server's answer when a write it did not check
// first hits a unique index: a 500 that shows the database's words.
func uniqueViolation(msg, constraint, column, value string) *apiError {
	e := newErr(http.StatusInternalServerError, "unexpected_failure", "%s", msg)
	e.Postgres = &postgresError{
		Code:    "23505",
		Message: fmt.Sprintf("duplicate key value violates unique constraint %q", constraint),
		Detail:  fmt.Sprintf("Key (%s)=(%s) already exists.", column, value),
	}
	return e
}

func (e *apiError) Error() string { return e.Code + ": " + e.Msg }

func newErr(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Msg: fmt.Sprintf(format, args...)}
}

func badRequest(code, format string, args ...any) *apiError {
	return newErr(http.StatusBadRequest, code, format, args...)
}

func validation(format string, args ...any) *apiError {
	return newErr(http.StatusBadRequest, "validation_failed", format, args...)
}

func unprocessable(code, format string, args ...any) *apiError {
	return newErr(http.StatusUnprocessableEntity, code, format, args...)
}

func forbidden(code, format string, args ...any) *apiError {
	return newErr(http.StatusForbidden, code, format, args...)
}

func notFound(code, format string, args ...any) *apiError {
	return newErr(http.StatusNotFound, code, format, args...)
}

// internal is a handled server failure (error_id in legacy bodies).
func internal(msg string) *apiError {
	e := newErr(http.StatusInternalServerError, "unexpected_failure", "%s", msg)
	e.ErrorID = true
	return e
}

// unhandled is a failure the real server does not map to an error code.
func unhandled(msg string) *apiError {
	e := newErr(http.StatusInternalServerError, "unexpected_failure", "%s", msg)
	e.NoHeader = true
	return e
}

func oauthErr(status int, errStr, desc string) *apiError {
	return &apiError{Status: status, OAuth: true, OAuthID: errStr, Msg: desc}
}

const apiVersionHeader = "X-Supabase-Api-Version"

// apiVersion2024 reports whether the request asked for the 2024-01-01 API
// version, which changes the error shape.
func apiVersion2024(r *http.Request) bool {
	return r.Header.Get(apiVersionHeader) >= "2024-01-01"
}

// writeError answers err in the shape the request asks for.
func writeError(w http.ResponseWriter, r *http.Request, err *apiError) {
	v2024 := apiVersion2024(r)
	if v2024 {
		w.Header().Set(apiVersionHeader, r.Header.Get(apiVersionHeader))
	}
	if err.OAuth {
		writeJSON(w, err.Status, obj{{"error", err.OAuthID}, {"error_description", err.Msg}})
		return
	}
	// The versioned API skips the header for weak passwords.
	if !err.NoHeader && !(v2024 && err.Weak != nil) {
		w.Header().Set("X-Sb-Error-Code", err.Code)
	}
	var body obj
	if err.Postgres != nil && !v2024 {
		pg := err.Postgres
		writeJSON(w, err.Status, obj{{"code", pg.Code}, {"message", pg.Message}, {"detail", pg.Detail}})
		return
	}
	if v2024 {
		body = obj{{"code", err.Code}, {"message", err.Msg}}
	} else {
		body = obj{{"code", err.Status}, {"error_code", err.Code}, {"msg", err.Msg}}
	}
	if err.Weak != nil {
		body = body.add("weak_password", obj{{"reasons", err.Weak}})
	}
	if err.ErrorID && !v2024 {
		body = body.add("error_id", uuid.NewString())
	}
	writeJSON(w, err.Status, body)
}
