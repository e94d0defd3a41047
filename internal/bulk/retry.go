package bulk

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

// Retry is the policy for answers that mean "not now": 429 and 502/503/504,
// and network failures. Every request the importer sends is safe to repeat
// (a create that did land is recognised by its id on the next attempt).
type Retry struct {
	Attempts int           // per request, the first included (default 6)
	Base     time.Duration // first backoff (default 250ms), doubled each time
	Max      time.Duration // backoff cap (default 10s)
	// Budget bounds the retries of a whole run (default 1000). When it is
	// spent the server is not coming back soon: the run stops with the last
	// error rather than grinding through every remaining row, and a rerun
	// resumes.
	Budget int64
}

// ErrRetryBudget wraps the last retryable error when a run's retry budget is
// spent.
var ErrRetryBudget = errors.New("too many retries: the server keeps answering overloaded or unavailable")

type retrier struct {
	Retry
	used  atomic.Int64
	sleep func(context.Context, time.Duration) error // replaced by tests
}

func newRetrier(r Retry) *retrier {
	if r.Attempts <= 0 {
		r.Attempts = 6
	}
	if r.Base <= 0 {
		r.Base = 250 * time.Millisecond
	}
	if r.Max <= 0 {
		r.Max = 10 * time.Second
	}
	if r.Budget <= 0 {
		r.Budget = 1000
	}
	return &retrier{Retry: r, sleep: sleepCtx}
}

// do calls op until it succeeds, fails for good, or the attempts or the
// run's budget are spent. Backoff is exponential with full jitter, so
// workers that failed together do not come back together.
func (r *retrier) do(ctx context.Context, op func() error) error {
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || !Retryable(err) || ctx.Err() != nil {
			return err
		}
		if attempt >= r.Attempts {
			return err
		}
		if r.used.Add(1) > r.Budget {
			return errors.Join(ErrRetryBudget, err)
		}
		d := min(r.Base<<(attempt-1), r.Max)
		if err := r.sleep(ctx, rand.N(d)+d/10); err != nil {
			return err
		}
	}
}

// Retryable reports whether err is worth another attempt: 429, 502, 503,
// 504 or no answer at all.
func Retryable(err error) bool {
	if auth.IsAuthRetryableFetchError(err) {
		return true
	}
	var ae auth.Error
	return errors.As(err, &ae) && ae.Base().Status == http.StatusTooManyRequests
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
