package identities

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

// identityServer answers GET /user with one email identity and counts
// DELETE requests.
func identityServer(t *testing.T, deletes *int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "GET" && r.URL.Path == "/user":
			_ = json.NewEncoder(w).Encode(auth.User{ID: "u-1", Identities: []auth.UserIdentity{
				{IdentityID: "id-email", Provider: "email", Email: "user@example.com"},
				{IdentityID: "id-gh", Provider: "github"}}})
		case r.Method == "DELETE" && r.URL.Path == "/user/identities/id-gh":
			*deletes++
			_, _ = w.Write([]byte("{}"))
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
	}
}

func TestUnlink(t *testing.T) {
	var deletes int
	h := cmdutiltest.New(t, identityServer(t, &deletes))
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	err := runUnlink(context.Background(), &UnlinkOptions{F: h.F, Client: h.F.Client, IdentityID: "nope"})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || deletes != 0 {
		t.Fatalf("unknown id: %v, %d deletes", err, deletes)
	}
	if err := runUnlink(context.Background(), &UnlinkOptions{F: h.F, Client: h.F.Client, IdentityID: "id-gh"}); err != nil || deletes != 1 {
		t.Fatalf("unlink: %v, %d deletes", err, deletes)
	}
	if !strings.Contains(h.Stdout.String(), "Unlinked the github identity id-gh") {
		t.Errorf("stdout %q", h.Stdout)
	}
}

func TestListJSON(t *testing.T) {
	var deletes int
	h := cmdutiltest.New(t, identityServer(t, &deletes))
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	h.F.Flags.JSON = true
	if err := runList(context.Background(), &ListOptions{F: h.F, Client: h.F.Client}); err != nil {
		t.Fatal(err)
	}
	var ids []auth.UserIdentity
	if err := json.Unmarshal(h.Stdout.Bytes(), &ids); err != nil || len(ids) != 2 || ids[1].Provider != "github" {
		t.Fatalf("stdout %s (%v)", h.Stdout, err)
	}
}

// The human view is a table like every other list: one row an identity,
// its id whole (unlink takes it).
func TestListTable(t *testing.T) {
	var deletes int
	h := cmdutiltest.New(t, identityServer(t, &deletes))
	h.Store(t, cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-1"))
	if err := runList(context.Background(), &ListOptions{F: h.F, Client: h.F.Client}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(h.Stdout.String()), "\n")
	if len(lines) != 2 || strings.Fields(lines[0])[1] != "id-email" || strings.Fields(lines[1])[0] != "github" {
		t.Errorf("stdout:\n%s", h.Stdout)
	}
}
