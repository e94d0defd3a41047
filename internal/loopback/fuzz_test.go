package loopback

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// FuzzCallbackQuery feeds the browser's callback query (or a forwarded
// #fragment) to the parser the handler uses: it never panics, and a result
// is exactly one of a code/token or a *CallbackError.
func FuzzCallbackQuery(f *testing.F) {
	f.Add("code=abc123")
	f.Add("error=access_denied&error_description=User+denied&error_code=403")
	f.Add("access_token=x&refresh_token=y&authctl_fragment=1")
	f.Add("code=%zz&code=a;b")
	f.Add("")
	f.Fuzz(func(t *testing.T, q string) {
		params, _ := url.ParseQuery(q) // the handler uses what parses, like r.URL.Query
		o, ok := outcomeFrom("http://127.0.0.1:1/cb?"+q, params, false)
		if !ok {
			if o.res != nil || o.err != nil {
				t.Fatalf("not ok but outcome %+v", o)
			}
			return
		}
		if (o.res == nil) == (o.err == nil) {
			t.Fatalf("outcome must be a result or an error: %+v", o)
		}
		if o.err != nil {
			var ce *CallbackError
			if !errors.As(o.err, &ce) {
				t.Fatalf("error %T", o.err)
			}
			_ = ce.Error()
			_ = ce.message()
		}
	})
}

// FuzzPasted feeds what a user pastes into the terminal to the paste parser:
// it never panics, and it either yields an outcome or a hint, never both.
func FuzzPasted(f *testing.F) {
	s := &Server{redirect: "http://127.0.0.1:5555/cb-nonce", path: "/cb-nonce"}
	f.Add("http://127.0.0.1:5555/cb-nonce?code=abc")
	f.Add("http://127.0.0.1:5555/cb-nonce#error=server_error&error_description=x")
	f.Add("?code=abc#error=1")
	f.Add("0123456789abcdef-0123")
	f.Add("https://[::1")
	f.Fuzz(func(t *testing.T, line string) {
		o, hint := s.parsePasted(strings.TrimSpace(line))
		got := o.res != nil || o.err != nil
		if got == (hint != "") {
			t.Fatalf("outcome %+v and hint %q", o, hint)
		}
		if o.res != nil && !o.res.Pasted {
			t.Fatalf("pasted result not marked: %+v", o.res)
		}
	})
}
