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
// full holds, by id, the whole user GET /admin/users/{id} answers, for
// users whose details the listing leaves out.
type bulkFake struct {
	mu     sync.Mutex
	users  []auth.User
	full   map[string]string
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

func (f *bulkFake) GetUserRaw(_ context.Context, id string) (json.RawMessage, error) {
	if full, ok := f.full[id]; ok {
		return json.RawMessage(full), nil
	}
	for _, u := range f.users {
		if u.ID == id {
			return json.Marshal(u)
		}
	}
	return nil, &auth.APIError{AuthError: auth.AuthError{Name: auth.NameAPIError, Status: 404, Code: "user_not_found", Message: "User not found"}}
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
	id1, id2 := "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	fake := &bulkFake{users: []auth.User{{ID: id1, Email: "a@example.com", UserMetadata: map[string]any{"n": 1}}, {ID: id2, Phone: "15551234567"}},
		full: map[string]string{id2: `{"id":"` + id2 + `","phone":"15551234567","new_email":"b@example.com",` +
			`"identities":[{"provider":"phone"},{"provider":"github"}],"factors":[{"factor_type":"totp","status":"verified"}]}`}}
	if err := runExport(context.Background(), &ExportOptions{F: h.F, Admin: fake, Format: "csv", PerPage: 500}); err != nil {
		t.Fatal(err)
	}
	want := "id,email,phone,email_confirmed_at,phone_confirmed_at,created_at,last_sign_in_at,banned_until,role,user_metadata,app_metadata,not_kept\n" +
		id1 + ",a@example.com,,,,,,,,\"{\"\"n\"\":1}\",,\n" + id2 + ",,15551234567,,,,,,,,,identity:github factor:totp new_email\n"
	if got := h.Stdout.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	for _, s := range []string{"not_kept column", "1 user had a verified TOTP factor: 15551234567", "1 user had a github identity: 15551234567", "1 user had new_email: 15551234567"} {
		if !strings.Contains(h.Stderr.String(), s) {
			t.Errorf("stderr lacks %q:\n%s", s, h.Stderr.String())
		}
	}
	// The CSV imports back naming what it could not hold.
	file := writeTemp(t, "u.csv", h.Stdout.String())
	h.Stdout.Reset()
	h.Stderr.Reset()
	if err := runImport(context.Background(), &ImportOptions{F: h.F, File: file, DryRun: true, Concurrency: 1, OnConflict: "skip"}); err != nil {
		t.Fatal(err, h.Stderr.String())
	}
	for _, s := range []string{"1 user had a verified TOTP factor", "1 user had a github identity", "1 user had new_email, which the admin API cannot set"} {
		if !strings.Contains(h.Stderr.String(), s) {
			t.Errorf("import stderr lacks %q:\n%s", s, h.Stderr.String())
		}
	}
	if err := runExport(context.Background(), &ExportOptions{F: h.F, Admin: fake, Format: "xml", PerPage: 500}); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Fatalf("--format xml: %v", err)
	}
}
