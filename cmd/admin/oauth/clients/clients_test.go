package clients

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/authctl/authctl/internal/auth"
	"github.com/authctl/authctl/internal/cmdutil"
	"github.com/authctl/authctl/internal/cmdutil/cmdutiltest"
)

func TestUsageErrorsSendNothing(t *testing.T) {
	h := cmdutiltest.New(t, nil) // any request fails the test
	for name, code := range map[string]int{
		"create without --redirect-uri": cmdutiltest.Execute(NewCmdCreate(h.F, nil), "--name", "x"),
		"update without a flag":         cmdutiltest.Execute(NewCmdUpdate(h.F, nil), "client-1"),
		"list with a negative page":     cmdutiltest.Execute(NewCmdList(h.F, nil), "--page", "-1"),
		"get without CLIENT_ID":         cmdutiltest.Execute(NewCmdGet(h.F, nil)),
	} {
		if code != cmdutil.ExitUsage {
			t.Errorf("%s: exit %d, want 2", name, code)
		}
	}
}

func TestFlagsReachOptions(t *testing.T) {
	h := cmdutiltest.New(t, nil)
	var got *UpdateOptions
	cmd := NewCmdUpdate(h.F, func(_ context.Context, o *UpdateOptions) error { got = o; return nil })
	if code := cmdutiltest.Execute(cmd, "client-1", "--redirect-uri", "https://a.example/cb", "--redirect-uri", "https://b.example/cb",
		"--token-endpoint-auth-method", "none"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if got.ClientID != "client-1" || len(got.Params.RedirectURIs) != 2 || got.Params.TokenEndpointAuthMethod != "none" {
		t.Errorf("options %+v", got)
	}
}

// fakeRegistry answers the admin OAuth client routes with one confidential
// client, its secret only where the server issues one.
func fakeRegistry(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := auth.OAuthClient{ClientID: "client-1", ClientName: "My app", ClientType: "confidential",
			RedirectURIs: []string{"https://app.example/cb"}}
		switch r.Method + " " + r.URL.Path {
		case "POST /admin/oauth/clients", "POST /admin/oauth/clients/client-1/regenerate_secret":
			c.ClientSecret = "secret-1"
		case "GET /admin/oauth/clients/client-1", "PUT /admin/oauth/clients/client-1":
		case "DELETE /admin/oauth/clients/client-1":
			w.WriteHeader(http.StatusNoContent)
			return
		case "GET /admin/oauth/clients":
			_ = json.NewEncoder(w).Encode(auth.OAuthClientList{Clients: []auth.OAuthClient{c}})
			return
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(http.StatusTeapot)
			return
		}
		_ = json.NewEncoder(w).Encode(c)
	}
}

func TestTheSecretIsShownOnlyWhenIssued(t *testing.T) {
	ctx := context.Background()
	for name, run := range map[string]func(*cmdutiltest.Harness) error{
		"create": func(h *cmdutiltest.Harness) error {
			return runCreate(ctx, &CreateOptions{F: h.F, AdminClient: h.F.AdminClient,
				Params: auth.OAuthClientParams{RedirectURIs: []string{"https://app.example/cb"}}})
		},
		"regenerate-secret": func(h *cmdutiltest.Harness) error {
			return runRegenerateSecret(ctx, &RegenerateSecretOptions{F: h.F, AdminClient: h.F.AdminClient, ClientID: "client-1"})
		},
		"get": func(h *cmdutiltest.Harness) error {
			return runGet(ctx, &GetOptions{F: h.F, AdminClient: h.F.AdminClient, ClientID: "client-1"})
		},
		"update": func(h *cmdutiltest.Harness) error {
			return runUpdate(ctx, &UpdateOptions{F: h.F, AdminClient: h.F.AdminClient, ClientID: "client-1",
				Params: auth.OAuthClientParams{ClientName: "My app"}})
		},
	} {
		h := cmdutiltest.New(t, fakeRegistry(t))
		if err := run(h); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := h.Stdout.String()
		issued := name == "create" || name == "regenerate-secret"
		if strings.Contains(out, "secret-1") != issued || strings.Contains(out, "shown once") != issued {
			t.Errorf("%s printed:\n%s", name, out)
		}
		if !strings.Contains(out, "client-1") {
			t.Errorf("%s does not name the client:\n%s", name, out)
		}
	}
}

func TestDeleteAndList(t *testing.T) {
	ctx := context.Background()
	h := cmdutiltest.New(t, fakeRegistry(t))
	h.F.Flags.JSON = true
	if err := runDelete(ctx, &DeleteOptions{F: h.F, AdminClient: h.F.AdminClient, ClientID: "client-1", Yes: true}); err != nil {
		t.Fatal(err)
	}
	var del map[string]any
	if err := json.Unmarshal(h.Stdout.Bytes(), &del); err != nil || del["client_id"] != "client-1" || del["deleted"] != true {
		t.Fatalf("delete --json %s (%v)", h.Stdout, err)
	}
	h.Stdout.Reset()
	h.F.Flags.JSON = false
	if err := runList(ctx, &ListOptions{F: h.F, AdminClient: h.F.AdminClient}); err != nil {
		t.Fatal(err)
	}
	if out := h.Stdout.String(); !strings.Contains(out, "client-1") || !strings.Contains(out, "https://app.example/cb") {
		t.Errorf("list:\n%s", out)
	}
}

// An empty registry says so on stdout, as the other lists do.
func TestListNone(t *testing.T) {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(auth.OAuthClientList{})
	})
	if err := runList(context.Background(), &ListOptions{F: h.F, AdminClient: h.F.AdminClient}); err != nil {
		t.Fatal(err)
	}
	if h.Stdout.String() != "No OAuth clients.\n" || h.Stderr.Len() != 0 {
		t.Errorf("stdout %q, stderr %q; want the line on stdout", h.Stdout, h.Stderr)
	}
}
