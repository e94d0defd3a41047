package cmdutil

import (
	"errors"
	"fmt"
	"time"
)

// FlagError is a usage error: bad or missing flags, arguments or input. It
// maps to exit code 2 and cobra prints the usage hint with it.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError from a format.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// FlagErrorWrap marks err as a usage error.
func FlagErrorWrap(err error) error {
	if err == nil {
		return nil
	}
	var fe *FlagError
	if errors.As(err, &fe) {
		return err
	}
	return &FlagError{Err: err}
}

// SilentError is returned by a command that already told the user what went
// wrong; only its exit code remains to be applied.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// CheckInterval refuses an --interval that is not a positive duration;
// example is one the command would take ("2s").
func CheckInterval(d time.Duration, example string) error {
	if d <= 0 {
		return FlagErrorf("invalid --interval %s: want a positive duration such as %s", d, example)
	}
	return nil
}
