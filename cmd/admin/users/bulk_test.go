package users

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// bulkFake creates users in memory; emails listed in reject fail with 500.
type bulkFake struct {
	mu     sync.Mutex
	users  []auth.User
	reject map[string]bool
}

func (f *bulkFake) CreateUserID(_ context.Context, a auth.AdminUserAttributes) (string, error) {
	if f.reject[a.Email] {
		return "", &auth.APIError{AuthError: auth.AuthError{Name: auth.NameAPIError, Status: 500, Code: "unexpected_failure", Message: "Error creating user"}}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	u := auth.User{ID: a.ID, Email: a.Email, UserMetadata: a.UserMetadata}
	f.users = append(f.users, u)
	return u.ID, nil
}

func (f *bulkFake) GetUserByID(context.Context, string) (*auth.User, error) {
	return nil, errors.New("not expected")
}

func (f *bulkFake) GetUserByEmail(context.Context, string) (*auth.User, error) {
	return nil, errors.New("not expected")
}

func (f *bulkFake) UpdateUserByID(context.Context, string, auth.AdminUserAttributes) (*auth.User, error) {
	return nil, errors.New("not expected")
}

func (f *bulkFake) ListAllUsersRaw(_ context.Context, _ auth.ListUsersParams, fn func(json.RawMessage) error) error {
	for _, u := range f.users {
		raw, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	return nil
}

func writeTemp(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportFlagErrors(t *testing.T) {
	file := writeTemp(t, "u.jsonl", `{"email":"a@example.com"}`)
	for _, opts := range []ImportOptions{
		{File: file, Concurrency: 8, OnConflict: "merge"},
		{File: file, Concurrency: 0, OnConflict: "skip"},
		{File: file, Concurrency: 8, OnConflict: "skip", HashConfig: "h.txt"},
		{File: "-", Concurrency: 8, OnConflict: "skip"},
		{File: file, Concurrency: 8, OnConflict: "skip", Format: "xml"},
	} {
		h := cmdutiltest.New(t, nil)
		opts.F, opts.Admin = h.F, &bulkFake{}
		if err := runImport(context.Background(), &opts); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%+v: %v, want a usage error", opts, err)
		}
	}
}

func TestImportInvalidFileSendsNothing(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	fake := &bulkFake{}
	file := writeTemp(t, "u.csv", "email,phone\na@example.com,\n,\nnope,\n")
	err := runImport(context.Background(), &ImportOptions{F: h.F, Admin: fake, File: file, Concurrency: 8, OnConflict: "skip"})
	if err == nil || !strings.Contains(err.Error(), "2 of 3 rows are invalid") || len(fake.users) != 0 {
		t.Fatalf("%v, %d users", err, len(fake.users))
	}
	if s := h.Stderr.String(); !strings.Contains(s, "line 3:") || !strings.Contains(s, `line 4: invalid email "nope"`) {
		t.Fatalf("stderr: %s", s)
	}
}

func TestImportReportsFailedRows(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	fake := &bulkFake{reject: map[string]bool{"b@example.com": true}}
	file := writeTemp(t, "u.jsonl", "{\"email\":\"a@example.com\"}\n{\"email\":\"b@example.com\",\"password\":\"s3cret-pw\"}\n{\"email\":\"c@example.com\"}\n")
	err := runImport(context.Background(), &ImportOptions{F: h.F, Admin: fake, File: file, Concurrency: 2, OnConflict: "skip"})
	if err == nil || !strings.Contains(err.Error(), "1 of 3 rows failed") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Fatalf("%v", err)
	}
	if out := h.Stdout.String(); !strings.Contains(out, "3 rows in") || !strings.Contains(out, "2 created") || !strings.Contains(out, "1 failed") {
		t.Fatalf("stdout: %s", out)
	}
	if h.Stderr.Len() != 0 {
		t.Errorf("no progress on a non-terminal stderr: %q", h.Stderr.String())
	}
	report, err := os.ReadFile(file + ".report.jsonl")
	if err != nil || !strings.Contains(string(report), `"line":2`) || strings.Contains(string(report), "s3cret") {
		t.Fatalf("report %s: %v", report, err)
	}
}

func TestImportProgressOnTerminal(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	h.F.IOStreams.SetStderrTTY(true)
	file := writeTemp(t, "u.jsonl", `{"email":"a@example.com"}`)
	if err := runImport(context.Background(), &ImportOptions{F: h.F, Admin: &bulkFake{}, File: file, Concurrency: 1, OnConflict: "skip"}); err != nil {
		t.Fatal(err)
	}
	if s := h.Stderr.String(); !strings.Contains(s, "importing 1/1 (100%)") {
		t.Fatalf("stderr: %q", s)
	}
}

func TestExportCSV(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	fake := &bulkFake{users: []auth.User{{ID: "1", Email: "a@example.com", UserMetadata: map[string]any{"n": 1}}, {ID: "2", Phone: "15551234567"}}}
	if err := runExport(context.Background(), &ExportOptions{F: h.F, Admin: fake, Format: "csv", PerPage: 500}); err != nil {
		t.Fatal(err)
	}
	want := "id,email,phone,email_confirmed_at,phone_confirmed_at,created_at,last_sign_in_at,banned_until,role,user_metadata,app_metadata\n" +
		"1,a@example.com,,,,,,,,\"{\"\"n\"\":1}\",\n2,,15551234567,,,,,,,,\n"
	if got := h.Stdout.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if err := runExport(context.Background(), &ExportOptions{F: h.F, Admin: fake, Format: "xml", PerPage: 500}); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Fatalf("--format xml: %v", err)
	}
}
