package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
)

type testUser struct {
	ID           string         `json:"id"`
	Email        string         `json:"email"`
	AppMetadata  map[string]any `json:"app_metadata"`
	Identities   []string       `json:"identities"`
	LastSignInAt *string        `json:"last_sign_in_at"`
}

func renderJSON(t *testing.T, v any, o JSONOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := JSON(&buf, v, o); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	return buf.String()
}

func TestJSONCompactAndPretty(t *testing.T) {
	u := testUser{ID: "u1", Email: "a@example.com", AppMetadata: map[string]any{"provider": "email"}}
	got := renderJSON(t, u, JSONOptions{})
	want := `{"id":"u1","email":"a@example.com","app_metadata":{"provider":"email"},"identities":null,"last_sign_in_at":null}` + "\n"
	if got != want {
		t.Errorf("compact:\n got %q\nwant %q", got, want)
	}
	got = renderJSON(t, map[string]any{"a": []int{1}}, JSONOptions{Pretty: true})
	want = "{\n  \"a\": [\n    1\n  ]\n}\n"
	if got != want {
		t.Errorf("pretty:\n got %q\nwant %q", got, want)
	}
}

func TestJSONDoesNotEscapeHTML(t *testing.T) {
	// Action links carry query strings; \u0026 would break copy-paste.
	got := renderJSON(t, map[string]string{"action_link": "https://x/verify?token=1&type=magiclink"}, JSONOptions{})
	if !strings.Contains(got, "token=1&type=magiclink") {
		t.Errorf("link was escaped: %s", got)
	}
}

func TestJSONEmptyResultsAreNeverNull(t *testing.T) {
	var users []testUser
	if got := renderJSON(t, users, JSONOptions{Pretty: true}); got != "[]\n" {
		t.Errorf("nil slice: got %q, want []", got)
	}
	var m map[string]any
	if got := renderJSON(t, m, JSONOptions{}); got != "{}\n" {
		t.Errorf("nil map: got %q, want {}", got)
	}
	if got := renderJSON(t, map[string]any{"users": List[testUser](nil)}, JSONOptions{}); got != `{"users":[]}`+"\n" {
		t.Errorf("List: got %q", got)
	}
	if got := renderJSON(t, users, JSONOptions{JQ: "."}); got != "[]\n" {
		t.Errorf("nil slice through jq: got %q", got)
	}
}

func TestJSONJQ(t *testing.T) {
	users := []testUser{
		{ID: "u1", Email: "a@example.com", AppMetadata: map[string]any{"provider": "email"}},
		{ID: "u2", Email: "b@example.com", AppMetadata: map[string]any{"provider": "github"}},
	}
	tests := []struct{ expr, want string }{
		{".[].email", "a@example.com\nb@example.com\n"},      // strings are raw
		{".[0].app_metadata", `{"provider":"email"}` + "\n"}, // JSON field names, not Go ones
		{"length", "2\n"},                  // numbers as JSON
		{"[.[].id]", `["u1","u2"]` + "\n"}, // arrays as JSON
		{`.[] | select(.app_metadata.provider == "github") | .id`, "u2\n"}, // filters
		{"empty", ""},
	}
	for _, tt := range tests {
		if got := renderJSON(t, users, JSONOptions{JQ: tt.expr}); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.expr, got, tt.want)
		}
	}
}

func TestJSONJQKeepsLargeIntegersExact(t *testing.T) {
	got := renderJSON(t, map[string]any{"n": uint64(9007199254740993)}, JSONOptions{JQ: ".n"})
	if got != "9007199254740993\n" {
		t.Errorf("got %q: precision lost through float64", got)
	}
}

func TestJSONJQErrors(t *testing.T) {
	for _, expr := range []string{".[", "nosuchfunc(1)", `.email | keys`, `.[].email`} {
		var buf bytes.Buffer
		err := JSON(&buf, map[string]any{"email": "a@example.com"}, JSONOptions{JQ: expr})
		var jqErr *JQError
		if !errors.As(err, &jqErr) {
			t.Fatalf("%s: got %v (%T), want *JQError", expr, err, err)
		}
		if runtime := expr == `.email | keys` || expr == `.[].email`; jqErr.Runtime != runtime {
			t.Errorf("%s: Runtime = %v, want %v", expr, jqErr.Runtime, runtime)
		}
		if jqErr.Expr != expr || !strings.Contains(err.Error(), expr) {
			t.Errorf("%s: error does not name the expression: %v", expr, err)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: partial output written: %q", expr, buf.String())
		}
	}
}

func TestJSONJQEnvIsEmpty(t *testing.T) {
	t.Setenv("SUPABASE_SERVICE_ROLE_KEY", "secret-key")
	got := renderJSON(t, nil, JSONOptions{JQ: "$ENV | length"})
	if got != "0\n" {
		t.Errorf("$ENV exposed the environment: %q", got)
	}
}

func TestJSONColor(t *testing.T) {
	got := renderJSON(t, map[string]any{"k": "v", "n": 1.5, "b": true, "z": nil, "q": `a"b:`}, JSONOptions{Color: true})
	for _, want := range []string{
		sgrBlue + `"k"` + sgrReset + ":",
		sgrGreen + `"v"` + sgrReset,
		sgrCyan + "1.5" + sgrReset,
		sgrYellow + "true" + sgrReset,
		sgrGray + "null" + sgrReset,
		sgrGreen + `"a\"b:"` + sgrReset, // an escaped quote does not end the string
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
	plain := renderJSON(t, map[string]any{"k": "v"}, JSONOptions{})
	if strings.Contains(plain, "\x1b") {
		t.Errorf("colour without Color: %q", plain)
	}
}

func TestJSONLine(t *testing.T) {
	var buf bytes.Buffer
	for _, id := range []string{"u1", "u2"} {
		if err := JSONLine(&buf, map[string]any{"id": id, "tags": []string{}}); err != nil {
			t.Fatal(err)
		}
	}
	want := `{"id":"u1","tags":[]}` + "\n" + `{"id":"u2","tags":[]}` + "\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestLineWriterJQAndConcurrency(t *testing.T) {
	if _, err := NewLineWriter(&bytes.Buffer{}, JSONOptions{JQ: ".["}); err == nil {
		t.Fatal("bad expression accepted")
	}
	var buf bytes.Buffer
	lw, err := NewLineWriter(&buf, JSONOptions{JQ: "{id, n: (.tags | length)}", Pretty: true})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if err := lw.Write(map[string]any{"id": "u", "tags": []string{"a", "b"}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("got %d lines, want 50", len(lines))
	}
	for _, l := range lines {
		if l != `{"id":"u","n":2}` {
			t.Fatalf("bad line %q (Pretty must not apply to JSON Lines)", l)
		}
	}
}

func TestColorEnabled(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name string
		tty  bool
		env  func(string) string
		want bool
	}{
		{"tty", true, env(), true},
		{"pipe", false, env(), false},
		{"NO_COLOR", true, env("NO_COLOR", "1"), false},
		{"dumb", true, env("TERM", "dumb"), false},
		{"force through pipe", false, env("CLICOLOR_FORCE", "1"), true},
		{"force beats NO_COLOR", false, env("CLICOLOR_FORCE", "1", "NO_COLOR", "1"), true},
		{"force=0", false, env("CLICOLOR_FORCE", "0"), false},
	}
	for _, tt := range tests {
		if got := ColorEnabled(tt.tty, tt.env); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestColorScheme(t *testing.T) {
	off := NewColorScheme(false)
	if off.Red("x") != "x" || off.SuccessIcon() != "✓" || off.FailureIcon() != "✗" || off.WarningIcon() != "!" {
		t.Error("disabled scheme must not colour")
	}
	var nilCS *ColorScheme
	if nilCS.Bold("x") != "x" {
		t.Error("nil scheme must not colour")
	}
	on := NewColorScheme(true)
	if got := on.Green("ok"); got != "\x1b[32mok\x1b[0m" {
		t.Errorf("Green: %q", got)
	}
	if on.SuccessIcon() != on.Green("✓") {
		t.Error("SuccessIcon must be green")
	}
}

func TestJSONRawMessagePassesThrough(t *testing.T) {
	raw := json.RawMessage(`{"b":1,"a":"x\u0026y","z":[]}`)
	var buf bytes.Buffer
	lw, err := NewLineWriter(&buf, JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := lw.Write(raw); err != nil {
		t.Fatal(err)
	}
	// Byte for byte: key order and escapes as the server wrote them.
	if buf.String() != string(raw)+"\n" {
		t.Fatalf("got %q", buf.String())
	}
	buf.Reset()
	if err := JSONLine(&buf, json.RawMessage("{\n  \"a\": 1\n}")); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "{\"a\":1}\n" {
		t.Fatalf("a document on several lines must become one line: %q", buf.String())
	}
	buf.Reset()
	if err := JSON(&buf, raw, JSONOptions{JQ: ".a"}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "x&y\n" {
		t.Fatalf("jq over a raw document: %q", buf.String())
	}
}
