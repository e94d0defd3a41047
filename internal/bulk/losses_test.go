package bulk

import (
	"strings"
	"testing"
	"time"
)

// An exported row's OAuth identities and verified factors are counted per
// user, not per identity or factor, and email/phone identities are not
// losses.
func TestJSONLLosses(t *testing.T) {
	in := `{"email":"a@example.com","identities":[{"provider":"email"},{"provider":"github"}],"factors":[{"factor_type":"totp","status":"verified"},{"factor_type":"totp","status":"verified"}]}
{"email":"b@example.com","identities":[{"provider":"email"}],"factors":[{"factor_type":"totp","status":"unverified"}]}
{"email":"c@example.com","identities":[{"provider":"github"}],"factors":[{"factor_type":"phone","status":"verified"}]}
`
	v, err := Validate(func(fn RowFunc) error { return ReadJSONL(strings.NewReader(in), time.Now(), fn) })
	if err != nil || v.ErrorCount != 0 {
		t.Fatal(err, v.Errors)
	}
	want := Losses{"factor:totp": 1, "factor:phone": 1, "provider:github": 2}
	if len(v.Losses) != len(want) {
		t.Fatalf("losses %v, want %v", v.Losses, want)
	}
	for k, n := range want {
		if v.Losses[k] != n {
			t.Errorf("losses[%s] = %d, want %d", k, v.Losses[k], n)
		}
	}
	msgs := v.Losses.Messages(false)
	if len(msgs) != 3 || !strings.HasPrefix(msgs[0], "1 user had a verified PHONE factor") ||
		!strings.HasPrefix(msgs[2], "2 users had a github identity") {
		t.Errorf("messages: %q", msgs)
	}
	if m := (Losses{}).Messages(false); m == nil || len(m) != 0 {
		t.Errorf("no losses: %#v, want an empty list", m)
	}
}

// Fields the import cannot set are named when they hold something: a
// pending email change, a misspelt column; zero values and the server's
// bookkeeping are not losses.
func TestFieldLosses(t *testing.T) {
	in := `{"email":"a@example.com","new_email":"b@example.com","emial":"x","is_anonymous":false,"aud":"authenticated","updated_at":"2026-01-01T00:00:00Z","deleted_at":null,"user_metadata":{"n":1}}`
	v, err := Validate(func(fn RowFunc) error { return ReadJSONL(strings.NewReader(in), time.Now(), fn) })
	if err != nil || v.ErrorCount != 0 {
		t.Fatal(err, v.Errors)
	}
	if len(v.Losses) != 2 || v.Losses["field:new_email"] != 1 || v.Losses["field:emial"] != 1 {
		t.Fatalf("losses %v", v.Losses)
	}
	if m := v.Losses.Messages(false); !strings.HasPrefix(m[0], "1 user had emial, which the admin API cannot set") {
		t.Errorf("messages: %q", m)
	}
}

// A CSV's not_kept cell reads back as what was written.
func TestNotKeptRoundTrip(t *testing.T) {
	u := Unrestorable{Providers: []string{"github", "sso:abc"}, Factors: []string{"totp", "totp", "phone"}, Fields: []string{"new_email"}}
	cell := u.notKept()
	if cell != "identity:github identity:sso:abc factor:phone factor:totp new_email" {
		t.Fatalf("cell %q", cell)
	}
	back := parseNotKept(cell)
	if back.notKept() != cell {
		t.Errorf("read back as %+v", back)
	}
}
