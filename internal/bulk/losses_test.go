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
