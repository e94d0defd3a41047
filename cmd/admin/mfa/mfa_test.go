package adminmfa

import (
	"context"
	"encoding/json"
	"io"
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
	if code := cmdutiltest.Execute(cmd, userID, "factor-1"); code != 0 || got.UserID != userID || got.FactorID != "factor-1" {
		t.Fatalf("exit %d, options %+v", code, got)
	}
}

func TestListShowsEveryFactor(t *testing.T) {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" || r.URL.Path != "/admin/users/"+userID+"/factors" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		_ = json.NewEncoder(w).Encode([]auth.Factor{
			{ID: "f-1", FactorType: auth.FactorTypeTOTP, FriendlyName: "laptop", Status: "verified"},
			{ID: "f-2", FactorType: auth.FactorTypePhone, Phone: "15555550100", Status: "unverified"}})
	})
	if err := runList(context.Background(), &ListOptions{F: h.F, AdminClient: h.F.AdminClient, UserID: userID}); err != nil {
		t.Fatal(err)
	}
	out := h.Stdout.String()
	for _, want := range []string{"f-1", "laptop", "f-2", "+15555550100", "unverified"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestDeleteNamesTheFactorWhenTheServerDoesNot(t *testing.T) {
	h := cmdutiltest.New(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "DELETE" || r.URL.Path != "/admin/users/"+userID+"/factors/f-1" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		_, _ = io.WriteString(w, `{}`)
	})
	h.F.Flags.JSON = true
	if err := runDelete(context.Background(), &DeleteOptions{F: h.F, AdminClient: h.F.AdminClient, UserID: userID, FactorID: "f-1", Yes: true}); err != nil {
		t.Fatal(err)
	}
	var f auth.Factor
	if err := json.Unmarshal(h.Stdout.Bytes(), &f); err != nil || f.ID != "f-1" {
		t.Fatalf("stdout %s (%v), want the factor id filled in", h.Stdout, err)
	}
}
