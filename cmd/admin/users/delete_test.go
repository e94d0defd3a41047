package users

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
	"github.com/authctl/authctl/internal/prompt"
)

// deleteServer knows one user, or none when exists is false, and records
// the requests it answered.
func deleteServer(t *testing.T, exists bool, seen *[]string) *cmdutiltest.Harness {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		*seen = append(*seen, r.Method)
		w.Header().Set("Content-Type", "application/json")
		if !exists || r.URL.Path != "/admin/users/"+userID {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":"user_not_found","message":"User not found"}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"` + userID + `","email":"doomed@example.com"}`))
	})
	return h
}

func TestDeleteAsksOnTerminalNamingTheUser(t *testing.T) {
	for _, c := range []struct {
		answer   prompt.Answer
		requests string
		err      error
	}{{prompt.Yes(), "GET,DELETE", nil}, {prompt.No(), "GET", cmdutil.ErrDeclined}} {
		var seen []string
		h := deleteServer(t, true, &seen)
		h.F.IOStreams.SetStdinTTY(true)
		h.F.IOStreams.SetStdoutTTY(true)
		stub := prompt.NewStub(c.answer)
		h.F.Prompter = func() prompt.Prompter { return stub }
		err := runDelete(context.Background(), &DeleteOptions{F: h.F, ID: userID})
		asked := stub.Asked()
		if len(asked) != 1 || asked[0].Title != "Delete user doomed@example.com ("+userID+")?" || asked[0].Default {
			t.Fatalf("asked %+v", asked)
		}
		if !errors.Is(err, c.err) || strings.Join(seen, ",") != c.requests {
			t.Errorf("err %v, requests %v; want %v, %s", err, seen, c.err, c.requests)
		}
	}
}

func TestDeleteWithoutTerminalNeedsYes(t *testing.T) {
	var seen []string
	h := deleteServer(t, true, &seen)
	err := runDelete(context.Background(), &DeleteOptions{F: h.F, ID: userID, IfExists: true})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--yes") || len(seen) != 0 {
		t.Fatalf("err %v, requests %v; want exit 2 naming --yes before any request", err, seen)
	}
	if err := runDelete(context.Background(), &DeleteOptions{F: h.F, ID: userID, Yes: true}); err != nil || strings.Join(seen, ",") != "DELETE" {
		t.Fatalf("--yes: %v, requests %v (no lookup needed)", err, seen)
	}
}

func TestDeleteIfExists(t *testing.T) {
	var seen []string
	h := deleteServer(t, false, &seen)
	h.F.Flags.JSON = true
	if err := runDelete(context.Background(), &DeleteOptions{F: h.F, ID: userID, Yes: true, IfExists: true}); err != nil {
		t.Fatal(err)
	}
	var out deleted
	if err := json.Unmarshal(h.Stdout.Bytes(), &out); err != nil || out.ID != userID || out.Deleted {
		t.Fatalf("%v %s", err, h.Stdout)
	}
	err := runDelete(context.Background(), &DeleteOptions{F: h.F, ID: userID, Yes: true})
	if cmdutil.ExitCode(err) != cmdutil.ExitError || !strings.Contains(err.Error(), "User not found") {
		t.Fatalf("without --if-exists: %v", err)
	}
}
