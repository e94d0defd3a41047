package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestSessionFromURLImplicitFragment(t *testing.T) {
	srv := newFakeServer(t)
	user, _ := stepReply(t, "user_get_ok", 0, nil)
	srv.on("GET", "/user", user)
	st := loadStep(t, "verify_get_redirect", 1)
	jwt := makeJWT(t, st.JWTClaims["response.headers.Location"])
	loc := strings.ReplaceAll(st.Response.Headers["Location"], "<jwt>", jwt)
	c := newTestClient(t, srv.URL, nil)
	ev, _ := recordEvents(c)
	ev.next(t)
	ar, err := c.SessionFromURL(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	s := ar.Session
	if s.AccessToken != jwt || s.RefreshToken != "r4zioyygkglg" || s.ExpiresAt != 1795389789 || s.ExpiresIn != 3600 || ar.User.ID == "" {
		t.Fatalf("session = %+v", s)
	}
	if h := srv.calls("GET", "/user")[0].Header.Get("Authorization"); h != "Bearer "+jwt {
		t.Fatalf("Authorization = %q", h)
	}
	if e := ev.next(t); e.Event != EventSignedIn {
		t.Fatalf("event %v", e.Event)
	}
	if storedSession(t, c) == nil {
		t.Fatal("not saved")
	}
}

func TestSessionFromURLErrorIsImplicitGrantRedirectError(t *testing.T) {
	srv := newFakeServer(t)
	st := loadStep(t, "callback_without_state", 0)
	c := newTestClient(t, srv.URL, nil)
	storeSession(t, c, testSession(t, "rt", testNow.Unix()+3000))
	_, err := c.SessionFromURL(context.Background(), st.Response.Headers["Location"])
	var ig *ImplicitGrantRedirectError
	if !errors.As(err, &ig) || !IsAuthImplicitGrantRedirectError(err) || ig.Code != "bad_oauth_callback" || ig.Message != "OAuth state parameter missing" || ig.ErrorParam != "invalid_request" {
		t.Fatalf("%T %+v", err, err)
	}
	if storedSession(t, c) == nil {
		t.Fatal("a failed callback must not remove the existing session")
	}
	pk := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	_, err = pk.SessionFromURL(context.Background(), st.Response.Headers["Location"])
	var pe *PKCEGrantCodeExchangeError
	if !errors.As(err, &pe) || pe.Code != "bad_oauth_callback" {
		t.Fatalf("PKCE flow: %T %v", err, err)
	}
	if _, err := c.SessionFromURL(context.Background(), "http://127.0.0.1:1/cb?nothing=1"); !IsAuthImplicitGrantRedirectError(err) {
		t.Fatalf("no parameters: %v", err)
	}
	if srv.total() != 0 {
		t.Fatal("no request expected")
	}
}

func TestSessionFromURLCodeExchanges(t *testing.T) {
	srv := newFakeServer(t)
	rep, jwt := stepReply(t, "token_password_ok", 0, nil)
	srv.on("POST", "/token", rep)
	c := newTestClient(t, srv.URL, func(o *Options) { o.FlowType = FlowPKCE })
	if _, err := c.SignInWithOAuth(context.Background(), OAuthParams{Provider: "github", RedirectTo: "http://127.0.0.1:5/cb"}); err != nil {
		t.Fatal(err)
	}
	ar, err := c.SessionFromURL(context.Background(), "http://127.0.0.1:5/cb?code=the-code")
	if err != nil || ar.Session.AccessToken != jwt {
		t.Fatalf("%+v %v", ar, err)
	}
	if b := srv.calls("POST", "/token")[0].jsonBody(t); b["auth_code"] != "the-code" {
		t.Fatalf("body = %v", b)
	}
}
