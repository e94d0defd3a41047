package bulk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
)

// fakeAdmin is a server in memory answering like the emulator: a taken
// email is 422 email_exists, whoever holds it.
type fakeAdmin struct {
	mu      sync.Mutex
	byID    map[string]auth.AdminUserAttributes
	creates atomic.Int64 // users created
	// createCalls and gets count requests, answered or not.
	createCalls atomic.Int64
	gets        atomic.Int64
	updates     atomic.Int64
	// fail, when set, answers instead of the server for that many calls.
	failN   atomic.Int64
	failErr error
	// landThenFail creates the user and then reports failure, like a
	// connection lost after the server committed.
	landThenFail atomic.Int64
	delay        time.Duration
}

func newFake() *fakeAdmin { return &fakeAdmin{byID: map[string]auth.AdminUserAttributes{}} }

func apiErr(status int, code string) error {
	return &auth.APIError{AuthError: auth.AuthError{Name: auth.NameAPIError, Status: status, Code: code, Message: code}}
}

func (f *fakeAdmin) CreateUserID(ctx context.Context, a auth.AdminUserAttributes) (string, error) {
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	f.createCalls.Add(1)
	if f.failN.Add(-1) >= 0 {
		return "", f.failErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.byID {
		if a.Email != "" && strings.EqualFold(u.Email, a.Email) {
			return "", apiErr(422, "email_exists")
		}
	}
	if _, ok := f.byID[a.ID]; ok {
		return "", apiErr(500, "23505")
	}
	f.byID[a.ID] = a
	f.creates.Add(1)
	if f.landThenFail.Add(-1) >= 0 {
		return "", &auth.RetryableFetchError{AuthError: auth.AuthError{Name: auth.NameRetryableFetchError, Message: "connection reset"}}
	}
	return a.ID, nil
}

func (f *fakeAdmin) GetUserByID(_ context.Context, id string) (*auth.User, error) {
	f.gets.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if u, ok := f.byID[id]; ok {
		return &auth.User{ID: id, Email: u.Email}, nil
	}
	return nil, apiErr(404, "user_not_found")
}

func (f *fakeAdmin) GetUserByEmail(_ context.Context, email string) (*auth.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, u := range f.byID {
		if strings.EqualFold(u.Email, email) {
			return &auth.User{ID: id, Email: u.Email}, nil
		}
	}
	return nil, apiErr(404, "user_not_found")
}

func (f *fakeAdmin) UpdateUserByID(_ context.Context, id string, a auth.AdminUserAttributes) (*auth.User, error) {
	f.updates.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.byID[id]
	u.UserMetadata = a.UserMetadata
	u.PasswordHash = a.PasswordHash
	f.byID[id] = u
	return &auth.User{ID: id}, nil
}

// lines is a JSON Lines file of n users.
func lines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "{\"email\":\"user%d@example.com\",\"user_metadata\":{\"i\":%d}}\n", i, i)
	}
	return b.String()
}

func reader(s string) func(RowFunc) error {
	return func(fn RowFunc) error { return ReadJSONL(strings.NewReader(s), testNow, fn) }
}

func fastRetry() Retry { return Retry{Base: time.Millisecond, Max: 2 * time.Millisecond} }

func TestImportRetriesOverloadAndLostAnswers(t *testing.T) {
	f := newFake()
	f.failN.Store(20)
	f.failErr = apiErr(http.StatusTooManyRequests, "over_request_rate_limit")
	f.landThenFail.Store(5)
	r := fastRetry()
	r.Attempts = 30 // 20 answers of 429 may all land on one row
	im := &Importer{Admin: f, Concurrency: 4, Retry: r}
	sum, err := im.Run(context.Background(), reader(lines(200)))
	if err != nil {
		t.Fatal(err)
	}
	// The five whose answer was lost landed: this run created them, so
	// they count as created (not as an earlier run's), each was created
	// once, and the retry asked for it by id instead of creating again
	// (no 422 + GET round).
	if sum.Created != 200 || sum.Existing != 0 || sum.Failed != 0 || f.creates.Load() != 200 || sum.Retries < 25 {
		t.Fatalf("%+v, %d creates", sum, f.creates.Load())
	}
	if got := f.createCalls.Load() - f.creates.Load() - 20; got != 0 {
		t.Fatalf("%d create requests beyond one per row and the 20 refused", got)
	}
	if f.gets.Load() != 5 {
		t.Fatalf("%d lookups by id, want one per lost answer (5)", f.gets.Load())
	}
}

func TestImportRetryAfterLostAnswerThatDidNotLand(t *testing.T) {
	f := newFake()
	f.failN.Store(3)
	f.failErr = &auth.RetryableFetchError{AuthError: auth.AuthError{Name: auth.NameRetryableFetchError, Message: "timeout"}}
	im := &Importer{Admin: f, Concurrency: 1, Retry: fastRetry()}
	sum, err := im.Run(context.Background(), reader(lines(1)))
	if err != nil {
		t.Fatal(err)
	}
	// Three answers lost before the server saw the row: each retry looks
	// the id up, finds nothing, and creates.
	if sum.Created != 1 || f.creates.Load() != 1 || f.gets.Load() != 3 {
		t.Fatalf("%+v, %d creates, %d lookups", sum, f.creates.Load(), f.gets.Load())
	}
}

func TestImportRerunCountsEarlierRunsUsersAsExisting(t *testing.T) {
	f := newFake()
	im := &Importer{Admin: f, Concurrency: 2, Retry: fastRetry()}
	if _, err := im.Run(context.Background(), reader(lines(10))); err != nil {
		t.Fatal(err)
	}
	sum, err := im.Run(context.Background(), reader(lines(10)))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 0 || sum.Existing != 10 {
		t.Fatalf("%+v", sum)
	}
}

func TestImportRetryBudgetStopsTheRun(t *testing.T) {
	f := newFake()
	f.failN.Store(1 << 40)
	f.failErr = &auth.RetryableFetchError{AuthError: auth.AuthError{Name: auth.NameRetryableFetchError, Status: 503, Message: "unavailable"}}
	im := &Importer{Admin: f, Concurrency: 4, Retry: Retry{Base: time.Microsecond, Max: time.Microsecond, Budget: 30}}
	sum, err := im.Run(context.Background(), reader(lines(1000)))
	if !errors.Is(err, ErrRetryBudget) || !auth.IsAuthRetryableFetchError(err) {
		t.Fatalf("err %v", err)
	}
	if calls := (1 << 40) - f.failN.Load(); calls > 60 || sum.Done() > 10 {
		t.Fatalf("%d calls, %+v: the run should stop soon after the budget", calls, sum)
	}
}

func TestImportNonRetryableFailsTheRowOnly(t *testing.T) {
	f := newFake()
	f.failN.Store(3)
	f.failErr = apiErr(500, "unexpected_failure")
	var failed atomic.Int64
	im := &Importer{Admin: f, Concurrency: 1, Retry: fastRetry(), OnResult: func(r Result) error {
		if r.Outcome == Failed {
			failed.Add(1)
		}
		return nil
	}}
	sum, err := im.Run(context.Background(), reader(lines(10)))
	if err != nil || sum.Failed != 3 || sum.Created != 7 || failed.Load() != 3 || sum.Retries != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
}

func TestImportInterruptedThenRerunCreatesEachOnce(t *testing.T) {
	f := newFake()
	f.delay = time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	im := &Importer{Admin: f, Concurrency: 8, Retry: fastRetry(), OnResult: func(Result) error {
		if n.Add(1) == 100 {
			cancel()
		}
		return nil
	}}
	sum, err := im.Run(ctx, reader(lines(500)))
	if !errors.Is(err, context.Canceled) || !sum.Interrupted || sum.Done() >= 500 {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	im.OnResult = nil
	sum, err = im.Run(context.Background(), reader(lines(500)))
	if err != nil || sum.Failed != 0 || sum.Created+sum.Existing != 500 {
		t.Fatalf("rerun: %+v %v", sum, err)
	}
	if got := f.creates.Load(); got != 500 || len(f.byID) != 500 {
		t.Fatalf("%d creates, %d users", got, len(f.byID))
	}
}

func TestImportConflicts(t *testing.T) {
	for _, tc := range []struct {
		policy  Conflict
		outcome Outcome
		updates int64
	}{{ConflictSkip, Skipped, 0}, {ConflictFail, Failed, 0}, {ConflictUpdate, Updated, 1}} {
		t.Run(string(tc.policy), func(t *testing.T) {
			f := newFake()
			// Someone else's user, with an id of their own, holds the email.
			f.byID["7c8e0a5e-0000-4000-8000-000000000001"] = auth.AdminUserAttributes{Email: "user0@example.com"}
			var got Outcome
			im := &Importer{Admin: f, OnConflict: tc.policy, Retry: fastRetry(), OnResult: func(r Result) error { got = r.Outcome; return nil }}
			if _, err := im.Run(context.Background(), reader(lines(1))); err != nil {
				t.Fatal(err)
			}
			if got != tc.outcome || f.updates.Load() != tc.updates {
				t.Fatalf("outcome %s, %d updates", got, f.updates.Load())
			}
			// Our own user from an earlier run is never a conflict.
			got = ""
			if _, err := im.Run(context.Background(), reader("{\"email\":\"new@example.com\"}\n")); err != nil || got != Created {
				t.Fatalf("%s %v", got, err)
			}
			if _, err := im.Run(context.Background(), reader("{\"email\":\"new@example.com\"}\n")); err != nil || (got != Existing && got != Updated) {
				t.Fatalf("rerun: %s %v", got, err)
			}
		})
	}
}

// An update does not send the row's password hash (the server reads one on
// create only) and counts the users that keep their password.
func TestImportUpdateNamesTheHashItCannotApply(t *testing.T) {
	f := newFake()
	const other = "7c8e0a5e-0000-4000-8000-000000000001"
	f.byID[other] = auth.AdminUserAttributes{Email: "user0@example.com"}
	im := &Importer{Admin: f, OnConflict: ConflictUpdate, Retry: fastRetry()}
	row := `{"email":"user0@example.com","password_hash":"$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"}` + "\n"
	sum, err := im.Run(context.Background(), reader(row))
	if err != nil || sum.Updated != 1 || sum.HashesNotApplied != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	if h := f.byID[other].PasswordHash; h != "" {
		t.Errorf("the update sent password_hash %q", h)
	}
}
