package bulk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
)

// detailLister lists users as the server does (no identities, no
// factors) and answers GET /admin/users/{id} from full; an id missing
// there answers 404 (deleted since the listing), one in fail fails.
type detailLister struct {
	listed []string
	full   map[string]string
	fail   map[string]bool
}

func (d *detailLister) ListAllUsersRaw(_ context.Context, _ auth.ListUsersParams, fn func(json.RawMessage) error) error {
	for _, u := range d.listed {
		if err := fn(json.RawMessage(u)); err != nil {
			return err
		}
	}
	return nil
}

func (d *detailLister) GetUserRaw(_ context.Context, id string) (json.RawMessage, error) {
	if d.fail[id] {
		return nil, &auth.APIError{AuthError: auth.AuthError{Name: auth.NameAPIError, Status: 500, Code: "unexpected_failure", Message: "boom"}}
	}
	if u, ok := d.full[id]; ok {
		return json.RawMessage(u), nil
	}
	return nil, &auth.APIError{AuthError: auth.AuthError{Name: auth.NameAPIError, Status: 404, Code: "user_not_found", Message: "User not found"}}
}

// The export writes each user's full object, in listing order; a user
// deleted since the listing keeps its listed object; a failed fetch fails
// the export rather than writing a user without its factors.
func TestExportFetchesEachUser(t *testing.T) {
	d := &detailLister{
		listed: []string{`{"id":"a","identities":null}`, `{"id":"b","identities":null}`, `{"id":"c","identities":null}`},
		full: map[string]string{"a": `{"id":"a","identities":[{"provider":"github"}],"factors":[{"factor_type":"totp","status":"verified"}]}`,
			"c": `{"id":"c","identities":[]}`},
	}
	var buf bytes.Buffer
	n, err := (&Exporter{Admin: d, PerPage: 2, Concurrency: 2}).Export(context.Background(), &buf)
	want := d.full["a"] + "\n" + d.listed[1] + "\n" + d.full["c"] + "\n"
	if err != nil || n != 3 || buf.String() != want {
		t.Fatalf("%d %v\n%s", n, err, buf.String())
	}
	d.fail = map[string]bool{"c": true}
	_, err = (&Exporter{Admin: d, PerPage: 2}).Export(context.Background(), &bytes.Buffer{})
	var ae auth.Error
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "fetching user c") {
		t.Fatalf("a failed fetch: %v", err)
	}
}

// The id is read from the front when the server wrote it first, and decoded
// otherwise: another key order, an escaped id, no id.
func TestUserID(t *testing.T) {
	for listed, want := range map[string]string{
		`{"id":"a1","aud":"authenticated"}`: "a1",
		`{"aud":"authenticated","id":"a2"}`: "a2",
		` {"id":"a3"}`:                      "a3",
		`{"id":"a\u00e94","email":"x@y.z"}`: "aé4",
		`{"id":"","email":"x@y.z"}`:         "",
		`{"email":"x@y.z"}`:                 "",
		`{"id":42}`:                         "",
	} {
		if got := userID(json.RawMessage(listed)); got != want {
			t.Errorf("userID(%s) = %q, want %q", listed, got, want)
		}
	}
}
