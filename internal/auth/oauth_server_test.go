package auth

import (
	"context"
	"testing"
)

func TestOAuthConsentApprove(t *testing.T) {
	const name = "oauth_server_authorization_code_flow"
	srv := newFakeServer(t)
	stGet := serveStep(t, srv, name, 1)
	stPost := serveStep(t, srv, name, 2)
	c, s := signedInClient(t, srv)
	ctx := context.Background()

	a, err := c.OAuth().GetAuthorizationDetails(ctx, "cincrakwmke2sbkmv5afztqqt4nrhaix")
	if err != nil {
		t.Fatal(err)
	}
	got := assertSent(t, srv, stGet)
	if got.Header.Get("Authorization") != "Bearer "+s.AccessToken {
		t.Fatal("not the session's token")
	}
	if a.AlreadyApproved() || a.AuthorizationID != "cincrakwmke2sbkmv5afztqqt4nrhaix" || a.RedirectURI != "http://127.0.0.1:53682/oauth/cb" ||
		a.Client.ID != "dc5cb248-0b15-4a40-820c-f2cc1a5abe9a" || a.Client.Name != "cli-public" ||
		a.User.Email != "rec-cc413a7a09@example.com" || a.Scope != "email profile" {
		t.Fatalf("details = %+v", a)
	}

	redirect, err := c.OAuth().ApproveAuthorization(ctx, "cincrakwmke2sbkmv5afztqqt4nrhaix")
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stPost)
	if redirect != "http://127.0.0.1:53682/oauth/cb?code=70141920-80cf-4bfa-998b-48e6f21fadda&state=st-123" {
		t.Fatalf("redirect = %q", redirect)
	}
}

func TestOAuthConsentDenySendsDeny(t *testing.T) {
	srv := newFakeServer(t)
	srv.on("POST", "/oauth/authorizations/auth-1/consent", reply{status: 200, body: []byte(`{"redirect_url":"http://127.0.0.1:1/cb?error=access_denied&state=s"}`)})
	c, _ := signedInClient(t, srv)
	redirect, err := c.OAuth().DenyAuthorization(context.Background(), "auth-1")
	if err != nil {
		t.Fatal(err)
	}
	if redirect != "http://127.0.0.1:1/cb?error=access_denied&state=s" {
		t.Fatalf("redirect = %q", redirect)
	}
	reqs := srv.calls("POST", "/oauth/authorizations/auth-1/consent")
	if len(reqs) != 1 || reqs[0].jsonBody(t)["action"] != "deny" {
		t.Fatalf("requests = %+v", reqs)
	}
	if _, err := c.OAuth().ApproveAuthorization(context.Background(), ""); err == nil {
		t.Fatal("empty id accepted")
	}
}

func TestOAuthAuthorizationAlreadyApproved(t *testing.T) {
	srv := newFakeServer(t)
	st := serveStep(t, srv, "oauth_authorize_auto_approve", 1)
	c, _ := signedInClient(t, srv)
	a, err := c.OAuth().GetAuthorizationDetails(context.Background(), "tpef5mfj5hnixl6oeki3y3l7iqsfydgq")
	if err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, st)
	if !a.AlreadyApproved() || a.RedirectURL != "http://127.0.0.1:53682/oauth/cb?code=bb6cc3f5-9ac4-460b-9848-e0ccf60ff6ea&state=st-456" {
		t.Fatalf("authorization = %+v", a)
	}
}

func TestOAuthUnknownAuthorization(t *testing.T) {
	const name = "oauth_consent_unknown_authorization"
	srv := newFakeServer(t)
	serveStep(t, srv, name, 0)
	stPost := serveStep(t, srv, name, 1)
	c, _ := signedInClient(t, srv)
	_, err := c.OAuth().GetAuthorizationDetails(context.Background(), "3be3abda-fde0-4369-bdb4-6b4ddde119d0")
	wantAPIError(t, err, 404, "oauth_authorization_not_found")
	_, err = c.OAuth().ApproveAuthorization(context.Background(), "ad3766df-dbf7-49e9-a6f2-40d40736977f")
	assertSent(t, srv, stPost)
	wantAPIError(t, err, 404, "oauth_authorization_not_found")
}

func TestOAuthGrants(t *testing.T) {
	srv := newFakeServer(t)
	list, _ := stepReply(t, "oauth_server_authorization_code_flow", 5, nil)
	empty, _ := stepReply(t, "oauth_grant_revoke", 1, nil)
	srv.on("GET", "/user/oauth/grants", list, empty)
	stDel := serveStep(t, srv, "oauth_grant_revoke", 0)
	c, _ := signedInClient(t, srv)
	ctx := context.Background()

	gs, err := c.OAuth().ListGrants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Client.ID != "dc5cb248-0b15-4a40-820c-f2cc1a5abe9a" || len(gs[0].Scopes) != 2 || gs[0].GrantedAt == "" {
		t.Fatalf("grants = %+v", gs)
	}
	if err := c.OAuth().RevokeGrant(ctx, "dc5cb248-0b15-4a40-820c-f2cc1a5abe9a"); err != nil {
		t.Fatal(err)
	}
	assertSent(t, srv, stDel)
	gs, err = c.OAuth().ListGrants(ctx)
	if err != nil || gs == nil || len(gs) != 0 {
		t.Fatalf("grants after revoke = %v, %v", gs, err)
	}
	if err := c.OAuth().RevokeGrant(ctx, ""); err == nil {
		t.Fatal("empty client id accepted")
	}
}

func TestOAuthRevokeGrantServerValidation(t *testing.T) {
	srv := newFakeServer(t)
	serveStep(t, srv, "oauth_grants_list_empty", 1)
	c, _ := signedInClient(t, srv)
	err := c.OAuth().RevokeGrant(context.Background(), "x")
	wantAPIError(t, err, 400, "validation_failed")
}

func TestOAuthNeedsSession(t *testing.T) {
	srv := newFakeServer(t)
	c := newTestClient(t, srv.URL, nil)
	if _, err := c.OAuth().ListGrants(context.Background()); !IsAuthSessionMissingError(err) {
		t.Fatalf("err = %v", err)
	}
	if srv.total() != 0 {
		t.Fatal("a request was sent without a session")
	}
}
