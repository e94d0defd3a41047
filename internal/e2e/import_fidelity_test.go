package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type importResult struct {
	Created     int
	NotRestored []string `json:"not_restored"`
}

// An exported user with a GitHub identity and a verified TOTP factor imports
// as an email user, and the import names both losses.
func TestImportNamesWhatItCannotRestore(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	row := fmt.Sprintf(`{"email":%q,"email_confirmed_at":"2026-01-01T00:00:00Z","app_metadata":{"provider":"github","providers":["email","github"]},`+
		`"identities":[{"provider":"email"},{"provider":"github"}],"factors":[{"factor_type":"totp","status":"verified"},{"factor_type":"phone","status":"unverified"}]}`, email)
	file := filepath.Join(e.dir, "users.jsonl")
	if err := os.WriteFile(file, []byte(row+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.mustRun(0, "", "admin", "users", "import", file, "--json")
	var res importResult
	if err := json.Unmarshal([]byte(r.Stdout), &res); err != nil {
		t.Fatal(err, r.Stdout)
	}
	if res.Created != 1 || len(res.NotRestored) != 2 ||
		!strings.Contains(res.NotRestored[0], "1 user had a verified TOTP factor") ||
		!strings.Contains(res.NotRestored[1], "1 user had a github identity") {
		t.Errorf("import: %+v", res)
	}
	if !strings.Contains(r.Stderr, "must enrol again") {
		t.Errorf("stderr does not name the lost factor: %s", r.Stderr)
	}
	var u struct {
		Email   string
		Factors []any
	}
	e.jsonOut(&u, "", "admin", "users", "get", "--email", email)
	if u.Email != email || len(u.Factors) != 0 {
		t.Errorf("imported user: %+v", u)
	}
}

// A Firebase user with an unverified email is reported; --confirm-emails
// imports it confirmed.
func TestImportFirebaseUnverifiedEmails(t *testing.T) {
	e := newEnv(t).withAdmin()
	tag := time.Now().UnixNano()
	a, b := fmt.Sprintf("fb-a-%d@example.com", tag), fmt.Sprintf("fb-b-%d@example.com", tag)
	export := fmt.Sprintf(`{"users":[{"localId":"a%d","email":%q,"emailVerified":false},{"localId":"b%d","email":%q,"emailVerified":true}]}`, tag, a, tag, b)
	file := filepath.Join(e.dir, "firebase.json")
	if err := os.WriteFile(file, []byte(export), 0o600); err != nil {
		t.Fatal(err)
	}
	var res importResult
	e.jsonOut(&res, "", "admin", "users", "import", file, "--format", "firebase", "--dry-run")
	if len(res.NotRestored) != 1 || !strings.Contains(res.NotRestored[0], "1 user had an unverified email") {
		t.Errorf("dry run: %+v", res)
	}
	e.jsonOut(&res, "", "admin", "users", "import", file, "--format", "firebase", "--confirm-emails")
	if res.Created != 2 || !strings.Contains(res.NotRestored[0], "marked confirmed") {
		t.Errorf("import --confirm-emails: %+v", res)
	}
	var u struct {
		EmailConfirmedAt string `json:"email_confirmed_at"`
	}
	e.jsonOut(&u, "", "admin", "users", "get", "--email", a)
	if u.EmailConfirmedAt == "" {
		t.Errorf("--confirm-emails: %s is not confirmed", a)
	}
}

// A user with a real, verified TOTP factor (enrolled and verified with a
// real code) is exported by `admin users export`, deleted, and imported
// from that export: the import names the factor it cannot create. Both
// formats carry it: JSON Lines as the full user (the listing does not load
// factors: the export fetches each user), CSV in its not_kept column.
func TestExportedTOTPFactorIsNamedOnImport(t *testing.T) {
	e := newEnv(t).withAdmin()
	email := uniqueEmail(t)
	s := signUp(t, e, email)
	enrollVerifiedTOTP(t, e, "phone-app")

	mine := map[string]string{}
	for _, format := range []string{"jsonl", "csv"} {
		out := filepath.Join(e.dir, "all."+format)
		r := e.mustRun(0, "", "admin", "users", "export", "--format", format, "--output", out, "--filter", email)
		mine[format] = filepath.Join(e.dir, "mine."+format)
		if got := keepMatching(t, out, mine[format], email, format == "csv"); got != 1 {
			t.Fatalf("%s export holds %d lines for %s", format, got, email)
		}
		if format == "csv" && !strings.Contains(r.Stderr, "verified TOTP factor") {
			t.Errorf("csv export does not say what it could not keep: %s", r.Stderr)
		}
	}
	line, _ := os.ReadFile(mine["jsonl"])
	var exported struct {
		Factors []struct {
			FactorType   string `json:"factor_type"`
			Status       string `json:"status"`
			FriendlyName string `json:"friendly_name"`
		} `json:"factors"`
	}
	if err := json.Unmarshal(line, &exported); err != nil || len(exported.Factors) != 1 ||
		exported.Factors[0].Status != "verified" || exported.Factors[0].FriendlyName != "phone-app" {
		t.Fatalf("exported user lacks its factor (%v): %s", err, line)
	}

	e.mustRun(0, "", "admin", "users", "delete", s.User.ID, "--yes")
	var res importResult
	e.jsonOut(&res, "", "admin", "users", "import", mine["jsonl"])
	if res.Created != 1 || len(res.NotRestored) != 1 || !strings.Contains(res.NotRestored[0], "1 user had a verified TOTP factor") {
		t.Errorf("jsonl import: %+v", res)
	}
	var u struct {
		ID      string
		Factors []any
	}
	e.jsonOut(&u, "", "admin", "users", "get", s.User.ID)
	if u.ID != s.User.ID || len(u.Factors) != 0 {
		t.Errorf("imported user: %+v", u)
	}
	// The CSV round trip names the same loss instead of dropping it.
	e.jsonOut(&res, "", "admin", "users", "import", mine["csv"], "--dry-run")
	if len(res.NotRestored) != 1 || !strings.Contains(res.NotRestored[0], "1 user had a verified TOTP factor") {
		t.Errorf("csv import: %+v", res)
	}
}
