package users

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

const userID = "3f9ee07b-db8d-4c5a-b606-4609c830a94d"

// fakeServer answers the listing with users, the first user by id,
// generate_link and /verify with a session of the first user.
func fakeServer(t *testing.T, users ...auth.User) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "GET /admin/users":
			if f := r.URL.Query().Get("filter"); f != strings.ToLower(f) {
				t.Errorf("filter %q is not lower case", f)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"users": users, "aud": "authenticated"})
		case "GET /admin/users/" + users[0].ID: // --email: the match fetched by id
			_ = json.NewEncoder(w).Encode(users[0])
		case "POST /admin/generate_link":
			_ = json.NewEncoder(w).Encode(map[string]any{"id": users[0].ID, "email": users[0].Email, "hashed_token": "h", "verification_type": "magiclink"})
		case "POST /verify":
			s := cmdutiltest.Session(cmdutiltest.Now.Add(time.Hour), "rt-minted")
			s.User = users[0]
			_ = json.NewEncoder(w).Encode(s)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusTeapot)
		}
	}
}

func TestSessionWithoutSaveLeavesStorage(t *testing.T) {
	u := auth.User{ID: userID, Email: "ci@example.com"}
	h := cmdutiltest.New(t, fakeServer(t, u))
	if err := runSession(context.Background(), &SessionOptions{F: h.F, Email: "CI@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(h.Stdout.String()); got == "" || strings.Contains(got, "{") {
		t.Errorf("stdout = %q, want the access token alone", got)
	}
	if s := h.Stored(t); s != nil {
		t.Errorf("without --save the profile's storage got a session: %+v", s.User)
	}
}

func TestSessionSaveStores(t *testing.T) {
	u := auth.User{ID: userID, Email: "ci@example.com"}
	h := cmdutiltest.New(t, fakeServer(t, u))
	h.F.Flags.JSON = true
	if err := runSession(context.Background(), &SessionOptions{F: h.F, ID: "", Email: "ci@example.com", Save: true}); err != nil {
		t.Fatal(err)
	}
	if s := h.Stored(t); s == nil || s.RefreshToken != "rt-minted" {
		t.Errorf("--save stored %+v, want the minted session", s)
	}
	var printed auth.Session
	if err := json.Unmarshal(h.Stdout.Bytes(), &printed); err != nil || printed.RefreshToken != "rt-minted" {
		t.Errorf("--json printed %q (%v), want the Session", h.Stdout.String(), err)
	}
}

func TestGetByEmailNeedsExactlyOneMatch(t *testing.T) {
	dup := []auth.User{
		{ID: userID, Email: "sso@example.com"},
		{ID: "9b2e5c1a-0000-4000-8000-000000000002", Email: "SSO@example.com"},
		{ID: "9b2e5c1a-0000-4000-8000-000000000003", Email: "xsso@example.com"},
	}
	h := cmdutiltest.New(t, fakeServer(t, dup...))
	err := runGet(context.Background(), &GetOptions{F: h.F, Email: "sso@example.com"})
	if err == nil || !strings.Contains(err.Error(), "2 users have the email") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Errorf("two exact matches: %v (exit %d), want exit 1 naming both", err, cmdutil.ExitCode(err))
	}
	err = runGet(context.Background(), &GetOptions{F: h.F, Email: "so@example.com"})
	if err == nil || !strings.Contains(err.Error(), "no user has the email") || cmdutil.ExitCode(err) != cmdutil.ExitError {
		t.Errorf("only partial matches: %v, want exit 1", err)
	}
}
