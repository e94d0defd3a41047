package bulk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/authctl/authctl/internal/auth"
)

// Admin is what the importer needs of auth.AdminAPI.
type Admin interface {
	CreateUserID(context.Context, auth.AdminUserAttributes) (string, error)
	GetUserByID(context.Context, string) (*auth.User, error)
	GetUserByEmail(context.Context, string) (*auth.User, error)
	UpdateUserByID(context.Context, string, auth.AdminUserAttributes) (*auth.User, error)
}

// Conflict says what to do with a row whose email or phone belongs to a
// user this import did not create.
type Conflict string

const (
	ConflictSkip   Conflict = "skip"   // leave the existing user alone (default)
	ConflictUpdate Conflict = "update" // update the existing user with the row
	ConflictFail   Conflict = "fail"   // count the row as failed
)

// Outcome is what happened to one row.
type Outcome string

const (
	Created  Outcome = "created"
	Existing Outcome = "existing" // created by an earlier run of the same import
	Skipped  Outcome = "skipped"  // conflict with someone else's user, left alone
	Updated  Outcome = "updated"
	Failed   Outcome = "failed"
)

// Result is the outcome of one row.
type Result struct {
	Row     Row
	Outcome Outcome
	Err     error
	// HashNotApplied: an update of a row with a password hash, which the
	// server would ignore (see Summary.HashesNotApplied).
	HashNotApplied bool
}

// Summary counts the outcomes of a run.
type Summary struct {
	Created, Existing, Skipped, Updated, Failed int
	Retries                                     int64
	Interrupted                                 bool
	// HashesNotApplied counts updated users whose row had a password hash:
	// the server reads password_hash on create only, so they keep their
	// password (the importer does not send it).
	HashesNotApplied int
}

// Done is the number of rows with an outcome.
func (s *Summary) Done() int { return s.Created + s.Existing + s.Skipped + s.Updated + s.Failed }

// Importer creates users concurrently.
type Importer struct {
	Admin       Admin
	Concurrency int      // workers (default 8)
	OnConflict  Conflict // default ConflictSkip
	Retry       Retry
	// OnResult is called once per row with an outcome, from the workers
	// (concurrently): progress, the report. An error stops the run.
	OnResult func(Result) error
}

// Run imports the rows read gives it (invalid rows count as failed; the
// command validates the whole file before calling Run). Cancelling ctx stops
// it promptly: rows in flight may or may not have been created, and a rerun
// finds them by id. The error is ctx's, the retry budget's, or OnResult's.
func (im *Importer) Run(ctx context.Context, read func(RowFunc) error) (*Summary, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	rt := newRetrier(im.Retry)
	// A row ready per worker: a worker whose request ends takes the next
	// without waiting for the reader to be scheduled.
	rows := make(chan Row, max(im.Concurrency, 1))
	var (
		mu  sync.Mutex
		sum Summary
		wg  sync.WaitGroup
	)
	record := func(res Result) {
		mu.Lock()
		defer mu.Unlock()
		switch res.Outcome {
		case Created:
			sum.Created++
		case Existing:
			sum.Existing++
		case Skipped:
			sum.Skipped++
		case Updated:
			sum.Updated++
			if res.HashNotApplied {
				sum.HashesNotApplied++
			}
		case Failed:
			sum.Failed++
		}
	}
	finish := func(res Result) {
		if ctx.Err() != nil && res.Outcome == Failed {
			// The run was stopped (interrupt, retry budget, OnResult) while
			// this row was in flight or queued: it was not attempted to the
			// end, so it is neither a failure for the report nor counted;
			// the rerun does it.
			return
		}
		if errors.Is(res.Err, ErrRetryBudget) {
			cancel(res.Err)
			return
		}
		record(res)
		if im.OnResult != nil {
			if err := im.OnResult(res); err != nil {
				cancel(err)
			}
		}
	}
	for range max(im.Concurrency, 1) {
		wg.Go(func() {
			for row := range rows {
				finish(im.one(ctx, rt, row))
			}
		})
	}
	readErr := read(func(row Row, err error) error {
		if err != nil {
			finish(Result{Row: row, Outcome: Failed, Err: err})
			return nil
		}
		select {
		case rows <- row:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	})
	close(rows)
	wg.Wait()
	sum.Retries = rt.used.Load()
	if err := context.Cause(ctx); err != nil {
		sum.Interrupted = true
		return &sum, err
	}
	return &sum, readErr
}

// one imports a row: create it with its id; on a conflict, find out whether
// the existing user is this row's (an earlier run created it) or someone
// else's, and apply the conflict policy to the latter only.
func (im *Importer) one(ctx context.Context, rt *retrier, row Row) Result {
	res := Result{Row: row}
	err := im.create(ctx, rt, row)
	switch {
	case err == nil:
		res.Outcome = Created
		return res
	case !isConflict(err):
		res.Outcome, res.Err = Failed, err
		return res
	}
	var ours *auth.User
	getErr := rt.do(ctx, func() (err error) {
		ours, err = im.Admin.GetUserByID(ctx, row.Attrs.ID)
		return err
	})
	switch {
	case getErr == nil && ours != nil && im.OnConflict != ConflictUpdate:
		res.Outcome = Existing
		return res
	case getErr == nil && ours != nil:
		return im.update(ctx, rt, res, ours.ID)
	case !isNotFound(getErr):
		res.Outcome, res.Err = Failed, getErr
		return res
	}
	switch im.OnConflict {
	case ConflictFail:
		res.Outcome, res.Err = Failed, err
	case ConflictUpdate:
		if row.Attrs.Email == "" {
			res.Outcome, res.Err = Failed, fmt.Errorf("%w; the server cannot look users up by phone, so it cannot be updated", err)
			return res
		}
		var other *auth.User
		if err := rt.do(ctx, func() (err error) {
			other, err = im.Admin.GetUserByEmail(ctx, row.Attrs.Email)
			return err
		}); err != nil {
			res.Outcome, res.Err = Failed, err
			return res
		}
		return im.update(ctx, rt, res, other.ID)
	default:
		res.Outcome = Skipped
	}
	return res
}

// create sends the row's create until it has an answer. An attempt that
// got no answer (timeout, connection lost, 502/503/504 from a proxy) may
// still have landed: the next attempt asks for the row's id first. Found,
// the user is this run's creation (counted as created, not as an earlier
// run's), at the cost of one GET instead of a refused create and a GET.
func (im *Importer) create(ctx context.Context, rt *retrier, row Row) error {
	unanswered := false
	return rt.do(ctx, func() error {
		if unanswered {
			_, err := im.Admin.GetUserByID(ctx, row.Attrs.ID)
			if err == nil || !isNotFound(err) {
				return err
			}
		}
		_, err := im.Admin.CreateUserID(ctx, row.Attrs)
		unanswered = auth.IsAuthRetryableFetchError(err)
		return err
	})
}

// update applies the row to an existing user, whose id is kept.
func (im *Importer) update(ctx context.Context, rt *retrier, res Result, id string) Result {
	attrs := res.Row.Attrs
	attrs.ID = ""
	// The server reads password_hash on create only and would answer 200
	// with the password unchanged: say so instead of sending it.
	res.HashNotApplied = attrs.PasswordHash != ""
	attrs.PasswordHash = ""
	err := rt.do(ctx, func() error {
		_, err := im.Admin.UpdateUserByID(ctx, id, attrs)
		return err
	})
	if err != nil {
		res.Outcome, res.Err = Failed, err
		return res
	}
	res.Outcome = Updated
	return res
}

// isConflict recognises "this user exists" in the server's answers: 422
// email_exists / phone_exists / user_already_exists, and the real server's
// 500 for a duplicate primary key (Postgres 23505), which it sends when the
// id is taken but the email and phone are free.
func isConflict(err error) bool {
	var ae auth.Error
	if !errors.As(err, &ae) {
		return false
	}
	b := ae.Base()
	switch b.Code {
	case "email_exists", "phone_exists", "user_already_exists", "23505":
		return true
	}
	return b.Status == http.StatusInternalServerError && strings.Contains(b.Message, "duplicate key")
}

func isNotFound(err error) bool {
	var ae auth.Error
	return errors.As(err, &ae) && (ae.Base().Status == http.StatusNotFound || ae.Base().Code == "user_not_found")
}
