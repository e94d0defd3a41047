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
