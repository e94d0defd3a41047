package authorization

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// consentServer answers GET /oauth/authorizations/a-1 with details (or, when
// consented, a redirect) and records the consent actions posted.
func consentServer(t *testing.T, consented bool, actions *[]string) *cmdutiltest.Harness {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.Path {
		case "GET /oauth/authorizations/a-1":
			if consented {
				_, _ = w.Write([]byte(`{"redirect_url":"http://127.0.0.1:1/cb?code=c-0"}`))
				return
			}
			_, _ = w.Write([]byte(`{"authorization_id":"a-1","client":{"id":"cl-1"},"scope":"email"}`))
		case "POST /oauth/authorizations/a-1/consent":
			if len(*actions) != 0 || consented {
				t.Error("consent posted twice, or after an approving read")
			}
			b, _ := io.ReadAll(r.Body)
			var body struct{ Action string }
			_ = json.Unmarshal(b, &body)
			*actions = append(*actions, body.Action)
			_, _ = w.Write([]byte(`{"redirect_url":"http://127.0.0.1:1/cb?` + body.Action + `=1"}`))
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
		}
	})
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt"))
	return h
}

// approve and deny read the authorization before deciding: the real server
// takes a decision only from a user who read it.
func TestDecideReadsFirst(t *testing.T) {
	for _, decision := range []string{"approve", "deny"} {
		var actions []string
		h := consentServer(t, false, &actions)
		err := runDecide(context.Background(), &DecideOptions{F: h.F, Client: h.F.Client, ID: "a-1", Decision: decision})
		if err != nil || strings.Join(actions, ",") != decision || h.Requests.Load() != 2 {
			t.Fatalf("%s: err %v, actions %v, %d requests", decision, err, actions, h.Requests.Load())
		}
		if out := h.Stdout.String(); out != "http://127.0.0.1:1/cb?"+decision+"=1\n" {
			t.Errorf("%s printed %q", decision, out)
		}
	}
}

// A read that approves at once (consented before): approve prints that
// redirect; deny cannot undo it and says how to withdraw access.
func TestDecideAfterApprovingRead(t *testing.T) {
	var actions []string
	h := consentServer(t, true, &actions)
	if err := runDecide(context.Background(), &DecideOptions{F: h.F, Client: h.F.Client, ID: "a-1", Decision: "approve"}); err != nil {
		t.Fatal(err)
	}
	if out := h.Stdout.String(); out != "http://127.0.0.1:1/cb?code=c-0\n" {
		t.Errorf("approve printed %q", out)
	}
	h = consentServer(t, true, &actions)
	err := runDecide(context.Background(), &DecideOptions{F: h.F, Client: h.F.Client, ID: "a-1", Decision: "deny"})
	if cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(err.Error(), "grants revoke") || h.Stdout.Len() != 0 {
		t.Fatalf("deny after an approving read: %v, stdout %q", err, h.Stdout)
	}
}
