package shared

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/spf13/cobra"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/prompt"
)

const itemsUser = "3f9ee07b-db8d-4c5a-b606-4609c830a94d"

// widgets are a made-up kind of user item, served at /admin/users/ID/widgets.
var widgets = UserItems[string]{
	Noun: "widget",
	List: func(ctx context.Context, c *auth.Client, userID string) ([]string, error) {
		var ws []string
		_, err := c.Do(ctx, auth.Request{Method: "GET", Path: "/admin/users/" + userID + "/widgets"}, &ws)
		return ws, err
	},
	Delete: func(ctx context.Context, c *auth.Client, userID, id string) (any, error) {
		_, err := c.Do(ctx, auth.Request{Method: "DELETE", Path: "/admin/users/" + userID + "/widgets/" + id}, nil)
		return map[string]string{"id": id}, err
	},
	Label:       func(ws []string, id string) string { return "widget " + id + " of " + strings.Join(ws, "+") },
	Completions: func(ws []string) []string { return ws },
}

// widgetServer answers the user, their widgets and deletes, noting each
// request as "METHOD /last-path-segment".
func widgetServer(t *testing.T) (*cmdutiltest.Harness, func() []string) {
	var mu sync.Mutex
	var seen []string
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path[strings.LastIndex(r.URL.Path, "/"):])
		mu.Unlock()
		switch {
		case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/widgets"):
			_ = json.NewEncoder(w).Encode([]string{"w-1", "w-2"})
		case r.Method == "GET":
			_ = json.NewEncoder(w).Encode(auth.User{ID: itemsUser, Email: "owner@example.com"})
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	return h, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

func TestDeleteOneAsksNamingTheItemAndTheUser(t *testing.T) {
	for _, c := range []struct {
		answer   prompt.Answer
		requests string
		err      error
	}{
		{prompt.Yes(), "GET /" + itemsUser + ",GET /widgets,DELETE /w-1", nil},
		{prompt.No(), "GET /" + itemsUser + ",GET /widgets", cmdutil.ErrDeclined},
	} {
		h, seen := widgetServer(t)
		st := terminal(h, c.answer)
		err := widgets.DeleteOne(context.Background(), h.F, h.F.AdminClient, itemsUser, "w-1", false)
		if asked := st.Asked(); len(asked) != 1 || asked[0].Title != "Delete widget w-1 of w-1+w-2 of owner@example.com?" {
			t.Errorf("asked %+v", asked)
		}
		if !errors.Is(err, c.err) || strings.Join(seen(), ",") != c.requests {
			t.Errorf("err %v, requests %q; want %v, %q", err, seen(), c.err, c.requests)
		}
	}
}

func TestDeleteOneWithoutTerminalNeedsYes(t *testing.T) {
	h, seen := widgetServer(t)
	err := widgets.DeleteOne(context.Background(), h.F, h.F.AdminClient, itemsUser, "w-1", false)
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || len(seen()) != 0 {
		t.Fatalf("err %v, requests %q; want exit 2 before any request", err, seen())
	}
	if err := widgets.DeleteOne(context.Background(), h.F, h.F.AdminClient, itemsUser, "w-1", true); err != nil {
		t.Fatal(err)
	}
	if got, want := h.Stdout.String(), "✓ Deleted widget w-1 of user "+itemsUser+"\n"; got != want || strings.Join(seen(), ",") != "DELETE /w-1" {
		t.Errorf("stdout %q, requests %q; want %q after one DELETE", got, seen(), want)
	}
}

func TestCompleteIDsListsTheUsersItems(t *testing.T) {
	h, _ := widgetServer(t)
	got, _ := widgets.CompleteIDs(h.F)(&cobra.Command{}, []string{itemsUser}, "")
	if strings.Join(got, ",") != "w-1,w-2" {
		t.Errorf("completions %q", got)
	}
	if got, _ := widgets.CompleteIDs(h.F)(&cobra.Command{}, nil, ""); got != nil {
		t.Errorf("completions for USER_ID %q, want none", got)
	}
}
