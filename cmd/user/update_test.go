package user

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

func TestUpdateSendsAttributesAndKeepsPasswordOutOfOutput(t *testing.T) {
	var body map[string]any
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "PUT" || r.URL.Path != "/user" {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		_ = json.NewEncoder(w).Encode(auth.User{ID: "u-1", Email: "user@example.com", UserMetadata: map[string]any{"name": "Ada"}})
	})
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	h.Stdin.WriteString("n3w-password\n")
	h.F.Flags.JSON = true
	err := runUpdate(context.Background(), &UpdateOptions{F: h.F, Client: h.F.Client, PasswordStdin: true,
		Data: `{"name":"Ada"}`, Nonce: "123456"})
	if err != nil {
		t.Fatal(err)
	}
	if body["password"] != "n3w-password" || body["nonce"] != "123456" || body["data"].(map[string]any)["name"] != "Ada" {
		t.Errorf("body %v", body)
	}
	if strings.Contains(h.Stdout.String()+h.Stderr.String(), "n3w-password") {
		t.Error("the password was printed")
	}
	if s := h.Stored(t); s == nil || s.User.UserMetadata["name"] != "Ada" {
		t.Error("the stored session's user was not updated")
	}
}

func TestUpdateUsageErrors(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	for _, o := range []UpdateOptions{{}, {Email: "nope"}, {Phone: "12ab"}, {Data: "[]"}} {
		o.F, o.Client = h.F, h.F.Client
		if err := runUpdate(context.Background(), &o); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%+v: %v", o, err)
		}
	}
}
