package adminpasskeys

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

const userID = "3f9ee07b-db8d-4c5a-b606-4609c830a94d"

func TestArgsReachOptions(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	var got *DeleteOptions
	cmd := NewCmdDelete(h.F, func(_ context.Context, o *DeleteOptions) error { got = o; return nil })
	if code := cmdutiltest.Execute(cmd, userID, "k-1", "--yes"); code != 0 || got.UserID != userID || got.PasskeyID != "k-1" || !got.Yes {
		t.Fatalf("exit %d, options %+v", code, got)
	}
}

func TestListShowsEveryPasskey(t *testing.T) {
	used := "2026-12-01T10:00:00Z"
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" || r.URL.Path != "/admin/users/"+userID+"/passkeys" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		_ = json.NewEncoder(w).Encode([]auth.Passkey{
			{ID: "k-1", FriendlyName: "Work laptop", CreatedAt: "2026-11-30T09:00:00Z", LastUsedAt: &used},
			{ID: "k-2", FriendlyName: "Passkey", CreatedAt: "2026-12-02T09:00:00Z"}})
	})
	if err := runList(context.Background(), &ListOptions{F: h.F, AdminClient: h.F.AdminClient, UserID: userID}); err != nil {
		t.Fatal(err)
	}
	out := h.Stdout.String()
	for _, want := range []string{"k-1", "Work laptop", used, "k-2", "2026-12-02T09:00:00Z"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// The server answers 204 without a body; --json still says which passkey
// went.
func TestDeleteNamesThePasskey(t *testing.T) {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "DELETE" || r.URL.Path != "/admin/users/"+userID+"/passkeys/k-1" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	h.F.Flags.JSON = true
	if err := runDelete(context.Background(), &DeleteOptions{F: h.F, AdminClient: h.F.AdminClient, UserID: userID, PasskeyID: "k-1", Yes: true}); err != nil {
		t.Fatal(err)
	}
	var k auth.Passkey
	if err := json.Unmarshal(h.Stdout.Bytes(), &k); err != nil || k.ID != "k-1" {
		t.Errorf("--json printed %q", h.Stdout.String())
	}
}
