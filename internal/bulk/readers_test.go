package bulk

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/bulk/bulktest"
)

var testNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// collect reads everything and returns the valid rows and the line errors.
func collect(t *testing.T, read func(RowFunc) error) ([]Row, []*LineError, error) {
	t.Helper()
	var rows []Row
	var errs []*LineError
	err := read(func(r Row, err error) error {
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("row error %v is not a *LineError", err)
			}
			errs = append(errs, le)
			return nil
		}
		rows = append(rows, r)
		return nil
	})
	return rows, errs, err
}

func TestReadJSONL(t *testing.T) {
	in := `{"email":"a@example.com","password":"pw-123456","user_metadata":{"n":1}}

{"phone":"+15551234567","phone_confirmed_at":"2025-01-01T00:00:00Z"}
not json
{"email":"nope"}
{"id":"6f1c5b0e-8b9e-4a47-9d34-2c1e0f0a9a11","email":"b@example.com","banned_until":"2026-01-02T00:00:00Z","app_metadata":{"provider":"email","providers":["email"],"plan":"pro"}}
{"email":"c@example.com","password":"x","password_hash":"$2a$10$abc"}
`
	rows, errs, err := collect(t, func(fn RowFunc) error { return ReadJSONL(strings.NewReader(in), testNow, fn) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || len(errs) != 3 {
		t.Fatalf("rows %d, errors %d (%v)", len(rows), len(errs), errs)
	}
	for i, line := range []int{4, 5, 7} {
		if errs[i].Line != line {
			t.Errorf("error %d at line %d, want %d: %v", i, errs[i].Line, line, errs[i])
		}
	}
	if rows[0].Line != 1 || rows[0].Attrs.ID != DeriveID("email", "a@example.com") {
		t.Errorf("row 1: %+v", rows[0])
	}
	if rows[1].Line != 3 || rows[1].Attrs.PhoneConfirm == nil || !*rows[1].Attrs.PhoneConfirm {
		t.Errorf("row 3: phone_confirmed_at should confirm: %+v", rows[1])
	}
	b := rows[2].Attrs
	if b.ID != "6f1c5b0e-8b9e-4a47-9d34-2c1e0f0a9a11" || b.BanDuration != "24h0m0s" {
		t.Errorf("row 6: id %q ban %q", b.ID, b.BanDuration)
	}
	if _, ok := b.AppMetadata["provider"]; ok || b.AppMetadata["plan"] != "pro" {
		t.Errorf("row 6: app_metadata %v: provider bookkeeping dropped, the rest kept", b.AppMetadata)
	}
}

func TestDeriveIDIsCaseInsensitiveAndStable(t *testing.T) {
	read := func(s string) Row {
		rows, errs, _ := collect(t, func(fn RowFunc) error { return ReadJSONL(strings.NewReader(s), testNow, fn) })
		if len(rows) != 1 || len(errs) != 0 {
			t.Fatalf("%q: %v", s, errs)
		}
		return rows[0]
	}
	a, b := read(`{"email":"Ann@Example.com"}`), read(`{"email":"ann@example.com","password":"other-9"}`)
	if a.Attrs.ID != b.Attrs.ID {
		t.Errorf("same person, different ids: %s %s", a.Attrs.ID, b.Attrs.ID)
	}
}

func TestReadCSV(t *testing.T) {
	in := "\ufeffEmail,phone,password,email_confirm,user_metadata\n" +
		"a@example.com,,pw-123456,true,\"{\"\"team\"\":\"\"qa\"\"}\"\n" +
		",+15551234567,,,\n" +
		"b@example.com,,,maybe,\n" +
		"c@example.com,,,,[1]\n" +
		"d@example.com,,\n" +
		"\"multi\nline@example.com\",,,,\n"
	rows, errs, err := collect(t, func(fn RowFunc) error { return ReadCSV(strings.NewReader(in), testNow, fn) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(errs) != 4 {
		t.Fatalf("rows %+v, errors %v", rows, errs)
	}
	for i, line := range []int{4, 5, 6, 7} {
		if errs[i].Line != line {
			t.Errorf("error %d at line %d, want %d: %v", i, errs[i].Line, line, errs[i])
		}
	}
	if a := rows[0].Attrs; a.UserMetadata["team"] != "qa" || a.EmailConfirm == nil || !*a.EmailConfirm || rows[0].Line != 2 {
		t.Errorf("row 2: %+v", rows[0])
	}
}

func TestReadCSVHeaderErrors(t *testing.T) {
	for _, in := range []string{"email,shoe_size\n", "email,email\n", "password\n"} {
		err := ReadCSV(strings.NewReader(in), testNow, func(Row, error) error { return nil })
		var le *LineError
		if !errors.As(err, &le) || le.Line != 1 {
			t.Errorf("%q: %v, want a line 1 error", in, err)
		}
	}
}

func TestReadFirebase(t *testing.T) {
	p := bulktest.TestProject
	export := p.Export([]bulktest.User{
		{LocalID: "uid1", Email: "a@example.com", EmailVerified: true, Password: "secret-1", DisplayName: "Ann", PhotoURL: "https://x/a.png", Claims: map[string]any{"admin": true}},
		{LocalID: "uid2", Phone: "+15551234567", Disabled: true},
		{LocalID: "uid3"},
	})
	hc, err := ParseHashConfig([]byte(p.Config()))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs, err := collect(t, func(fn RowFunc) error { return ReadFirebase(strings.NewReader(string(export)), hc, fn) })
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || len(errs) != 1 {
		t.Fatalf("rows %+v errors %v", rows, errs)
	}
	// MarshalIndent puts the third user's "{" on line 2 + 2*11 + 1.
	if lines := strings.Split(string(export), "\n"); !strings.HasPrefix(strings.TrimSpace(lines[errs[0].Line-1]), "{") {
		t.Errorf("error names line %d: %q", errs[0].Line, lines[errs[0].Line-1])
	}
	a := rows[0].Attrs
	if a.ID != DeriveID("firebase", "uid1") || a.AppMetadata["admin"] != true || a.AppMetadata["firebase_uid"] != "uid1" ||
		a.UserMetadata["full_name"] != "Ann" || a.UserMetadata["avatar_url"] != "https://x/a.png" || !*a.EmailConfirm {
		t.Errorf("user 1: %+v", a)
	}
	if !strings.HasPrefix(a.PasswordHash, "$fbscrypt$v=1,n=8,r=8,p=1,ss=Bw==,sk=") {
		t.Errorf("hash %q", a.PasswordHash)
	}
	if b := rows[1].Attrs; b.BanDuration != firebaseBan || b.PhoneConfirm == nil || !*b.PhoneConfirm {
		t.Errorf("user 2: %+v", b)
	}
	if line := rows[1].Line; !strings.Contains(strings.Split(string(export), "\n")[line], `"localId": "uid2"`) {
		t.Errorf("user 2 at line %d", line)
	}
}

func TestReadFirebaseNeedsHashConfigForPasswords(t *testing.T) {
	export := bulktest.TestProject.Export([]bulktest.User{{LocalID: "u", Email: "a@example.com", Password: "pw"}})
	_, errs, _ := collect(t, func(fn RowFunc) error { return ReadFirebase(strings.NewReader(string(export)), nil, fn) })
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "--hash-config") {
		t.Fatalf("errors %v", errs)
	}
}

func TestReadFirebaseBrokenJSONNamesTheLine(t *testing.T) {
	err := ReadFirebase(strings.NewReader("{\n \"users\": [\n  {\"localId\": \"a\", \"email\": \"a@example.com\"},\n  {oops}\n ]\n}"), nil,
		func(Row, error) error { return nil })
	var le *LineError
	if !errors.As(err, &le) || le.Line != 4 {
		t.Fatalf("%v, want a line 4 error", err)
	}
}

func TestParseHashConfig(t *testing.T) {
	p := bulktest.TestProject
	want := base64.StdEncoding.EncodeToString(p.SignerKey)
	for name, in := range map[string]string{
		"console": p.Config(),
		"json":    `{"algorithm":"SCRYPT","base64_signer_key":"` + want + `","base64_salt_separator":"Bw==","rounds":8,"mem_cost":8}`,
		"sdk":     `{"signerKey":"` + want + `","saltSeparator":"Bw","rounds":8,"memoryCost":8}`,
	} {
		hc, err := ParseHashConfig([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(hc.SignerKey) != string(p.SignerKey) || string(hc.SaltSeparator) != "\x07" || hc.Rounds != 8 || hc.MemCost != 8 {
			t.Errorf("%s: %+v", name, hc)
		}
	}
	if _, err := ParseHashConfig([]byte("algorithm: BCRYPT")); err == nil {
		t.Error("BCRYPT accepted")
	}
	if _, err := ParseHashConfig([]byte("rounds: 8")); err == nil || !strings.Contains(err.Error(), "base64_signer_key is missing") {
		t.Errorf("missing key: %v", err)
	}
}

// The helper of the tests must agree with Firebase's published example
// (github.com/firebase/scrypt README), or the fixtures prove nothing.
func TestFirebaseVectorAgreesWithFixtureHelper(t *testing.T) {
	dec := base64.StdEncoding.DecodeString
	sk, _ := dec("jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==")
	salt, _ := dec("42xEC+ixf3L2lw==")
	p := bulktest.Project{SignerKey: sk, SaltSeparator: []byte{7}, Rounds: 8, MemCost: 14}
	got := base64.StdEncoding.EncodeToString(p.Hash("user1password", salt))
	if got != "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==" {
		t.Fatalf("hash %s", got)
	}
}

func TestValidateFindsDuplicates(t *testing.T) {
	in := "{\"email\":\"a@example.com\"}\n{\"email\":\"A@example.com\"}\n{\"phone\":\"+1 555 123 4567\"}\n{\"phone\":\"+15551234567\"}\n{\"email\":\"b@example.com\"}\n"
	v, err := Validate(func(fn RowFunc) error { return ReadJSONL(strings.NewReader(in), testNow, fn) })
	if err != nil {
		t.Fatal(err)
	}
	if v.Rows != 3 || v.ErrorCount != 2 || v.Errors[0].Line != 2 || !strings.Contains(v.Errors[0].Error(), "same email as line 1") || v.Errors[1].Line != 4 {
		t.Fatalf("%+v %v", v, v.Errors)
	}
}

// zeros is /dev/zero: it never ends and has no newline.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// Regression: `admin users import /dev/zero --format csv` grew to 923 MB.
func TestReadCSVBoundsARecord(t *testing.T) {
	for name, r := range map[string]io.Reader{
		"header": zeros{},
		"record": io.MultiReader(strings.NewReader("email\n"), zeros{}),
	} {
		err := ReadCSV(r, testNow, func(Row, error) error { return nil })
		if !errors.Is(err, errRecordTooLong) || !strings.Contains(err.Error(), "is this CSV?") {
			t.Errorf("%s: %v, want the record bound", name, err)
		}
	}
}

// endless is a reader of one byte, repeated for ever.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// A Firebase user object that does not end (here, a displayName of
// endless x's) stops the reader at the 4 MiB bound, naming the user and
// its line; the users before it were read. Other top-level values are
// bounded too.
func TestReadFirebaseBoundsAValue(t *testing.T) {
	head := "{\"users\":[\n{\"localId\":\"a\",\"email\":\"a@example.com\"},\n{\"localId\":\"b\",\"displayName\":\""
	var rows int
	err := ReadFirebase(io.MultiReader(strings.NewReader(head), endless('x')), nil, func(Row, error) error { rows++; return nil })
	var le *LineError
	if !errors.As(err, &le) || le.Line != 3 || rows != 1 || err.Error() != "line 3: user 2 of the users array is longer than 4 MiB: is this the JSON of firebase auth:export?" {
		t.Fatalf("%v after %d rows", err, rows)
	}
	err = ReadFirebase(io.MultiReader(strings.NewReader("{\"kind\":\""), endless('x')), nil, func(Row, error) error { return nil })
	if !errors.Is(err, errValueTooLong) || !strings.HasPrefix(err.Error(), "line 1: a value is longer than 4 MiB") {
		t.Fatalf("%v", err)
	}
}

// The bound is per user: many users of almost 4 MiB each pass.
func TestReadFirebaseBoundIsPerUser(t *testing.T) {
	big := strings.Repeat("x", maxLineBytes-1000)
	var b strings.Builder
	b.WriteString("{\"users\":[")
	for i := range 3 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "{\"localId\":\"u%d\",\"email\":\"u%d@example.com\",\"displayName\":\"%s\"}", i, i, big)
	}
	b.WriteString("]}")
	rows, lineErrs, err := collect(t, func(fn RowFunc) error { return ReadFirebase(strings.NewReader(b.String()), nil, fn) })
	if err != nil || len(rows) != 3 || len(lineErrs) != 0 {
		t.Fatalf("%d rows, %v, %v", len(rows), lineErrs, err)
	}
}
